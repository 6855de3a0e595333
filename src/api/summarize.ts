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
  for (const result of results) {
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
