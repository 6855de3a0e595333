import {
  LeakKind,
  type Amount,
  type RegisteredDiagnostic,
  type LeakRecord,
  type ToolSummary,
} from "../model/index.js";

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
): RegisteredDiagnostic[] {
  const sums = new LeakCheckSums();
  for (const leak of leaks) sums.add(leak);
  return sums.check(summaries);
}

const KIND_INDEX = new Map<string, number>(LeakKind.options.map((kind, i) => [kind, i]));
/** Numbers per leak check: direct bytes and blocks of each kind, at 2i and 2i+1. */
const SLOT = 2 * KIND_INDEX.size;
/**
 * In a leak check's flags: any record came from a delta leak check (a client request's
 * VALGRIND_DO_ADDED_LEAK_CHECK or VALGRIND_DO_CHANGED_LEAK_CHECK: `addedLeakCheck`).
 */
const ADDED = 1 << 15;

/**
 * The records' sums per source, process and leak check, built one leak at a time so that a
 * streaming summary need not keep the leaks. Memory grows with processes, not with records, so
 * each leak check is a slot of numbers in one typed array under a number key, not an object, an
 * array and a key string of its own: the live heap at the end of summarizing the 1 GB bench
 * log (21,356 leak checks) went from 80.4 to 76.0 MiB.
 */
export class LeakCheckSums {
  /** Each source's leak checks: slot index by checkId. */
  private readonly slots = new Map<string, Map<number | string, number>>();
  private amounts = new Float64Array(SLOT * 64);
  /**
   * The superseded records' part of `amounts`, laid out alike; made at the first superseded
   * record, as most runs hold none. A full check supersedes all of a check's records, a delta
   * check only those it repeats (campaign bo F1), so this is per record, not per check.
   */
  private supersededAmounts: Float64Array | undefined;
  /** Per slot: bit i set when a record of kind i was seen (a kind with none is not compared). */
  private flags = new Uint16Array(64);
  private used = 0;
  /** The last leak's check: consecutive leaks nearly always share it. */
  private last:
    | {
        path: string;
        pid: number | undefined;
        run: number | undefined;
        leakCheck: number;
        slot: number;
      }
    | undefined;

  add(leak: LeakRecord): void {
    const kind = KIND_INDEX.get(leak.kind) as number;
    const slot = this.slotOf(leak.location.path, leak.pid, leak.run, leak.leakCheck ?? 1);
    const at = slot * SLOT + 2 * kind;
    this.amounts[at] = (this.amounts[at] as number) + leak.directBytes;
    this.amounts[at + 1] = (this.amounts[at + 1] as number) + leak.blocks;
    let flags = (this.flags[slot] as number) | (1 << kind);
    if (leak.details?.["addedLeakCheck"] === true) flags |= ADDED;
    this.flags[slot] = flags;
    if (leak.superseded === true) {
      this.supersededAmounts ??= new Float64Array(this.amounts.length);
      this.supersededAmounts[at] = (this.supersededAmounts[at] as number) + leak.directBytes;
      this.supersededAmounts[at + 1] = (this.supersededAmounts[at + 1] as number) + leak.blocks;
    }
  }

  private slotOf(
    path: string,
    pid: number | undefined,
    run: number | undefined,
    leakCheck: number,
  ): number {
    const last = this.last;
    if (last?.path === path && last.pid === pid && last.run === run && last.leakCheck === leakCheck)
      return last.slot;
    let checks = this.slots.get(path);
    if (checks === undefined) {
      checks = new Map();
      this.slots.set(path, checks);
    }
    const id = checkId(pid, run, leakCheck);
    let slot = checks.get(id);
    if (slot === undefined) {
      slot = this.newSlot();
      checks.set(id, slot);
    }
    this.last = { path, pid, run, leakCheck, slot };
    return slot;
  }

  private newSlot(): number {
    if (this.used === this.flags.length) {
      const amounts = new Float64Array(this.amounts.length * 2);
      amounts.set(this.amounts);
      this.amounts = amounts;
      if (this.supersededAmounts !== undefined) {
        const superseded = new Float64Array(amounts.length);
        superseded.set(this.supersededAmounts);
        this.supersededAmounts = superseded;
      }
      const flags = new Uint16Array(this.flags.length * 2);
      flags.set(this.flags);
      this.flags = flags;
    }
    this.used += 1;
    return this.used - 1;
  }

  /**
   * Direct bytes and blocks the leak check's records of `kind` that no later check superseded
   * add up to (zero when none): what the check still counts for.
   */
  counted(
    path: string,
    pid: number | undefined,
    run: number | undefined,
    leakCheck: number,
    kind: LeakKind,
  ): Amount {
    const slot = this.checkSlot(path, pid, run, leakCheck);
    if (slot === undefined) return { bytes: 0, blocks: 0 };
    const at = slot * SLOT + 2 * (KIND_INDEX.get(kind) as number);
    const superseded = this.supersededAmounts;
    return {
      bytes: (this.amounts[at] as number) - (superseded?.[at] ?? 0),
      blocks: (this.amounts[at + 1] as number) - (superseded?.[at + 1] ?? 0),
    };
  }

  /** The blocks of `listed`'s amount, by the check's slot: asked once per process and kind. */
  listedBlocks(slot: number, kind: LeakKind): number {
    return this.amounts[slot * SLOT + 2 * (KIND_INDEX.get(kind) as number) + 1] as number;
  }

  /** The slot of the leak check's records: undefined when it listed none. */
  checkSlot(
    path: string,
    pid: number | undefined,
    run: number | undefined,
    leakCheck: number,
  ): number | undefined {
    return this.slots.get(path)?.get(checkId(pid, run, leakCheck));
  }

  /**
   * A diagnostic for every listed kind whose records disagree with the printed summary (see
   * disagreements).
   */
  check(summaries: readonly ToolSummary[]): RegisteredDiagnostic[] {
    const diagnostics: RegisteredDiagnostic[] = [];
    const say: Disagreement = (summary, kind, got, printed, added) =>
      diagnostics.push(mismatch(summary, kind, got, printed, added));
    for (const summary of summaries) this.disagreements(summary, say);
    return diagnostics;
  }

  /**
   * What the summary counts of each kind beyond the records its leak check listed of that kind,
   * where they fall short of it: the rest, whose records are missing or damaged in the log (the
   * `summary-mismatch` warning check gives), undefined when none fall short. A delta check's
   * records fall short by design (VALGRIND_DO_ADDED/CHANGED_LEAK_CHECK print only what changed,
   * their summary counts the whole heap), and `suppressed` is never listed: neither is missing.
   * Bytes less than the summary's count, blocks at least 0, as in beyondEarlier (summary-only.ts).
   */
  missing(summary: ToolSummary): Partial<Record<LeakKind, Amount>> | undefined {
    let leak: Partial<Record<LeakKind, Amount>> | undefined;
    this.disagreements(summary, (_, kind, got, printed, added) => {
      if (added || kind === "suppressed" || printed.bytes <= got.bytes) return;
      leak ??= {};
      leak[kind] = {
        bytes: printed.bytes - got.bytes,
        blocks: Math.max(printed.blocks - got.blocks, 0),
      };
    });
    return leak;
  }

  /**
   * Calls `visit` for every kind of the summary whose records its leak check listed and whose
   * direct bytes and blocks disagree with it: the one comparison of records with a summary,
   * for the diagnostics (check) and for what records lack (missing). Run over every process at
   * the end, so it makes nothing for a kind that agrees: entry pairs and sums as objects were
   * 24 MiB of garbage for the 43,000 processes of a 2 GB text log, made when the run's memory
   * peaks (see lastLeakSummaries).
   */
  private disagreements(summary: ToolSummary, visit: Disagreement): void {
    const printedKinds = summary.leak;
    if (printedKinds === undefined) return;
    const slot = this.checkSlot(summary.path, summary.pid, summary.run, summary.leakCheck ?? 1);
    if (slot === undefined) return;
    const flags = this.flags[slot] as number;
    const listedKinds = summary.listedKinds;
    // for-in visits the kinds in the order Object.entries would, without making the entries.
    for (const key in printedKinds) {
      const kind = key as LeakKind;
      const printed = printedKinds[kind] as Amount;
      const i = KIND_INDEX.get(kind) as number;
      if ((flags & (1 << i)) === 0) continue;
      // A kind the log says it did not list whole (LeakSanitizer's max_leaks) has no total.
      if (listedKinds !== undefined && !listedKinds.includes(kind)) continue;
      const bytes = this.amounts[slot * SLOT + 2 * i] as number;
      const blocks = this.amounts[slot * SLOT + 2 * i + 1] as number;
      if (bytes === printed.bytes && blocks === printed.blocks) continue;
      visit(summary, kind, { bytes, blocks }, printed, (flags & ADDED) !== 0);
    }
  }
}

/**
 * A kind whose records (`got`, direct bytes and blocks) disagree with the summary's `printed`
 * amount; `added`: the check was a delta one (see ADDED).
 */
type Disagreement = (
  summary: ToolSummary,
  kind: LeakKind,
  got: Amount,
  printed: Amount,
  added: boolean,
) => void;

/**
 * One number for a process's leak check: PIDs and ordinals fit side by side in a double's 53
 * bits as they come from any real system; anything larger falls back to a string, as does a
 * PID's later run (see ProcessInfo.run), which few logs have.
 */
function checkId(
  pid: number | undefined,
  run: number | undefined,
  leakCheck: number,
): number | string {
  if (run !== undefined) return `${pid}/${run}:${leakCheck}`;
  if (pid === undefined) return -leakCheck;
  if (pid >= 0 && pid < 2 ** 31 && leakCheck < 2 ** 21) return pid * 2 ** 21 + leakCheck;
  return `${pid}:${leakCheck}`;
}

function mismatch(
  summary: ToolSummary,
  kind: LeakKind,
  got: { bytes: number; blocks: number },
  printed: { bytes: number; blocks: number },
  added: boolean,
): RegisteredDiagnostic {
  const where = summary.pid !== undefined ? ` for PID ${summary.pid}` : "";
  // Both delta checks print records with deltas alike, and a CHANGED check whose blocks only
  // grew prints what an ADDED one would: the records do not tell them apart (campaign ce Q1).
  const why = added
    ? "a delta leak check, VALGRIND_DO_ADDED_LEAK_CHECK or VALGRIND_DO_CHANGED_LEAK_CHECK, prints only the records that changed"
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
