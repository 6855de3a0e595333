import type { Diagnostic } from "../../model/index.js";
import type { LogBases } from "../log-location.js";
import { Ordinals } from "../stable-log.js";
import { logResult, sentence } from "./log-results.js";
import type { SarifResult } from "./results.js";
import type { SarifRule } from "./rules.js";

/** The rule of the results that say an input could not be used. */
const RULE_ID = "input-error";

/**
 * The rule of inputErrorResults. `error`, as the JUnit `<error>` and Code Quality's `major` issue
 * of the same input: what the log would have said is unknown.
 */
export const INPUT_ERROR_RULE: SarifRule = {
  id: RULE_ID,
  name: "InputError",
  shortDescription: { text: "An input could not be used: its findings are unknown." },
  fullDescription: {
    text: "leaklog could not use an input (a log missing, unreadable, empty, binary or of no known format; a suppressions file it could not read), or the memory checker said its own run failed. The result's message says which and why.",
  },
  help: {
    text: "Make sure the memory checker ran and wrote its whole log where the analysis reads it. The alerts this analysis closes are not known to be fixed: the input that could have reported them was not read. leaklog exits with 2 for an unusable input.",
  },
  defaultConfiguration: { level: "error" },
  properties: { tags: ["memory", "input-error"] },
};

/**
 * One result per error diagnostic, at its input (its line, else line 1), as Code Quality has an
 * issue: code scanning reads no tool execution notification, so a run whose log was missing
 * uploaded no result and closed every open alert as if fixed. A missing log is still a path in
 * the checkout, where the run should have written it; a log that is no file there (standard
 * input) gets no location and a message that says so (see logResult).
 */
export function inputErrorResults(
  diagnostics: readonly Diagnostic[],
  bases: LogBases,
): SarifResult[] {
  const seen = new Ordinals();
  return diagnostics
    .filter((d) => d.severity === "error")
    .map((d) =>
      logResult(
        {
          ruleId: RULE_ID,
          level: INPUT_ERROR_RULE.defaultConfiguration.level,
          path: d.path,
          line: d.line,
          pid: d.pid,
          // GitHub titles an alert with the message's first sentence: what went wrong.
          text: `Input not used: ${sentence(d.message)} The findings it would have reported are unknown, so the alerts this analysis closes are not known to be fixed.`,
          properties: { code: d.code, ...(d.pid !== undefined ? { pid: d.pid } : {}) },
        },
        bases,
        seen,
      ),
    );
}
