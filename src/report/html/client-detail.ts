/**
 * The second part of the page's script: a group's expanded view (stack with own frames marked,
 * source lines, aux stacks, other places, members), built only when the group is expanded.
 */
export const DETAIL_PART = String.raw`
  function snippetBlock(index) {
    var s = data.snippets[index];
    if (s === undefined) return null;
    var pre = el("pre", "snippet");
    pre.setAttribute("aria-label", "source of " + s.file + " around line " + s.focus);
    s.lines.forEach(function (text, k) {
      var n = s.start + k;
      var line = el("span", n === s.focus ? "focus" : "");
      line.appendChild(el("span", "lineno", n));
      line.appendChild(document.createTextNode(shown(text)));
      pre.appendChild(line);
    });
    return pre;
  }
  function stackList(stack) {
    var ol = el("ol", "stack mono");
    stack.forEach(function (f) {
      var li = el("li", f.own ? "own" : "");
      li.appendChild(el("span", "frame-fn", f.fn !== undefined ? f.fn : "???"));
      var rest = frameText(f).slice((f.fn !== undefined ? f.fn : "???").length);
      li.appendChild(document.createTextNode(shown(rest)));
      if (f.own) li.appendChild(el("span", "tag", "your code"));
      if (f.snippet !== undefined) {
        var pre = snippetBlock(f.snippet);
        if (pre !== null) li.appendChild(pre);
      }
      ol.appendChild(li);
    });
    if (stack.length === 0) ol.appendChild(el("li", "muted", "no stack printed"));
    return ol;
  }
  function membersTable(g) {
    var t = el("table", "compact");
    var head = el("tr");
    ["log", "line", "PID", "loss record"].forEach(function (h) {
      var th = el("th", "", h);
      th.scope = "col";
      head.appendChild(th);
    });
    t.appendChild(el("thead")).appendChild(head);
    var body = t.appendChild(el("tbody"));
    g.members.forEach(function (m) {
      var tr = body.appendChild(el("tr"));
      tr.appendChild(cell(m.path));
      tr.appendChild(cell(m.line, "num"));
      tr.appendChild(cell(m.pid !== undefined ? m.pid : "\u2014"));
      tr.appendChild(cell(m.lossRecord !== undefined ? m.lossRecord.index + " of " + m.lossRecord.of : "\u2014"));
    });
    return t;
  }
  function detail(i) {
    var g = groups[i];
    var tr = el("tr", "detail");
    tr.id = "detail-" + i;
    var td = tr.appendChild(el("td"));
    td.colSpan = data.hasBaseline ? 8 : 7;
    td.appendChild(el("p", "message", g.message));
    if (g.type === "leak") {
      td.appendChild(el("p", "muted", fmt.format(g.bytes) + " bytes (" + fmt.format(g.directBytes) +
        " direct) in " + fmt.format(g.blocks) + " blocks"));
    }
    td.appendChild(el("h3", "", "Stack"));
    td.appendChild(stackList(g.stack));
    g.aux.forEach(function (a) {
      td.appendChild(el("h3", "", a.message));
      if (a.stack.length > 0) td.appendChild(stackList(a.stack));
    });
    if (g.elsewhere.length > 0) {
      td.appendChild(el("h3", "", "Other places"));
      var ul = td.appendChild(el("ul", "mono"));
      g.elsewhere.forEach(function (line) { ul.appendChild(el("li", "", line)); });
    }
    td.appendChild(el("h3", "", "Seen in (" + fmt.format(g.members.length + g.membersOmitted) + ")"));
    td.appendChild(membersTable(g));
    if (g.membersOmitted > 0) td.appendChild(el("p", "muted", "and " + fmt.format(g.membersOmitted) + " more not kept in the report"));
    td.appendChild(el("p", "muted mono", "tools: " + g.tools.join(", ") + " \u00b7 fingerprint " + g.fingerprint));
    return tr;
  }
`;
