import type { IncompleteLog } from "../incomplete-logs.js";
import type { LogBases } from "../log-location.js";
import { Ordinals } from "../stable-log.js";
import { logResult, sentence } from "./log-results.js";
import type { SarifResult } from "./results.js";
import type { SarifRule } from "./rules.js";

/** The rule of the results that say a log is incomplete (the diagnostic code's name). */
const RULE_ID = "incomplete";

/**
 * The rule of incompleteResults. `error`, as the JUnit `<failure>` and Code Quality's `major`
 * issue of the same log: the findings the log lacks may be errors, and the README's recipes fail
 * a run on an incomplete log (`--fail-on error,incomplete`) as on an error-severity group.
 */
export const INCOMPLETE_RULE: SarifRule = {
  id: RULE_ID,
  name: "IncompleteLog",
  shortDescription: { text: "Incomplete log: findings may be missing." },
  fullDescription: {
    text: "The memory checker's log is known to lack findings: the run was killed or cut short (a CI timeout before Valgrind's leak check), went on past an error limit, or its log was cut, damaged or written over; or it cannot tell whether the run leaked: the run hid definite or possible leaks from its loss records and no LEAK SUMMARY counts them (the XML of a --show-leak-kinds=none run without one). The result's message says why.",
  },
  help: {
    text: "Let the run finish and keep its whole log. The findings the log lacks are not in this analysis, so the alerts it closes are not known to be fixed: they may be in the part of the run the log lacks. `leaklog summarize --fail-on incomplete` fails such a run.",
  },
  defaultConfiguration: { level: "error" },
  properties: { tags: ["memory", "incomplete-log"] },
};

/**
 * One result per incomplete log, at the line of the first warning that says why (line 1 when it
 * names none), as a leak only a summary counts points at its log: a run that CI killed before
 * Valgrind's leak check had no result at all, an analysis that closed every open alert as if
 * fixed (campaign bz F1). See logResult for its fingerprint.
 */
export function incompleteResults(logs: readonly IncompleteLog[], bases: LogBases): SarifResult[] {
  const seen = new Ordinals();
  return logs.map(({ source, reason, cannotTell }) => {
    // GitHub titles an alert with the message's first sentence: what the run lacks, then why.
    const why = reason !== undefined ? ` Reason: ${sentence(reason.message)}` : "";
    const what =
      cannotTell !== undefined
        ? `The log cannot tell whether the run leaked: leaks it would have reported may be missing, so the alerts this analysis closes are not known to be fixed. It ${sentence(cannotTell)}`
        : `The log is incomplete: findings the run would have reported may be missing, so the alerts this analysis closes are not known to be fixed.${why}`;
    const facts = {
      ruleId: RULE_ID,
      level: INCOMPLETE_RULE.defaultConfiguration.level,
      path: source.path,
      line: reason?.line,
      pid: source.processes[0]?.pid,
      text: what,
      properties: {
        incomplete: true,
        ...(reason !== undefined ? { code: reason.code } : {}),
        ...(reason?.pid !== undefined ? { pid: reason.pid } : {}),
      },
    };
    return logResult(facts, bases, seen);
  });
}
