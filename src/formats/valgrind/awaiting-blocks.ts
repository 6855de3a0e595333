import type { FindingDraft, ParseSink } from "../types.js";
import { pickBlockOwner, type Doubt } from "./block-owner.js";

// Processes whose latest record may still get its block. A process writes a record's block
// before anything else, so only processes printing at the same moment compete: two in every
// real log so far (a parent and its forked child, test/fixtures/valgrind/gensupp).
const MAX_AWAITING = 8;
// Leak records held back for a block that may still come. Past this, the oldest goes out
// without it: a process that never gets one (no --gen-suppressions) must not hold the rest.
const MAX_UNSENT = 64;

/**
 * The records a `--gen-suppressions=all` block may still be attached to, and the leak records
 * that wait for theirs. Valgrind prints a record's block right after the record's closing empty
 * line, but without a `==PID==` prefix; when several processes write into one log, another
 * process's record can come in between (test/fixtures/valgrind/gensupp/fork-race.txt). So the latest record of each process
 * that has no block yet stays a candidate until its process prints another record or ends, and
 * the block goes to the candidate it names (see pickBlockOwner).
 *
 * Leaks go to the sink in the order they were read, each once no block can come for it any
 * more (the sink copies the draft); errors are held by their process anyway.
 */
export class AwaitingBlocks {
  /** The latest record of each recent process that has no block yet, oldest first. */
  private readonly awaiting: FindingDraft[] = [];
  /** The record read last, whatever its process: a block's owner when nothing tells. */
  private latest: FindingDraft | undefined;
  private readonly unsent: FindingDraft[] = [];
  /** Whether the log has shown a block yet: until then, a leak waits only for the next one. */
  private blocksSeen = false;

  constructor(private readonly sink: ParseSink) {}

  /**
   * A record was read: its process's earlier record can no longer get a block. A fatal signal
   * never gets one (Valgrind generates no suppression for it), so it is no candidate either,
   * nor the owner of last resort: the block of a `-s` recap after it repeats an error's.
   */
  read(draft: FindingDraft): void {
    if (draft.type === "error" && draft.kind === "FatalSignal") {
      this.forget(draft.pid);
      if (this.latest?.pid === draft.pid) this.latest = undefined;
      return;
    }
    this.latest = draft;
    this.forget(draft.pid);
    this.awaiting.push(draft);
    if (this.awaiting.length > MAX_AWAITING) this.awaiting.shift();
  }

  /** A process printed its ERROR SUMMARY: no block comes for it any more. */
  ended(pid: number | undefined): void {
    this.forget(pid);
  }

  /** A leak record ready for the sink: it goes out once no block can come for it. */
  leak(draft: FindingDraft): void {
    this.unsent.push(draft);
    this.send(false);
  }

  /** End of the log: every leak goes out. */
  end(): void {
    this.send(true);
  }

  /** A block closed at log line `line` (its `{`): attach it to the record it names. */
  attach(block: string, line: number): void {
    this.blocksSeen = true;
    const choices = this.awaiting.length;
    // One candidate, the latest record: nothing to choose, and nothing to parse.
    const { owner, doubt } =
      choices === 1 && this.awaiting[0] === this.latest
        ? { owner: this.latest }
        : pickBlockOwner(block, this.awaiting, this.latest);
    if (owner === undefined) return;
    owner.suppression = block;
    this.forget(owner.pid);
    if (doubt !== undefined && choices > 1) this.doubt(doubt, owner, line);
  }

  private doubt(doubt: Doubt, owner: FindingDraft, line: number): void {
    // Its symbols may be another record's, and the others' later blocks this one's: none of
    // them is to be matched by its block's symbols (see ownSymbols).
    const alike = doubt.kind === "tie" ? [owner, ...doubt.others] : [owner];
    for (const draft of alike) draft.details = { ...draft.details, suppressionOwnerDoubtful: true };
    const message =
      doubt.kind === "none"
        ? `a --gen-suppressions block names none of the records it may follow; attached to the latest, ${describe(owner)}`
        : `a --gen-suppressions block fits ${[...doubt.others, owner].map(describe).join(" and ")} equally; attached to the latest of them, ${describe(owner)}`;
    this.sink.diagnostic({ severity: "info", code: "suppression-owner", message, line });
  }

  private forget(pid: number | undefined): void {
    const at = this.awaiting.findIndex((d) => d.pid === pid);
    if (at !== -1) this.awaiting.splice(at, 1);
  }

  /**
   * Sends the leaks read first that no block can come for any more (all of them at the end).
   * Before the log has shown a block, only the newest leak waits, as it always did: a log without
   * --gen-suppressions (the bench log: processes interleaved) keeps the order of its records
   * against its errors', which go out at each process's end, and so its record ids.
   */
  private send(all: boolean): void {
    const unsent = this.unsent;
    let n = 0;
    while (n < unsent.length) {
      const draft = unsent[n] as FindingDraft;
      const left = unsent.length - n;
      const waits =
        !all &&
        (this.blocksSeen ? left <= MAX_UNSENT && this.awaiting.includes(draft) : left === 1);
      if (waits) break;
      this.sink.finding(draft);
      n += 1;
    }
    if (n > 0) unsent.splice(0, n);
  }
}

/** `PID 23562's record at line 1249`, for diagnostics. */
function describe(draft: FindingDraft): string {
  return `PID ${draft.pid ?? "?"}'s record at line ${draft.line}`;
}
