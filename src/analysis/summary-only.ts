import type {
  Amount,
  FormatId,
  LeakKind,
  Severity,
  Source,
  SummaryOnlyLeak,
  ToolSummary,
} from "../model/index.js";
import type { LeakCheckSums } from "./cross-check.js";
import type { IncompleteProcess } from "./input-states.js";
import { MEMCHECK_DEFAULT_KINDS } from "./memcheck-kinds.js";
import { processId, type ProcessId } from "./process-key.js";
import { summaryOnlySeverity, type SeverityPolicy } from "./severity.js";

/** What the tools' summaries report beyond the records: see findSummaryOnlyLeaks. */
export interface LeaksBeyondRecords {
  /** Leaks of processes whose last leak check listed no record (SummaryOnlyLeak). */
  summaryOnly: SummaryOnlyLeak[];
  /** Kinds that last leak checks which listed records left unshown (see unshownOf). */
  unshown: SummaryOnlyLeak[];
}

/**
 * The leak kinds the logs counted but did not list, with the bytes their summaries give where
 * they do: in summaries only or left unshown (`beyond`, see findSummaryOnlyLeaks), or hidden by
 * the run's options (Source.hiddenLeakKinds, no bytes: an XML log of 3.19 has no LEAK SUMMARY).
 * `only` keeps the logs of some formats. A baseline compares none of them; suppressions
 * applied after the run reach none of them.
 */
export function unlistedLeakKinds(
  beyond: readonly SummaryOnlyLeak[],
  sources: readonly Pick<Source, "format" | "hiddenLeakKinds">[],
  only: (format: FormatId | "unknown" | undefined) => boolean = () => true,
): Map<LeakKind, number | undefined> {
  const kinds = new Map<LeakKind, number | undefined>();
  for (const entry of beyond) {
    if (!only(entry.format)) continue;
    for (const [kind, amount] of Object.entries(entry.leak) as [LeakKind, Amount][])
      kinds.set(kind, (kinds.get(kind) ?? 0) + amount.bytes);
  }
  for (const source of sources) {
    if (!only(source.format)) continue;
    for (const kind of source.hiddenLeakKinds ?? [])
      if (!kinds.has(kind)) kinds.set(kind, undefined);
  }
  return kinds;
}

/**
 * The leaks only the tools' summaries report (see SummaryOnlyLeak), one entry per process, and
 * the kinds they left unshown (see unshownOf): a process has one or the other, by whether its
 * last leak check listed records.
 *
 * What is assumed, and why:
 * - Per process, only its last leak summary counts: every leak check of a process describes
 *   the same heap (client requests run several before the one at exit), so adding them up
 *   would count the same blocks again.
 * - It counts only when that leak check listed no record at all (`--leak-check=summary`,
 *   `--xtree-leak=yes`, a quick client check, every record cut from the log). A check that
 *   lists records is described by them: kinds it leaves out were left out by
 *   `--show-leak-kinds`. But where its records of a kind fall short of its summary (the
 *   `summary-mismatch` warning: records missing or damaged, a log whose start was cut off),
 *   the rest is a summary-only leak with `recordsMissing` (LeakCheckSums.missing): counted when
 *   no record survived the cut, it was not when one did, and the gate passed (campaign bqb F2).
 *   A check that lists nothing but says its reachable blocks are not shown (`kindsHidden`) was
 *   a full one whose shown kinds had no block: its totals are hidden kinds, not unlisted ones.
 * - Records that earlier leak checks of the process listed (a full `VALGRIND_DO_LEAK_CHECK`
 *   before a summary-only exit) are the same blocks, so their direct bytes and blocks are taken
 *   off the summary's; what is left is what no record accounts for. Records a later check
 *   superseded (a full check all of them, a delta check those it repeats) are not taken off:
 *   they count nowhere else (LeakRecord.superseded), and the record that superseded them is
 *   taken off instead. A check that lists no record supersedes nothing, since the records are
 *   all that names the blocks.
 * - `suppressed` is left out: Valgrind never lists suppressed blocks as records, so its total
 *   says what the user's Valgrind suppressions hid, not a leak the log failed to show.
 */
export function findSummaryOnlyLeaks(
  summaries: readonly ToolSummary[],
  records: LeakCheckSums,
  formats: ReadonlyMap<string, FormatId | "unknown">,
  policies: ReadonlyMap<string, SeverityPolicy> = new Map(),
): LeaksBeyondRecords {
  const entryOf = (summary: ToolSummary, leak: KindAmounts): SummaryOnlyLeak =>
    withPolicy(baseEntryOf(summary, formats, leak), policies.get(summary.path));
  const found: LeaksBeyondRecords = { summaryOnly: [], unshown: [] };
  const { last, firstChecks } = lastLeakSummaries(summaries);
  for (const [index, summary] of last.entries()) {
    const check = summary.leakCheck ?? 1;
    const first = firstChecks[index] as number;
    const slot = records.checkSlot(summary.path, summary.pid, summary.run, check);
    // A check that lists records (or says it would have: segv.txt's `--leak-check=full` run
    // whose only blocks are reachable ones it does not show) accounts for its shown kinds by them.
    if (slot === undefined && summary.kindsHidden !== true) {
      const leak = beyondEarlier(summary, summary.leak, first, check, records);
      if (leak !== undefined) found.summaryOnly.push(entryOf(summary, leak));
    } else {
      const missing = slot !== undefined ? records.missing(summary) : undefined;
      if (missing !== undefined)
        found.summaryOnly.push({ ...entryOf(summary, missing), recordsMissing: true });
      // Less what earlier checks listed and still count: a delta check (VALGRIND_DO_ADDED/
      // CHANGED_LEAK_CHECK) lists only the records that changed, and counted the unchanged
      // ones again as hidden leaks (campaign ce F1). A full check superseded them all.
      const { shown, unshown: notShown } = byShown(summary, unshownOf(summary, slot, records));
      // Kinds the check showed and the log lacks were lost or damaged, not hidden (camp-ctest F4).
      const lost = beyondEarlier(summary, shown, first, check, records);
      if (lost !== undefined)
        found.summaryOnly.push({ ...entryOf(summary, lost), recordsMissing: true });
      const leak = beyondEarlier(summary, notShown, first, check, records);
      if (leak === undefined) continue;
      // Definite and possible leaks stay leaks, and errors to Valgrind, whatever it showed.
      const { hidden, unshown } = byDefaultShown(leak);
      if (hidden !== undefined)
        found.summaryOnly.push({ ...entryOf(summary, hidden), kindsHidden: true });
      if (unshown !== undefined) found.unshown.push(entryOf(summary, unshown));
    }
  }
  return found;
}

/**
 * The run's leaks beyond its records (see findSummaryOnlyLeaks): those of the summaries checked
 * here (`toCheck` against `records`) and those that partial reports found already (`merged`),
 * in the order of the sources (input order) and then of the log: the same list whichever
 * thread parsed a log.
 */
export function leaksBeyondRecords(
  sources: readonly Source[],
  toCheck: readonly ToolSummary[],
  records: LeakCheckSums,
  merged: Readonly<LeaksBeyondRecords>,
): LeaksBeyondRecords {
  const formats = new Map(sources.map((s) => [s.path, s.format] as const));
  const policies = new Map(
    sources.flatMap((s) =>
      s.severityPolicy !== undefined ? [[s.path, s.severityPolicy] as const] : [],
    ),
  );
  const beyond = findSummaryOnlyLeaks(toCheck, records, formats, policies);
  const order = new Map(sources.map((s, i) => [s.path, i] as const));
  const rank = (e: SummaryOnlyLeak) => order.get(e.path) ?? order.size;
  const inSourceOrder = (all: SummaryOnlyLeak[]) =>
    all.sort((a, b) => rank(a) - rank(b) || (a.line ?? 0) - (b.line ?? 0));
  return {
    summaryOnly: inSourceOrder([...merged.summaryOnly, ...beyond.summaryOnly]),
    unshown: inSourceOrder([...merged.unshown, ...beyond.unshown]),
  };
}

/**
 * The kinds that a process's last leak check left unshown although it listed records (`slot`)
 * or said it hid reachable blocks: `--leak-check=full` shows only `--show-leak-kinds`, definite
 * and possible by default, while its LEAK SUMMARY counts every kind. A kind counts here when
 * the summary has bytes of it and the check listed no record of it (a partly listed kind is a
 * summary-mismatch, whose records are missing, not hidden: see LeakCheckSums.missing);
 * `suppressed` never does (Valgrind never lists it).
 */
function unshownOf(
  summary: ToolSummary,
  slot: number | undefined,
  records: LeakCheckSums,
): Partial<Record<LeakKind, Amount>> | undefined {
  let leak: Partial<Record<LeakKind, Amount>> | undefined;
  const printedKinds = summary.leak ?? {};
  // for-in visits the kinds in the order Object.entries would, without making the entries.
  for (const key in printedKinds) {
    const kind = key as LeakKind;
    const amount = printedKinds[kind] as Amount;
    // A malloc(0) never freed is `0 bytes in 1 blocks`: a leak all the same (campaign bv F1).
    if (kind === "suppressed" || (amount.bytes === 0 && amount.blocks === 0)) continue;
    if (slot === undefined || records.listedBlocks(slot, kind) === 0) {
      leak ??= {};
      leak[kind] = amount;
    }
  }
  return leak;
}

type KindAmounts = Partial<Record<LeakKind, Amount>>;

/**
 * Unlisted kinds split into those the log says the check showed (ToolSummary.shownUnlisted),
 * whose records are missing, and the rest.
 */
function byShown(
  summary: ToolSummary,
  leak: KindAmounts | undefined,
): { shown?: KindAmounts; unshown?: KindAmounts } {
  const shownKinds = summary.shownUnlisted;
  if (shownKinds === undefined || leak === undefined)
    return leak === undefined ? {} : { unshown: leak };
  const split: { shown?: KindAmounts; unshown?: KindAmounts } = {};
  for (const [kind, amount] of Object.entries(leak) as [LeakKind, Amount][]) {
    const part = shownKinds.includes(kind) ? (split.shown ??= {}) : (split.unshown ??= {});
    part[kind] = amount;
  }
  return split;
}

/** Unshown kinds split into those Valgrind shows by default (`hidden`) and the rest. */
function byDefaultShown(leak: KindAmounts): { hidden?: KindAmounts; unshown?: KindAmounts } {
  const split: { hidden?: KindAmounts; unshown?: KindAmounts } = {};
  for (const [kind, amount] of Object.entries(leak) as [LeakKind, Amount][]) {
    const part = MEMCHECK_DEFAULT_KINDS.includes(kind)
      ? (split.hidden ??= {})
      : (split.unshown ??= {});
    part[kind] = amount;
  }
  return split;
}

/**
 * What Valgrind must be rerun with for the stacks of summary-only leaks: `--leak-check=full`
 * for a summary-only check's definite and possible leaks, with `--show-leak-kinds=all` for its
 * other kinds, `--show-leak-kinds=all` alone for kinds a full one hid; undefined for another
 * tool's, whose summaries say nothing of options, for records missing from the log, and for
 * those `--xtree-leak=yes` wrote to its file (see xtreeAdvice).
 */
export function rerunForStacks(all: readonly SummaryOnlyLeak[]): string | undefined {
  // Records missing from a full check's log need no option: the run listed them (bqb F2).
  // Nor do those in an xtree file: the run had those options (campaign cd Q2).
  const entries = all.filter((e) => e.recordsMissing !== true && e.xtreeFile === undefined);
  const format = commonFormat(entries);
  if (format !== "valgrind" && format !== "valgrind-xml") return undefined;
  const hidden = entries.filter((e) => e.kindsHidden === true).length;
  // A full check lists only definite and possible leaks by default (campaign ab: reachable
  // bytes were sent to --leak-check=full, whose run then did not list them either).
  const shownByFull = entries.every((e) =>
    Object.keys(e.leak).every((kind) => MEMCHECK_DEFAULT_KINDS.includes(kind as LeakKind)),
  );
  if (hidden === 0 && shownByFull) return "--leak-check=full";
  return hidden === entries.length
    ? "--show-leak-kinds=all"
    : "--leak-check=full --show-leak-kinds=all";
}

/**
 * Each process's (path, PID and run's) last summary with a leak part, in the order the
 * processes were first met, and the ordinal of each one's first leak check (a PID's later runs
 * number their checks on: see ProcessInfo.run). Run over every process at the end of a run, so
 * it makes no key string per summary but a later run's: those, entry pairs and empty objects,
 * in the two passes this was, were 58 MiB of garbage for the 43,000 processes of a 2 GB text
 * log, made at the end of the run, when its memory peaks (with this and LeakCheckSums.check
 * mended, peak RSS went from 235-241 MiB to 228-231 MiB, three runs each).
 */
function lastLeakSummaries(summaries: readonly ToolSummary[]): {
  last: ToolSummary[];
  firstChecks: number[];
} {
  const at = new Map<string, Map<ProcessId, number>>();
  const last: ToolSummary[] = [];
  const firstChecks: number[] = [];
  for (const summary of summaries) {
    if (summary.leak === undefined) continue;
    let byProcess = at.get(summary.path);
    if (byProcess === undefined) {
      byProcess = new Map();
      at.set(summary.path, byProcess);
    }
    const key = processId(summary);
    const index = byProcess.get(key);
    if (index === undefined) {
      byProcess.set(key, last.length);
      last.push(summary);
      firstChecks.push(summary.leakCheck ?? 1);
    } else last[index] = summary;
  }
  return { last, firstChecks };
}

/**
 * The entry with the severities `policy` gives its kinds (SummaryOnlyLeak.severity): the
 * library's severityPolicy reaches leaks without records as it reaches loss records. Those it
 * does not name keep theirs: a report read back stamped them with its logs' policies.
 */
export function withPolicy(
  entry: SummaryOnlyLeak,
  policy: SeverityPolicy | undefined,
): SummaryOnlyLeak {
  if (policy === undefined) return entry;
  const named = Object.keys(entry.leak).filter((kind) => policy[kind] !== undefined);
  if (named.length === 0) return entry;
  const given = Object.fromEntries(named.map((kind) => [kind, policy[kind] as Severity]));
  return { ...entry, severity: { ...entry.severity, ...given } };
}

function baseEntryOf(
  summary: ToolSummary,
  formats: ReadonlyMap<string, FormatId | "unknown">,
  leak: Partial<Record<LeakKind, Amount>>,
): SummaryOnlyLeak {
  const format = formats.get(summary.path);
  return {
    path: summary.path,
    ...(summary.pid !== undefined ? { pid: summary.pid } : {}),
    ...(summary.run !== undefined ? { run: summary.run } : {}),
    ...(format !== undefined && format !== "unknown" ? { format } : {}),
    ...(summary.leakCheck !== undefined ? { leakCheck: summary.leakCheck } : {}),
    ...(summary.line !== undefined ? { line: summary.line } : {}),
    leak,
    ...(summary.xtreeFile !== undefined ? { xtreeFile: summary.xtreeFile } : {}),
  };
}

/**
 * What `amounts` (of the summary of leak check `check`, by kind) count beyond the records of its
 * run's checks from `first` on that still count (LeakCheckSums.counted), `suppressed` left out.
 */
function beyondEarlier(
  summary: ToolSummary,
  amounts: Partial<Record<LeakKind, Amount>> | undefined,
  first: number,
  check: number,
  records: LeakCheckSums,
): Partial<Record<LeakKind, Amount>> | undefined {
  let leak: Partial<Record<LeakKind, Amount>> | undefined;
  for (const key in amounts) {
    const kind = key as LeakKind;
    if (kind === "suppressed") continue;
    let { bytes, blocks } = amounts[kind] as Amount;
    for (let earlier = first; earlier < check; earlier += 1) {
      const got = records.counted(summary.path, summary.pid, summary.run, earlier, kind);
      bytes -= got.bytes;
      blocks -= got.blocks;
    }
    // Blocks alone count too: `definitely lost: 0 bytes in 1 blocks` under Valgrind's default
    // --leak-check=summary, a malloc(0) never freed, read as no leak and passed --fail-on error
    // (campaign bv F1).
    if (bytes > 0 || (bytes === 0 && blocks > 0)) {
      leak ??= {};
      leak[kind] = { bytes, blocks: Math.max(blocks, 0) };
    }
  }
  return leak;
}

/** Bytes and blocks per leak kind over all entries. */
export function summaryOnlyTotals(
  entries: readonly SummaryOnlyLeak[],
): Map<LeakKind, Amount & { processes: number }> {
  const totals = new Map<LeakKind, Amount & { processes: number }>();
  for (const entry of entries) {
    for (const [kind, amount] of Object.entries(entry.leak) as [LeakKind, Amount][]) {
      const sum = totals.get(kind) ?? { bytes: 0, blocks: 0, processes: 0 };
      sum.bytes += amount.bytes;
      sum.blocks += amount.blocks;
      sum.processes += 1;
      totals.set(kind, sum);
    }
  }
  return totals;
}

/** The entries' format when they share one ("valgrind" and "valgrind-xml" are one tool). */
export function commonFormat(entries: readonly SummaryOnlyLeak[]): FormatId | undefined {
  const tools = new Set(entries.map((e) => e.format?.replace("-xml", "")));
  return tools.size === 1 ? entries[0]?.format : undefined;
}

/** Only what `wanted` keeps of each entry's kinds; entries left with none are dropped. */
export function summaryOnlyOfKinds(
  entries: readonly SummaryOnlyLeak[],
  wanted: (kind: LeakKind, entry: SummaryOnlyLeak) => boolean,
): SummaryOnlyLeak[] {
  return entries.flatMap((entry) => {
    const kept = (Object.entries(entry.leak) as [LeakKind, Amount][]).filter(([k]) =>
      wanted(k, entry),
    );
    return kept.length > 0 ? [{ ...entry, leak: Object.fromEntries(kept) }] : [];
  });
}

/**
 * The entries with the kinds a severityPolicy made `none` left out, as groups of severity none
 * are left out of the summaries: a policy that silenced every kind read as "leaks without loss
 * records" (campaign v9).
 */
export function shownSummaryOnly(entries: readonly SummaryOnlyLeak[] = []): SummaryOnlyLeak[] {
  return summaryOnlyOfKinds(entries, (kind, entry) => summaryOnlySeverity(entry, kind) !== "none");
}

/**
 * Whether incomplete logs lost these entries' records with the part of them that is gone.
 * A log written over or cut short lost the records of kinds Valgrind lists by default
 * (definite, possible): no option brings them back (a traced child's log over its parent's
 * was told to rerun with --show-leak-kinds=all). So it did those of a kind its check listed
 * in part (recordsMissing), whatever the kind. Not a summary-only check's, which printed none
 * to lose (sent to --leak-check=full): a log that starts after one's HEAP SUMMARY is
 * incomplete for the error blocks it lost (campaign v16a F4). It is the entry's process that
 * must be incomplete, not its log: a whole process's records missing from a log with a cut one
 * are missing or damaged (campaign v18a Q2).
 */
export function lostWithLog(
  entries: readonly SummaryOnlyLeak[],
  incomplete: IncompleteProcess,
): boolean {
  return (
    rerunForStacks(entries) !== "--leak-check=full" &&
    entries.every(
      (e) =>
        // An xtree file's are not lost: --xtree-leak=yes marks the log incomplete for them.
        e.xtreeFile === undefined &&
        incomplete(e) &&
        (e.recordsMissing === true ||
          Object.keys(e.leak).every(
            (kind) => kind === "definitely-lost" || kind === "possibly-lost",
          )),
    )
  );
}

/** Why a check's records lack some of its summary's amount (SummaryOnlyLeak.recordsMissing). */
export const MISSING_RECORDS = "their loss records are missing or damaged in the log";

/**
 * Where the loss records of summary-only leaks are when `--xtree-leak=yes` wrote every entry's
 * to a file (SummaryOnlyLeak.xtreeFile), and how to see them: `--xtree-leak=yes wrote them to
 * xtleak.kcg.4242; read it with callgrind_annotate, or rerun without --xtree-leak`. Undefined
 * when an entry's are not in one. A run that had `--leak-check=full --show-leak-kinds=all` was
 * told to rerun with them (campaign cd Q2).
 */
export function xtreeAdvice(entries: readonly SummaryOnlyLeak[]): string | undefined {
  const files = [...new Set(entries.map((e) => e.xtreeFile))];
  const first = files[0];
  if (first === undefined || files.includes(undefined)) return undefined;
  const [where, it] =
    files.length > 1 ? [`${first} and ${files.length - 1} other files`, "them"] : [first, "it"];
  return `--xtree-leak=yes wrote them to ${where}; read ${it} with callgrind_annotate, or rerun without --xtree-leak`;
}

/** Whose summary it is, in the words its users know: `Valgrind's LEAK SUMMARY`. */
export function summaryName(format: FormatId | undefined): string {
  return format === "valgrind" || format === "valgrind-xml"
    ? "Valgrind's LEAK SUMMARY"
    : "the tool's summary";
}

/** The same at a sentence's start: `Valgrind's LEAK SUMMARY`, `The tool's summary`. */
export function summaryTitle(entries: readonly SummaryOnlyLeak[]): string {
  const name = summaryName(commonFormat(entries));
  return `${name.charAt(0).toUpperCase()}${name.slice(1)}`;
}
