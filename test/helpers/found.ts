import type { ParseResult } from "../../src/api/parse.js";

/**
 * What a parse found, without what tells one reading of a log from another (the bytes read):
 * a log read through a decoding (gzip, UTF-16) must find this much the same as the plain text.
 */
export const found = (result: ParseResult) => ({
  leaks: result.leaks,
  errors: result.errors,
  summaries: result.summaries,
  diagnostics: result.diagnostics,
  complete: result.source.complete,
  lines: result.source.counters.lines,
  programLines: result.source.counters.programLines,
  unrecognizedLines: result.source.counters.unrecognizedLines,
  format: result.source.format,
});
