import type { RegisteredDiagnostic } from "../../model/index.js";
import { MAX_HELD } from "./held-leaks.js";

/**
 * Said when a full leak check supersedes records of an earlier one that had already gone out
 * counted: at most 5,000 records are held for a later check to supersede (MAX_HELD, the XML
 * parser's MAX_WAITING), and the findings already out cannot be taken back. The check's own
 * records agree with its LEAK SUMMARY, so no other cross-check notices the overcount.
 */
export function countedTwice(
  records: number,
  line?: number,
  pid?: number,
): Omit<RegisteredDiagnostic, "path"> {
  const who = pid !== undefined ? `PID ${pid}: ` : "";
  return {
    severity: "warning",
    code: "summary-mismatch",
    message: `${who}this full leak check supersedes an earlier one, of which ${records} loss records had already been counted (no more than ${MAX_HELD} are held back for a later check): the totals count them twice, above Valgrind's LEAK SUMMARY`,
    ...(line !== undefined ? { line } : {}),
    ...(pid !== undefined ? { pid } : {}),
  };
}
