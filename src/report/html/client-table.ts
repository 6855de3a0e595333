/**
 * The first part of the page's script: data, state, filtering, sorting and the current page of
 * rows. It runs inside the function that client.ts wraps around all parts.
 */
export const TABLE_PART = String.raw`  "use strict";
  var data = JSON.parse(document.getElementById("leaklog-data").textContent);
  var groups = data.groups;
  var PAGE = 100;
  var RANK = { error: 0, warning: 1, note: 2, none: 3 };
  var BASELINE = { "new": 0, unchanged: 1, fixed: 2 };
  var NUMERIC = { bytes: 1, blocks: 1, occurrences: 1, processes: 1 };
  var fmt = new Intl.NumberFormat("en-US");
  var state = { sort: "severity", dir: 1, kind: "", severity: "", baseline: "", text: "", page: 0 };
  var expanded = new Set();
  var haystacks = null;
  var view = [];
  var table = document.getElementById("groups-table");
  var tbody = document.getElementById("groups-body");
  var status = document.getElementById("groups-status");
  var prev = document.getElementById("page-prev");
  var next = document.getElementById("page-next");

  // Bidirectional overrides and isolates reorder text as it is read ("Trojan Source" in a name
  // or a source line): shown as U+FFFD, as the text summary shows them as "?" (campaign bqa Q3).
  var BIDI = /[\u202a-\u202e\u2066-\u2069]/g;
  function shown(text) { return String(text).replace(BIDI, "\ufffd"); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = shown(text);
    return e;
  }
  function tone(severity) { return Object.prototype.hasOwnProperty.call(RANK, severity) ? severity : "none"; }
  function frameText(f) {
    var where = f.file !== undefined ? " (" + f.file + (f.line !== undefined ? ":" + f.line : "") + ")"
      : f.obj !== undefined ? " (in " + f.obj + ")" : "";
    return (f.fn !== undefined ? f.fn : "???") + where;
  }
  function haystack(i) {
    if (haystacks === null) {
      haystacks = groups.map(function (g) {
        var parts = [g.kind, g.message, g.location].concat(g.elsewhere);
        var stacks = [g.stack].concat(g.aux.map(function (a) { return a.stack; }));
        stacks.forEach(function (s) { s.forEach(function (f) { parts.push(f.fn || "", f.file || ""); }); });
        return parts.join("\n").toLowerCase();
      });
    }
    return haystacks[i];
  }
  function sortValue(g, key) {
    if (key === "severity") return RANK[tone(g.severity)];
    if (key === "baseline") return g.baseline !== undefined ? BASELINE[g.baseline] : 3;
    return g[key];
  }
  function compare(a, b) {
    var x = sortValue(groups[a], state.sort), y = sortValue(groups[b], state.sort);
    var c = typeof x === "number" ? x - y : String(x).localeCompare(String(y));
    return c !== 0 ? c * state.dir : a - b;
  }
  function matches(i) {
    var g = groups[i];
    if (state.kind && g.kind !== state.kind) return false;
    if (state.severity && g.severity !== state.severity) return false;
    if (state.baseline && g.baseline !== state.baseline) return false;
    return !state.text || haystack(i).indexOf(state.text) !== -1;
  }
  function apply() {
    view = [];
    for (var i = 0; i < groups.length; i++) if (matches(i)) view.push(i);
    view.sort(compare);
    var pages = Math.max(1, Math.ceil(view.length / PAGE));
    if (state.page >= pages) state.page = pages - 1;
    table.querySelectorAll("th[data-key]").forEach(function (th) {
      var on = th.getAttribute("data-key") === state.sort;
      th.setAttribute("aria-sort", on ? (state.dir > 0 ? "ascending" : "descending") : "none");
    });
    renderPage();
  }

  function cell(text, cls) { return el("td", cls, text); }
  function amount(g, n) { return g.type === "leak" ? fmt.format(n) : "\u2014"; }
  function row(i) {
    var g = groups[i];
    var tr = el("tr", "group");
    tr.tabIndex = 0;
    tr.dataset.index = String(i);
    tr.setAttribute("aria-expanded", expanded.has(i) ? "true" : "false");
    tr.appendChild(cell(tone(g.severity), "sev-" + tone(g.severity)));
    tr.appendChild(cell(g.kind));
    tr.appendChild(cell(amount(g, g.bytes), "num"));
    tr.appendChild(cell(amount(g, g.blocks), "num"));
    tr.appendChild(cell(fmt.format(g.occurrences) + (g.occurrencesAtLeast ? "+" : ""), "num"));
    tr.appendChild(cell(fmt.format(g.processes) + (g.processesCapped ? "+" : ""), "num"));
    tr.appendChild(cell(g.location || "\u2014", "mono"));
    if (data.hasBaseline) {
      var b = g.baseline !== undefined && BASELINE[g.baseline] !== undefined ? g.baseline : "";
      tr.appendChild(cell(b || "\u2014", b ? "bl-" + b : "muted"));
    }
    return tr;
  }
  function renderPage() {
    tbody.textContent = "";
    var start = state.page * PAGE, end = Math.min(view.length, start + PAGE);
    var fragment = document.createDocumentFragment();
    for (var k = start; k < end; k++) {
      fragment.appendChild(row(view[k]));
      if (expanded.has(view[k])) fragment.appendChild(detail(view[k]));
    }
    tbody.appendChild(fragment);
    status.textContent = view.length === 0 ? "No groups match the filters (" + fmt.format(groups.length) + " in total)."
      : "Showing " + fmt.format(start + 1) + "\u2013" + fmt.format(end) + " of " + fmt.format(view.length) +
        " groups" + (view.length !== groups.length ? " (" + fmt.format(groups.length) + " in total)" : "") + ".";
    prev.disabled = state.page === 0;
    next.disabled = end >= view.length;
  }
`;
