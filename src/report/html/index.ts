import type { Report } from "../../model/index.js";
import type { Reporter, ReportContext } from "../types.js";
import { pageData } from "./data.js";
import { escapeHtml as esc } from "./escape.js";
import { diagnosticsSection, gateSection, sourcesSection } from "./sections.js";
import { pagePieces } from "./template.js";
import { baselineSentence, formatNumber, plural, suppressedGroups } from "../describe.js";
import { totalsSection } from "./totals.js";

/**
 * A self-contained HTML page: totals with a chart beside the tools' own summaries, a sortable and
 * filterable table of groups that expand to their stacks and source lines, the logs read and
 * every diagnostic. Log text is escaped in the markup and embedded as JSON for the page's static
 * script, and a strict Content-Security-Policy stops anything else from running or loading.
 */
export const htmlReporter: Reporter = {
  description: "a self-contained HTML page: chart, sortable groups, stacks with source lines",
  render: (report, context) => [...htmlPieces(report, context)].join(""),
  renderPieces: htmlPieces,
};

function htmlPieces(report: Report, context: ReportContext): Iterable<string> {
  const data = pageData(report, context);
  return pagePieces({
    title: `leaklog report: ${titleOf(report)}`,
    header: header(report),
    totals: totalsSection(report),
    gate: gateSection(report),
    sources: sourcesSection(report),
    diagnostics: diagnosticsSection(report.diagnostics),
    hasBaseline: data.hasBaseline,
    data,
  });
}

function titleOf(report: Report): string {
  const first = report.sources[0]?.path ?? "no input";
  return report.sources.length > 1 ? `${first} and ${report.sources.length - 1} more` : first;
}

/**
 * The page's headline: the groups the text summary lists (neither fixed nor suppressed) by
 * severity, then, said apart in the text summary's words, the suppressed groups and the baseline
 * counts. It counted every group of the table: after a baseline, `4 groups (1 error)` where the
 * text lists 1 group and says "3 fixed" (campaign ch Q5).
 */
function header(report: Report): string {
  const bySeverity = ["error", "warning", "note"]
    .map((s) => [s, report.totals.groupsBySeverity[s] ?? 0] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `<span class="sev-${s}">${formatNumber(n)} ${s}${n === 1 ? "" : "s"}</span>`);
  // Fixed groups have severity none too (see compareWithBaseline).
  const listed = report.groups.filter((g) => g.severity !== "none").length;
  const counts = bySeverity.length > 0 ? ` (${bySeverity.join(", ")})` : "";
  const suppressed = suppressedGroups(report);
  const compared = baselineSentence(report.groups);
  // Numbers and fixed words only: nothing from the log to escape.
  const apart = [
    ...(suppressed !== undefined ? [suppressed] : []),
    ...(compared !== undefined ? [`baseline: ${compared}`] : []),
  ].map((words) => ` · ${words}`);
  return `<h1>leaklog report</h1><p class="muted">${esc(titleOf(report))} · ${plural(listed, "group")}${counts}${apart.join("")} · leaklog ${esc(report.generator.version)}</p>`;
}
