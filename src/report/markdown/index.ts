import { shownSummaryOnly } from "../../analysis/summary-only.js";
import type { Report } from "../../model/index.js";
import {
  baselineSentence,
  errorCountText,
  formatNumber,
  incompleteProcessesOf,
  passedResult,
  failedExitLine,
  ungatedResult,
  summaryOnlySentence,
  unshownSentence,
  uncountedErrors,
  plural,
} from "../describe.js";
import { selectReportDiagnostics, selectionLines, selectionSize } from "../diagnostic-selection.js";
import { errorHead } from "../heads.js";
import { moreSites, otherSites, recordIndex } from "../sites.js";
import type { Reporter } from "../types.js";
import { code } from "./escape.js";
import { groupBlock, headline, sourceLines, totalsTable } from "./sections.js";
import { appendAll } from "../../lists.js";
import { forkedChildrenClause } from "../forked-summaries.js";

/**
 * GitHub refuses comments over 65,536 characters; staying under 65,000 leaves room for a bot's
 * own header. Step summaries allow 1 MiB, so the same limit is safe there too.
 */
export const MAX_MARKDOWN = 65_000;
/** Room kept for the closing notes: what was left out, and up to 10 diagnostics of ~1,000. */
const RESERVE = 12_000;
const DIAGNOSTICS_SHOWN = 10;

/**
 * Markdown for pull-request comments and `$GITHUB_STEP_SUMMARY`: a headline, the sources, a
 * totals table, the top groups with their own-code frames and full stacks in <details>, and the
 * diagnostics. Every log string is escaped; the text stays under MAX_MARKDOWN characters and
 * says what it left out.
 */
export const markdownReporter: Reporter = {
  description: "Markdown for pull-request comments and $GITHUB_STEP_SUMMARY",
  render(report, context) {
    const parts: string[] = [headline(report), ""];
    const result = gateLine(report);
    if (result !== undefined) parts.push(result, "");
    appendAll(parts, sourceLines(report));
    parts.push("");
    const table = totalsTable(report.groups);
    if (table.length > 0) {
      appendAll(parts, table);
      parts.push("");
    }
    // Numbers and fixed words only: nothing from the log to escape. The text summary's Totals
    // say these kinds are not shown; a PR comment left them out (campaign ab).
    const unshown = report.unshownLeaks ?? [];
    if (unshown.length > 0) parts.push(`_${unshownSentence(unshown)}._`, "");
    // Numbers and fixed words only: nothing from the log to escape.
    const compared = baselineSentence(report.groups);
    if (compared !== undefined) parts.push(`**Against the baseline:** ${compared}.`, "");
    // Numbers and fixed words only: nothing from the log to escape.
    const uncounted = uncountedSentence(report);
    if (uncounted !== undefined) parts.push(uncounted, "");
    // Fixed words and numbers only (the format is an enum): nothing from the log to escape.
    const unlisted = shownSummaryOnly(report.summaryOnlyLeaks);
    if (unlisted.length > 0)
      parts.push(
        `**Leaks without loss records.** ${summaryOnlySentence(unlisted, incompleteProcessesOf(report))}.`,
        "",
      );
    let text = `${parts.join("\n")}\n`;
    const visible = report.groups.filter((g) => g.severity !== "none");
    const wanted = visible.slice(0, context.top);
    let shown = 0;
    const records = recordIndex(report);
    for (const group of wanted) {
      const sites = otherSites(group, records, context);
      const more = moreSites(sites, group, records);
      const message = errorHead(group, records);
      const extras = { elsewhere: sites, more, message };
      const block = `${groupBlock(group, shown + 1, context, extras)}\n\n`;
      if (text.length + block.length > MAX_MARKDOWN - RESERVE) break;
      text += block;
      shown += 1;
    }
    text += leftOut(visible.length, wanted.length, shown);
    text += diagnosticLines(report);
    return `${text.replace(/\n+$/, "")}\n`;
  },
};

/**
 * Longest gate reason shown: a reason is leaklog's sentence around a few short log strings (a
 * kind, a path), so this bounds a hostile one rather than cutting a real one.
 */
const MAX_REASON = 2000;

/** The gate's result; without gate rules, only that of a run that exits 2 (see ungatedResult). */
function gateLine(report: Report): string | undefined {
  const gate = report.gate;
  if (gate === undefined || !gate.failed) {
    const result = gate === undefined ? ungatedResult(report) : passedResult(report);
    return result === undefined ? undefined : `**${result.verdict}**${result.clause}`;
  }
  // leaklog's own sentences, whose advice comes last: cut at a log string's 300 characters,
  // "--fail-on error: 1 log cannot tell ... (read it with callgri…" lost it (campaign ch Q3).
  const reasons = gate.reasons.slice(0, 20).map((r) => `- ${code(r, MAX_REASON)}`);
  if (gate.reasons.length > 20)
    reasons.push(`- ... and ${formatNumber(gate.reasons.length - 20)} more`);
  // Numbers and fixed words only: nothing from the log to escape.
  const exit2 = failedExitLine(report);
  if (exit2 !== undefined) reasons.push(`- ${exit2}`);
  return ["**Result: FAILED**", "", ...reasons].join("\n");
}

function leftOut(visible: number, wanted: number, shown: number): string {
  const notes: string[] = [];
  if (shown < wanted)
    notes.push(
      `_${formatNumber(wanted - shown)} more of the top groups left out to stay under ${formatNumber(MAX_MARKDOWN)} characters (see \`--format json\`)._`,
    );
  if (visible > wanted)
    notes.push(`_${plural(visible - wanted, "more group")} not shown (\`--top\` shows more)._`);
  return notes.length > 0 ? `${notes.join("\n\n")}\n\n` : "";
}

/**
 * Valgrind's own error count where the occurrences above fall short of it (see uncountedErrors),
 * or, for a -q log, which prints none, that they may (campaign cb1 Q7).
 */
function uncountedSentence(report: Report): string | undefined {
  const uncounted = uncountedErrors(report);
  if (uncounted === undefined) return undefined;
  const { summarized: counted, quietLogs: quiet, forkedChildren } = uncounted;
  const rerun = "rerun with `-s` to count them";
  if (counted === undefined)
    return `_Valgrind's text log prints each error context once, and with \`-q\` no ERROR SUMMARY: occurrences above may be low; ${rerun}._`;
  const none = quiet > 0 ? ` (${plural(quiet, "log")} with \`-q\` printed none)` : "";
  return `_Valgrind's ERROR SUMMARY counts ${errorCountText(counted)}${none}${forkedChildrenClause(forkedChildren)}, but its text log prints each context once: occurrences above are low; ${rerun}._`;
}

function diagnosticLines(report: Report): string {
  const runs = selectReportDiagnostics(report, DIAGNOSTICS_SHOWN);
  if (runs.length === 0) return "";
  const lines = [`### Diagnostics (${formatNumber(selectionSize(runs))})`, ""];
  const listed = selectionLines(runs, {
    diagnostic: (d) => {
      const where = d.line !== undefined ? `${d.path}:${d.line}` : d.path;
      return `- **${d.severity}** ${code(where)}: ${code(d.message)} (${code(d.code)})`;
    },
    more: (hidden, of) => `- _${formatNumber(hidden)} more ${code(of)}_`,
    others: (text) => `- _${text}_`,
  });
  appendAll(lines, listed);
  // Not "all" when an input had more of a code than JSON lists (campaign bs Q3).
  if (runs.some((run) => run.counted > 0))
    lines.push("", "_More of them: `--format json`, which counts those past its cap._");
  else if (runs.some((run) => run.hidden > 0)) lines.push("", "_All of them: `--format json`._");
  return `${lines.join("\n")}\n`;
}
