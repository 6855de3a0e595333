import { RepeatedLossRecords } from "../repeated-loss-records.js";
import type { FindingDraft } from "../types.js";

/**
 * How many findings may wait for `<errorcounts>`. Valgrind prints the counts once, after the
 * last leak record (dup_errors_s.xml), so an error's count is only known at the end; beyond
 * this many waiting findings the oldest error is set aside to wait alone, and what waited
 * behind it goes out (see releaseOldest). 5,000 is five times the text format's own limit of
 * 1,000 contexts (many_errors.xml has 1,010).
 */
export const MAX_WAITING = 5_000;
/**
 * How many errors may be set aside; past it the oldest goes out with the count it has (and a
 * diagnostic), which keeps memory bounded on a log with a million error contexts.
 */
const MAX_SET_ASIDE = 5_000;

interface Waiting {
  draft: FindingDraft;
  unique?: string;
  /** A leak record held until a later full leak check supersedes it or the document ends. */
  held?: boolean;
  /** An error of an earlier document of the PID, its count applied (see carryOver). */
  carried?: boolean;
}

/**
 * The findings of one document, in document order, held back only as long as needed: an
 * error with a `<unique>` waits for `<errorcounts>` (its PID's last, when the PID's records go
 * on after the document's end: see carryOver), and everything behind it waits too so that ids
 * follow the log. Leaks and fatal signals at the head go out at once, but for the
 * loss records of client-requested leak checks, held until it is known whether a later full
 * check supersedes them (see holdLeak).
 */
export class PendingFindings {
  /** Slots before `head` are released and cleared, so that their findings can die young. */
  private queue: (Waiting | undefined)[] = [];
  private head = 0;
  private readonly counts = new Map<string, number>();
  /** The held leak records (see holdLeak), in document order. */
  private held: Waiting[] = [];
  /** Errors taken out of a full queue to wait for their counts alone (see releaseOldest). */
  private setAside: Waiting[] = [];
  /** The held leak records by loss record, once a delta check began (see holdDeltaLeak). */
  private repeated: RepeatedLossRecords | undefined;
  /** Held leak records let out past MAX_WAITING: a delta check can no longer supersede them. */
  private readonly letOut = new WeakSet<FindingDraft>();
  /**
   * The carried errors (see carryOver) that a later `<errorcounts>` of the PID still counts,
   * by `<unique>`: those that no later document printed again.
   */
  private readonly carried = new Map<string, Waiting[]>();

  constructor(
    private readonly emit: (draft: FindingDraft) => void,
    private readonly overflow: (line: number) => void,
    /** Held leak records let out past MAX_WAITING that a later full check superseded. */
    private readonly countedTwice: (records: number, line?: number) => void,
  ) {}

  get size(): number {
    return this.queue.length - this.head;
  }

  /** Adds a finding; it stays the tail (open to a trailing `<suppression>`) until settle(). */
  push(draft: FindingDraft, unique?: string): void {
    // A process prints each context once: a carried `<unique>` printed again is another
    // process's context now (wait.xml: the child's 0x0, then the parent's), and the later
    // `<errorcounts>` count that one, not the carried error, which keeps the count it has.
    if (unique !== undefined) this.carried.delete(unique);
    this.queue.push(unique !== undefined ? { draft, unique } : { draft });
    if (this.size > MAX_WAITING) this.releaseOldest(draft.line);
  }

  /**
   * Past MAX_WAITING. The oldest error waits on alone, and the findings behind it that need no
   * count go out: one error repeated 1,000 times ahead of 8,192 loss records went out with
   * count 1 (cc1plus's 111 MB XML: 252 of its 296,576 errors), its order in the log kept at
   * the cost of its count. Past MAX_SET_ASIDE, or for a held leak record, the oldest goes out
   * as it is (a held leak record then stays counted).
   */
  private releaseOldest(line: number): void {
    const oldest = this.queue[this.head];
    const awaitsCount = oldest?.draft.type === "error" && oldest.unique !== undefined;
    if (awaitsCount && oldest.held !== true && this.setAside.length < MAX_SET_ASIDE) {
      this.setAside.push(this.takeHead());
      this.settle();
      return;
    }
    if (awaitsCount) this.overflow(line);
    this.release(1);
  }

  /**
   * Adds a client-requested check's leak record, which waits, with everything behind it, until
   * releaseHeld(): a later full leak check of the process may report the same heap again.
   * Everything behind an error already waits for `<errorcounts>` at the end of the document,
   * so this holds little more than those leak checks themselves.
   */
  holdLeak(draft: FindingDraft, unique?: string): void {
    const waiting: Waiting = { draft, held: true, ...(unique !== undefined ? { unique } : {}) };
    this.held.push(waiting);
    this.queue.push(waiting);
    if (this.size > MAX_WAITING) this.releaseOldest(draft.line);
  }

  /**
   * Holds a delta check's leak record, which supersedes the held record of the same loss
   * record (see RepeatedLossRecords); one let out past MAX_WAITING stays counted.
   */
  holdDeltaLeak(draft: FindingDraft, unique?: string): void {
    this.repeated ??= new RepeatedLossRecords(
      this.held.filter((w) => w.held === true).map((w) => w.draft),
    );
    this.repeated.repeat(draft, (earlier) => !this.letOut.has(earlier));
    this.holdLeak(draft, unique);
  }

  /**
   * Lets the held leak records go, marked superseded when a later full leak check began (at
   * `line`); those let out past MAX_WAITING already are counted, which is said.
   */
  releaseHeld(superseded: boolean, line?: number): void {
    let letOut = 0;
    for (const w of this.held) {
      if (w.held !== true) {
        if (w.draft.type === "leak") letOut += 1;
        continue;
      }
      if (superseded && w.draft.type === "leak") w.draft.superseded = true;
      w.held = false;
    }
    this.held = [];
    this.repeated = undefined;
    if (superseded && letOut > 0) this.countedTwice(letOut, line);
    this.settle();
  }

  /** A new record starts: release the findings at the head that need no count. */
  settle(): void {
    let n = 0;
    while (this.head + n < this.queue.length && !this.needsCount(this.queue[this.head + n])) n += 1;
    this.release(n);
  }

  /** One `<pair>` of `<errorcounts>`: the count of this document's errors, and of the carried. */
  setCount(unique: string, count: number): void {
    this.counts.set(unique, count);
    for (const w of this.carried.get(unique) ?? []) applyCount(w.draft, count);
  }

  /**
   * Applies the counts known so far and releases everything (see endDocument). Held leak
   * records go out unmarked: no leak check follows `<errorcounts>` or the end of a document.
   */
  private releaseAll(): void {
    this.releaseHeld(false);
    // The errors set aside came before everything still queued.
    const aside = this.setAside;
    this.setAside = [];
    for (const w of aside) this.emitCounted(w);
    this.release(this.size);
  }

  /**
   * A `<suppression>` right after an `<error>`, outside it: Valgrind 3.19 to 3.22 print each
   * generated suppression twice (gensupp_all.xml, SOURCES.md #20). Returns whether it was the
   * same text as the last finding's (or attached to it, when that finding had none).
   */
  trailingSuppression(raw: string): "same" | "attached" | "other" {
    const last = this.size > 0 ? this.queue.at(-1) : undefined;
    if (last === undefined) return "other";
    if (last.draft.suppression === undefined) {
      last.draft.suppression = raw;
      return "attached";
    }
    return last.draft.suppression === raw ? "same" : "other";
  }

  /** The document's errors waiting for their counts, in document order (set-aside ones first). */
  *waitingErrors(): Generator<{ draft: FindingDraft; unique: string }> {
    for (const w of [...this.setAside, ...this.queue.slice(this.head)]) {
      if (w?.draft.type === "error" && w.unique !== undefined && w.carried !== true) {
        yield { draft: w.draft, unique: w.unique };
      }
    }
  }

  /** A document ended: release everything, forget its counts (`<unique>`s are per process). */
  endDocument(): void {
    this.releaseAll();
    this.counts.clear();
    this.carried.clear();
  }

  /**
   * A document ended that the PID's records may go on after (see ValgrindXmlParser.continuation):
   * its errors take its counts and wait on, counted again by each later `<errorcounts>` of the
   * PID that names them, until endDocument(). A forked child that ends first closes the document
   * with its `<errorcounts>`, which counts its parent's contexts as of the fork; the parent's
   * own, at the file's end, counts them all (campaign cc F5: a `--gtest_repeat=2` death test's
   * parent's contexts counted 1 each, not 2, in the XML; its text log's -s recap says 2).
   */
  carryOver(): void {
    this.releaseHeld(false);
    for (const w of [...this.setAside, ...this.queue.slice(this.head)]) {
      if (w === undefined || w.carried === true) continue;
      this.applyDocumentCount(w);
      if (w.draft.type !== "error" || w.unique === undefined) continue;
      w.carried = true;
      const same = this.carried.get(w.unique);
      if (same !== undefined) same.push(w);
      else this.carried.set(w.unique, [w]);
    }
    this.counts.clear();
  }

  private emitCounted(w: Waiting): void {
    if (w.carried === true) this.forgetCarried(w);
    else this.applyDocumentCount(w);
    this.emit(w.draft);
  }

  /** Applies the document's `<errorcounts>` to one of its own findings. */
  private applyDocumentCount(w: Waiting): void {
    const count = w.unique !== undefined ? this.counts.get(w.unique) : undefined;
    if (count !== undefined) applyCount(w.draft, count);
  }

  /** A carried error goes out: no later count can reach it. */
  private forgetCarried(w: Waiting): void {
    if (w.unique === undefined) return;
    const same = this.carried.get(w.unique)?.filter((other) => other !== w);
    if (same === undefined || same.length === 0) this.carried.delete(w.unique);
    else this.carried.set(w.unique, same);
  }

  private needsCount(w: Waiting | undefined): boolean {
    if (w === undefined) return false;
    return w.held === true || (w.draft.type === "error" && w.unique !== undefined);
  }

  /** The head of the queue, taken out of it (the queue's compaction is release's). */
  private takeHead(): Waiting {
    const w = this.queue[this.head] as Waiting;
    // Cleared: a released finding left in the array until the next compaction lived through a
    // thousand more findings, long enough for V8 to move it to the old generation, where it
    // died as garbage (profiled: the XML parser's main source of old-space garbage).
    this.queue[this.head] = undefined;
    this.head += 1;
    return w;
  }

  private release(n: number): void {
    for (let i = 0; i < n; i += 1) {
      const w = this.takeHead();
      if (w.held === true) {
        w.held = false;
        if (this.repeated !== undefined) this.letOut.add(w.draft);
      }
      this.emitCounted(w);
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}

/** An error's count from `<errorcounts>`; a count of 0, which Valgrind never prints, leaves it. */
function applyCount(draft: FindingDraft, count: number): void {
  if (draft.type === "error" && count > 0) draft.count = count;
}
