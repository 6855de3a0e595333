import { COUNTS_UNKNOWN } from "../analysis/counts-unknown.js";
import { countBaseline } from "../analysis/baseline.js";
import { causeOf, hiddenErrorKinds, uncountedKinds } from "../analysis/uncounted-kinds.js";
import { MAX_GROUP_PIDS } from "../analysis/group.js";
import { strictlyOwnFrames, type OwnCode } from "../analysis/own-frames.js";
import { relativeSourcePath } from "../analysis/paths.js";
import { processKey } from "../analysis/process-key.js";
import {
  commonFormat,
  lostWithLog,
  rerunForStacks,
  xtreeAdvice,
  summaryName,
  summaryTitle,
  summaryOnlyTotals,
} from "../analysis/summary-only.js";
import {
  carriedUnusable,
  damagedEntry,
  incompleteProcesses,
  sourceState,
  unusablePaths,
  type IncompleteProcess,
} from "../analysis/input-states.js";
import {
  type Amount,
  type Frame,
  type Group,
  type Report,
  type Source,
  type SummaryOnlyLeak,
} from "../model/index.js";
import { checkoutPath, type CheckoutPath, type LogBases } from "./log-location.js";
import { formatNumber } from "../numbers.js";
import { grownGroups } from "./growth.js";
import { forkedChildren } from "./forked-summaries.js";

export { sourceState, unusablePaths, formatNumber };

/*
 * Wording and locations shared by the CI formats (SARIF, JUnit, Code Quality, Markdown), so that
 * one finding reads the same in every tool that shows it.
 */

/**
 * `15 more logs, 1 of them incomplete or unusable (see Diagnostics)`: the sources a header
 * leaves unnamed, counted with the problem logs among them. Markdown said only "and 5 more", and
 * a killed test past its 20th log left no trace but a warning at the bottom (campaign ch F8).
 */
export function moreLogs(rest: readonly Source[]): { text: string; incomplete: number } {
  const incomplete = rest.filter((s) => !s.complete).length;
  const problems =
    incomplete > 0
      ? `, ${formatNumber(incomplete)} of them incomplete or unusable (see Diagnostics)`
      : "";
  return { text: `${formatNumber(rest.length)} more logs${problems}`, incomplete };
}

/**
 * The tool and version a source's header names. A complete source of no known format is an
 * empty log read with `--allow-empty` (every other unknown one is unusable, so incomplete).
 */
export function sourceTool(source: Source): string {
  if (source.format === "unknown" && source.complete) return "empty log";
  const tool = source.tool !== undefined ? `, ${valgrindToolName(source.tool)}` : "";
  return source.toolVersion !== undefined
    ? `${source.format} ${source.toolVersion}${tool}`
    : `${source.format}${tool}`;
}

/** `Helgrind`, `DRD`: a Valgrind tool as its manual names it (see Source.tool). */
function valgrindToolName(tool: string): string {
  return tool === "drd" ? "DRD" : tool.charAt(0).toUpperCase() + tool.slice(1);
}

/**
 * The tools of a report whose every log was written by a Valgrind tool that checks no leaks
 * (Helgrind, DRD), `Helgrind and DRD`; undefined where any log is another's. Such a run with no
 * finding is no run without leaks: "No leaks or memory errors found" said so of a Helgrind run
 * of a program that leaked.
 */
function leakUncheckedTools(sources: readonly Source[]): string | undefined {
  if (sources.length === 0 || sources.some((s) => s.tool === undefined)) return undefined;
  const names = [...new Set(sources.map((s) => valgrindToolName(s.tool as string)))];
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

/**
 * ` (24 direct, 144 indirect)`, Valgrind's split of a leak's bytes, or "" when all are direct:
 * the totals sum direct bytes, so a group's bytes alone would not add up to them.
 */
export function bytesSplit(group: Pick<Group, "bytes" | "directBytes">): string {
  const indirect = group.bytes - group.directBytes;
  if (indirect <= 0) return "";
  return ` (${formatNumber(group.directBytes)} direct, ${formatNumber(indirect)} indirect)`;
}

/** `1 block`, `3 blocks`: numbers with their noun in plain words. */
export function plural(count: number, noun: string): string {
  const suffix = count === 1 ? "" : noun.endsWith("s") ? "es" : "s";
  return `${formatNumber(count)} ${noun}${suffix}`;
}

/**
 * `9 leaks of 328 bytes in 12 blocks, 2 errors`: what the baseline's fixed groups counted
 * (`baselineAmounts`; their own amounts are zeroed), or undefined when none counted anything.
 * Leaks' direct bytes are summed, as totals are: a definite leak's indirect bytes are its
 * indirectly lost group's too.
 */
export function fixedAmounts(groups: readonly Group[]): string | undefined {
  let leaks = 0;
  let bytes = 0;
  let blocks = 0;
  let errors = 0;
  for (const { type, baseline, baselineAmounts: was } of groups) {
    if (baseline !== "fixed" || was === undefined) continue;
    if (type === "error") errors += was.occurrences;
    else
      [leaks, bytes, blocks] = [
        leaks + was.occurrences,
        bytes + was.directBytes,
        blocks + was.blocks,
      ];
  }
  const parts = [
    ...(leaks > 0
      ? [`${plural(leaks, "leak")} of ${plural(bytes, "byte")} in ${plural(blocks, "block")}`]
      : []),
    ...(errors > 0 ? [plural(errors, "error")] : []),
  ];
  return parts.length > 0 ? parts.join(", ") : undefined;
}

/**
 * `3 new, 2 unchanged (1 grew), 5 fixed (9 leaks of 328 bytes in 12 blocks)` when the groups
 * were compared with a baseline, else undefined. Fixed groups are not listed (they are gone from
 * the logs): this is where what they counted is said; the groups that grew (see growth) say how
 * under their heads.
 */
export function baselineSentence(groups: readonly Group[]): string | undefined {
  if (!groups.some((g) => g.baseline !== undefined)) return undefined;
  const counts = countBaseline(groups);
  const fixed = fixedAmounts(groups);
  const grown = grownGroups(groups).length;
  const grew = grown > 0 ? ` (${formatNumber(grown)} grew)` : "";
  return `${formatNumber(counts.new)} new, ${formatNumber(counts.unchanged)} unchanged${grew}, ${formatNumber(counts.fixed)} fixed${fixed !== undefined ? ` (${fixed})` : ""}`;
}

/**
 * One plain sentence (no final period) about a group: for a leak the bytes, direct bytes,
 * blocks and kind; for an error the tool's headline; then occurrences and processes when more
 * than one.
 */
/**
 * How many processes a group's findings come from, in words (`3 processes`), or undefined for
 * one or none: its `processCount`, exact (campaign bqa Q2: 55 processes were "50 or more"), else
 * its PIDs. A report written before processCount lists the first MAX_GROUP_PIDS PIDs: at the
 * cap it says `50 or more`.
 */
export function processCount(group: Group): string | undefined {
  const count = group.processCount ?? group.pids.length;
  if (count <= 1) return undefined;
  return group.processCount === undefined && count >= MAX_GROUP_PIDS
    ? `${formatNumber(count)} or more processes`
    : plural(count, "process");
}

/**
 * `24 bytes in 1 block definitely lost (2 occurrences in 3 processes)`, or an error's message;
 * a fixed group (see compareWithBaseline) with the amounts it had in the baseline. An error is
 * said in `head`, as the text summary heads it (groupHead: a sanitizer's access, every descriptor
 * a group leaves open), where the report's records are known; else in its shown record's message.
 */
export function groupSentence(fromReport: Group, head = fromReport.message): string {
  // A fixed group counts nothing now: what it counted in the baseline is what it was.
  const amounts = fromReport.baseline === "fixed" ? fromReport.baselineAmounts : undefined;
  const group = amounts !== undefined ? { ...fromReport, ...amounts } : fromReport;
  const what =
    group.type === "leak"
      ? `${plural(group.bytes, "byte")}${group.directBytes !== group.bytes ? ` (${formatNumber(group.directBytes)} direct)` : ""} in ${plural(group.blocks, "block")} ${group.kind.replace(/-/g, " ")}`
      : singleLine(head);
  const extra: string[] = [];
  // A lower bound (countsUnknown) is said as one, as the text summary says it: the CI formats
  // stated "(2 occurrences)" of a log whose ERROR SUMMARY counts 10 (campaign ch F4).
  if (group.occurrences !== 1 || group.countsUnknown === true) extra.push(occurrencesText(group));
  const processes = processCount(group);
  if (processes !== undefined) extra.push(`in ${processes}`);
  return extra.length > 0 ? `${what} (${extra.join(" ")})` : what;
}

/**
 * `, 1 of 2 logs` when only some logs print a leak summary (Valgrind 3.19's XML has none):
 * leaklog's totals cover every log, the tool's only those, and without this the two columns
 * read as a disagreement. A log whose heap held no block at exit (`in use at exit: 0 bytes in 0
 * blocks`, then `All heap blocks were freed -- no leaks are possible` instead of a LEAK SUMMARY)
 * summarised zero leaks: "10 of 15 logs" of a CTest run with 4 clean tests read as summaries
 * missing (campaign camp-ctest Q3).
 */
export function summaryCoverage(report: Report): string {
  if (!report.summaries.some((s) => s.leak !== undefined)) return "";
  const withSummary = new Set(
    report.summaries
      .filter((s) => s.leak !== undefined || (s.heap?.inUseBlocks === 0 && s.heap.inUseBytes === 0))
      .map((s) => s.path),
  );
  // Inputs that were not logs at all (unreadable, another tool's file) are not counted.
  const logs = report.sources.filter((s) => s.format !== "unknown" || s.complete).length;
  return withSummary.size > 0 && withSummary.size < logs
    ? `, ${withSummary.size} of ${logs} logs`
    : "";
}

/**
 * How many inputs could not be used (the run's own, and those merged reports carry), how many
 * report entries were damaged and left out (their reports read all the same), and how many
 * logs are incomplete.
 */
function inputStates(report: Report): InputStates {
  const paths = unusablePaths(report);
  let unusable = 0;
  let damaged = 0;
  let incomplete = 0;
  // Incomplete sources with an unusable input's error: merged reports, which carry them, and
  // reports read in part.
  const merged = new Set<string>();
  for (const source of report.sources) {
    const state = sourceState(source, paths);
    if (state === "unusable") unusable += 1;
    else if (state === "incomplete") {
      incomplete += 1;
      if (paths.has(source.path)) merged.add(source.path);
    }
  }
  for (const d of report.diagnostics) {
    if (!merged.has(d.path)) continue;
    if (carriedUnusable(d)) unusable += 1;
    else if (damagedEntry(d)) damaged += 1;
  }
  return { unusable, damaged, incomplete };
}

interface InputStates {
  unusable: number;
  damaged: number;
  incomplete: number;
}

/**
 * `1 log is incomplete`, `2 inputs are unusable and 1 log is incomplete`; undefined when every
 * log is complete.
 */
export function incompleteClause(report: Report): string | undefined {
  return clauseOf(inputStates(report));
}

function clauseOf({ unusable, damaged, incomplete }: InputStates): string | undefined {
  const parts = [
    stateCount(unusable, "input is", "inputs are", "unusable"),
    stateCount(damaged, "report entry is", "report entries are", "damaged"),
    stateCount(incomplete, "log is", "logs are", "incomplete"),
  ].filter((p) => p !== undefined);
  if (parts.length === 0) return undefined;
  const last = parts.pop() as string;
  return parts.length > 0 ? `${parts.join(", ")} and ${last}` : last;
}

function stateCount(n: number, one: string, many: string, what: string): string | undefined {
  if (n === 0) return undefined;
  return `${n === 1 ? `1 ${one}` : `${n} ${many}`} ${what}`;
}

/**
 * The result line of a gate that did not fail: never a plain "passed" for a run with an
 * unusable input or a damaged report entry (the CLI exits 2 for both: a partly damaged shard
 * read "passed", campaign v16b F3), nor without a word on a log known to lack findings.
 */
export function passedResult(report: Report): { verdict: string; clause: string } {
  const states = inputStates(report);
  const clause = clauseOf(states);
  if (clause === undefined) return { verdict: "Result: passed", clause: "" };
  return states.unusable + states.damaged > 0
    ? { verdict: "Result: not passed", clause: `: ${clause}` }
    : { verdict: "Result: passed", clause: `, but ${clause}` };
}

/**
 * The line under a failed gate's reasons for what makes the run exit 2 whatever its rules say:
 * `1 input is unusable (exit 2, not 1)`, or a damaged report entry; undefined without either.
 * The Result block listed the rules alone, and the unusable input showed only in the source
 * list and Diagnostics (campaign ch Q12).
 */
export function failedExitLine(report: Report): string | undefined {
  const { unusable, damaged } = inputStates(report);
  const clause = clauseOf({ unusable, damaged, incomplete: 0 });
  return clause === undefined ? undefined : `${clause} (exit 2, not 1)`;
}

/**
 * The result line of a run without gate rules that exits 2 all the same, for an unusable input
 * or a damaged report entry: undefined for any other. It said nothing, or "Not gated (exit 0)"
 * (campaign v16b F3).
 */
export function ungatedResult(report: Report): { verdict: string; clause: string } | undefined {
  const result = passedResult(report);
  return result.verdict === "Result: not passed" ? result : undefined;
}

/**
 * "No leaks or memory errors found", never unqualified while a log is known to lack findings
 * (cut short, an error limit, --xtree-leak=yes): then it says that only what was read is clean;
 * nor while a summary counts indirectly lost blocks no record lists (unlistedIndirectClause).
 * `found`: the word after "errors" (Markdown's headline has none); `outside`: what follows it
 * (the text summary's "outside suppressions").
 */
export function nothingFoundSentence(
  report: Report,
  { found = " found", outside = "" }: { found?: string; outside?: string } = {},
): string {
  const clause = noneClause(report);
  const orphans = unlistedIndirectClause(report);
  if (clause === undefined && orphans !== undefined)
    return `No leaks or memory errors listed${outside}, but ${orphans}`;
  const more = orphans !== undefined ? `, and ${orphans}` : "";
  const tools = leakUncheckedTools(report.sources);
  const none = tools !== undefined ? `No ${tools} errors` : "No leaks or memory errors";
  return clause === undefined
    ? `${none}${found}${outside}`
    : `${none}${found}${outside} in what was read, but ${clause}${more}`;
}

/**
 * ` outside suppressions (2 groups suppressed)`, after "No leaks or memory errors found", when
 * suppressed groups are listed below it: a plain "none" above a table of them contradicted it
 * (campaign ch Q4). Empty when none is.
 */
export function outsideSuppressions(report: Report): string {
  const suppressed = suppressedGroups(report);
  return suppressed !== undefined ? ` outside suppressions (${suppressed})` : "";
}

/**
 * `2 groups suppressed`: the groups leaklog's or the tool's suppressions took that the report
 * still holds (a fixed group is gone from the logs, suppressed or not); undefined when none is.
 */
export function suppressedGroups(report: Pick<Report, "groups">): string | undefined {
  const n = report.groups.filter((g) => g.suppressed === true && g.baseline !== "fixed").length;
  return n > 0 ? `${plural(n, "group")} suppressed` : undefined;
}

/**
 * Indirectly lost blocks that a summary counts and no loss record shows, for a run that lists
 * no finding: blocks reached only from a leak that suppressions hid (Valgrind lists no
 * suppressed record, and counts what it points to as indirectly lost all the same), so "No
 * leaks found" stood beside Totals that count them, and `--fail-on indirectly-lost` failed
 * (campaigns by Q4, bz Q2). Where a finding is listed, its owner may be one of them: the
 * Totals say how much is not shown.
 */
export function unlistedIndirectClause(report: Report): string | undefined {
  const amount = summaryOnlyTotals(report.unshownLeaks ?? []).get("indirectly-lost");
  if (amount === undefined || isNothing(amount)) return undefined;
  const whose = summaryName(commonFormat(report.unshownLeaks ?? []));
  return `${whose} counts ${amountText("indirectly-lost", amount)} that no loss record shows (most likely blocks a suppressed leak points to: rerun with --show-leak-kinds=all to list them)`;
}

/**
 * What keeps "no leaks or memory errors" from being the whole story: logs unusable or
 * incomplete (incompleteClause), XML logs whose run hid definite or possible leaks from its
 * loss records with no LEAK SUMMARY to count them (campaign v10: a `--show-leak-kinds=none`
 * XML log read as clean, while `--fail-on error` failed on it as unable to tell), or logs of a
 * `--leak-check=no` run that left blocks in use at exit (campaign bqb Q2).
 */
export function noneClause(report: Report): string | undefined {
  const logs = uncountedKinds(report.sources, report.summaries, report.diagnostics).filter(
    (u) => hiddenErrorKinds(u).length > 0,
  );
  const runs = (n: number) => (n === 1 ? "1 log's run" : `${n} logs' runs`);
  // An xtree log's is said by incompleteClause: --xtree-leak=yes marks it incomplete.
  const hidden = logs.filter((u) => causeOf(u) === "hidden-kinds").length;
  const unchecked = logs.filter((u) => u.cause === "no-leak-check").length;
  const parts = [
    incompleteClause(report),
    hidden > 0
      ? `${runs(hidden)} hid definite or possible leaks from the loss records (rerun with --show-leak-kinds=all)`
      : undefined,
    unchecked > 0
      ? `${runs(unchecked)} checked no leaks at exit while blocks were in use (rerun with --leak-check=full)`
      : undefined,
  ].filter((p) => p !== undefined);
  return parts.length > 0 ? parts.join(" and ") : undefined;
}

/**
 * `32 bytes in 1 blocks`: an amount as the totals rows say it, in Valgrind's LEAK SUMMARY words
 * (which do not make `1 blocks` singular).
 */
export function bytesInBlocks(amount: Amount): string {
  return `${formatNumber(amount.bytes)} bytes in ${formatNumber(amount.blocks)} blocks`;
}

/** `96 bytes in 3 blocks definitely lost`: one kind's amount in the summaries' sentences. */
function amountText(kind: string, amount: Amount): string {
  return `${plural(amount.bytes, "byte")} in ${plural(amount.blocks, "block")} ${kind.replace(/-/g, " ")}`;
}

/** Whether the report's logs are known to lack findings of a process (see incompleteProcesses). */
export function incompleteProcessesOf(report: Pick<Report, "sources">): IncompleteProcess {
  return incompleteProcesses(report.sources);
}

/**
 * One plain sentence (no final period) about leaks that only the tools' summaries report:
 * `Valgrind's LEAK SUMMARY reports 234 bytes in 2 blocks definitely lost, ... but the log has
 * no loss records for them: rerun with --leak-check=full to see where they were allocated`.
 * `incomplete` tells the processes whose part of the log is cut (see lostWithLog).
 */
export function summaryOnlySentence(
  entries: readonly SummaryOnlyLeak[],
  incomplete: IncompleteProcess = () => false,
): string {
  const totals = [...summaryOnlyTotals(entries)];
  const amounts = totals.map(([kind, amount]) => amountText(kind, amount));
  const processes = entries.length > 1 ? ` of ${plural(entries.length, "process")}` : "";
  return `${summaryTitle(entries)}${processes} reports ${amounts.join(", ")}, but the log has no loss records for them${summaryOnlyAdvice(entries, incomplete)}`;
}

/** Why summary-only leaks have no records, most telling first, as `: ...` (or nothing). */
function summaryOnlyAdvice(
  entries: readonly SummaryOnlyLeak[],
  incomplete: IncompleteProcess,
): string {
  const elsewhere = xtreeAdvice(entries);
  if (elsewhere !== undefined) return `: ${elsewhere} to see where they were allocated`;
  if (lostWithLog(entries, incomplete))
    return ": the log is incomplete, and lost them (see Diagnostics)";
  if (entries.every((e) => e.recordsMissing === true))
    return ": they are missing or damaged in the log (see Diagnostics)";
  const rerun = rerunForStacks(entries);
  return rerun !== undefined ? `: rerun with ${rerun} to see where they were allocated` : "";
}

/**
 * One plain sentence (no final period) about the kinds full leak checks counted and did not
 * show (Report.unshownLeaks): `Valgrind's LEAK SUMMARY also counts 200 bytes in 1 block still
 * reachable that the loss records do not show: rerun with --show-leak-kinds=all to list them`.
 */
export function unshownSentence(entries: readonly SummaryOnlyLeak[]): string {
  const amounts = [...summaryOnlyTotals(entries)].map(([kind, amount]) => amountText(kind, amount));
  return `${summaryTitle(entries)} also counts ${amounts.join(", ")} that the loss records do not show: rerun with --show-leak-kinds=all to list them`;
}

/**
 * `3 occurrences`; `at least 1 occurrence` for a group of a log that counts none (`countsUnknown`:
 * a text log without -s prints each error context once, and `(1 occurrence)` read as a count for
 * an invalid read made 5 times; the Totals' hint was the only word of it, fix-q9).
 */
export function occurrencesText(group: Pick<Group, "occurrences" | "countsUnknown">): string {
  const times = plural(group.occurrences, "occurrence");
  return group.countsUnknown === true ? `at least ${times}` : times;
}

/**
 * The error kinds whose summed occurrences are the fewest there were: those with a
 * `countsUnknown` group that the totals count (a baseline's fixed group counts in none). The
 * Totals' `InvalidWrite 174 occurrences` and the Markdown table's row said a lower bound as a
 * count, under group lines that said `at least` (campaign ch Q13).
 */
export function lowerBoundKinds(groups: readonly Group[]): Set<string> {
  const kinds = new Set<string>();
  for (const group of groups)
    if (group.countsUnknown === true && group.baseline !== "fixed") kinds.add(group.kind);
  return kinds;
}

/**
 * A tool's amount of nothing: `0 bytes in 0 blocks`. `0 bytes in 1 blocks` is a malloc(0) never
 * freed, a leak (campaign bv F1).
 */
export function isNothing(amount: Amount): boolean {
  return amount.bytes === 0 && amount.blocks === 0;
}

/** `PID 1`, or `PID 1 (run 2)` for a PID's later run in its log (see ProcessInfo.run). */
export function processLabel(process: { pid: number; run?: number | undefined }): string {
  return process.run === undefined
    ? `PID ${process.pid}`
    : `PID ${process.pid} (run ${process.run})`;
}

/**
 * A source's first `shown` processes, labelled by `label`, and how many more there are
 * (`PID 1, PID 2, 5,990 more processes`): a fork-heavy log has thousands.
 */
export function someProcesses<P extends { pid: number; run?: number | undefined }>(
  processes: readonly P[],
  shown: number,
  label: (process: P) => string = processLabel,
): string {
  const named = processes.slice(0, shown).map(label);
  const more = processes.length - named.length;
  return [...named, ...(more > 0 ? [`${formatNumber(more)} more processes`] : [])].join(", ");
}

/** A tool's own error count: Valgrind's `ERROR SUMMARY: N errors from M contexts`. */
export interface ToolErrorCount {
  errors: number;
  contexts: number;
}

/**
 * Where leaklog's occurrence counts fall short of Valgrind's: without -s, a text log prints each
 * error context once, at its first occurrence, and the parser says so with an
 * `error-counts-unknown` diagnostic (28-valgrind-3.11-java-jni: 174 contexts printed,
 * `1011246 errors from 460 contexts`). Undefined where the counts agree, so that reports add
 * nothing then.
 */
export interface UncountedErrors {
  /** Valgrind's ERROR SUMMARY totals of those logs, summed over processes; undefined: none printed. */
  summarized: ToolErrorCount | undefined;
  /**
   * How many of those logs print no ERROR SUMMARY at all (`valgrind -q`, as `ctest -T memcheck`
   * runs it): CTest's logs showed `(1 occurrence)` for an invalid read made 5 times, and only
   * the JSON report's `error-counts-unknown` info said the count was none (campaign cb1 Q7).
   */
  quietLogs: number;
  /**
   * How many of the processes summed in `summarized` are forked children of another input's
   * process (see forkedChildren), whose ERROR SUMMARY can count their parent's contexts again.
   */
  forkedChildren: number;
}

export function uncountedErrors(report: Report): UncountedErrors | undefined {
  const unknown = new Set<string>();
  for (const d of report.diagnostics) if (d.code === COUNTS_UNKNOWN) unknown.add(d.path);
  if (unknown.size === 0) return undefined;
  // One ERROR SUMMARY per process, at its exit; the last one read wins.
  const last = new Map<string, ToolErrorCount>();
  const summarized = new Set<string>();
  for (const s of report.summaries) {
    if (s.errors === undefined) continue;
    last.set(processKey(s), s.errors);
    summarized.add(s.path);
  }
  let quietLogs = 0;
  for (const path of unknown) if (!summarized.has(path)) quietLogs += 1;
  // No ERROR SUMMARY at all: every log of unknown counts is a quiet one.
  if (last.size === 0) return { summarized: undefined, quietLogs, forkedChildren: 0 };
  let errors = 0;
  let contexts = 0;
  for (const count of last.values()) {
    errors += count.errors;
    contexts += count.contexts;
  }
  const children = forkedChildren(report);
  const forked = [...last.keys()].filter((key) => children.has(key)).length;
  return { summarized: { errors, contexts }, quietLogs, forkedChildren: forked };
}

/**
 * `1,011,246 errors from 460 contexts, leaks included`: Valgrind counts each loss record of
 * `--errors-for-leak-kinds` (definite and possible by default) as one error too.
 */
export function errorCountText(count: ToolErrorCount): string {
  return `${plural(count.errors, "error")} from ${plural(count.contexts, "context")}, leaks included`;
}

/** A frame of the program's own code with its path in the checkout (see checkoutPath). */
export interface SourceLocation extends CheckoutPath {
  frame: Frame;
  /** 1-based line, when the frame has one. */
  line?: number;
}

/**
 * Where a group shows up in the program's sources: the first own frame (see isOwnFrame) whose
 * file lies under the source root. Undefined when no frame qualifies (stripped binaries,
 * leaks whose whole stack is in system libraries). `own`: the stack's strictly own frames, when the
 * caller has them already.
 */
export function primaryLocation(
  stack: readonly Frame[],
  ownCode: OwnCode & LogBases = {},
  own: readonly Frame[] = strictlyOwnFrames(stack, ownCode),
): SourceLocation | undefined {
  for (const frame of own) {
    const where = frameCheckoutPath(frame, ownCode);
    if (where === undefined) continue;
    return frame.line !== undefined && frame.line > 0
      ? { frame, ...where, line: frame.line }
      : { frame, ...where };
  }
  return undefined;
}

/** The frame's file in the checkout, or undefined when it has none or lies outside the root. */
export function frameCheckoutPath(
  frame: Frame,
  ownCode: OwnCode & LogBases,
): CheckoutPath | undefined {
  const path = relativeSourcePath(frame, ownCode);
  return path !== undefined ? checkoutPath(path, ownCode) : undefined;
}

/**
 * Replaces control characters (terminal escapes, NUL, line breaks) with `?` or a space, and
 * bidirectional overrides and isolates (U+202A-202E, U+2066-2069), which reorder a symbol's
 * name as shown in a merge request's widget or an annotation ("Trojan Source"; campaign bqa Q3).
 */
export function cleanText(text: string): string {
  return singleLine(text).replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, "?");
}

/** Joins the lines of a multi-line string with spaces. */
function singleLine(text: string): string {
  return text.replace(/\r\n|[\r\n\u2028\u2029]/g, " ");
}

/*
 * JSON.stringify leaves U+2028, U+2029 and U+0085 unescaped; some line splitters (Python's
 * str.splitlines, editors, older JavaScript) break lines there. They can only occur inside JSON
 * strings, where the \u escape means the same character.
 */
const LINE_BREAKERS = /[\u0085\u2028\u2029]/g;

/** JSON.stringify with the Unicode line breakers escaped too. */
export function jsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(
    LINE_BREAKERS,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * What the totals add after `count` occurrences of which `part` are `what`: nothing, `, 3 of
 * them suppressed`, `, suppressed` (the one there is) or `, all suppressed`.
 */
export function shareNote(part: number, count: number, what: string): string {
  if (part === 0) return "";
  if (part < count) return `, ${formatNumber(part)} of them ${what}`;
  return count === 1 ? `, ${what}` : `, all ${what}`;
}
