import { z } from "zod";
import { Pid } from "./numbers.js";
import type { DiagnosticCode } from "./diagnostic-codes.js";

/**
 * Something leaklog noticed about the input rather than about the program: a line it did not
 * understand, a repair it made, totals that disagree. Bad input is data, never an exception.
 */
export const Diagnostic = z.object({
  severity: z.enum(["error", "warning", "info"]),
  /**
   * Stable machine-readable code, e.g. `unrecognized-line`, `summary-mismatch`: leaklog's own are
   * DIAGNOSTIC_CODES. A string here because a report read back may come from another version.
   */
  code: z
    .string()
    .describe(
      "Stable machine-readable code; the codes leaklog emits are listed in its README (Diagnostic codes) and exported as DIAGNOSTIC_CODES. Reports of other versions may hold others.",
    ),
  message: z.string(),
  path: z.string(),
  /** 1-based line in the log, when the diagnostic is about one line. */
  line: z.number().int().positive().optional(),
  pid: Pid.optional(),
  /**
   * On an error of a code in FATAL_CODES (`bad-report`) that left out only part of its input (a
   * leaklog report's invalid entry or damaged NDJSON line): the rest was read, so the input is
   * incomplete, not unusable. A merged report carries it with the error, whose `line` then goes
   * into the message: the line told the two apart, and a merge up a level called the partly read
   * shard unusable (campaign v16b F3). Absent on an error that made its input unusable.
   */
  readInPart: z
    .literal(true)
    .optional()
    .describe(
      "On an error of a FATAL_CODES code (bad-report) that left out only part of its input: the rest was read, and the input is incomplete, not unusable.",
    ),
  /**
   * On a Valgrind text `summary-mismatch` of a process whose preamble names a parent that its
   * log does not hold: ERROR SUMMARY counts `contexts` more than the log shows, which a forked
   * child writing a log of its own (`--log-file=vg.%p.log`) counts when they are its parent's
   * from before the fork (Valgrind copies the error list on fork). A summary of several inputs
   * checks them against the parent's log when it is one of them (see README, Cross-checks).
   */
  maybeInherited: z
    .object({
      /** The PID the process's preamble names as its parent (`Parent PID:`). */
      parentPid: Pid,
      /** Contexts ERROR SUMMARY counts beyond what the log shows, at the least. */
      contexts: z.number().int().positive(),
    })
    .optional(),
});
export type Diagnostic = z.infer<typeof Diagnostic>;

/**
 * A diagnostic leaklog makes itself: its code is registered in DIAGNOSTIC_CODES. Emitters take
 * this type, so that an unregistered code does not compile; only a report read back (the
 * leaklog-json format) passes other codes on, as plain Diagnostics.
 */
export type RegisteredDiagnostic = Omit<Diagnostic, "code"> & { code: DiagnosticCode };
