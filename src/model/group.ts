import { z } from "zod";
import { Pid } from "./numbers.js";
import { Severity } from "./common.js";
import { Stack } from "./frame.js";
import { LossRecordRef } from "./leak.js";

/** Where a group's member came from. */
export const GroupMember = z.object({
  id: z.string(),
  path: z.string(),
  line: z.number().int().positive(),
  pid: Pid.optional(),
  /** The PID's run in its log, from its second on (see ProcessInfo.run). */
  run: z.number().int().min(2).optional(),
  lossRecord: LossRecordRef.optional(),
});
export type GroupMember = z.infer<typeof GroupMember>;

/** An input, and a process of it, where a group has findings. */
export const GroupSite = z.object({
  /** The input's path, as the findings' `location.path` gives it. */
  path: z.string(),
  /** Absent for findings without a process. */
  pid: Pid.optional(),
  /** The PID's run in its log, from its second on (see ProcessInfo.run). */
  run: z.number().int().min(2).optional(),
});
export type GroupSite = z.infer<typeof GroupSite>;

/** How a group compares with a baseline. */
export const BaselineStatus = z.enum(["new", "unchanged", "fixed"]);
export type BaselineStatus = z.infer<typeof BaselineStatus>;

/**
 * Findings of the same type, kind and stack fingerprint, across processes, files and runs.
 * This is the unit reports show and gates count.
 */
export const Group = z.object({
  fingerprint: z.string(),
  type: z.enum(["leak", "error"]),
  /** Leak kind or error kind. */
  kind: z.string(),
  severity: Severity,
  /** Sum of the members' total bytes (errors: 0). */
  bytes: z.number().int().nonnegative(),
  /** Sum of the members' direct bytes. */
  directBytes: z.number().int().nonnegative(),
  blocks: z.number().int().nonnegative(),
  /** Members' occurrences: one per leak record, an error's count. */
  occurrences: z.number().int().nonnegative(),
  /**
   * An error's headline, its shown record's: of its records, the most severe, then the first
   * by stack lines, names, headline and aux lines, then by log and line, whatever order they
   * came in (src/analysis/shown-record.ts). A leak's amounts and kind in words.
   */
  message: z.string(),
  /** The shown record's stack (see `message`). */
  stack: Stack,
  /** The shown record's aux entries (errors). */
  aux: z.array(z.object({ message: z.string(), stack: Stack.optional() })).optional(),
  tools: z.array(z.string()),
  /** Distinct PIDs among the members, the first 50 of them. */
  pids: z.array(Pid),
  /**
   * Distinct processes with findings in the group, one per input, PID and run (see
   * ProcessInfo.run), never capped. Present where `pids` does not say it: at its cap of 50, or
   * when a PID has findings in several inputs or runs.
   */
  processCount: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .describe(
      "Distinct processes with findings in the group, one per input, PID and run, never capped. Present where pids does not say it: at its cap of 50, or when a PID has findings in several inputs or runs.",
    ),
  members: z.array(GroupMember),
  /** Members beyond the cap kept in `members`. */
  membersOmitted: z.number().int().nonnegative().optional(),
  /**
   * Every input and process with findings in the group, by input in the order first met, then
   * by process: unlike `members` and `pids`, never capped. Present when the summary was asked
   * for it (`--format junit`, whose test suites are per log and per process).
   */
  sites: z.array(GroupSite).optional(),
  baseline: BaselineStatus.optional(),
  /**
   * The group's amounts in the baseline: a `fixed` group's (its own are zero, so that gates and
   * totals leave it out), what the change fixed; an `unchanged` group's where they differ from
   * its own, how it grew or shrank. For `diff` and the reports to say; no total or gate counts
   * them.
   */
  baselineAmounts: z
    .object({
      /** Total bytes, as `bytes`. */
      bytes: z.number().int().nonnegative(),
      directBytes: z.number().int().nonnegative(),
      blocks: z.number().int().nonnegative(),
      occurrences: z.number().int().nonnegative(),
    })
    .optional()
    .describe(
      "The group's bytes, directBytes, blocks and occurrences in the baseline: a fixed group's (its own are zero), and an unchanged group's where they differ from its own (it grew or shrank). No total or gate counts them.",
    ),
  suppressed: z.boolean().optional(),
  /**
   * True when a record of the group ended its process: the sanitizer stopped the program at it
   * (`ABORTING`, the record's `details.aborted`), so the process never ran what came after.
   * Absent otherwise.
   */
  aborted: z
    .boolean()
    .optional()
    .describe(
      "True when a record of the group ended its process: the sanitizer stopped the program at it (ABORTING, the record's details.aborted), so the process never ran what came after. Absent otherwise.",
    ),
  /**
   * True on an error group with records of a log whose error counts are unknown (its
   * `error-counts-unknown` info: a Valgrind text log without -s prints each error context once):
   * `occurrences` counts each such record once, however often it occurred, so it is the fewest
   * there were, and a baseline comparison compares none of them. Absent otherwise.
   */
  countsUnknown: z
    .boolean()
    .optional()
    .describe(
      "True on an error group with records of a log whose error counts are unknown (its error-counts-unknown info: a Valgrind text log without -s prints each error context once): occurrences counts each such record once, however often it occurred, so it is the fewest there were, and a baseline comparison compares none of them. Absent otherwise.",
    ),
});
export type Group = z.infer<typeof Group>;
