import { shownSummaryOnly } from "../../analysis/summary-only.js";
import { errorHead } from "../heads.js";
import { summaryOnlySeverity } from "../../analysis/severity.js";
import { describeFrame, namedFrame, ownFrames } from "../../analysis/own-frames.js";
import { LeakKind, type Frame, type Group, type Report, type Source } from "../../model/index.js";
import type { Reporter, ReportContext } from "../types.js";
import {
  baselineSentence,
  bytesSplit,
  errorCountText,
  bytesInBlocks,
  formatNumber,
  incompleteProcessesOf,
  passedResult,
  failedExitLine,
  ungatedResult,
  sourceState,
  unusablePaths,
  nothingFoundSentence,
  outsideSuppressions,
  processCount,
  processLabel,
  summaryCoverage,
  sourceTool,
  summaryOnlySentence,
  someProcesses,
  isNothing,
  moreLogs,
  uncountedErrors,
  occurrencesText,
  lowerBoundKinds,
  plural,
  cleanText,
} from "../describe.js";
import {
  summedToolLeaks,
  inheritedLeakAmounts,
  inheritedCopiesNote,
  unprintedOfEitherKind,
  UNPRINTED_WORDS,
} from "../tool-leaks.js";
import { EITHER_KIND } from "../../analysis/uncounted-kinds.js";
import { inheritedDescriptorsNote } from "../inherited-descriptors-note.js";
import {
  selectReportDiagnostics,
  selectionLines,
  selectionSize,
  whereTheRestAre,
} from "../diagnostic-selection.js";
import { alsoAtLines, recordIndex, type RecordIndex } from "../sites.js";
import { unlistedWords } from "../unlisted-words.js";
import { suppressedWords } from "../suppressed-words.js";
import { growth } from "../growth.js";
import { libraryPaths } from "./library-paths.js";
import { clean, makeStyle, type Style } from "./style.js";
import { appendAll } from "../../lists.js";
import { forkedChildrenClause } from "../forked-summaries.js";

const FRAMES_SHOWN = 4;
/** Diagnostics listed; the rest are counted by code (see selectDiagnostics). */
const DIAGNOSTICS_SHOWN = 20;
const LEAK_KINDS: readonly string[] = LeakKind.options;

/** The terminal summary: sources, the top groups with their own frames, totals, diagnostics. */
export const textReporter: Reporter = {
  description:
    "a summary for people at a terminal (colour on a TTY unless NO_COLOR or TERM=dumb; FORCE_COLOR decides first)",
  render(report, context) {
    const style = makeStyle(context.color);
    const out: string[] = [];
    appendAll(out, sourceLines(report, style));
    out.push("");
    appendAll(out, groupLines(report, context, style));
    appendAll(out, totalLines(report, style));
    appendAll(out, baselineLines(report, style));
    appendAll(out, diagnosticLines(report, style));
    const result =
      report.gate !== undefined
        ? gateLine(report, style)
        : (ungatedLine(report, style) ?? notGatedLine(report, style));
    if (result !== undefined) out.push("", result);
    return `${out.join("\n")}\n`;
  },
};

/** Inputs given a line of their own; a CTest run can leave thousands of logs. */
const HEADER_SOURCES = 10;

/** A line per input, up to HEADER_SOURCES; the rest counted, with how many are incomplete. */
function sourceLines(report: Report, style: Style): string[] {
  const sources = report.sources;
  const unusable = unusablePaths(report);
  const header = (s: Source) => sourceHeader(s, unusable, style);
  if (sources.length <= HEADER_SOURCES + 1) return sources.map(header);
  const shown = sources.slice(0, HEADER_SOURCES);
  const { text, incomplete } = moreLogs(sources.slice(HEADER_SOURCES));
  const more = `... ${text}`;
  return [...shown.map(header), incomplete > 0 ? style.severity("warning", more) : style.dim(more)];
}

/** Processes named in a source's header line. */
const HEADER_PROCESSES = 5;

function sourceHeader(source: Source, unusable: ReadonlySet<string>, style: Style): string {
  const tool = sourceTool(source);
  // A fork-heavy log has hundreds of processes: the header names the first few.
  const processes = someProcesses(source.processes, HEADER_PROCESSES, (p) =>
    p.command !== undefined ? `${processLabel(p)} ${clean(p.command)}` : processLabel(p),
  );
  const state = sourceState(source, unusable);
  const said = state === undefined ? "" : style.severity("warning", ` (${state})`);
  return `${style.bold(cleanText(source.path))}  ${tool}${processes !== "" ? `  ${processes}` : ""}${said}`;
}

function groupLines(report: Report, context: ReportContext, style: Style): string[] {
  const visible = report.groups.filter((g) => g.severity !== "none");
  const unlisted = summaryOnlyLines(report, visible.length > 0, style);
  if (visible.length === 0) return unlisted.length > 0 ? unlisted : [nothingFound(report), ""];
  const shown = visible.slice(0, context.top);
  const lines: string[] = [];
  const records = recordIndex(report);
  // Told apart among the shown groups: against every look-alike of a baseline comparison, the
  // deepest frame told most of them, and of 20 shown groups of a stripped program 4 printed
  // apart where 10 had (campaign v16b F1). diff, which lists only what changed, tells its groups
  // from the unchanged ones too (see apartInComparison).
  const paths = libraryPaths(shown, (group) => shownFrames(group, context), context);
  for (const group of shown) {
    appendAll(lines, groupBlock(group, records, context, style, paths.get(group)));
    lines.push("");
  }
  if (visible.length > shown.length) {
    lines.push(
      style.dim(
        `... ${formatNumber(visible.length - shown.length)} more ${visible.length - shown.length === 1 ? "group" : "groups"} (--top to show more)`,
      ),
      "",
    );
  }
  return [...lines, ...unlisted];
}

/** The "none found" line; an incomplete log's diagnostics say what is missing. */
function nothingFound(report: Report): string {
  const sentence = nothingFoundSentence(report, { outside: outsideSuppressions(report) });
  return report.sources.every((s) => s.complete)
    ? `${sentence}.`
    : `${sentence} (see Diagnostics).`;
}

/** Leaks only the tools' summaries report: never "no leaks found" while a summary says so. */
function summaryOnlyLines(report: Report, afterGroups: boolean, style: Style): string[] {
  const entries = shownSummaryOnly(report.summaryOnlyLeaks);
  if (entries.length === 0) return [];
  const head = afterGroups ? "Also leaks without loss records" : "Leaks without loss records";
  return [
    `${style.severity("error", style.bold(head))}: ${clean(summaryOnlySentence(entries, incompleteProcessesOf(report)))}.`,
    "",
  ];
}

function groupBlock(
  group: Group,
  records: RecordIndex,
  context: ReportContext,
  style: Style,
  apart: string | undefined,
): string[] {
  const label = style.severity(group.severity, group.severity.toUpperCase().padEnd(7));
  const amount = group.type === "leak" ? leakAmount(group) : clean(errorHead(group, records));
  const times = occurrencesText(group);
  const processes = processCount(group);
  const pids = processes !== undefined ? `, ${processes}` : "";
  const baseline = group.baseline !== undefined ? ` [${group.baseline}]` : "";
  const head = `${label} ${style.bold(group.kind)}  ${amount}  (${times}${pids})${baseline}`;
  const frames = shownFrames(group, context);
  // What tells it from groups that print alike (see libraryPaths).
  const apartLine = apart !== undefined ? [style.dim(`        ${clean(apart)}`)] : [];
  const grew = growth(group);
  return [
    head,
    ...frames.map((frame, i) => `        ${i === 0 ? "at" : "by"} ${clean(describeFrame(frame))}`),
    ...apartLine,
    ...(grew !== undefined ? [style.dim(`        grew: ${grew}`)] : []),
    ...otherSide(group, context, style),
    ...alsoAt(group, records, context, style),
  ];
}

/** The frames a group's block shows: its own, up to FRAMES_SHOWN. */
function shownFrames(group: Group, context: ReportContext): Frame[] {
  return ownFrames(group.stack, context).slice(0, FRAMES_SHOWN);
}

/**
 * The error's first aux stack that reaches the program's own code, at its first own frame (or,
 * in code without debug info, at its first frame that names a function: see namedFrame): the
 * other access of a data race, where a block used after free was freed, where the block an
 * access missed was allocated. Without it a race showed one of its two sides. Aux lines before
 * it that have no stack are shown as they are: `Address 0x0 is not stack'd, malloc'd or
 * (recently) free'd` is what says an invalid read was a NULL dereference.
 */
function otherSide(group: Group, context: ReportContext, style: Style): string[] {
  const lines: string[] = [];
  for (const entry of group.aux ?? []) {
    const title = clean(entry.message.replace(STACK_SIZE_ADVICE, "")).replace(/:$/, "");
    if (entry.stack === undefined || entry.stack.length === 0) {
      if (title !== "" && lines.length < STACKLESS_AUX_SHOWN)
        lines.push(style.dim(`        ${title}`));
      continue;
    }
    const frame = namedFrame(entry.stack, context);
    if (frame === undefined) continue;
    lines.push(style.dim(`        ${title}`));
    lines.push(style.dim(`          at ${clean(describeFrame(frame))}`));
    break;
  }
  return lines;
}

/**
 * Aux lines without a stack shown under a group: a fatal stack overflow has two (`Access not
 * within mapped region`, `Stack overflow in thread #1: can't grow stack`).
 */
const STACKLESS_AUX_SHOWN = 2;

/**
 * Valgrind's advice after a fatal SIGSEGV (`If you believe this happened as a result of a stack
 * overflow ...`, five lines), which the aux line before it takes in when that one has no
 * stack: 330 characters of it under a stack overflow said less than the line it hid (campaign
 * v10). The JSON report keeps it.
 */
const STACK_SIZE_ADVICE =
  /\s*If you believe this happened as a result of a stack overflow\b[\s\S]*$/;

/** `also at main (use_after_free.c:26)`: the group's findings made elsewhere (see sites.ts). */
function alsoAt(
  group: Group,
  records: RecordIndex,
  context: ReportContext,
  style: Style,
): string[] {
  return alsoAtLines(group, records, context).map((line) => style.dim(`        ${clean(line)}`));
}

/** `1,746 (352 direct, 1,394 indirect) bytes in 10 blocks`, Valgrind's own phrasing. */
function leakAmount(group: Group): string {
  return `${formatNumber(group.bytes)}${bytesSplit(group)} bytes in ${formatNumber(group.blocks)} blocks`;
}

/** With `--baseline`: how the groups compare, and what the fixed ones counted. */
function baselineLines(report: Report, style: Style): string[] {
  const sentence = baselineSentence(report.groups);
  return sentence !== undefined ? ["", style.bold("Baseline"), `  ${sentence}`] : [];
}

function totalLines(report: Report, style: Style): string[] {
  const lines = [style.bold("Totals")];
  const either = unprintedOfEitherKind(report.summaries);
  const labels = [...Object.keys(report.totals.errors), ...(either ? [EITHER_KIND] : [])];
  const width = Math.max(16, ...labels.map((k) => k.length));
  const printed = summedToolLeaks(report.summaries);
  const coverage = summaryCoverage(report);
  const ourSuppressions = suppressedWords(report);
  const inherited = inheritedLeakAmounts(report);
  const words = unlistedWords(report);
  for (const kind of LEAK_KINDS) {
    const ours = report.totals.leaks[kind];
    const theirs = printed.get(kind);
    if (ours === undefined && theirs === undefined && words.hiddenUncounted(kind)) {
      lines.push(`  ${kind.padEnd(width)} ${words.unlisted(kind)}`);
      continue;
    }
    // A summary's nothing beside a log that hid the kind with no summary (a 3.19 XML log) is
    // not the whole story: the row says how to show it, as the HTML totals do.
    const untold = words.untold(kind);
    if (ours === undefined && (theirs === undefined || (isNothing(theirs) && !untold))) continue;
    // The tool listed them; --suppressions moved them to `suppressed`.
    const left =
      ours !== undefined
        ? `${bytesInBlocks(ours)}${words.alsoUnshown(kind)}`
        : (ourSuppressions.noneLeft(kind) ?? words.unlisted(kind));
    const share = ourSuppressions.toolShare(kind, ours !== undefined);
    const ourShare = share !== undefined ? `; ${share}` : "";
    // A forked child's LEAK SUMMARY counts what it inherited, which leaklog counts once, in the
    // parent's records (see InheritedLossRecords): the rows would not add up unexplained.
    const copies = inherited.get(kind);
    const copyShare = copies !== undefined ? `; ${inheritedCopiesNote(copies)}` : "";
    // Some of the unprinted leaks of either kind may be definite: the least there are.
    const least = kind === "definitely-lost" && either !== undefined ? "at least " : "";
    const right =
      theirs !== undefined
        ? `  (tool's summary${coverage}: ${least}${bytesInBlocks(theirs)}${ourShare}${copyShare})`
        : "";
    lines.push(`  ${kind.padEnd(width)} ${left}${right}`);
  }
  if (either !== undefined) {
    const theirs = `(tool's summary${coverage}: ${bytesInBlocks(either)})`;
    lines.push(`  ${EITHER_KIND.padEnd(width)} ${UNPRINTED_WORDS}  ${theirs}`);
  }
  const atLeast = lowerBoundKinds(report.groups);
  const inheritedNote = inheritedDescriptorsNote(report);
  for (const [kind, count] of Object.entries(report.totals.errors).sort()) {
    const note = `${ourSuppressions.errorNote(kind, count)}${inheritedNote(kind, count)}`;
    const times = occurrencesText({ occurrences: count, countsUnknown: atLeast.has(kind) });
    lines.push(`  ${kind.padEnd(width)} ${times}${note}`);
  }
  const counted = errorSummaryLine(report, width);
  if (counted !== undefined) lines.push(counted);
  if (lines.length === 1) lines.push("  nothing found");
  return lines;
}

/**
 * Valgrind's own error count, where the occurrences above fall short of it, beside the per-kind
 * rows, as the leak rows show its LEAK SUMMARY. A row of its own, named as Valgrind names it:
 * under the last kind's row, unnamed, it read as a note on that kind (campaign ab). A -q log
 * prints none, and its counts of 1 went unquestioned (campaign cb1 Q7).
 */
function errorSummaryLine(report: Report, width: number): string | undefined {
  const uncounted = uncountedErrors(report);
  if (uncounted === undefined) return undefined;
  const { summarized, quietLogs: quiet, forkedChildren } = uncounted;
  // Beside other logs' numbers, how many logs printed none.
  const which = summarized !== undefined ? ` in ${plural(quiet, "log")}` : "";
  const counts = [
    ...(summarized !== undefined
      ? [`${errorCountText(summarized)}${forkedChildrenClause(forkedChildren)}`]
      : []),
    ...(quiet > 0 ? [`not printed${which} (-q)`] : []),
  ];
  return `  ${"ERROR SUMMARY".padEnd(width)} ${counts.join("; ")}  (the log prints each context once: rerun with -s to count occurrences)`;
}

function diagnosticLines(report: Report, style: Style): string[] {
  const runs = selectReportDiagnostics(report, DIAGNOSTICS_SHOWN);
  if (runs.length === 0) return [];
  const lines = ["", style.bold(`Diagnostics (${formatNumber(selectionSize(runs))})`)];
  const listed = selectionLines(runs, {
    diagnostic: (d) => {
      const where = d.line !== undefined ? `${d.path}:${d.line}` : d.path;
      const severity = style.severity(d.severity === "error" ? "error" : "warning", d.severity);
      return `  ${severity} ${cleanText(where)}: ${clean(d.message)} [${d.code}]`;
    },
    more: (hidden, code, counted) =>
      style.dim(
        `  ... ${formatNumber(hidden)} more [${code}] (${whereTheRestAre(hidden, counted)})`,
      ),
    others: (text, hidden, counted) =>
      style.dim(`  ... ${text} (${whereTheRestAre(hidden, counted)})`),
  });
  appendAll(lines, listed);
  return lines;
}

/**
 * Without gate rules leaklog exits 0 whatever it found: said under error-severity findings, so
 * that a CI step wired without `--fail-on` does not pass a red log in silence (campaign ab).
 */
function notGatedLine(report: Report, style: Style): string | undefined {
  const groups = report.groups.filter((g) => g.severity === "error").length;
  const unlisted = shownSummaryOnly(report.summaryOnlyLeaks).some((entry) =>
    Object.keys(entry.leak).some((kind) => summaryOnlySeverity(entry, kind) === "error"),
  );
  // An unusable input makes the exit code 2 (campaign v10: the line said "exit 0" there).
  if ((groups === 0 && !unlisted) || unusablePaths(report).size > 0) return undefined;
  const what =
    groups > 0
      ? `${formatNumber(groups)} error-severity ${groups === 1 ? "group" : "groups"}`
      : "the leaks without loss records";
  // Against a baseline the groups it knows are old news: gate on the new ones.
  const compared = report.groups.some((g) => g.baseline !== undefined);
  const rule = compared
    ? "--fail-on new to fail the build on new groups"
    : `--fail-on error to fail the build on ${what}`;
  return style.dim(`Not gated (exit 0): add ${rule}.`);
}

/** The result of a run without gate rules that exits 2 (see ungatedResult). */
function ungatedLine(report: Report, style: Style): string | undefined {
  const result = ungatedResult(report);
  return result === undefined ? undefined : style.bold(`${result.verdict}${result.clause}`);
}

function gateLine(report: Report, style: Style): string {
  const gate = report.gate;
  if (gate === undefined || !gate.failed) {
    // A gate that passed on part of the input (cut short, interrupted) says so.
    const { verdict, clause } = passedResult(report);
    return style.bold(`${verdict}${clause}`);
  }
  const exit2 = failedExitLine(report);
  return [
    style.severity("error", style.bold("Result: FAILED")),
    ...gate.reasons.map((r) => `  ${r}`),
    ...(exit2 !== undefined ? [`  ${exit2}`] : []),
  ].join("\n");
}
