import { parse, Summarizer, type Report, type SummarizeOptions } from "../../src/index.js";

/**
 * What the CLI's worker threads do with several inputs: each is summarized apart into a
 * partial report, and the partial reports are merged in input order.
 */
export function summarizeLikeWorkers(
  logs: readonly (readonly [path: string, text: string])[],
  options: SummarizeOptions = {},
): Report {
  const whole = new Summarizer(options);
  for (const [path, text] of logs) {
    const part = new Summarizer(options);
    const result = parse(text, { path });
    for (const finding of [...result.leaks, ...result.errors]) part.finding(finding);
    for (const diagnostic of result.diagnostics) part.event({ type: "diagnostic", diagnostic });
    for (const summary of result.summaries) part.event({ type: "summary", summary });
    part.source(result.source);
    const { report, crossChecked, byProcess, facts } = part.finishPartial();
    whole.partial(report, crossChecked, byProcess, facts);
  }
  return whole.finish();
}
