import type { Diagnostic, LeakKind, Severity, Source, ToolSummary } from "../model/index.js";
import { MEMCHECK_DEFAULT_KINDS, RECORD_LEAK_KINDS } from "./memcheck-kinds.js";

/**
 * Leak kinds a log's run left uncounted: whether it has any is unknown. Either its options left
 * them out of its loss records with no LEAK SUMMARY to count them (Source.hiddenLeakKinds of
 * Valgrind's XML), or wrote them all to another file (`cause: "xtree-leak-file"`), or Valgrind
 * ran no leak check at exit (`--leak-check=no`) while blocks were in use (`cause:
 * "no-leak-check"`).
 */
export interface UncountedKinds {
  path: string;
  kinds: readonly string[];
  /** The log's severityPolicy (Source.severityPolicy), if it was read with one. */
  policy?: Readonly<Record<string, Severity>>;
  /** Why they are uncounted; absent means `hidden-kinds`. */
  cause?: UncountedCause;
  /**
   * `leaks-omitted`: the bytes the log's SUMMARY counts beyond its printed records, each of one
   * of `kinds`.
   */
  bytes?: number;
  /** `leaks-omitted`: the blocks (LeakSanitizer's objects) of those bytes. */
  blocks?: number;
}

/**
 * `hidden-kinds`: the run's `--show-leak-kinds` left the kinds out of its loss records, and no
 * LEAK SUMMARY counts them; `xtree-leak-file`: its `--xtree-leak=yes` wrote every loss record to
 * another file, and no LEAK SUMMARY counts them; `no-leak-check`: the run checked no leaks at
 * exit; `no-fd-records`: the run's XML (Valgrind before 3.23) holds no record of the descriptors
 * its `--track-fds=yes` found left open (`FdNotClosed`), which only its text log lists
 * (`xml-fds-in-text-log`); `leaks-omitted`: LeakSanitizer's `max_leaks` left leak records
 * unprinted, which its SUMMARY counts without their kinds (ToolSummary.unprintedLeaks).
 */
export type UncountedCause =
  "hidden-kinds" | "xtree-leak-file" | "no-leak-check" | "no-fd-records" | "leaks-omitted";

/**
 * The kind of leaks LeakSanitizer's max_leaks left unprinted while every printed one was direct,
 * in its own words: the log cannot tell (ToolSummary.unprintedLeaks), and the gate and the
 * Totals say so.
 */
export const EITHER_KIND = "direct or indirect";

/** Why the log cannot count its kinds: a log without a cause is one whose run hid them. */
export function causeOf(uncounted: UncountedKinds): UncountedCause {
  return uncounted.cause ?? "hidden-kinds";
}

/**
 * The kinds of `uncounted` that Valgrind counts as errors whatever it shows (definite and
 * possible leaks), those its log's severityPolicy left a severity: a run that hid them may have
 * leaked, and its log says nothing of it.
 */
export function hiddenErrorKinds(uncounted: UncountedKinds): string[] {
  return uncounted.kinds.filter(
    (kind) =>
      MEMCHECK_DEFAULT_KINDS.includes(kind as LeakKind) && uncounted.policy?.[kind] !== "none",
  );
}

/**
 * The logs whose leak kinds no LEAK SUMMARY or loss record of theirs counts (see
 * UncountedKinds): XML logs, whose hidden kinds come from the run's own `--show-leak-kinds`,
 * then logs whose leaks went to an xtree file, then `--leak-check=no` text logs, each in input
 * order. A `-q` text log's hidden kinds are only
 * the kinds it did not list (it does not say which it hid): a `-q` run with the default kinds
 * that listed a possible leak would fail `--fail-on definitely-lost` (campaign y).
 */
export function uncountedKinds(
  sources: readonly Source[],
  summaries: readonly ToolSummary[],
  diagnostics: readonly Diagnostic[] = [],
): UncountedKinds[] {
  const counted = new Set(summaries.filter((s) => s.leak !== undefined).map((s) => s.path));
  const hidden = sources
    .filter((s) => s.format === "valgrind-xml" && s.hiddenLeakKinds !== undefined)
    .filter((s) => !counted.has(s.path))
    .map((s) => withPolicy(s, { path: s.path, kinds: s.hiddenLeakKinds ?? [] }));
  return [
    ...hidden,
    ...leaksElsewhere(sources, diagnostics, counted),
    ...uncheckedAtExit(sources, diagnostics),
    ...fdsElsewhere(diagnostics),
    ...unprintedLeaks(summaries, sources),
  ];
}

/**
 * The logs whose LeakSanitizer reports `max_leaks` cut (ToolSummary.unprintedLeaks), one entry
 * a log: their SUMMARY counts what it left unprinted in one total with the printed leaks, and
 * booked as nothing, `--max-bytes definitely-lost=3000` passed a log whose SUMMARY says 5,560
 * bytes leaked beside 2,700 printed (campaign ch Q9).
 */
function unprintedLeaks(
  summaries: readonly ToolSummary[],
  sources: readonly Source[],
): UncountedKinds[] {
  const byPath = new Map<string, { bytes: number; blocks: number; kinds: Set<string> }>();
  for (const { path, unprintedLeaks: unprinted } of summaries) {
    if (unprinted === undefined || unprinted.blocks + unprinted.bytes === 0) continue;
    const log = byPath.get(path) ?? { bytes: 0, blocks: 0, kinds: new Set<string>() };
    log.bytes += unprinted.bytes;
    log.blocks += unprinted.blocks;
    for (const kind of unprinted.kinds) log.kinds.add(kind);
    byPath.set(path, log);
  }
  // The severities the gate gives them are those the log's severityPolicy gives its records.
  const sourceByPath = new Map(sources.map((s) => [s.path, s] as const));
  return [...byPath].map(([path, { bytes, blocks, kinds }]) => {
    const uncounted = {
      path,
      kinds: [...kinds],
      cause: "leaks-omitted" as const,
      bytes,
      blocks,
    };
    const source = sourceByPath.get(path);
    return source !== undefined ? withPolicy(source, uncounted) : uncounted;
  });
}

/**
 * The logs whose leak check wrote its loss records to a callgrind-format file
 * (`--xtree-leak=yes`, its `xtree-leak-file` warning) and that hold no LEAK SUMMARY to count
 * them: the XML of Valgrind before 3.26 (protocols 4 and 5) has none, so a run that leaked 268
 * bytes passed `--fail-on definitely-lost` with exit 0, while its text log, and 3.27's XML,
 * whose summary counts them, failed it (campaign cd Q1). Every kind is unknown, as under
 * `--show-leak-kinds=none`: the run checked in full and counts definite and possible leaks as
 * errors, so the gate takes them as it takes hidden kinds.
 */
function leaksElsewhere(
  sources: readonly Source[],
  diagnostics: readonly Diagnostic[],
  counted: ReadonlySet<string>,
): UncountedKinds[] {
  const elsewhere = sources.filter((s) => !counted.has(s.path));
  return everyKindOf(
    elsewhere,
    diagnostics,
    (d) => d.code === "xtree-leak-file",
    "xtree-leak-file",
  );
}

/**
 * The sources a diagnostic that `says` was given for, each with every leak kind unknown for
 * `cause` (see leaksElsewhere, uncheckedAtExit).
 */
function everyKindOf(
  sources: readonly Source[],
  diagnostics: readonly Diagnostic[],
  says: (d: Diagnostic) => boolean,
  cause: "xtree-leak-file" | "no-leak-check",
): UncountedKinds[] {
  const paths = new Set(diagnostics.filter(says).map((d) => d.path));
  return sources
    .filter((s) => paths.has(s.path))
    .map((s) => withPolicy(s, { path: s.path, kinds: RECORD_LEAK_KINDS, cause }));
}

/**
 * The XML logs of a `--track-fds=yes` run whose descriptors left open are in the text log only
 * (see UncountedCause): `--fail-on FdNotClosed` passed them, though a program that left every
 * file open would have too (campaign cb1 F4).
 */
function fdsElsewhere(diagnostics: readonly Diagnostic[]): UncountedKinds[] {
  const paths = new Set(
    diagnostics.filter((d) => d.code === "xml-fds-in-text-log").map((d) => d.path),
  );
  return [...paths].map((path) => ({
    path,
    kinds: ["FdNotClosed"],
    cause: "no-fd-records" as const,
  }));
}

/**
 * The logs of a Valgrind run with `--leak-check=no` whose blocks in use at exit nobody looked
 * at: the parser's `no-leak-check` warning says so, and is given only when the HEAP SUMMARY's
 * `in use at exit` counts a block (with none in use, nothing can have leaked). Any kind may
 * be among them, so every kind is unknown, as under `--show-leak-kinds=none`: such a log passed
 * `--fail-on definitely-lost` and read as clean (campaign bqb Q2). What the program's own leak
 * checks listed before its exit still counts as records; only what leaked after is unknown.
 * Valgrind's XML has no such case: `--xml=yes` makes the check at exit a full one (mc_main.c,
 * mc_post_clo_init). AddressSanitizer's `no-leak-check`, an info where Valgrind's is a warning
 * (the program stopped at an error, so LeakSanitizer never ran), is left out: the program
 * never reached the exit at which leaks are told, and its error is already a finding (of
 * severity error) that `error` and `any` meet; a leak gate failing on every aborted run (death
 * tests, crash reproducers) would say nothing about leaks.
 */
function uncheckedAtExit(
  sources: readonly Source[],
  diagnostics: readonly Diagnostic[],
): UncountedKinds[] {
  const says = (d: Diagnostic) => d.code === "no-leak-check" && d.severity === "warning";
  return everyKindOf(sources, diagnostics, says, "no-leak-check");
}

function withPolicy(source: Source, uncounted: UncountedKinds): UncountedKinds {
  return source.severityPolicy !== undefined
    ? { ...uncounted, policy: source.severityPolicy }
    : uncounted;
}
