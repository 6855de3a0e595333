import { jsonReporter } from "./json/index.js";
import { textReporter } from "./text/index.js";
import type { Reporter } from "./types.js";

/**
 * The registry of output formats; its keys are the CLI's `--format` choices. Adding a format is
 * one folder under src/report and one line here.
 */
export const REPORTERS = {
  text: textReporter,
  json: jsonReporter,
} satisfies Record<string, Reporter>;

export type ReportFormatId = keyof typeof REPORTERS;

export function isReportFormat(id: string): id is ReportFormatId {
  return Object.hasOwn(REPORTERS, id);
}

export type { Reporter, ReportContext } from "./types.js";
