import type { Report } from "../../model/index.js";
import { jsonText } from "../describe.js";
import type { Reporter } from "../types.js";

/** The discriminator of every NDJSON line (its first key, `record`). */
export type NdjsonRecord =
  "header" | "source" | "leak" | "error" | "group" | "summary" | "diagnostic" | "end";

function line(record: NdjsonRecord, value: object): string {
  // jsonText also escapes U+2028/U+2029/U+0085, which some line splitters break lines at.
  return jsonText({ record, ...value });
}

/**
 * Newline-delimited JSON for streaming consumers (jq, log shippers): one object per line, each
 * with `record` as its first key. Lines come in a fixed order: one `header` (schemaVersion and
 * generator), then every `source`, `leak`, `error`, `group`, `summary` and `diagnostic`, and one
 * `end` with the totals and the gate: a stream without its `end` line was cut short. Apart from
 * `record`, each line is the object of the JSON report with the same shape (`leak` and `group`
 * lines keep their own `type` field).
 */
export const ndjsonReporter: Reporter = {
  description: "newline-delimited JSON: one record per line, `record` tells them apart",
  render(report: Report) {
    const lines = [
      line("header", { schemaVersion: report.schemaVersion, generator: report.generator }),
      ...report.sources.map((source) => line("source", source)),
      ...report.leaks.map((leak) => line("leak", leak)),
      ...report.errors.map((error) => line("error", error)),
      ...report.groups.map((group) => line("group", group)),
      ...report.summaries.map((summary) => line("summary", summary)),
      ...report.diagnostics.map((diagnostic) => line("diagnostic", diagnostic)),
      line("end", {
        totals: report.totals,
        ...(report.gate !== undefined ? { gate: report.gate } : {}),
      }),
    ];
    return `${lines.join("\n")}\n`;
  },
};
