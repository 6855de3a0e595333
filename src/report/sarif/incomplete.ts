import type { IncompleteLog } from "../incomplete-logs.js";
import { locateLogLine, type LogBases } from "../log-location.js";
import { Ordinals, stableLogPath } from "../stable-log.js";
import { logLocation, messageText, unlocatedNote } from "./locations.js";
import { FINGERPRINT_KEY, type SarifResult } from "./results.js";
import type { SarifRule } from "./rules.js";
import { logResultFingerprint } from "./summary-only.js";

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
    text: "The memory checker's log is known to lack findings: the run was killed or cut short (a CI timeout before Valgrind's leak check), went on past an error limit, or its log was cut, damaged or written over. The result's message says why.",
  },
  help: {
    text: "Let the run finish and keep its whole log. The findings the log lacks are not in this analysis, so the alerts it closes are not known to be fixed: they may be in the part of the run the log lacks. `leaklog summarize --fail-on incomplete` fails such a run.",
  },
  defaultConfiguration: { level: "error" },
  properties: { tags: ["memory", "incomplete-log"] },
};

/**
 * One result per incomplete log, at the line of the first warning that says why (line 1 when it
 * names none), as a leak only a summary counts points at its log: GitHub code scanning reads no
 * tool execution notification, and a run that CI killed before Valgrind's leak check had no
 * result at all, an analysis that closed every open alert as if fixed (campaign bz F1). The
 * fingerprint is the log's path as it stays from run to run (see stableLogPath) and its place
 * among the logs of that path, not the line, which moves with where the run was cut.
 */
export function incompleteResults(logs: readonly IncompleteLog[], bases: LogBases): SarifResult[] {
  const seen = new Ordinals();
  return logs.map(({ source, reason }) => {
    const log = locateLogLine(source.path, reason?.line ?? 1, bases);
    // GitHub titles an alert with the message's first sentence: what the run lacks, then why.
    const why = reason !== undefined ? ` Reason: ${sentence(reason.message)}` : "";
    const where = log.located ? "" : ` ${unlocatedNote(log)}`;
    // With `--log-file=vg.%p.log` the log's name holds its first process's PID.
    const stable = stableLogPath(source.path, source.processes[0]?.pid);
    return {
      ruleId: RULE_ID,
      level: INCOMPLETE_RULE.defaultConfiguration.level,
      message: {
        text: messageText(
          `The log is incomplete: findings the run would have reported may be missing, so the alerts this analysis closes are not known to be fixed.${why}${where}`,
        ),
      },
      locations: log.located ? [logLocation(log, undefined)] : [],
      partialFingerprints: { [FINGERPRINT_KEY]: logResultFingerprint("incomplete", stable, seen) },
      properties: {
        incomplete: true,
        ...(reason !== undefined ? { code: reason.code } : {}),
        ...(reason?.pid !== undefined ? { pid: reason.pid } : {}),
      },
    };
  });
}

/** The text ending in a full stop (a diagnostic's message mostly has none). */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
