import { z } from "zod";
import { Pid } from "./numbers.js";
import { Severity } from "./common.js";
import { LeakKind } from "./leak.js";

/** The input formats leaklog reads; the same ids as `--input-format`. */
export const FormatId = z.enum([
  "valgrind",
  "valgrind-xml",
  "memleax",
  "memwatch",
  "sanitizer",
  "leaklog-json",
]);
export type FormatId = z.infer<typeof FormatId>;

/**
 * A suppression Valgrind says it used: a `used_suppression:` line of -s or -v (m_errormgr.c's
 * show_used_suppressions), or a `<suppcounts>` pair of its XML. Kept once per source and entry,
 * summed over its processes (see Source.usedSuppressions).
 */
const UsedSuppression = z.object({
  /** The entry's name, its first line in the suppressions file: no identity (see `file`). */
  name: z.string(),
  /**
   * How often it matched: each occurrence of an error it suppressed, or each loss record it
   * suppressed (over every leak check of the process), summed over the source's processes.
   */
  count: z.number().int().nonnegative(),
  /** The suppressions file, as given to Valgrind (text logs of Valgrind 3.9 on only). */
  file: z.string().optional(),
  /** 1-based line of the entry's name in that file: with `file`, the entry's identity. */
  line: z.number().int().positive().optional(),
  /**
   * What it suppressed in the last leak check, which Valgrind prints for leak entries alone
   * (`suppressed: 100 bytes in 1 blocks`, text logs only): bytes and blocks, summed.
   */
  leak: z
    .object({ bytes: z.number().int().nonnegative(), blocks: z.number().int().nonnegative() })
    .optional(),
});
export type UsedSuppression = z.infer<typeof UsedSuppression>;

/** One process seen in a source (a Valgrind PID, a MEMWATCH session). */
export const ProcessInfo = z.object({
  pid: Pid,
  ppid: Pid.optional(),
  /** Command line as the tool printed it. */
  command: z.string().optional(),
  /**
   * The PID's run in the log, from its second on (absent for the first): Valgrind started
   * afresh under a PID it had already spoken for. An exec under `--trace-children=yes` keeps
   * the PID and starts a new program; containers run their first process as PID 1, so a job
   * log of several `docker run`s repeats it. Each run has its own process entry and summaries.
   */
  run: z.number().int().min(2).optional(),
  /**
   * Valgrind wrote the process's preamble and nothing after it: no finding, no summary. A forked
   * child that exec'd a program Valgrind does not trace leaves just that in a log of its own
   * (`system()` under `--log-file=vg.%p.log`), and so does a run killed at its start. A single
   * log cannot tell them apart, so its source stays complete; summarize() tells them by the
   * inputs: with a log that holds the parent its preamble names (same command), a
   * `preamble-only` info; without, the source is marked incomplete.
   */
  preambleOnly: z.literal(true).optional(),
  /**
   * The log lacks findings of this process: its part was cut (the log ends before its ERROR
   * SUMMARY, or starts inside its output), or a record of it was not read. Set only when every
   * reason its source is incomplete names a process (a whole process of a log with a cut one
   * lost nothing: campaign v18a Q2); an incomplete source with no process marked may lack findings
   * of any of them. A PID's runs are marked alike: the reasons name PIDs, not runs.
   */
  incomplete: z.literal(true).optional(),
  /**
   * Valgrind listed the suppressions the process used (text with -s or -v and any used, XML
   * always): they are in its source's `usedSuppressions`, and tell a run that suppressed leaks
   * alone from one that may have suppressed errors (see README, baseline-run-suppressed).
   */
  usedSuppressionsListed: z.literal(true).optional(),
});
export type ProcessInfo = z.infer<typeof ProcessInfo>;

/** Line and record counts for one source. */
export const Counters = z.object({
  lines: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  records: z.number().int().nonnegative(),
  /** Lines that belonged to the program, not the tool (stderr mixed into the log). */
  programLines: z.number().int().nonnegative(),
  /** Lines the parser did not understand (each also a diagnostic, up to a cap). */
  unrecognizedLines: z.number().int().nonnegative(),
  /**
   * Diagnostics of a code beyond the 100 listed per source (a log of 150 processes past
   * Valgrind's error limit makes 150 `incomplete` warnings), by code: counted, not listed.
   */
  diagnosticsOmitted: z.record(z.string(), z.number().int().positive()).optional(),
});
export type Counters = z.infer<typeof Counters>;

/** One input log. */
export const Source = z.object({
  path: z.string(),
  /**
   * "unknown" only for a source that could not be read or recognised (then not complete), or
   * for an empty log read as a clean run (`allowEmpty`, complete).
   */
  format: z.union([FormatId, z.literal("unknown")]),
  /** Version of the tool that wrote the log, when it says (`3.19.0`). */
  toolVersion: z.string().optional(),
  /**
   * The Valgrind tool that wrote the log, where it is not Memcheck: `helgrind`, `drd` (XML logs;
   * a text log of another tool is refused, see `other-tool`). Those tools check no leaks, so a
   * run of theirs with no finding is no run without leaks.
   */
  tool: z.string().optional(),
  processes: z.array(ProcessInfo),
  /**
   * False when the log is known to be missing findings: truncated, the error limit was hit,
   * a stream cut before its final report.
   */
  complete: z.boolean(),
  counters: Counters,
  /**
   * Leak kinds the run's own options left out of its loss records (Valgrind XML's
   * `--show-leak-kinds` in `<vargv>`, definite and possible by default), when no LEAK SUMMARY
   * says so: a baseline's groups of these kinds are not compared with this run.
   */
  hiddenLeakKinds: z.array(LeakKind).optional(),
  /**
   * Valgrind listed the descriptors its processes left open at exit (`--track-fds=yes` or
   * `=all`: a text log's `FILE DESCRIPTORS:` section, an XML log of protocol 5 on whose
   * `<vargv>` turns it on; a report read back whose logs all did). Without it a run has no
   * `FdNotClosed` finding to show, and a baseline's are not compared with it: a run without
   * --track-fds made "fixed" of a descriptor the program still left open (campaign ch Q15).
   */
  descriptorsListed: z.literal(true).optional(),
  /**
   * The library's `severityPolicy` the log was read with (kind to severity), when one was given:
   * its findings' severities and those of the leaks only its summaries count come from it. For
   * a report read back: the kinds every log of it was read with alike, under the reading
   * parse's own policy.
   */
  severityPolicy: z.record(z.string(), Severity).optional(),
  /**
   * The suppressions Valgrind says the processes it listed them for (`usedSuppressionsListed`)
   * used: one per entry (name, file, line, leak or not), counts summed. Per process they cost a
   * quarter more memory and two fifths more JSON with -v's 60 entries over 2,000 processes
   * (campaign v18a Q3); a baseline comparison needs only the sums.
   */
  usedSuppressions: z.array(UsedSuppression).optional(),
});
export type Source = z.infer<typeof Source>;
