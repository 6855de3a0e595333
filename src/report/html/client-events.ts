/**
 * The last part of the page's script: keyboard and pointer wiring, then the first render.
 * Rows are focusable; Enter or Space expands, arrow keys move between rows.
 */
export const EVENTS_PART = String.raw`
  function toggle(tr) {
    var i = Number(tr.dataset.index);
    var open = !expanded.has(i);
    if (open) expanded.add(i); else expanded.delete(i);
    tr.setAttribute("aria-expanded", open ? "true" : "false");
    var after = tr.nextElementSibling;
    if (!open && after !== null && after.classList.contains("detail")) after.remove();
    if (open) tr.after(detail(i));
  }
  function moveFocus(tr, step) {
    var rows = Array.prototype.slice.call(tbody.querySelectorAll("tr.group"));
    var target = rows[rows.indexOf(tr) + step];
    if (target !== undefined) target.focus();
  }
  tbody.addEventListener("click", function (event) {
    // Clicks inside an expanded view (selecting source text, the members table) do not toggle.
    if (event.target.closest("tr.detail")) return;
    var tr = event.target.closest("tr.group");
    if (tr !== null) toggle(tr);
  });
  tbody.addEventListener("keydown", function (event) {
    var tr = event.target.closest("tr.group");
    if (tr === null || event.target !== tr) return;
    if (event.key === "Enter" || event.key === " ") { event.preventDefault(); toggle(tr); }
    else if (event.key === "ArrowDown") { event.preventDefault(); moveFocus(tr, 1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); moveFocus(tr, -1); }
  });
  table.querySelectorAll("th[data-key] button").forEach(function (button) {
    button.addEventListener("click", function () {
      var key = button.parentElement.getAttribute("data-key");
      if (state.sort === key) state.dir = -state.dir;
      else { state.sort = key; state.dir = NUMERIC[key] ? -1 : 1; }
      state.page = 0;
      apply();
    });
  });
  function bind(id, field, transform) {
    var input = document.getElementById(id);
    if (input === null) return;
    input.addEventListener("input", function () {
      state[field] = transform ? transform(input.value) : input.value;
      state.page = 0;
      apply();
    });
  }
  bind("filter-kind", "kind");
  bind("filter-severity", "severity");
  bind("filter-baseline", "baseline");
  bind("filter-text", "text", function (v) { return v.trim().toLowerCase(); });
  prev.addEventListener("click", function () { state.page--; renderPage(); });
  next.addEventListener("click", function () { state.page++; renderPage(); });
  var kinds = document.getElementById("filter-kind");
  Array.from(new Set(groups.map(function (g) { return g.kind; }))).sort().forEach(function (kind) {
    var option = el("option", "", kind);
    option.value = kind;
    kinds.appendChild(option);
  });
  apply();
`;
