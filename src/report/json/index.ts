import type { Reporter } from "../types.js";
import { prettyJsonPieces } from "./pieces.js";

/** The JSON contract (schema: `leaklog/schema.json`), pretty-printed. */
export const jsonReporter: Reporter = {
  description: "the full report as JSON: the stable contract other tools read",
  render: (report) => `${JSON.stringify(report, null, 2)}\n`,
  // The same text in pieces, for reports too large to hold as one string.
  *renderPieces(report) {
    yield* prettyJsonPieces(report);
    yield "\n";
  },
};
