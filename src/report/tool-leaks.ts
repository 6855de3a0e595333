import { processKey } from "../analysis/process-key.js";
import { computeTotals } from "../analysis/totals.js";
import type { Amount, Report, ToolSummary } from "../model/index.js";
import { bytesInBlocks } from "./describe.js";

/*
 * The tools' own leak totals beside leaklog's, and what of them forked children's copies are:
 * the rows of the text and HTML Totals.
 */

/**
 * The tools' own leak totals by kind: the last leak check of each process (of each run of a
 * PID: see ProcessInfo.run) added up, since every leak check of a process describes its heap.
 */
export function summedToolLeaks(summaries: readonly ToolSummary[]): Map<string, Amount> {
  const last = new Map<string, ToolSummary>();
  for (const s of summaries) if (s.leak !== undefined) last.set(processKey(s), s);
  const sums = new Map<string, Amount>();
  for (const summary of last.values()) {
    for (const [kind, amount] of Object.entries(summary.leak ?? {})) {
      const sum = sums.get(kind) ?? { bytes: 0, blocks: 0 };
      sums.set(kind, { bytes: sum.bytes + amount.bytes, blocks: sum.blocks + amount.blocks });
    }
  }
  return sums;
}

/**
 * The direct bytes and blocks of forked children's copies of their parents' loss records
 * (Totals' `inheritedLeaks`, listed or not), by kind: Valgrind's LEAK SUMMARY of each child
 * counts them, leaklog's totals do not, and the rows beside the tool's summary say so. A copy
 * --suppressions took goes by the kind the tool gave it, the row whose summary counts it: under
 * `suppressed` it was "of" a tool's 0 bytes (campaign ch F1). A report of an older leaklog has
 * no such totals, and listed every copy.
 */
export function inheritedLeakAmounts(report: Report): Map<string, Amount> {
  let totals = report.totals.inheritedLeaks;
  if (totals === undefined) {
    // Only copies add to inheritedLeaks: most reports have none, and no sum is made.
    const copies = report.leaks.filter((leak) => leak.inheritedFrom !== undefined);
    if (copies.length > 0) totals = computeTotals(copies, [], []).inheritedLeaks;
  }
  return new Map(Object.entries(totals ?? {}));
}

/**
 * The words beside a tool's row that counts forked children's copies (see inheritedLeakAmounts):
 * `24 bytes in 1 blocks of them forked children's copies of their parents', counted once`.
 */
export function inheritedCopiesNote(copies: Amount): string {
  return `${bytesInBlocks(copies)} of them forked children's copies of their parents', counted once`;
}
