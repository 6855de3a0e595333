import type { Frame } from "../../model/index.js";
import type { ExpiryEntry, NullAllocEntry, StatsEntry } from "./visitor.js";

/** What the event stream says about one call stack (formats/memleax.md §2.3, §3). */
export interface StackTally {
  id: number;
  /** 1-based line of the stack's first appearance. */
  line: number;
  /** The stack as the first expiry printed it (empty when the log began after it). */
  stack: Frame[];
  /** Expiries so far: `K times again` counts all of them, the first included (§3). */
  expired: number;
  /** Expiry lines actually printed (fewer than `expired` after the too-many warning). */
  expiryLines: number;
  /** Sum of the sizes on the printed expiry lines, bytes. */
  printedBytes: number;
  /** Size on the latest expiry line, bytes (sizes vary per line: vector growth, corpus 04). */
  lastSize: number;
  /** `expired-memory frees after` lines printed for this stack. */
  freesAfterExpiry: number;
  /** Line of `too many expired-free`, after which the stack's lines stop but counting goes on. */
  quietFrom?: number;
}

/** Which final report memleax printed after its stop reason (§2.6). */
export type ReportKind = "statistics" | "no-expired" | "too-short";

/** A NULL-allocation warning, merged over identical stacks. */
export interface NullAllocTally {
  line: number;
  stack: Frame[];
  count: number;
}

/** The state of one monitoring run: from a banner to the end of its report. */
export class MemleaxRun {
  /** Target PID from the banner. */
  pid: number | undefined;
  /** The PID's run in the log, from its second on (see ProcessInfo.run). */
  later: number | undefined;
  bannerLine: number | undefined;
  readonly stacks = new Map<number, StackTally>();
  /** Report blocks in the order printed (ascending may-leak count). */
  readonly stats: StatsEntry[] = [];
  report: { kind: ReportKind; line: number } | undefined;
  /**
   * Whether the statistics report's last part (its header, or its latest block) was closed by
   * its empty line (§2.6): a report cut after a block's first frame line read as finished
   * (campaign bg F2).
   */
  reportClosed = false;
  stop: { reason: string; line: number } | undefined;
  readonly nullAllocs = new Map<string, NullAllocTally>();

  /** True once anything of a run was seen (a log copied from the middle has no banner). */
  get started(): boolean {
    return this.bannerLine !== undefined || this.stacks.size > 0 || this.stats.length > 0;
  }

  private tally(id: number, line: number): StackTally {
    let tally = this.stacks.get(id);
    if (tally === undefined) {
      tally = {
        id,
        line,
        stack: [],
        expired: 0,
        expiryLines: 0,
        printedBytes: 0,
        lastSize: 0,
        freesAfterExpiry: 0,
      };
      this.stacks.set(id, tally);
    }
    return tally;
  }

  /** A first expiry with its backtrace; returns true when the stack is new to this run. */
  firstExpiry(entry: ExpiryEntry): boolean {
    const isNew = !this.stacks.has(entry.id);
    const tally = this.tally(entry.id, entry.line);
    if (tally.stack.length === 0) tally.stack = entry.stack;
    this.expiry(tally, entry.size, 1);
    return isNew;
  }

  /** `CallStack[id]: memory expires with size bytes, count times again`. */
  expiredAgain(id: number, size: number, count: number, line: number): void {
    this.expiry(this.tally(id, line), size, count);
  }

  private expiry(tally: StackTally, size: number, count: number): void {
    tally.expired = Math.max(tally.expired + 1, count);
    tally.expiryLines += 1;
    tally.printedBytes += size;
    tally.lastSize = size;
  }

  /** `CallStack[id]: expired-memory frees after S seconds`. */
  freed(id: number, line: number): void {
    this.tally(id, line).freesAfterExpiry += 1;
  }

  /** `Warning: too many expired-free at CallStack[id]...`. */
  quiet(id: number, line: number): void {
    this.tally(id, line).quietFrom ??= line;
  }

  /** `Warning: alloc returns NULL at` and its frames; identical stacks count together. */
  nullAlloc(entry: NullAllocEntry): void {
    const key = entry.stack.map((f) => `${f.ip ?? ""} ${f.function ?? ""}`).join("|");
    const known = this.nullAllocs.get(key);
    if (known !== undefined) known.count += 1;
    else this.nullAllocs.set(key, { line: entry.line, stack: entry.stack, count: 1 });
  }
}
