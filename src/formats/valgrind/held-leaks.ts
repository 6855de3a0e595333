import { RepeatedLossRecords } from "../repeated-loss-records.js";
import type { FindingDraft } from "../types.js";

/**
 * How many leak records the text parser holds over all processes. A -q log prints no HEAP
 * SUMMARY, so its checks at exit look like client-requested ones and are held until the
 * process's ERROR SUMMARY, which -q prints only with -s: a -q log of many processes would
 * otherwise hold every record until its end. 5,000 is the XML parser's MAX_WAITING.
 */
export const MAX_HELD = 5_000;

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

  constructor(
    private readonly emit: (draft: FindingDraft) => void,
    private readonly countedTwice: (pid: number, records: number, line?: number) => void,
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
   * Emits a process's held records, marked superseded when a later full check began (at
   * `line`); forgets the records let out before, which only that check could supersede.
   */
  release(pid: number, superseded: boolean, line?: number): void {
    const letOut = this.letOut.get(pid);
    if (letOut !== undefined) {
      this.letOut.delete(pid);
      if (superseded) this.countedTwice(pid, letOut, line);
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
