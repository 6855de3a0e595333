import { LeakKind, type Diagnostic, type LeakRecord, type ToolSummary } from "../model/index.js";

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

/** One leak check's sums, kept small: a long log has one per process (21,000 in the bench). */
interface CheckSums {
  /** Direct bytes and blocks of each kind, at 2i and 2i+1 for the kind's index. */
  amounts: number[];
  /** Bit i set: a record of kind i was seen (a kind with no record is not compared). */
  seen: number;
  /** Any record came from an "added" leak check (client request printing only increases). */
  added: boolean;
}

const KIND_INDEX = new Map<string, number>(LeakKind.options.map((kind, i) => [kind, i]));

/**
 * The records' sums per source, process and leak check, built one leak at a time so that a
 * streaming summary need not keep the leaks. Memory grows with processes, not with records.
 */
export class LeakCheckSums {
  private readonly sums = new Map<string, CheckSums>();
  /** The last leak's check: consecutive leaks nearly always share it, and its key. */
  private last:
    { path: string; pid: number | undefined; leakCheck: number; sums: CheckSums } | undefined;

  add(leak: LeakRecord): void {
    const kind = KIND_INDEX.get(leak.kind) as number;
    const entry = this.entryOf(leak.location.path, leak.pid, leak.leakCheck ?? 1);
    entry.amounts[2 * kind] = (entry.amounts[2 * kind] as number) + leak.directBytes;
    entry.amounts[2 * kind + 1] = (entry.amounts[2 * kind + 1] as number) + leak.blocks;
    entry.seen |= 1 << kind;
    if (leak.details?.["addedLeakCheck"] === true) entry.added = true;
  }

  private entryOf(path: string, pid: number | undefined, leakCheck: number): CheckSums {
    const last = this.last;
    if (last?.path === path && last.pid === pid && last.leakCheck === leakCheck) return last.sums;
    const key = checkKey(path, pid, leakCheck);
    let sums = this.sums.get(key);
    if (sums === undefined) {
      sums = { amounts: new Array<number>(2 * KIND_INDEX.size).fill(0), seen: 0, added: false };
      this.sums.set(key, sums);
    }
    this.last = { path, pid, leakCheck, sums };
    return sums;
  }

  /** A diagnostic for every listed kind whose records disagree with the printed summary. */
  check(summaries: readonly ToolSummary[]): Diagnostic[] {
    const diagnostics: Diagnostic[] = [];
    for (const summary of summaries) {
      if (summary.leak === undefined) continue;
      const recorded = this.sums.get(checkKey(summary.path, summary.pid, summary.leakCheck ?? 1));
      if (recorded === undefined) continue;
      const printedKinds = Object.entries(summary.leak) as [
        LeakKind,
        { bytes: number; blocks: number },
      ][];
      for (const [kind, printed] of printedKinds) {
        const i = KIND_INDEX.get(kind) as number;
        if ((recorded.seen & (1 << i)) === 0) continue;
        const got = {
          bytes: recorded.amounts[2 * i] ?? 0,
          blocks: recorded.amounts[2 * i + 1] ?? 0,
        };
        if (got.bytes === printed.bytes && got.blocks === printed.blocks) continue;
        diagnostics.push(mismatch(summary, kind, got, printed, recorded.added));
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
