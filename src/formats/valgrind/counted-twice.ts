import type { LeakKind, RegisteredDiagnostic } from "../../model/index.js";
import { MAX_HELD, type Overcount } from "./held-leaks.js";

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

/**
 * Said when a LEAK SUMMARY counts less of a kind than the records still counted for it, the
 * earlier checks' and its own: some of the earlier records' blocks were freed or changed kind
 * since (a delta check's `possibly lost: 40 (-40)`), and a log that prints only the records
 * that grew does not say which. They all stay counted, above Valgrind's total (campaign v15a
 * F3: silently so, with the totals beside it). Said once the process ends with them counted,
 * at the kind's last such summary: a later full check supersedes them, and the warning with
 * them (campaign bu F1).
 */
export function keptCounted(
  pid: number,
  kind: LeakKind,
  { counted, whole, line }: Overcount,
): Omit<RegisteredDiagnostic, "path"> {
  return {
    severity: "warning",
    code: "summary-mismatch",
    message: `${kind} for PID ${pid}: the records still counted add up to ${counted.bytes} bytes in ${counted.blocks} blocks, this leak check's summary says ${whole.bytes} bytes in ${whole.blocks} blocks: some of the blocks of earlier checks' records were freed or changed kind since, and the log does not say which, so all of those records stay counted (no later full leak check of the process supersedes them)`,
    line,
    pid,
  };
}
