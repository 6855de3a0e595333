import type { Reporter } from "../types.js";

/** The JSON contract (schema: `leaklog/schema.json`), pretty-printed. */
export const jsonReporter: Reporter = {
  description: "the full report as JSON: the stable contract other tools read",
  render: (report) => `${JSON.stringify(report, null, 2)}\n`,
};
