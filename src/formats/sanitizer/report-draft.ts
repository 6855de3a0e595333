import type { IToken } from "chevrotain";
import type { Details } from "../../model/index.js";
import type { ErrorDraft, ParseSink } from "../types.js";
import { lineOf } from "./frames.js";
import type { SanitizerReport } from "./splitter.js";

/** A report's SUMMARY line, when it has one, as `details.summary` (without `SUMMARY: Tool: `). */
export function summaryLine(token: IToken | undefined, details: Details) {
  if (token === undefined) return undefined;
  const summary = lineOf(token);
  details["summary"] = summary.body.replace(/^SUMMARY: \w+: /, "");
  return summary;
}

/**
 * Sends an error report's draft on. A report cut before its SUMMARY (the log ends, another
 * report starts) is kept, and makes the source incomplete.
 */
export function sendErrorReport(
  sink: ParseSink,
  draft: ErrorDraft,
  block: SanitizerReport,
  summarized: boolean,
  what: string,
): void {
  sink.finding(draft);
  if (summarized) return;
  const last = block.lines[block.lines.length - 1]?.lineNo;
  sink.incomplete(`${what} of process ${block.pid} ends without its SUMMARY line`, last);
}
