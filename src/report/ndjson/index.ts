import type { Report } from "../../model/index.js";
import { jsonText } from "../describe.js";
import type { Reporter } from "../types.js";

/** The discriminator of every NDJSON line (its first key, `record`). */
export type NdjsonRecord =
  | "header"
  | "source"
  | "leak"
  | "error"
  | "group"
  | "summary"
  | "summary-only"
  | "unshown"
  | "diagnostic"
  | "end";

function line(record: NdjsonRecord, value: object): string {
  // jsonText also escapes U+2028/U+2029/U+0085, which some line splitters break lines at.
  return jsonText({ record, ...value });
}

/**
 * Newline-delimited JSON for streaming consumers (jq, log shippers): one object per line, each
 * with `record` as its first key. Lines come in a fixed order: one `header` (schemaVersion and
 * generator), then every `source`, `leak`, `error`, `group`, `summary` and `diagnostic`, and one
 * `end` with the totals, `recordsOmitted` and the gate: a stream without its `end` line was cut
 * short. Apart from `record`, each line is the object of the JSON report with the same shape
 * (`leak` and `group` lines keep their own `type` field).
 */
export const ndjsonReporter: Reporter = {
  description: "newline-delimited JSON: one record per line, `record` tells them apart",
  render(report: Report) {
    return [...ndjsonLines(report)].join("");
  },
  renderPieces: ndjsonLines,
};

/** The lines, each with its newline, in the order the reporter documents. */
function* ndjsonLines(report: Report): Generator<string> {
  yield `${line("header", { schemaVersion: report.schemaVersion, generator: report.generator })}\n`;
  for (const source of report.sources) yield `${line("source", source)}\n`;
  for (const leak of report.leaks) yield `${line("leak", leak)}\n`;
  for (const error of report.errors) yield `${line("error", error)}\n`;
  for (const group of report.groups) yield `${line("group", group)}\n`;
  for (const summary of report.summaries) yield `${line("summary", summary)}\n`;
  for (const leak of report.summaryOnlyLeaks ?? []) yield `${line("summary-only", leak)}\n`;
  for (const leak of report.unshownLeaks ?? []) yield `${line("unshown", leak)}\n`;
  for (const diagnostic of report.diagnostics) yield `${line("diagnostic", diagnostic)}\n`;
  // recordsOmitted too: without it, a reader (or a merge of the stream) could not tell a
  // --max-records cap from a group whose records are missing.
  const end = {
    totals: report.totals,
    ...(report.recordsOmitted !== undefined ? { recordsOmitted: report.recordsOmitted } : {}),
    ...(report.gate !== undefined ? { gate: report.gate } : {}),
  };
  yield `${line("end", end)}\n`;
}
