import type { Amount, LeakKind } from "../../model/index.js";
import { allocationKey, RepeatedLossRecords } from "../repeated-loss-records.js";
import type { FindingDraft } from "../types.js";

/**
 * How many leak records the text parser holds over all processes. A -q log prints no HEAP
 * SUMMARY, so its checks at exit look like client-requested ones and are held until the
 * process's ERROR SUMMARY, which -q prints only with -s: a -q log of many processes would
 * otherwise hold every record until its end. 5,000 is the XML parser's MAX_WAITING.
 */
export const MAX_HELD = 5_000;

/** A LEAK SUMMARY line that counted less of its kind than the records still counted for it. */
export interface Overcount {
  counted: Amount;
  whole: Amount;
  /** The summary line's, 1-based. */
  line: number;
}

/**
 * The leak records each process holds until a later full leak check supersedes them or the
 * process ends (see ProcessState.leak). Past MAX_HELD, the process that has held longest lets
 * its records go unmarked: they are then counted, as every record was before checks were held.
 * Should a later full check supersede them after all, `countedTwice` says so: a
 * VALGRIND_DO_LEAK_CHECK of 6,000 records, then the check at exit, totalled 11,001 blocks
 * against Valgrind's 6,000, without a word.
 */
export class HeldLeaks {
  /** By PID, in the order the processes began holding (the first is the oldest). */
  private readonly byPid = new Map<number, FindingDraft[]>();
  private count = 0;
  /** By PID, the records let out unmarked past MAX_HELD since its last full check. */
  private readonly letOut = new Map<number, number>();
  /** By PID, the held records by loss record, once a delta check began (see holdDelta). */
  private readonly repeated = new Map<number, RepeatedLossRecords>();
  /**
   * By PID, each kind's latest overcount (see summarised), said only once the process ends
   * with its records still counted (see release).
   */
  private readonly overcounts = new Map<number, Map<LeakKind, Overcount>>();

  constructor(
    private readonly emit: (draft: FindingDraft) => void,
    private readonly countedTwice: (pid: number, records: number, line?: number) => void,
    /** Says that a kind's records stay counted above its last summary (see summarised). */
    private readonly keptCounted: (pid: number, kind: LeakKind, overcount: Overcount) => void,
  ) {}

  hold(pid: number, draft: FindingDraft): void {
    const held = this.byPid.get(pid);
    if (held === undefined) this.byPid.set(pid, [draft]);
    else held.push(draft);
    this.count += 1;
    if (this.count > MAX_HELD) {
      const oldest = this.byPid.keys().next().value as number;
      const records = this.emitHeld(oldest, false);
      this.letOut.set(oldest, (this.letOut.get(oldest) ?? 0) + records);
    }
  }

  /**
   * By PID, the allocation stacks (see allocationKey) of the held records of earlier checks, while a
   * full check that followed a -q check has repeated none of them (see holdAfterQuietCheck).
   */
  private readonly quietEarlier = new Map<number, { check: number; keys: Set<string> }>();

  /**
   * Holds a record of a full check that followed another with no LEAK SUMMARY between (a -q
   * log, see ProcessState.numberingRestarts). Such a check supersedes the earlier ones as any
   * full check does, once it lists a block allocated where one of theirs was (the same stack,
   * whatever its kind: a block possibly lost at the first check may be definitely lost at the
   * next, campaign v23 F2): that shows one process's heap checked twice. Until then the earlier records stay counted, for -q prints no banner either,
   * and two -q runs of one PID (two `docker run`s, each PID 1) read as one process: the second
   * run's check must not drop what the first one leaked.
   */
  holdAfterQuietCheck(pid: number, draft: FindingDraft, line: number): void {
    const check = draft.type === "leak" ? (draft.leakCheck ?? 0) : 0;
    let earlier = this.quietEarlier.get(pid);
    if (earlier?.check !== check) {
      const stacks = this.earlierRecords(pid, check).map((d) => allocationKey(d.stack));
      earlier = { check, keys: new Set(stacks) };
      this.quietEarlier.set(pid, earlier);
    }
    if (earlier.keys.has(allocationKey(draft.stack))) {
      earlier.keys.clear();
      for (const d of this.earlierRecords(pid, check)) if (d.type === "leak") d.superseded = true;
      const letOut = this.letOut.get(pid);
      this.letOut.delete(pid);
      if (letOut !== undefined) this.countedTwice(pid, letOut, line);
    }
    this.hold(pid, draft);
  }

  /** The held leak records of `pid`'s checks before `check` that nothing superseded yet. */
  private earlierRecords(pid: number, check: number): FindingDraft[] {
    return (this.byPid.get(pid) ?? []).filter(
      (d) => d.type === "leak" && (d.leakCheck ?? 0) < check && d.superseded !== true,
    );
  }

  /**
   * Holds a delta check's record, which supersedes the held record of the same loss record
   * (see RepeatedLossRecords); one let out past MAX_HELD is no longer held, and stays counted.
   */
  holdDelta(pid: number, draft: FindingDraft): void {
    let repeated = this.repeated.get(pid);
    if (repeated === undefined) {
      repeated = new RepeatedLossRecords(this.byPid.get(pid) ?? []);
      this.repeated.set(pid, repeated);
    }
    repeated.repeat(draft);
    this.hold(pid, draft);
  }

  /**
   * A LEAK SUMMARY line of check `check` (at `summary.line`) says its kind's `whole` amount, of
   * which the check's own records hold `own` (direct bytes and blocks). When they hold all of it,
   * the held records of that kind from earlier checks hold no block now and are superseded (they
   * stay held, for a later check may supersede the rest). Otherwise, should they and `own` count
   * more than `whole`, some of their blocks were freed or changed kind, and which is not known: the
   * overcount is kept until the process ends, for a later full check may yet supersede those
   * records (a harness that checks after every test and frees its fixtures: one false warning per
   * check, campaign bu F1). A later summary of the kind replaces it. A check's own records beyond
   * its summary are the cross-check's business, not this; one let out past MAX_HELD stays counted,
   * unseen here.
   */
  summarised(
    pid: number,
    kind: LeakKind,
    check: number,
    summary: { whole: Amount; own: Amount; line: number },
  ): void {
    const held = this.byPid.get(pid);
    if (held === undefined) return;
    const { whole, own } = summary;
    const earlier = held.filter(
      (d) =>
        d.type === "leak" && d.kind === kind && (d.leakCheck ?? 0) < check && d.superseded !== true,
    );
    if (whole.bytes === own.bytes && whole.blocks === own.blocks) {
      for (const draft of earlier) if (draft.type === "leak") draft.superseded = true;
      this.overcounts.get(pid)?.delete(kind);
      return;
    }
    const counted = { ...own };
    for (const draft of earlier) {
      if (draft.type !== "leak") continue;
      counted.bytes += draft.directBytes;
      counted.blocks += draft.blocks;
    }
    const over = counted.bytes > whole.bytes || counted.blocks > whole.blocks;
    if (earlier.length === 0 || !over) this.overcounts.get(pid)?.delete(kind);
    else {
      const overcounts = this.overcounts.get(pid) ?? new Map<LeakKind, Overcount>();
      this.overcounts.set(pid, overcounts.set(kind, { counted, whole, line: summary.line }));
    }
  }

  /**
   * Emits a process's held records, marked superseded when a later full check began (at
   * `line`); forgets the records let out before, which only that check could supersede. Its
   * overcounts are said when the records stay counted (the process ended, or the log), and
   * withdrawn when superseded: the full check at exit already agrees with Valgrind.
   */
  release(pid: number, superseded: boolean, line?: number): void {
    this.quietEarlier.delete(pid);
    const letOut = this.letOut.get(pid);
    if (letOut !== undefined) {
      this.letOut.delete(pid);
      if (superseded) this.countedTwice(pid, letOut, line);
    }
    const overcounts = this.overcounts.get(pid);
    if (overcounts !== undefined) {
      this.overcounts.delete(pid);
      if (!superseded)
        for (const [kind, overcount] of overcounts) this.keptCounted(pid, kind, overcount);
    }
    this.emitHeld(pid, superseded);
  }

  /** Emits a process's held records (see release); returns how many. */
  private emitHeld(pid: number, superseded: boolean): number {
    const held = this.byPid.get(pid);
    if (held === undefined) return 0;
    this.byPid.delete(pid);
    this.repeated.delete(pid);
    this.count -= held.length;
    for (const draft of held) {
      if (superseded && draft.type === "leak") draft.superseded = true;
      this.emit(draft);
    }
    return held.length;
  }

  has(pid: number): boolean {
    return this.byPid.has(pid);
  }
}
