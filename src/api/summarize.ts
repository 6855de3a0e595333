import { crossCheckLeaks } from "../analysis/cross-check.js";
import { evaluateGate, type GateRules } from "../analysis/gate.js";
import { Grouper } from "../analysis/group.js";
import { compareWithBaseline } from "../analysis/baseline.js";
import type { ValgrindSuppression } from "../analysis/suppressions/valgrind.js";
import { applyValgrindSuppressions } from "../analysis/suppressions/valgrind-apply.js";
import { computeTotals } from "../analysis/totals.js";
import type { Diagnostic, ErrorRecord, Group, LeakRecord, Report } from "../model/index.js";
import { VERSION } from "../version.js";
import type { ParseResult } from "./parse.js";

export interface SummarizeOptions {
  /** Gate rules; when given, `report.gate` says whether the run fails. */
  gate?: GateRules;
  /**
   * Valgrind suppression entries (parseValgrindSuppressions) applied to Valgrind's records before
   * grouping; entries that match nothing are listed as `unused-suppression` info diagnostics.
   */
  suppressions?: readonly ValgrindSuppression[];
  /**
   * A previous report (or anything with its groups): groups are marked new or unchanged, and the
   * baseline's groups that are gone are appended as `fixed` (severity none, no members).
   */
  baseline?: { groups: readonly Group[] };
}

/**
 * Combines parsed sources into one report: groups findings by stack across processes, files and
 * runs, cross-checks records against the tools' own totals, computes totals and applies the gate.
 */
export function summarize(results: readonly ParseResult[], options: SummarizeOptions = {}): Report {
  const leaks: LeakRecord[] = [];
  const errors: ErrorRecord[] = [];
  const diagnostics: Diagnostic[] = [];
  const grouper = new Grouper();
  const applied =
    options.suppressions !== undefined
      ? applyValgrindSuppressions(results, options.suppressions)
      : { results, diagnostics: [] };
  for (const result of applied.results) {
    for (const leak of result.leaks) {
      leaks.push(leak);
      grouper.add(leak);
    }
    for (const error of result.errors) {
      errors.push(error);
      grouper.add(error);
    }
    diagnostics.push(...result.diagnostics);
  }
  const summaries = results.flatMap((r) => r.summaries);
  // The tool's totals count what it reported, so records are checked with their parsed kinds.
  diagnostics.push(
    ...crossCheckLeaks(
      results.flatMap((r) => r.leaks),
      summaries,
    ),
  );
  diagnostics.push(...applied.diagnostics);
  const current = grouper.result();
  const groups =
    options.baseline !== undefined
      ? compareWithBaseline(current, options.baseline.groups)
      : current;
  return {
    schemaVersion: 1,
    generator: { name: "leaklog", version: VERSION },
    sources: results.map((r) => r.source),
    leaks,
    errors,
    groups,
    summaries,
    diagnostics,
    totals: computeTotals(leaks, errors, current),
    ...(options.gate !== undefined ? { gate: evaluateGate(groups, options.gate) } : {}),
  };
}
