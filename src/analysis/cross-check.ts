import type { Diagnostic, LeakKind, LeakRecord, ToolSummary } from "../model/index.js";

/**
 * Checks leak records against the tool's own LEAK SUMMARY, per source, process and leak check.
 * Only kinds the log listed as records are compared: with Valgrind's default
 * `--show-leak-kinds=definite,possible`, or `--leak-check=summary`, the other kinds appear only
 * in the totals. Direct bytes are summed, because `B (D direct, I indirect)` records count their
 * indirect bytes again in their own `indirectly lost` records.
 */
export function crossCheckLeaks(
  leaks: readonly LeakRecord[],
  summaries: readonly ToolSummary[],
): Diagnostic[] {
  const sums = new LeakCheckSums();
  for (const leak of leaks) sums.add(leak);
  return sums.check(summaries);
}

interface CheckSums {
  byKind: Map<LeakKind, { bytes: number; blocks: number }>;
  /** Any record came from an "added" leak check (client request printing only increases). */
  added: boolean;
}

/**
 * The records' sums per source, process and leak check, built one leak at a time so that a
 * streaming summary need not keep the leaks. Memory grows with processes, not with records.
 */
export class LeakCheckSums {
  private readonly sums = new Map<string, CheckSums>();

  add(leak: LeakRecord): void {
    const key = checkKey(leak.location.path, leak.pid, leak.leakCheck ?? 1);
    let entry = this.sums.get(key);
    if (entry === undefined) {
      entry = { byKind: new Map(), added: false };
      this.sums.set(key, entry);
    }
    const sum = entry.byKind.get(leak.kind) ?? { bytes: 0, blocks: 0 };
    sum.bytes += leak.directBytes;
    sum.blocks += leak.blocks;
    entry.byKind.set(leak.kind, sum);
    if (leak.details?.["addedLeakCheck"] === true) entry.added = true;
  }

  /** A diagnostic for every listed kind whose records disagree with the printed summary. */
  check(summaries: readonly ToolSummary[]): Diagnostic[] {
    const diagnostics: Diagnostic[] = [];
    for (const summary of summaries) {
      if (summary.leak === undefined) continue;
      const recorded = this.sums.get(checkKey(summary.path, summary.pid, summary.leakCheck ?? 1));
      const printedKinds = Object.entries(summary.leak) as [
        LeakKind,
        { bytes: number; blocks: number },
      ][];
      for (const [kind, printed] of printedKinds) {
        const got = recorded?.byKind.get(kind);
        if (got === undefined) continue;
        if (got.bytes === printed.bytes && got.blocks === printed.blocks) continue;
        diagnostics.push(mismatch(summary, kind, got, printed, recorded?.added === true));
      }
    }
    return diagnostics;
  }
}

function checkKey(path: string, pid: number | undefined, leakCheck: number): string {
  return `${path}\u0000${pid ?? ""}\u0000${leakCheck}`;
}

function mismatch(
  summary: ToolSummary,
  kind: LeakKind,
  got: { bytes: number; blocks: number },
  printed: { bytes: number; blocks: number },
  added: boolean,
): Diagnostic {
  const where = summary.pid !== undefined ? ` for PID ${summary.pid}` : "";
  const why = added
    ? "this leak check printed only new or increased records (VALGRIND_DO_ADDED_LEAK_CHECK)"
    : "records are missing or damaged in the log";
  return {
    severity: added ? "info" : "warning",
    code: "summary-mismatch",
    message: `${kind}${where}: records add up to ${got.bytes} bytes in ${got.blocks} blocks, the tool's summary says ${printed.bytes} bytes in ${printed.blocks} blocks (${why})`,
    path: summary.path,
    ...(summary.line !== undefined ? { line: summary.line } : {}),
    ...(summary.pid !== undefined ? { pid: summary.pid } : {}),
  };
}
