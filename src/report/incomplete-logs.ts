import { isIncompleteReason, sourceState, unusablePaths } from "../analysis/input-states.js";
import type { Diagnostic, Report, Source } from "../model/index.js";

/*
 * The logs known to lack findings, for the CI formats: a run that CI killed before Valgrind's
 * leak check leaves a log of its preamble, no finding in it, and JUnit, Code Quality and SARIF
 * read as a clean run what the text summary called incomplete (campaign bz F1).
 */

/** What JUnit's case of an incomplete log says first (its reason follows). */
export const INCOMPLETE_SENTENCE = "The log is incomplete: some findings are missing.";

/** An incomplete log's reason when no warning says why. */
const NO_REASON = "the log is known to lack findings";

/** A log known to lack findings, and the first warning that says why. */
export interface IncompleteLog {
  source: Source;
  /**
   * The first warning that made the log incomplete (see isIncompleteReason); undefined when no
   * warning says why (an error may: a damaged entry of a leaklog report).
   */
  reason: Diagnostic | undefined;
}

/**
 * The report's incomplete logs (see sourceState: an unusable input is no incomplete log), in
 * the report's order, each with its reason. A source of no known format was read as no log at
 * all: unusable, even in a report whose caller left its error out.
 */
export function incompleteLogs(report: Pick<Report, "sources" | "diagnostics">): IncompleteLog[] {
  const unusable = unusablePaths(report);
  const logs = report.sources.filter(
    (s) => s.format !== "unknown" && sourceState(s, unusable) === "incomplete",
  );
  if (logs.length === 0) return [];
  const reasons = new Map<string, Diagnostic>();
  for (const d of report.diagnostics)
    if (isIncompleteReason(d) && !reasons.has(d.path)) reasons.set(d.path, d);
  return logs.map((source) => ({ source, reason: reasons.get(source.path) }));
}

/** Why the log is incomplete: its reason's message, or a sentence that says only that it is. */
export function incompleteMessage(log: Pick<IncompleteLog, "reason">): string {
  return log.reason?.message ?? NO_REASON;
}
