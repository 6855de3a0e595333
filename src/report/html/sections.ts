import type { Diagnostic, Report } from "../../model/index.js";
import { escapeHtml as esc } from "./escape.js";
import { incompleteLogs, incompleteMessage, type IncompleteLog } from "../incomplete-logs.js";
import {
  formatNumber,
  passedResult,
  failedExitLine,
  sourceState,
  sourceTool,
  ungatedResult,
  unusablePaths,
} from "../describe.js";

/** What the state column says of an unusable input. */
const UNUSABLE = "unusable: not read as a log (see Diagnostics)";

/**
 * The inputs: format, tool version, processes, counters; an incomplete log says so loudly, and
 * why, in the words JUnit and Code Quality give it (incompleteMessage: the warning that made it
 * so). It said "truncated or a limit was hit" of every one, where --xtree-leak=yes wrote the
 * leaks to another file and a traced child wrote over the log (campaign ch Q14). A complete
 * log that cannot tell whether its run leaked says so, as JUnit and Code Quality flag it.
 */
export function sourcesSection(report: Report): string {
  const sources = report.sources;
  const unusable = unusablePaths(report);
  const incomplete = new Map(incompleteLogs(report).map((log) => [log.source, log] as const));
  const rows = sources.map((s) => {
    const processes = s.processes
      .map((p) => `${p.pid}${p.command !== undefined ? ` ${p.command}` : ""}`)
      .join(", ");
    const state = stateCell(sourceState(s, unusable), incomplete.get(s));
    const tool = sourceTool(s);
    const counters = `${formatNumber(s.counters.lines)} lines, ${formatNumber(s.counters.records)} records, ${formatNumber(s.counters.unrecognizedLines)} not understood`;
    return `<tr${s.complete ? "" : ' class="incomplete"'}><td>${esc(s.path)}</td><td>${esc(tool)}</td><td>${esc(processes)}</td><td>${state}</td><td>${counters}</td></tr>`;
  });
  return `<section id="sources" aria-labelledby="sources-h"><h2 id="sources-h">Logs read (${sources.length})</h2><table class="compact"><thead><tr><th scope="col">log</th><th scope="col">tool</th><th scope="col">processes</th><th scope="col">state</th><th scope="col">lines</th></tr></thead><tbody>${rows.join("")}</tbody></table></section>`;
}

/** The state column of a log: see sourcesSection. */
function stateCell(said: ReturnType<typeof sourceState>, log: IncompleteLog | undefined): string {
  if (said === "unusable") return `<strong class="sev-warning">${UNUSABLE}</strong>`;
  if (said === "incomplete")
    return `<strong class="sev-warning">incomplete</strong>: ${esc(incompleteMessage(log ?? {}))}`;
  // Only a complete log is one that cannot tell (see incompleteLogs).
  if (log?.cannotTell !== undefined)
    return `complete, but <strong class="sev-warning">${esc(log.cannotTell)}</strong>`;
  return "complete";
}

/** Every diagnostic, so that nothing leaklog noticed about the input is hidden. */
export function diagnosticsSection(diagnostics: readonly Diagnostic[]): string {
  if (diagnostics.length === 0) {
    return '<section id="diagnostics" aria-labelledby="diagnostics-h"><h2 id="diagnostics-h">Diagnostics</h2><p class="muted">None: every line was understood.</p></section>';
  }
  const rows = diagnostics.map((d) => {
    const where = [d.path, d.line !== undefined ? `:${d.line}` : ""].join("");
    const pid = d.pid !== undefined ? ` (PID ${d.pid})` : "";
    const tone = d.severity === "error" ? "error" : d.severity === "warning" ? "warning" : "note";
    return `<tr><td class="sev-${tone}">${esc(d.severity)}</td><td><code>${esc(d.code)}</code></td><td>${esc(where + pid)}</td><td>${esc(d.message)}</td></tr>`;
  });
  // Long lists start closed so that the groups stay near the top; the count is always visible.
  const open = diagnostics.length <= 20 ? " open" : "";
  return `<section id="diagnostics" aria-labelledby="diagnostics-h"><h2 id="diagnostics-h">Diagnostics (${diagnostics.length})</h2><details${open}><summary>What leaklog noticed about the input</summary><table class="compact"><thead><tr><th scope="col">severity</th><th scope="col">code</th><th scope="col">where</th><th scope="col">message</th></tr></thead><tbody>${rows.join("")}</tbody></table></details></section>`;
}

/**
 * The `--fail-on` / `--max-bytes` result, when rules were given; without them, only that of a
 * run that exits 2 (see ungatedResult). A failed gate's reasons end with what makes the run
 * exit 2 whatever they say, as text's and Markdown's (see failedExitLine).
 */
export function gateSection(report: Report): string {
  const gate = report.gate;
  if (gate === undefined || !gate.failed) {
    const result = gate === undefined ? ungatedResult(report) : passedResult(report);
    if (result === undefined) return "";
    // "not passed" (an unusable input, the CLI exits 2) is not shown in the passed colour.
    const state = result.verdict === "Result: passed" ? "passed" : "failed";
    return `<p class="gate ${state}" role="status">${esc(result.verdict + result.clause)}</p>`;
  }
  const exit2 = failedExitLine(report);
  const lines = exit2 === undefined ? gate.reasons : [...gate.reasons, exit2];
  const reasons = lines.map((r) => `<li>${esc(r)}</li>`).join("");
  return `<div class="gate failed" role="status"><strong>Result: FAILED</strong><ul>${reasons}</ul></div>`;
}
