import { z } from "zod";
import { Pid, ThreadNumber } from "./numbers.js";
import { Details, LogLocation, Severity, Tool } from "./common.js";
import { Stack } from "./frame.js";

/**
 * The common classes of leaked memory, following Valgrind's leak kinds (the manual's
 * "Memory leak detection" section); other tools' findings are mapped onto them.
 */
export const LeakKind = z.enum([
  "definitely-lost",
  "indirectly-lost",
  "possibly-lost",
  "still-reachable",
  "suppressed",
]);
export type LeakKind = z.infer<typeof LeakKind>;

/**
 * `loss record index of total`, both 1-based as Valgrind numbers its loss records; 0 is taken
 * too: a damaged log can read `0 of 0`, and a report leaklog wrote must read back.
 */
export const LossRecordRef = z.object({
  index: z.number().int().nonnegative(),
  of: z.number().int().nonnegative(),
});
export type LossRecordRef = z.infer<typeof LossRecordRef>;

/** One leak as reported by a tool: a Valgrind loss record, a memleax call stack, a MEMWATCH `unfreed`. */
export const LeakRecord = z.object({
  type: z.literal("leak"),
  /** Unique within one parse: `<source index>:<ordinal>`. */
  id: z.string(),
  tool: Tool,
  kind: LeakKind,
  /** The tool's own words for the kind ("definitely lost", "Leak_PossiblyLost", "expired"). */
  toolKind: z.string(),
  severity: Severity,
  /** Total bytes, direct plus indirect, as printed. */
  bytes: z.number().int().nonnegative(),
  /** Bytes in the blocks of this record itself (D of `B (D direct, I indirect)`, else B). */
  directBytes: z.number().int().nonnegative(),
  /** Bytes only reachable through these blocks (I of `B (D direct, I indirect)`, else 0). */
  indirectBytes: z.number().int().nonnegative(),
  /** Number of heap blocks. */
  blocks: z.number().int().nonnegative(),
  pid: Pid.optional(),
  /** The PID's run in the log, from its second on (see ProcessInfo.run). */
  run: z.number().int().min(2).optional(),
  /** Thread id as the tool numbers them. */
  thread: ThreadNumber.optional(),
  lossRecord: LossRecordRef.optional(),
  /**
   * 1-based ordinal of the leak check within its process (client requests can run several),
   * numbered on across the PID's runs (see ProcessInfo.run).
   */
  leakCheck: z.number().int().positive().optional(),
  /**
   * A later full leak check of the same process reports this heap again (client requests run
   * several checks before the one at exit), or a later delta check (Valgrind's `(+N)`) this
   * loss record with its whole amount: the record is listed as the tool printed it, but not
   * counted in groups, totals or the gate. Absent when nothing superseded it.
   */
  superseded: z.literal(true).optional(),
  /** Allocation stack, innermost first. */
  stack: Stack,
  /** Stable hash of the stack, see analysis/fingerprint. */
  fingerprint: z.string(),
  location: LogLocation,
  /** The generated suppression block printed for this record (`--gen-suppressions=all`). */
  suppression: z.string().optional(),
  details: Details.optional(),
  /**
   * Set by a summary of the inputs on a forked child's loss record that repeats one of its
   * parent's: the same kind and allocation stack, frame for frame, with no more blocks or
   * bytes (the same amounts, where an XML file cannot tell the child's records from the
   * parent's). A forked child's heap starts as its parent's and Valgrind checks each process
   * at its exit, so the child lists again what it inherited. Listed as the tool printed it, but
   * counted in no group, total or gate: the parent's record counts it (see README, Cross-checks).
   */
  inheritedFrom: z
    .object({
      /** The process whose record counts this one. */
      parentPid: Pid,
      /** Its run in its log, from the second on (see ProcessInfo.run). */
      parentRun: z.number().int().min(2).optional(),
      /** The input that holds that record. */
      parentLog: z.string(),
      /** 1-based line of that record in parentLog. */
      parentLine: z.number().int().positive(),
    })
    .optional(),
});
export type LeakRecord = z.infer<typeof LeakRecord>;
