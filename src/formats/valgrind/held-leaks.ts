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
 */
export class HeldLeaks {
  /** By PID, in the order the processes began holding (the first is the oldest). */
  private readonly byPid = new Map<number, FindingDraft[]>();
  private count = 0;

  constructor(private readonly emit: (draft: FindingDraft) => void) {}

  hold(pid: number, draft: FindingDraft): void {
    const held = this.byPid.get(pid);
    if (held === undefined) this.byPid.set(pid, [draft]);
    else held.push(draft);
    this.count += 1;
    if (this.count > MAX_HELD) {
      const oldest = this.byPid.keys().next().value as number;
      this.release(oldest, false);
    }
  }

  /** Emits a process's held records, marked superseded when a later full check began. */
  release(pid: number, superseded: boolean): void {
    const held = this.byPid.get(pid);
    if (held === undefined) return;
    this.byPid.delete(pid);
    this.count -= held.length;
    for (const draft of held) {
      if (superseded && draft.type === "leak") draft.superseded = true;
      this.emit(draft);
    }
  }

  has(pid: number): boolean {
    return this.byPid.has(pid);
  }
}
