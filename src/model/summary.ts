import { z } from "zod";
import { Pid } from "./numbers.js";
import { Severity } from "./common.js";
import { LeakKind } from "./leak.js";
import { FormatId } from "./source.js";

/** Bytes and blocks, as a summary line prints them. */
export const Amount = z.object({
  bytes: z.number().int().nonnegative(),
  blocks: z.number().int().nonnegative(),
});
export type Amount = z.infer<typeof Amount>;

/**
 * A tool's own totals, exactly as printed (Valgrind's HEAP / LEAK / ERROR SUMMARY, MEMWATCH's
 * statistics, memleax's final report). leaklog cross-checks its records against these.
 */
export const ToolSummary = z.object({
  path: z.string(),
  pid: Pid.optional(),
  /** The PID's run in the log, from its second on (see ProcessInfo.run). */
  run: z.number().int().min(2).optional(),
  /**
   * 1-based ordinal of the leak check in its process, numbered on across the PID's runs (see
   * ProcessInfo.run), so that a PID and an ordinal name one leak check.
   */
  leakCheck: z.number().int().positive().optional(),
  /** 1-based line of the summary in the log. */
  line: z.number().int().positive().optional(),
  leak: z.partialRecord(LeakKind, Amount).optional(),
  heap: z
    .object({
      inUseBytes: z.number().int().nonnegative(),
      inUseBlocks: z.number().int().nonnegative(),
      allocs: z.number().int().nonnegative().optional(),
      frees: z.number().int().nonnegative().optional(),
      allocatedBytes: z.number().int().nonnegative().optional(),
    })
    .optional(),
  errors: z
    .object({
      errors: z.number().int().nonnegative(),
      contexts: z.number().int().nonnegative(),
      suppressed: z.number().int().nonnegative().optional(),
      suppressedContexts: z.number().int().nonnegative().optional(),
    })
    .optional(),
  /** Which leak kinds the log listed as individual records (the rest appear only in totals). */
  listedKinds: z.array(LeakKind).optional(),
  /**
   * What LeakSanitizer's SUMMARY counts beyond the records it printed when `max_leaks` left some
   * unprinted (`Omitting N more leak(s).`): bytes, blocks (objects), and the kinds they may be
   * of. The SUMMARY counts direct and indirect leaks in one total, and LeakSanitizer prints
   * every direct leak before any indirect one (lsan_common.cpp, LeakComparator), so after a
   * printed indirect leak the rest are indirect (`["indirectly-lost"]`, exact), else they may be
   * either. `leak` counts them as indirectly lost when exact, else as definitely lost, so that
   * its kinds add up to the SUMMARY's total; the text and HTML Totals show the latter apart.
   */
  unprintedLeaks: Amount.extend({ kinds: z.array(LeakKind) }).optional(),
  /**
   * The log says this leak check listed records (Valgrind's `Reachable blocks (those to which a
   * pointer was found) are not shown.`, printed by `--leak-check=full`; or, for a check that
   * listed none, no `Rerun with --leak-check=full` after its LEAK SUMMARY): a kind it did not
   * list was hidden by `--show-leak-kinds` or Valgrind's suppressions, not left to the totals.
   */
  kindsHidden: z.literal(true).optional(),
  /**
   * Kinds the log says this leak check showed as loss records but of which it lists none: their
   * records are missing or damaged in the log, not hidden by `--show-leak-kinds`. A full check
   * with still reachable blocks prints `Reachable blocks (those to which a pointer was found) are
   * not shown.` after its LEAK SUMMARY unless it showed them (mc_leakcheck.c, print_results).
   */
  shownUnlisted: z.array(LeakKind).optional(),
  /**
   * The file `--xtree-leak=yes` wrote this leak check's loss records to (callgrind format), as
   * the log names it (the text log's `xtree leak report: FILE`, the XML's `<vargv>`): the check
   * listed none in the log, and no option but dropping `--xtree-leak` lists them there.
   */
  xtreeFile: z.string().optional(),
});
export type ToolSummary = z.infer<typeof ToolSummary>;

/**
 * Leaks that only a tool's own summary reports: a process whose last leak check printed totals
 * but no loss records (Valgrind's default `--leak-check=summary`, `--xtree-leak=yes`,
 * `VALGRIND_DO_QUICK_LEAK_CHECK`), or no loss records of a kind it shows by default (definite,
 * possible) that `--show-leak-kinds` hid, or what its loss records of a kind lack of its totals
 * (`recordsMissing`). They have no stack, so they are never grouped; the gate and
 * the reports count them beside the groups.
 */
export const SummaryOnlyLeak = z.object({
  path: z.string(),
  pid: Pid.optional(),
  /** The PID's run in the log, from its second on (see ProcessInfo.run). */
  run: z.number().int().min(2).optional(),
  /** The input format of the log (says whose summary it is: Valgrind's LEAK SUMMARY, ...). */
  format: FormatId.optional(),
  /** 1-based ordinal of the leak check in its process. */
  leakCheck: z.number().int().positive().optional(),
  /** 1-based line of the summary in the log. */
  line: z.number().int().positive().optional(),
  /**
   * Per kind, the summary's bytes and blocks less what earlier leak checks of the process
   * listed as records; only kinds with bytes left, never `suppressed`.
   */
  leak: z.partialRecord(LeakKind, Amount),
  /**
   * The leak check was a full one, whose `--show-leak-kinds` left these kinds unlisted: definite
   * and possible leaks, which Valgrind counts as errors whatever it shows (`--show-leak-kinds`
   * gives the stacks, not `--leak-check=full`).
   */
  kindsHidden: z.literal(true).optional(),
  /**
   * The leak check listed records of these kinds, fewer than its summary counts (a
   * `summary-mismatch` warning): these are the rest, whose records are missing or damaged in the
   * log (its start cut off, say), not left out by an option. Never of a delta check, which
   * prints only what grew.
   */
  recordsMissing: z.literal(true).optional(),
  /**
   * The leak check wrote its loss records to this file (`--xtree-leak=yes`, see
   * ToolSummary.xtreeFile), not to the log: its leaks are there, with their stacks.
   */
  xtreeFile: z.string().optional(),
  /**
   * Per kind, the severity the log's `severityPolicy` (Source.severityPolicy) gives it, for the
   * kinds the policy names; the others have their kind's default severity.
   */
  severity: z.partialRecord(LeakKind, Severity).optional(),
});
export type SummaryOnlyLeak = z.infer<typeof SummaryOnlyLeak>;
