import type { Report } from "../model/index.js";
import type { ParseResult } from "./parse.js";
import { Summarizer, type SummarizeOptions } from "./summarizer.js";

export type { SummarizeOptions } from "./summarizer.js";

/**
 * Combines parsed sources into one report: applies suppressions, groups findings by stack across
 * processes, files and runs, cross-checks records against the tools' own totals, compares with
 * a baseline, computes totals and applies the gate. For logs too big to hold, feed parseStream's
 * events to a Summarizer instead.
 */
export function summarize(results: readonly ParseResult[], options: SummarizeOptions = {}): Report {
  const summarizer = new Summarizer({ inputs: results.length, ...options });
  for (const result of distinctPaths(results)) {
    for (const leak of result.leaks) summarizer.finding(leak);
    for (const error of result.errors) summarizer.finding(error);
    for (const summary of result.summaries) summarizer.event({ type: "summary", summary });
    for (const diagnostic of result.diagnostics)
      summarizer.event({ type: "diagnostic", diagnostic });
    if (result.reportPart !== undefined)
      summarizer.event({ type: "report-part", part: result.reportPart });
    summarizer.source(result.source);
  }
  return summarizer.finish();
}

/**
 * The results, each source under a path of its own: the cross-checks and the repeated-process
 * check key processes by path and PID, so two texts parsed with parse()'s default `<text>` (or
 * one file parsed twice) were read as one log whose records added up to twice its summaries
 * (false summary-mismatch warnings). A repeated path gets ` (2)`, ` (3)`, ... A leaklog report's
 * part names its sources itself and keeps its path.
 */
function distinctPaths(results: readonly ParseResult[]): ParseResult[] {
  const taken = new Set(results.map((r) => r.source.path));
  const seen = new Set<string>();
  return results.map((result) => {
    const path = result.source.path;
    const first = !seen.has(path);
    seen.add(path);
    if (first || result.reportPart !== undefined) return result;
    // A free name: another input may be called `x (2)` already.
    let n = 2;
    while (taken.has(`${path} (${n})`)) n += 1;
    const renamed = `${path} (${n})`;
    taken.add(renamed);
    const at = <T extends { path: string }>(item: T): T => ({ ...item, path: renamed });
    const located = <T extends { location: { path: string } }>(record: T): T => ({
      ...record,
      location: at(record.location),
    });
    return {
      ...result,
      source: at(result.source),
      leaks: result.leaks.map(located),
      errors: result.errors.map(located),
      summaries: result.summaries.map(at),
      diagnostics: result.diagnostics.map(at),
    };
  });
}
