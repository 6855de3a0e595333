import {
  FATAL_CODES,
  type Diagnostic,
  type DiagnosticCode,
  type Report,
  type Source,
} from "../model/index.js";
import { processKey } from "./process-key.js";

/*
 * Which inputs could not be used at all and which logs are incomplete: the reports word them
 * apart, and so does the gate's reason.
 */

const FATAL: ReadonlySet<string> = new Set(FATAL_CODES);

/**
 * The codes of the warnings that make a log incomplete (ParseSink.incomplete takes no other):
 * `incomplete` itself, and the problems that say more of what was lost. CI reports name the
 * first such warning of a log as the reason it is incomplete (see isIncompleteReason).
 */
export const INCOMPLETE_CODES = [
  "incomplete",
  "block-too-long",
  "valgrind-forms-mixed",
  "valgrind-failed",
  "sanitizer-failed",
  "log-overwritten",
  "xtree-leak-file",
] as const satisfies readonly DiagnosticCode[];

/** A code a log is made incomplete with (see INCOMPLETE_CODES). */
export type IncompleteCode = (typeof INCOMPLETE_CODES)[number];

const INCOMPLETE: ReadonlySet<string> = new Set(INCOMPLETE_CODES);

/**
 * Whether a diagnostic says why its log is incomplete: a warning of an INCOMPLETE_CODES code
 * (`valgrind-failed` is also an error, which makes its input unusable instead).
 */
export function isIncompleteReason(d: Diagnostic): boolean {
  return d.severity === "warning" && INCOMPLETE.has(d.code);
}

/**
 * The paths of the inputs that gave nothing usable (missing, empty, binary, not a log): an
 * error diagnostic of a fatal code says why, and the CLI exits 2. Their sources are not
 * complete, but "incomplete" said some findings were missing from a log never read at all.
 */
export function unusablePaths(report: Pick<Report, "diagnostics">): Set<string> {
  const paths = new Set<string>();
  for (const d of report.diagnostics)
    if (d.severity === "error" && FATAL.has(d.code)) paths.add(d.path);
  return paths;
}

/**
 * What a source's header says of it: unusable, incomplete, or nothing for a complete one. A
 * merged report carries its run's unusable inputs under its own path: read all the same, it is
 * incomplete.
 */
export function sourceState(
  source: Source,
  unusable: ReadonlySet<string>,
): "unusable" | "incomplete" | undefined {
  if (source.complete) return undefined;
  if (!unusable.has(source.path)) return "incomplete";
  const read = source.processes.length > 0 || source.counters.records > 0;
  return source.format === "leaklog-json" && read ? "incomplete" : "unusable";
}

/**
 * Whether an error diagnostic on a merged report's path says that an input of the run that
 * wrote it could not be used. The report's own damage (a cut NDJSON line, an invalid entry),
 * or such damage a merged report carries, left the rest of its report read: `readInPart`, an
 * incomplete log, whose damage fails the run all the same (see damagedEntry). The line told
 * them apart, but a merge moves it into the message (campaign v16b F3).
 */
export function carriedUnusable(d: Report["diagnostics"][number]): boolean {
  return d.severity === "error" && FATAL.has(d.code) && d.readInPart !== true;
}

/**
 * Whether an error diagnostic says that part of a report was damaged and left out, the report
 * read all the same: the CLI exits 2 for it as for an unusable input, so no report says
 * "passed" (campaign v16b F3).
 */
export function damagedEntry(d: Report["diagnostics"][number]): boolean {
  return d.severity === "error" && FATAL.has(d.code) && d.readInPart === true;
}

/** The paths of the sources that are unusable (see sourceState), for the gate's reason. */
export function unusableInputs(
  sources: readonly Source[],
  diagnostics: Report["diagnostics"],
): string[] {
  const paths = unusablePaths({ diagnostics });
  return sources.filter((s) => sourceState(s, paths) === "unusable").map((s) => s.path);
}

/** A process of a log: its path, PID and run (see processKey). */
export interface ProcessOfLog {
  path: string;
  pid?: number | undefined;
  run?: number | undefined;
}

/** Whether the logs lack findings of a process (see incompleteProcesses). */
export type IncompleteProcess = (process: ProcessOfLog) => boolean;

/**
 * Whether the logs lack findings of a process: the processes an incomplete source marks
 * (ProcessInfo.incomplete), or any process of one that marks none. A whole process of a log
 * with a cut one was said to have lost its missing loss records with the log, where they were
 * printed under the other's prefix (gen_cpp_2pid.txt, campaign v18a Q2).
 */
export function incompleteProcesses(
  sources: readonly Pick<Source, "path" | "complete" | "processes">[],
): IncompleteProcess {
  const whole = new Set<string>();
  const marked = new Set<string>();
  for (const source of sources) {
    if (source.complete) continue;
    const cut = source.processes.filter((p) => p.incomplete === true);
    if (cut.length === 0) whole.add(source.path);
    for (const p of cut) marked.add(processKey({ path: source.path, pid: p.pid, run: p.run }));
  }
  if (marked.size === 0) return (process) => whole.has(process.path);
  return (process) => whole.has(process.path) || marked.has(processKey(process));
}

/** Every process of the logs at `paths`: the test of callers that know only whole logs. */
export function processesOfLogs(paths: Iterable<string>): IncompleteProcess {
  const set = new Set(paths);
  return (process) => set.has(process.path);
}
