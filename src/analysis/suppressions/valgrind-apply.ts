import type { Diagnostic, ErrorRecord, LeakRecord } from "../../model/index.js";
import type { ValgrindSuppression } from "./valgrind.js";
import { findValgrindSuppression } from "./valgrind-match.js";

/** Findings of one source, as ParseResult holds them. */
export interface FindingLists {
  leaks: readonly LeakRecord[];
  errors: readonly ErrorRecord[];
}

/** What applying suppressions gives: new lists (inputs untouched) and the unused entries. */
export interface AppliedSuppressions<T extends FindingLists> {
  results: T[];
  /** One `unused-suppression` info diagnostic per Memcheck entry that matched nothing. */
  diagnostics: Diagnostic[];
}

/**
 * Applies Valgrind suppressions after the fact, as if the program had been run with
 * `--suppressions`: a matching leak becomes kind `suppressed` (severity none; the kind it had is
 * kept in `details.suppressedKind`, the tool's words stay in `toolKind`), a matching error gets
 * `suppressed: true` and severity none. `details.suppressedBy` names the entry. Only Valgrind's
 * own records are considered: other tools' stacks (interceptors, no `(below main)`) are not what
 * these entries were written against.
 */
export function applyValgrindSuppressions<T extends FindingLists>(
  results: readonly T[],
  suppressions: readonly ValgrindSuppression[],
): AppliedSuppressions<T> {
  const used = new Set<ValgrindSuppression>();
  const match = (finding: LeakRecord | ErrorRecord): ValgrindSuppression | undefined => {
    if (finding.tool !== "valgrind") return undefined;
    const supp = findValgrindSuppression(suppressions, finding);
    if (supp !== undefined) used.add(supp);
    return supp;
  };
  const out = results.map((result) => ({
    ...result,
    leaks: result.leaks.map((leak) => suppressLeak(leak, match(leak))),
    errors: result.errors.map((error) => suppressError(error, match(error))),
  }));
  const diagnostics = suppressions
    .filter((supp) => supp.memcheck && !used.has(supp))
    .map((supp): Diagnostic => unused(supp));
  return { results: out, diagnostics };
}

function suppressLeak(leak: LeakRecord, supp: ValgrindSuppression | undefined): LeakRecord {
  if (supp === undefined || leak.kind === "suppressed") return leak;
  return {
    ...leak,
    kind: "suppressed",
    severity: "none",
    details: { ...leak.details, suppressedKind: leak.kind, suppressedBy: supp.name },
  };
}

function suppressError(error: ErrorRecord, supp: ValgrindSuppression | undefined): ErrorRecord {
  if (supp === undefined || error.suppressed === true) return error;
  return {
    ...error,
    suppressed: true,
    severity: "none",
    details: { ...error.details, suppressedBy: supp.name },
  };
}

// Valgrind's -v lists the suppressions it used; the unused ones are what a cleanup wants.
function unused(supp: ValgrindSuppression): Diagnostic {
  return {
    severity: "info",
    code: "unused-suppression",
    message: `suppression ${JSON.stringify(supp.name)} (${supp.tools.join(",")}:${supp.kind}) matched nothing`,
    path: supp.path,
    line: supp.line,
  };
}
