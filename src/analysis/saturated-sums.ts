import type { RegisteredDiagnostic } from "../model/index.js";
import { formatNumber } from "../numbers.js";

/**
 * The largest sum a report holds: 2^53 - 1. Past it a double is inexact (two valid counts of
 * 4,503,599,627,370,497 and ...529 bytes summed to ...060, not ...059), and the published
 * schema's integers have it as their `maximum`, so a larger sum made a report the schema
 * rejects (campaign bj F4). grammars/numbers.ts refuses a parsed count past it for the same
 * reason; a sum of counts it let through is held at it instead, and said so.
 */
export const MAX_SUM = Number.MAX_SAFE_INTEGER;

/** Sums named in the diagnostic; a run that passes the limit in more names the rest by count. */
const NAMED = 10;

/**
 * The sums of totals and groups that passed MAX_SUM, and were held at it: each is a floor of
 * the true sum. Nothing is dropped, so no source is incomplete; one `sum-too-large` warning
 * names them.
 */
export class SaturatedSums {
  /** What passed the limit (`total definitely-lost bytes`), in the order it did. */
  private readonly passed = new Set<string>();
  /** The input whose finding first passed it, when known (a merged total's is not). */
  private path: string | undefined;

  /** `sum + amount`, or MAX_SUM when that passes it (noted as `what`, passed at `path`). */
  add(sum: number, amount: number, what: string, path?: string): number {
    // Two counts of at most MAX_SUM sum exactly up to it, and past it round to a double still
    // above it: the test is exact.
    const total = sum + amount;
    if (total <= MAX_SUM) return total;
    this.note(what, path);
    return MAX_SUM;
  }

  /** A sum named `what` was held at MAX_SUM. */
  note(what: string, path?: string): void {
    this.passed.add(what);
    this.path ??= path;
  }

  /** The `sum-too-large` warning, or undefined when no sum passed; `path` when none is known. */
  diagnostic(path: string): RegisteredDiagnostic | undefined {
    if (this.passed.size === 0) return undefined;
    const all = [...this.passed];
    const more = all.length > NAMED ? `, and ${all.length - NAMED} more` : "";
    return {
      severity: "warning",
      code: "sum-too-large",
      message: `sums past ${formatNumber(MAX_SUM)} (2^53 - 1, past which a JSON number is inexact) are written as that number, below the true sum: ${all.slice(0, NAMED).join(", ")}${more}`,
      path: this.path ?? path,
    };
  }
}
