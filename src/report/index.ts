import { htmlReporter } from "./html/index.js";
import { codeQualityReporter } from "./codequality/index.js";
import { githubReporter } from "./github/index.js";
import { jsonReporter } from "./json/index.js";
import { junitReporter } from "./junit/index.js";
import { markdownReporter } from "./markdown/index.js";
import { ndjsonReporter } from "./ndjson/index.js";
import { sarifReporter } from "./sarif/index.js";
import { textReporter } from "./text/index.js";
import type { Reporter } from "./types.js";

/**
 * The registry of output formats; its keys are the CLI's `--format` choices. Adding a format is
 * one folder under src/report and one line here.
 */
export const REPORTERS = {
  text: textReporter,
  json: jsonReporter,
  html: htmlReporter,
  sarif: sarifReporter,
  junit: junitReporter,
  codequality: codeQualityReporter,
  github: githubReporter,
  markdown: markdownReporter,
  ndjson: ndjsonReporter,
} satisfies Record<string, Reporter>;

export type ReportFormatId = keyof typeof REPORTERS;

export function isReportFormat(id: string): id is ReportFormatId {
  return Object.hasOwn(REPORTERS, id);
}

export type { Reporter, ReportContext } from "./types.js";
