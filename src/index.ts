/**
 * leaklog's public API. One test pins this export list: changing it is a decision.
 */
export { parse, parseChunks, parseFile, parseInto, parseStream } from "./api/parse.js";
export type { ParseOptions, ParseResult, StreamEvent } from "./api/parse.js";
export type { ParsedReportPart, ParseEvent } from "./engine/source-builder.js";
export type { FatalProblem } from "./engine/engine.js";
export { ParseReuse } from "./engine/parse-reuse.js";
export { summarize } from "./api/summarize.js";
export type { SummarizeOptions } from "./api/summarize.js";
export { Summarizer } from "./api/summarizer.js";
export type { ProcessFindings } from "./analysis/process-findings.js";
export type { PartialFacts } from "./api/partial-facts.js";
export type { PrintedContextsData } from "./analysis/printed-contexts.js";
export type { CountedLeak } from "./analysis/counted-leaks.js";
export { fingerprintStack } from "./analysis/fingerprint.js";
export { groupFindings } from "./analysis/group.js";
export { crossCheckLeaks } from "./analysis/cross-check.js";
export { evaluateGate } from "./analysis/gate.js";
export type { GateRules } from "./analysis/gate.js";
export { severityOf, DEFAULT_SEVERITIES } from "./analysis/severity.js";
export { compareWithBaseline } from "./analysis/baseline.js";
export { parseValgrindSuppressions } from "./analysis/suppressions/valgrind.js";
export type {
  ValgrindSuppression,
  ValgrindSuppressionFile,
  SuppressionFrame,
} from "./analysis/suppressions/valgrind.js";
export { parseLsanSuppressions } from "./analysis/suppressions/lsan.js";
export type { LsanSuppression, LsanSuppressionFile } from "./analysis/suppressions/lsan.js";
export { parseTsanSuppressions } from "./analysis/suppressions/tsan.js";
export type { TsanSuppression, TsanSuppressionFile } from "./analysis/suppressions/tsan.js";
// What SummarizeOptions.suppressions takes: both parsers' entries.
export type { SuppressionSet } from "./analysis/suppressions/suppressor.js";
export { applyValgrindSuppressions } from "./analysis/suppressions/valgrind-apply.js";
export { generateValgrindSuppressions } from "./analysis/suppressions/valgrind-generate.js";
export { generateLsanSuppressions } from "./analysis/suppressions/lsan-generate.js";
export { INPUT_FORMATS } from "./formats/index.js";
export { REPORTERS } from "./report/index.js";
export type { Reporter, ReportContext } from "./report/index.js";
export { VERSION } from "./version.js";
export * from "./model/index.js";
