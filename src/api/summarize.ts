import { crossCheckLeaks } from "../analysis/cross-check.js";
import { evaluateGate, type GateRules } from "../analysis/gate.js";
import { Grouper } from "../analysis/group.js";
import { computeTotals } from "../analysis/totals.js";
import type { Diagnostic, ErrorRecord, LeakRecord, Report } from "../model/index.js";
import { VERSION } from "../version.js";
import type { ParseResult } from "./parse.js";

export interface SummarizeOptions {
  /** Gate rules; when given, `report.gate` says whether the run fails. */
  gate?: GateRules;
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
  for (const result of results) {
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
  diagnostics.push(...crossCheckLeaks(leaks, summaries));
  const groups = grouper.result();
  return {
    schemaVersion: 1,
    generator: { name: "leaklog", version: VERSION },
    sources: results.map((r) => r.source),
    leaks,
    errors,
    groups,
    summaries,
    diagnostics,
    totals: computeTotals(leaks, errors, groups),
    ...(options.gate !== undefined ? { gate: evaluateGate(groups, options.gate) } : {}),
  };
}
