import type { Summarizer } from "../api/summarizer.js";
import type { FatalProblem } from "../engine/engine.js";

/** Records an input that could not be read at all: an error diagnostic and an empty source. */
export function addUnusable(summarizer: Summarizer, path: string, fatal: FatalProblem): void {
  summarizer.event({
    type: "diagnostic",
    diagnostic: { severity: "error", code: fatal.code, message: fatal.message, path },
  });
  summarizer.source({
    path,
    format: "unknown",
    processes: [],
    complete: false,
    counters: { lines: 0, bytes: 0, records: 0, programLines: 0, unrecognizedLines: 0 },
  });
}
