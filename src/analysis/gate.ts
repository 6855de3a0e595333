import type { GateResult, Group, LeakKind, Severity, SummaryOnlyLeak } from "../model/index.js";
import { isInheritedDescriptors } from "./inherited-descriptors.js";
import { formatNumber } from "../numbers.js";
import { checkGateRules, GATE_SEVERITIES } from "./gate-rules.js";
import { processesOfLogs, type IncompleteProcess } from "./input-states.js";
import { MAX_SUM } from "./saturated-sums.js";
import { severityOf } from "./severity.js";
import {
  commonFormat,
  lostWithLog,
  MISSING_RECORDS,
  rerunForStacks,
  summaryName,
  summaryTitle,
  summaryOnlyOfKinds,
  summaryOnlyTotals,
  xtreeAdvice,
} from "./summary-only.js";
import {
  causeOf,
  EITHER_KIND,
  type UncountedCause,
  type UncountedKinds,
} from "./uncounted-kinds.js";

/** What makes a run fail; every rule is checked and each match is reported. */
export interface GateRules {
  /**
   * Leak kinds, error kinds, severities (`error`, `warning`, `note`), `any`, `new` (with a
   * baseline), or `incomplete` (a log known to lack records: cut, written over, past an error
   * limit).
   */
  failOn: readonly string[];
  /**
   * Fail when a leak kind's total direct bytes exceed the limit: `{ "definitely-lost": 1024 }`
   * (the blocks a definite leak holds through pointers are `indirectly-lost`'s, as Valgrind counts).
   */
  maxBytes?: Readonly<Record<string, number>>;
}

const SEVERITIES = new Set<string>(GATE_SEVERITIES);

/**
 * Decides whether the groups fail the build, and says why in plain words. Leaks that only the
 * tools' summaries report (`summaryOnly`, no stack, so no group) count like groups of their
 * kind at the kind's default severity; they are never new or suppressed, as nothing can match
 * them against a baseline or a suppression. `incompleteProcess` tells which processes of the
 * `incomplete` logs lack findings (see incompleteProcesses): by default, all of them.
 */
export function evaluateGate(
  groups: readonly Group[],
  rules: GateRules,
  summaryOnly: readonly SummaryOnlyLeak[] = [],
  unshown: readonly SummaryOnlyLeak[] = [],
  incomplete: readonly string[] = [],
  unusable: readonly string[] = [],
  uncounted: readonly UncountedKinds[] = [],
  incompleteProcess: IncompleteProcess = processesOfLogs(incomplete),
): GateResult {
  // Exported, so called with rules no Summarizer checked: a typo must not pass the gate.
  // Whether a baseline was given the groups cannot tell (a group cut short has no status), so
  // `new` is left to summarize() and Summarizer, which know.
  checkGateRules(rules, true);
  const reasons: string[] = [];
  for (const rule of rules.failOn) {
    if (rule === "incomplete") {
      // An input never read is no log missing findings: said apart (see sourceState).
      const notRead = new Set(unusable);
      const parts = [
        ...(notRead.size > 0
          ? [countOf([...notRead], "input is unusable", "inputs are unusable")]
          : []),
        ...logsIncomplete(incomplete.filter((p) => !notRead.has(p))),
      ];
      if (parts.length > 0) reasons.push(`--fail-on incomplete: ${parts.join("; ")}`);
      continue;
    }
    const matched = groups.filter(
      (g) => g.suppressed !== true && g.severity !== "none" && matches(g, rule),
    );
    if (matched.length > 0) {
      const noun = matched.length === 1 ? "group" : "groups";
      reasons.push(
        `--fail-on ${rule}: ${formatNumber(matched.length)} ${noun} (${describe(matched)})`,
      );
    }
    const unlisted = summaryMatching(
      summaryOnly,
      (kind, entry) => beyondRecordsMatch(kind, rule, entry.severity?.[kind], true),
      (from) => ` with no loss records${hint(from, incompleteProcess)}`,
    );
    if (unlisted !== undefined) reasons.push(`--fail-on ${rule}: ${unlisted}`);
    // Kinds the run chose not to show count only for a rule that names them, or by the
    // severity a severityPolicy gave them.
    const hidden = summaryMatching(
      unshown,
      (kind, entry) => beyondRecordsMatch(kind, rule, entry.severity?.[kind], false),
      () => `, ${NOT_SHOWN}`,
    );
    if (hidden !== undefined) reasons.push(`--fail-on ${rule}: ${hidden}`);
    const unprinted = unprintedMatching(uncounted, rule);
    if (unprinted !== undefined) reasons.push(`--fail-on ${rule}: ${unprinted}`);
    // A run that chose --leak-check=no meets a rule that names a leak kind, not `error` or
    // `any`: gating such a run on `error` means its memory errors, and a program whose only
    // blocks at exit were a reachable cache failed it (campaign v16a Q2).
    const unknown = cannotTell(uncounted, (kind, log) => {
      // Records LeakSanitizer left unprinted hide no kind that a printed one already shows.
      if (log.cause === "leaks-omitted")
        return matched.length === 0 && unprintedMeets(kind, rule, log) && !allMeet(rule, log);
      return log.cause === undefined ||
        log.cause === "hidden-kinds" ||
        log.cause === "xtree-leak-file"
        ? hiddenKindMatches(kind, rule, log.policy?.[kind])
        : kind === rule;
    });
    for (const why of unknown) reasons.push(`--fail-on ${rule}: ${why}`);
  }
  for (const [kind, limit] of Object.entries(rules.maxBytes ?? {})) {
    // LeakSanitizer's unprinted leaks have a size: only a limit below it is unknown (overLimit).
    const unsized = uncounted.filter((u) => u.cause !== "leaks-omitted");
    const unknown = cannotTell(unsized, (k) => k === kind);
    for (const why of unknown) reasons.push(`--max-bytes ${kind}=${limit}: ${why}`);
    const over = overLimit(kind, limit, { groups, summaryOnly, unshown, uncounted });
    if (over !== undefined) reasons.push(over);
  }
  return { failed: reasons.length > 0, reasons };
}

/**
 * A rule that names a kind some logs cannot count fails, saying so, once per cause (see
 * UncountedKinds.cause): an XML log of a run with `--show-leak-kinds=none` passed `--fail-on
 * definitely-lost`, while its text log failed; so did a `--leak-check=no` log of a program that
 * leaked (campaign bqb Q2).
 */
function cannotTell(
  uncounted: readonly UncountedKinds[],
  wanted: (kind: string, log: UncountedKinds) => boolean,
): string[] {
  return (Object.keys(WHY_UNCOUNTED) as UncountedCause[]).flatMap((cause) => {
    const logs = uncounted.filter(
      (u) => causeOf(u) === cause && u.kinds.some((kind) => wanted(kind, u)),
    );
    if (logs.length === 0) return [];
    const kinds = [
      ...new Set(logs.flatMap((u) => u.kinds.filter((kind) => wanted(kind, u)))),
    ].sort();
    const which = countOf(
      logs.map((u) => u.path),
      "log cannot tell",
      "logs cannot tell",
    );
    return [`${which} ${cannotTellWhy(kinds, cause)}`];
  });
}

/**
 * `whether there are definitely-lost leaks: the run's --show-leak-kinds left them out ...`:
 * what logs of `cause` cannot tell, and why, as the gate and the CI formats (see
 * incompleteLogs) say it after "cannot tell".
 */
export function cannotTellWhy(kinds: readonly string[], cause: UncountedCause): string {
  const what = cause === "no-fd-records" ? "findings" : "leaks";
  return `whether there are ${kinds.join(", ")} ${what}: ${WHY_UNCOUNTED[cause]}`;
}

/**
 * Why a log cannot count the kinds, and what run would, by UncountedKinds.cause (see
 * cannotTellWhy).
 */
const WHY_UNCOUNTED: Readonly<Record<UncountedCause, string>> = {
  "hidden-kinds":
    "the run's --show-leak-kinds left them out of its loss records and no LEAK SUMMARY counts them (rerun with --show-leak-kinds=all)",
  "xtree-leak-file":
    "the run's --xtree-leak=yes wrote its loss records to another file (named in Diagnostics) and no LEAK SUMMARY counts them (read it with callgrind_annotate, or rerun without --xtree-leak)",
  "no-leak-check":
    "the run checked no leaks at exit (--leak-check=no) while blocks were in use (rerun with --leak-check=full)",
  "no-fd-records":
    "the XML of Valgrind before 3.23 holds no record of the descriptors --track-fds=yes found left open, which only the run's text log lists, without their stacks (run Valgrind 3.23 or later, or a text log without --xml=yes)",
  "leaks-omitted":
    "LeakSanitizer's max_leaks left leak records unprinted, which its SUMMARY counts without their kinds (rerun with LSAN_OPTIONS=max_leaks=0)",
};

/**
 * A rule that a kind the run hid (or never checked) would match: by its name, or, for the kinds
 * Valgrind shows by default (definite, possible; hidden only by choice), by severity or `any`,
 * as a leak that only a summary counts is (see beyondRecordsMatch); `policy` is the log's
 * severityPolicy's.
 */
function hiddenKindMatches(kind: string, rule: string, policy: Severity | undefined): boolean {
  const shownByDefault = kind === "definitely-lost" || kind === "possibly-lost";
  return beyondRecordsMatch(kind, rule, policy, shownByDefault);
}

/**
 * Whether leaks of `kind` that LeakSanitizer's max_leaks left unprinted in `log` (UncountedKinds
 * `leaks-omitted`) meet `rule`: by name, or by the severity the log's severityPolicy or the
 * kind's default gives them (`any` too), as leaks that only a summary counts do. No option of
 * the run hid them, as `--show-leak-kinds` hides kinds: its SUMMARY counts them, and `--fail-on
 * warning` passed a log whose unprinted leaks may be indirect, that `--fail-on indirectly-lost`
 * failed as unable to tell (test/fixtures/sanitizer/max-leaks-mixed).
 */
function unprintedMeets(kind: string, rule: string, log: UncountedKinds): boolean {
  return beyondRecordsMatch(kind, rule, log.policy?.[kind], true);
}

/** Whether every kind a log's unprinted leaks may be of meets `rule`: then they surely do. */
function allMeet(rule: string, log: UncountedKinds): boolean {
  return log.kinds.every((kind) => unprintedMeets(kind, rule, log));
}

/**
 * `LeakSanitizer's SUMMARY counts 244 bytes in 4 blocks of direct or indirect leaks beyond the
 * printed records, ...`: the unprinted leaks of the logs where whatever kind they are of meets
 * `rule` (`any`; `indirectly-lost` or `warning` after a printed indirect leak), said as leaks
 * that only a summary counts are, beside the groups the rule takes; undefined if none. Before,
 * `--fail-on any` passed a log whose printed leaks `--suppressions` took, beside 244 bytes more
 * its SUMMARY counted (test/fixtures/sanitizer/max-leaks-mixed).
 */
function unprintedMatching(uncounted: readonly UncountedKinds[], rule: string): string | undefined {
  const logs = uncounted.filter((u) => u.cause === "leaks-omitted" && allMeet(rule, u));
  if (logs.length === 0) return undefined;
  const bytes = formatNumber(logs.reduce((sum, u) => sum + (u.bytes ?? 0), 0));
  const blocks = formatNumber(logs.reduce((sum, u) => sum + (u.blocks ?? 0), 0));
  const kinds = new Set(logs.flatMap((u) => u.kinds));
  const which = countOf(
    logs.map((u) => u.path),
    "log",
    "logs",
  );
  return `LeakSanitizer's SUMMARY counts ${bytes} bytes in ${blocks} blocks of ${unprintedKindWords(kinds)} leaks beyond the printed records, in ${which}: max_leaks left them unprinted (rerun with LSAN_OPTIONS=max_leaks=0)`;
}

/** What a max_leaks log's unprinted leaks are, in LeakSanitizer's words. */
function unprintedKindWords(kinds: ReadonlySet<string>): string {
  if (kinds.size > 1) return EITHER_KIND;
  return kinds.has("indirectly-lost") ? "indirect" : "direct";
}

/** What `--max-bytes` counts (see overLimit). */
interface Counted {
  groups: readonly Group[];
  summaryOnly: readonly SummaryOnlyLeak[];
  unshown: readonly SummaryOnlyLeak[];
  uncounted: readonly UncountedKinds[];
}

/**
 * The reason `--max-bytes KIND=LIMIT` fails, if it does: the kind's direct bytes in groups, in
 * summaries without records, counted but not shown, and left unprinted by LeakSanitizer's
 * max_leaks where they can only be of the kind, over the limit; or, where unprinted leaks that
 * may be of the kind or another would take them over it, that the logs cannot tell.
 */
function overLimit(
  kind: string,
  limit: number,
  { groups, summaryOnly, unshown, uncounted }: Counted,
): string | undefined {
  const listed = groups
    .filter((g) => g.kind === kind && g.suppressed !== true)
    .reduce((sum, g) => sum + g.directBytes, 0);
  const from = summaryOnlyOfKinds(summaryOnly, (k) => k === kind);
  const unlisted = summaryOnlyTotals(from).get(kind as LeakKind)?.bytes ?? 0;
  const hidden = summaryOnlyTotals(summaryOnlyOfKinds(unshown, (k) => k === kind)).get(
    kind as LeakKind,
  );
  const unprinted = unprintedOf(kind, uncounted);
  const total = listed + unlisted + (hidden?.bytes ?? 0) + unprinted.sure;
  if (total <= limit) return maybeOver(kind, limit, total, unprinted);
  const notes = [
    ...(unlisted > 0 ? [`${formatNumber(unlisted)} of them ${onlyIn(from)}`] : []),
    ...(hidden !== undefined ? [`${formatNumber(hidden.bytes)} of them ${NOT_SHOWN}`] : []),
    ...(unprinted.sure > 0 ? [`${formatNumber(unprinted.sure)} of them ${UNPRINTED}`] : []),
  ];
  const note = notes.length > 0 ? ` (${notes.join("; ")})` : "";
  // Past 2^53 - 1 the sum is inexact: it is said as that floor, as the totals hold it.
  const bytes =
    total > MAX_SUM ? `${formatNumber(MAX_SUM)} bytes or more` : `${formatNumber(total)} bytes`;
  return `--max-bytes ${kind}=${limit}: ${bytes}${note}`;
}

const UNPRINTED =
  "only in LeakSanitizer's SUMMARY, in leak records max_leaks left unprinted, which can only be of this kind";

/**
 * The bytes LeakSanitizer's max_leaks left unprinted (UncountedKinds `leaks-omitted`) that are
 * surely of `kind` (all a log's unprinted leaks are indirect after a printed indirect one), and
 * those that may be of it or of another, with their logs.
 */
function unprintedOf(kind: string, uncounted: readonly UncountedKinds[]) {
  const logs = uncounted.filter((u) => u.cause === "leaks-omitted" && u.kinds.includes(kind));
  const bytesOf = (of: readonly UncountedKinds[]) => of.reduce((s, u) => s + (u.bytes ?? 0), 0);
  const maybe = logs.filter((u) => u.kinds.length > 1);
  return {
    sure: bytesOf(logs.filter((u) => u.kinds.length === 1)),
    maybe: bytesOf(maybe),
    paths: maybe.map((u) => u.path),
  };
}

/**
 * Where the bytes counted are within the limit but the unprinted leaks that may be of the kind
 * would take them over it, that the logs cannot tell: whether such a run passes is unknown
 * (campaign ch Q9), and a limit above them all passes.
 */
function maybeOver(
  kind: string,
  limit: number,
  total: number,
  unprinted: ReturnType<typeof unprintedOf>,
): string | undefined {
  if (total + unprinted.maybe <= limit) return undefined;
  const which = countOf(unprinted.paths, "log cannot tell", "logs cannot tell");
  const more = `how many of ${formatNumber(unprinted.maybe)} bytes more are ${kind} leaks`;
  return `--max-bytes ${kind}=${limit}: ${formatNumber(total)} bytes, and ${which} ${more}: ${WHY_UNCOUNTED["leaks-omitted"]}`;
}

/** `1 log is incomplete (a.txt)`, `3 logs are incomplete (first: a.txt)`. */
function logsIncomplete(paths: readonly string[]): string[] {
  return paths.length > 0 ? [countOf(paths, "log is incomplete", "logs are incomplete")] : [];
}

function countOf(paths: readonly string[], one: string, many: string): string {
  const first = paths[0] as string;
  return paths.length === 1 ? `1 ${one} (${first})` : `${paths.length} ${many} (first: ${first})`;
}

function matches(group: Group, rule: string): boolean {
  if (rule === "new") return group.baseline === "new";
  if (rule === "any") return true;
  if (SEVERITIES.has(rule)) return group.severity === rule;
  // Descriptors the process inherited are not the program's (their severity is a note): with
  // them `--fail-on FdNotClosed` failed every run of Valgrind 3.19 or 3.24 with --log-file.
  return group.kind === rule && !isInheritedDescriptors(group);
}

/**
 * Whether a rule takes a leak kind that no record lists (no baseline status, not suppressed):
 * by its name, or by its severity (`any` too) when `bySeverity` (leaks only a summary counts)
 * or when a severityPolicy set it (`policy`), a severity of none taking no rule at all: the
 * policy reaches them as it reaches records (campaign v9: an unshown still-reachable made
 * `none` failed `--fail-on still-reachable`, made `error` passed `--fail-on error`).
 */
function beyondRecordsMatch(
  kind: string,
  rule: string,
  policy: Severity | undefined,
  bySeverity: boolean,
): boolean {
  const severity = policy ?? severityOf(kind);
  if (severity === "none" || rule === "new") return false;
  if (kind === rule) return true;
  if (!bySeverity && policy === undefined) return false;
  return rule === "any" || (SEVERITIES.has(rule) && severity === rule);
}

function describe(groups: readonly Group[]): string {
  const first = groups[0] as Group;
  const what =
    first.type === "leak" ? `${formatNumber(first.bytes)} bytes ${first.kind}` : first.kind;
  return groups.length === 1 ? what : `first: ${what}`;
}

/**
 * `Valgrind's LEAK SUMMARY reports 234 bytes in 2 blocks definitely lost` and what `tail` says
 * of them (` with no loss records (run with --leak-check=full for stacks)`, `, not shown as loss
 * records: ...`), over the summary entries' kinds that `wanted` takes; undefined if none.
 */
function summaryMatching(
  entries: readonly SummaryOnlyLeak[],
  wanted: (kind: LeakKind, entry: SummaryOnlyLeak) => boolean,
  tail: (from: readonly SummaryOnlyLeak[]) => string,
): string | undefined {
  const from = summaryOnlyOfKinds(entries, wanted);
  if (from.length === 0) return undefined;
  const amounts = [...summaryOnlyTotals(from)].map(
    ([kind, a]) =>
      `${formatNumber(a.bytes)} bytes in ${formatNumber(a.blocks)} blocks ${kind.replace(/-/g, " ")}`,
  );
  return `${whose(from)} reports ${amounts.join(", ")}${tail(from)}`;
}

const NOT_SHOWN = "not shown as loss records: rerun with --show-leak-kinds=all for stacks";

function whose(entries: readonly SummaryOnlyLeak[]): string {
  const capitalised = summaryTitle(entries);
  return entries.length > 1 ? `${capitalised} of ${entries.length} processes` : capitalised;
}

/**
 * Why there are no records, as the text summary says it (describe.ts summaryOnlySentence):
 * a log cut before its records was told to rerun with --show-leak-kinds=all, which brings
 * back nothing a cut took (campaign bqb).
 */
function hint(entries: readonly SummaryOnlyLeak[], incomplete: IncompleteProcess): string {
  const elsewhere = xtreeAdvice(entries);
  if (elsewhere !== undefined) return ` (${elsewhere})`;
  if (lostWithLog(entries, incomplete)) return " (the log is incomplete, and lost them)";
  if (entries.every((e) => e.recordsMissing === true)) return ` (${MISSING_RECORDS})`;
  const rerun = rerunForStacks(entries);
  return rerun !== undefined ? ` (run with ${rerun} for stacks)` : "";
}

/** `only in Valgrind's LEAK SUMMARY, with no loss records`. */
function onlyIn(entries: readonly SummaryOnlyLeak[]): string {
  return `only in ${summaryName(commonFormat(entries))}, with no loss records`;
}
