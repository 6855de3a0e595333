/**
 * The page's stylesheet, inlined so that the report is one file. Colours are custom properties
 * with a dark set under `prefers-color-scheme`; every severity has a text label besides its
 * colour, and focus is always visible (the table is meant to be used from the keyboard).
 */
export const STYLES = `
:root { color-scheme: light dark;
  --bg: #ffffff; --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --panel: #f6f8fa;
  --row-hover: #eef3f9; --own: #fff4d1; --own-fg: #5c4400; --focus: #0a58ca; --link: #0a58ca;
  --error: #c62828; --warning: #a15c00; --note: #0b6e8a; --none: #6e7781;
  --new: #8250df; --fixed: #1a7f37; --code-bg: #f6f8fa; --focus-line: #fff1b8; }
@media (prefers-color-scheme: dark) { :root {
  --bg: #0d1117; --fg: #e6edf3; --muted: #9da7b3; --line: #30363d; --panel: #161b22;
  --row-hover: #1c2430; --own: #3a2f0b; --own-fg: #f2cc60; --focus: #58a6ff; --link: #58a6ff;
  --error: #ff7b72; --warning: #e3b341; --note: #56d4dd; --none: #8b949e;
  --new: #d2a8ff; --fixed: #56d364; --code-bg: #161b22; --focus-line: #3d3413; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
header, main { max-width: 1280px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 16px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 24px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.muted, .empty { color: var(--muted); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.totals { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
figure { margin: 0; }
.chart text { fill: var(--fg); font-size: 12px; }
.chart .chart-head { font-weight: 600; }
.chart .chart-value { fill: var(--muted); }
.bar.tone-error { fill: var(--error); } .bar.tone-warning { fill: var(--warning); }
.bar.tone-note { fill: var(--note); } .bar.tone-none { fill: var(--none); }
table { border-collapse: collapse; }
table.compact { margin: 4px 0 12px; }
table.compact th, table.compact td { text-align: left; padding: 3px 10px 3px 0; vertical-align: top;
  border-bottom: 1px solid var(--line); }
caption { text-align: left; color: var(--muted); padding-bottom: 4px; }
.callout { border-left: 4px solid var(--warning); background: var(--panel); padding: 8px 12px; margin: 8px 0; }
.callout ul, .gate ul { margin: 4px 0 0; padding-left: 20px; }
.gate { padding: 8px 12px; border-radius: 6px; background: var(--panel); margin: 12px 0; }
.gate.failed { border-left: 4px solid var(--error); } .gate.passed { border-left: 4px solid var(--fixed); }
tr.incomplete td { background: var(--panel); }
.sev-error { color: var(--error); font-weight: 600; } .sev-warning { color: var(--warning); font-weight: 600; }
.sev-note { color: var(--note); } .sev-none { color: var(--none); }
.bl-new { color: var(--new); font-weight: 600; } .bl-fixed { color: var(--fixed); } .bl-unchanged { color: var(--muted); }
.filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: end; margin: 8px 0; }
.filters label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); gap: 2px; }
input, select, button { font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--line);
  border-radius: 6px; padding: 4px 8px; }
input[type=search] { min-width: 240px; }
button { cursor: pointer; } button:disabled { opacity: .5; cursor: default; }
#groups-table { width: 100%; }
#groups-table th { text-align: left; border-bottom: 2px solid var(--line); padding: 0; white-space: nowrap; }
#groups-table th button { border: 0; background: none; font-weight: 600; padding: 6px 8px; width: 100%; text-align: left; border-radius: 0; }
#groups-table th[aria-sort=ascending] button::after { content: " \\25B2"; }
#groups-table th[aria-sort=descending] button::after { content: " \\25BC"; }
#groups-table td { padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
#groups-table td.num { text-align: right; font-variant-numeric: tabular-nums; }
#groups-table th.num button { text-align: right; }
tr.group { cursor: pointer; }
tr.group:hover { background: var(--row-hover); }
tr.group td:first-child::before { content: "\\25B8 "; color: var(--muted); }
tr.group[aria-expanded=true] td:first-child::before { content: "\\25BE "; }
tr.detail > td { background: var(--panel); padding: 8px 16px 16px; }
.detail h3 { font-size: 13px; margin: 12px 0 4px; }
ol.stack { margin: 0; padding-left: 28px; }
ol.stack li { padding: 1px 4px; }
ol.stack li.own { background: var(--own); color: var(--own-fg); border-radius: 3px; }
ol.stack li.own .tag { font-size: 11px; font-weight: 600; margin-left: 6px; }
.frame-fn { font-weight: 600; }
pre.snippet { background: var(--code-bg); border: 1px solid var(--line); border-radius: 6px; margin: 4px 0 8px;
  padding: 6px 0; overflow-x: auto; color: var(--fg); }
pre.snippet > span { display: block; padding: 0 10px; white-space: pre; }
pre.snippet > span.focus { background: var(--focus-line); font-weight: 600; }
.lineno { display: inline-block; min-width: 4ch; color: var(--muted); user-select: none; text-align: right; margin-right: 12px; }
.pager { display: flex; gap: 12px; align-items: center; margin: 8px 0 24px; }
footer { color: var(--muted); font-size: 12px; max-width: 1280px; margin: 24px auto; padding: 0 20px; }
`;
