import type { Report } from "../../model/index.js";
import type { Reporter, ReportContext } from "../types.js";
import { pageData } from "./data.js";
import { escapeHtml as esc } from "./escape.js";
import { diagnosticsSection, gateSection, sourcesSection } from "./sections.js";
import { pagePieces } from "./template.js";
import { formatNumber } from "../describe.js";
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

function header(report: Report): string {
  const bySeverity = ["error", "warning", "note"]
    .map((s) => [s, report.totals.groupsBySeverity[s] ?? 0] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `<span class="sev-${s}">${formatNumber(n)} ${s}${n === 1 ? "" : "s"}</span>`);
  const groups = report.groups.length;
  const counts = bySeverity.length > 0 ? ` (${bySeverity.join(", ")})` : "";
  return `<h1>leaklog report</h1><p class="muted">${esc(titleOf(report))} · ${formatNumber(groups)} ${groups === 1 ? "group" : "groups"}${counts} · leaklog ${esc(report.generator.version)}</p>`;
}
