import type { Report } from "../model/index.js";
import { bytesInBlocks, formatNumber, shareNote } from "./describe.js";

/** What the totals say of leaklog's own suppressions (`--suppressions`), see suppressedWords. */
export interface SuppressedWords {
  /**
   * For a kind with nothing left that --suppressions took, the words in place of an amount:
   * `none left: 32 bytes in 1 blocks suppressed by --suppressions`; undefined otherwise.
   */
  noneLeft(kind: string): string | undefined;
  /**
   * A note on the tool's amount of a kind: on the `suppressed` row, how much of it --suppressions
   * moved there; on the row of a kind it took some of while some are left, how much (`256 bytes
   * in 4,000 blocks of them suppressed by --suppressions`); else undefined.
   */
  toolShare(kind: string, leftSome: boolean): string | undefined;
  /** What to add after an error kind's occurrences: `, all suppressed`, or nothing. */
  errorNote(kind: string, count: number): string;
  /** Whether every occurrence of the error kind was suppressed. */
  allSuppressed(kind: string, count: number): boolean;
}

/**
 * The text and HTML totals' words for what leaklog's own suppressions hid: leaks by the kind the
 * tool gave them (Totals.suppressedLeaks), errors by their suppressed occurrences
 * (Totals.suppressedErrors). The tool's summary knows nothing of them, so the rows say it. Read
 * from the totals, not the listed records: those stop at --max-records, and hold forked
 * children's copies and superseded leak checks, which no total counts (campaign ch F1); the
 * HTML page said nothing of them at all (ch F2).
 */
export function suppressedWords(report: Report): SuppressedWords {
  const leaks = new Map(Object.entries(report.totals.suppressedLeaks ?? {}));
  const errors = new Map(Object.entries(report.totals.suppressedErrors ?? {}));
  let leakBytes = 0;
  for (const amount of leaks.values()) leakBytes += amount.bytes;
  return {
    noneLeft(kind) {
      const moved = leaks.get(kind);
      return moved !== undefined
        ? `none left: ${bytesInBlocks(moved)} suppressed by --suppressions`
        : undefined;
    },
    toolShare(kind, leftSome) {
      // Where the tool's bytes that leaklog's --suppressions took went, on both rows: a tool
      // whose summary has no suppressed row (LeakSanitizer) left `11 bytes (tool's summary: 33
      // bytes)` unexplained beside a bare `suppressed` row (campaign bs Q5).
      if (kind === "suppressed")
        return leaks.size > 0
          ? `${formatNumber(leakBytes)} bytes of them by --suppressions`
          : undefined;
      const moved = leaks.get(kind);
      return leftSome && moved !== undefined
        ? `${bytesInBlocks(moved)} of them suppressed by --suppressions`
        : undefined;
    },
    // Counted per record, not per group: a group is suppressed only when all its records are.
    errorNote: (kind, count) => shareNote(errors.get(kind) ?? 0, count, "suppressed"),
    allSuppressed: (kind, count) => count > 0 && (errors.get(kind) ?? 0) >= count,
  };
}
