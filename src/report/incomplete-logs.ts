import { cannotTellWhy } from "../analysis/gate.js";
import { isIncompleteReason, sourceState, unusablePaths } from "../analysis/input-states.js";
import { causeOf, hiddenErrorKinds, uncountedKinds } from "../analysis/uncounted-kinds.js";
import type { Diagnostic, Report, Source } from "../model/index.js";

/*
 * The logs known to lack findings, for the CI formats: a run that CI killed before Valgrind's
 * leak check leaves a log of its preamble, no finding in it, and JUnit, Code Quality and SARIF
 * read as a clean run what the text summary called incomplete (campaign bz F1). So did a log
 * that cannot tell whether its run leaked, which failed the gate (campaign ch F5).
 */

/** What JUnit's case of an incomplete log says first (its reason follows). */
const INCOMPLETE_SENTENCE = "The log is incomplete: some findings are missing.";

/** What JUnit's case of a log that cannot tell whether its run leaked says first. */
const CANNOT_TELL_SENTENCE = "The log cannot tell whether the run leaked: leaks may be missing.";

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
  /**
   * Set on a log that is complete but cannot tell whether its run leaked (see cannotTell): what
   * it cannot tell and why, said in place of a reason.
   */
  cannotTell?: string;
}

/**
 * The report's incomplete logs (see sourceState: an unusable input is no incomplete log), and
 * the complete logs that cannot tell whether their run leaked (see cannotTell), in the report's
 * order, each with its reason. A source of no known format was read as no log at all: unusable,
 * even in a report whose caller left its error out.
 */
export function incompleteLogs(
  report: Pick<Report, "sources" | "diagnostics" | "summaries">,
): IncompleteLog[] {
  const unusable = unusablePaths(report);
  const untold = cannotTell(report);
  const logs = report.sources.filter(
    (s) =>
      s.format !== "unknown" &&
      (sourceState(s, unusable) === "incomplete" || (s.complete && untold.has(s.path))),
  );
  if (logs.length === 0) return [];
  const reasons = new Map<string, Diagnostic>();
  for (const d of report.diagnostics)
    if (isIncompleteReason(d) && !reasons.has(d.path)) reasons.set(d.path, d);
  return logs.map((source) => {
    const why = source.complete ? untold.get(source.path) : undefined;
    return {
      source,
      reason: reasons.get(source.path),
      ...(why !== undefined ? { cannotTell: why } : {}),
    };
  });
}

/**
 * What each log that cannot tell whether its run leaked cannot tell, by its path, in the gate's
 * words (`cannot tell whether there are definitely-lost, possibly-lost leaks: the run's
 * --show-leak-kinds left them out ...`): its run hid leaks Valgrind counts as errors, and no
 * LEAK SUMMARY counts them (UncountedKinds' `hidden-kinds`, as the text summary's noneClause
 * says). Valgrind 3.19's XML of a `--show-leak-kinds=none` run failed `--fail-on error` and
 * read clean in JUnit, Code Quality and SARIF, whose 0 results close every open alert as fixed
 * (campaign ch F5). A `--leak-check=no` run is left out: `--fail-on error` passes it (see
 * evaluateGate), as a run that chose to check no leaks.
 */
function cannotTell(
  report: Pick<Report, "sources" | "diagnostics" | "summaries">,
): Map<string, string> {
  const untold = new Map<string, string>();
  for (const u of uncountedKinds(report.sources, report.summaries, report.diagnostics)) {
    const kinds = hiddenErrorKinds(u);
    if (causeOf(u) !== "hidden-kinds" || kinds.length === 0) continue;
    untold.set(u.path, `cannot tell ${cannotTellWhy(kinds, "hidden-kinds")}`);
  }
  return untold;
}

/** What an incomplete log's words are made of (see IncompleteLog). */
interface LogWords {
  reason?: Diagnostic | undefined;
  cannotTell?: string | undefined;
}

/** Why the log is incomplete: its reason's message, or a sentence that says only that it is. */
export function incompleteMessage(log: LogWords): string {
  return log.cannotTell ?? log.reason?.message ?? NO_REASON;
}

/** What JUnit's case of the log says first (its reason follows). */
export function incompleteSentence(log: LogWords): string {
  return log.cannotTell !== undefined ? CANNOT_TELL_SENTENCE : INCOMPLETE_SENTENCE;
}
