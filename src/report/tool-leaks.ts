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
 * What LeakSanitizer's max_leaks left unprinted while every printed leak was direct is left
 * out (see unprintedOfEitherKind): its summary books it as definitely lost, so that its kinds
 * add up to the SUMMARY's one total, and the Totals showed all of it as the tool's definite
 * leaks (test/fixtures/sanitizer/max-leaks-mixed: 148 of its 244 bytes are direct).
 */
export function summedToolLeaks(summaries: readonly ToolSummary[]): Map<string, Amount> {
  const sums = new Map<string, Amount>();
  for (const summary of lastLeakChecks(summaries)) {
    for (const { kind, amount: known } of knownToolLeaks(summary)) {
      const sum = sums.get(kind) ?? { bytes: 0, blocks: 0 };
      sums.set(kind, { bytes: sum.bytes + known.bytes, blocks: sum.blocks + known.blocks });
    }
  }
  return sums;
}

/**
 * The leaks LeakSanitizer's SUMMARY counts beyond the records its max_leaks let it print, summed
 * over the processes' last leak checks as summedToolLeaks sums, where every printed leak was
 * direct, so that they may be direct or indirect (ToolSummary.unprintedLeaks); undefined where
 * there are none. The tool's definitely lost row is then the least there are.
 */
export function unprintedOfEitherKind(summaries: readonly ToolSummary[]): Amount | undefined {
  const amounts = lastLeakChecks(summaries).flatMap((s) => unprintedEitherKind(s) ?? []);
  if (amounts.length === 0) return undefined;
  return {
    bytes: amounts.reduce((sum, a) => sum + a.bytes, 0),
    blocks: amounts.reduce((sum, a) => sum + a.blocks, 0),
  };
}

/**
 * What leaklog has of the leaks unprintedOfEitherKind counts, in the Totals row of their kind,
 * `direct or indirect` (EITHER_KIND): a reader of the totals must not take them for definite
 * leaks, nor for none.
 */
export const UNPRINTED_WORDS =
  "not printed (LeakSanitizer's max_leaks; rerun with LSAN_OPTIONS=max_leaks=0)";

/** The last summary with leak totals of each process. */
function lastLeakChecks(summaries: readonly ToolSummary[]): ToolSummary[] {
  const last = new Map<string, ToolSummary>();
  for (const s of summaries) if (s.leak !== undefined) last.set(processKey(s), s);
  return [...last.values()];
}

/**
 * A summary's leaks by kind as the Totals show the tool's: definitely lost less what max_leaks
 * left unprinted of either kind (`least`: the least there are), see summedToolLeaks.
 */
export function knownToolLeaks(
  summary: ToolSummary,
): { kind: string; amount: Amount; least: boolean }[] {
  const either = unprintedEitherKind(summary);
  return Object.entries(summary.leak ?? {}).map(([kind, amount]) =>
    kind === "definitely-lost" && either !== undefined
      ? { kind, amount: minusAmount(amount, either), least: true }
      : { kind, amount, least: false },
  );
}

/** A summary's unprinted leaks when they may be of more than one kind. */
export function unprintedEitherKind(summary: ToolSummary): Amount | undefined {
  const unprinted = summary.unprintedLeaks;
  if (unprinted === undefined || unprinted.kinds.length < 2) return undefined;
  const { bytes, blocks } = unprinted;
  return blocks + bytes > 0 ? { bytes, blocks } : undefined;
}

/** `amount` less `part`, never below nothing (a report read back may not add up). */
function minusAmount(amount: Amount, part: Amount): Amount {
  return {
    bytes: Math.max(0, amount.bytes - part.bytes),
    blocks: Math.max(0, amount.blocks - part.blocks),
  };
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
