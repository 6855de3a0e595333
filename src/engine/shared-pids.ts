import type { ParseSink } from "../formats/types.js";
import { forwarding } from "./embedded-sink.js";

/** Which of a log's two parsers speaks (see InputFormat.embeds). */
export type ParserRole = "main" | "embedded";

/** A PID both parsers spoke of. */
interface SharedPid {
  /** The parser that spoke of it first, and its runs by then: they keep their numbers. */
  owner: ParserRole;
  ownerRuns: number;
  /** The highest run given so far. */
  highest: number;
  /** The run given to a parser's own run: `role own`. */
  given: Map<string, number>;
}

/**
 * The PIDs that a log's two parsers share (see InputFormat.embeds): a CI job's log holds a
 * Valgrind step's output and a sanitizer step's, and containers run each step's first process
 * as PID 1, so both parsers can speak of a PID 1 that is not one process
 * (valgrind-and-asan.txt of test/fixtures/sanitizer/runs). Each parser numbers its runs of a PID
 * on its own (see ProcessInfo.run); a PID that both speak of gets runs that follow on across
 * both, in the order they start, so that no two processes of the log share a PID and a run (nor
 * their leak checks, which are keyed by both). Only such PIDs cost anything: the findings of
 * every other go through as they came.
 */
export class SharedPids {
  /** The embedded parser's PIDs that the main one has not spoken of: its runs of each. */
  private readonly embeddedRuns = new Map<number, number>();
  /**
   * The main parser's PIDs, and its runs of each so far. Kept here, not asked of the source:
   * the source also holds the embedded parser's processes, and a parser tells a process's facts
   * one call at a time (Valgrind's PID, then its command), so its own first call made its
   * second look like a PID the main parser had spoken of: a phantom second run.
   */
  private readonly mainRuns = new Map<number, number>();
  private readonly shared = new Map<number, SharedPid>();

  /**
   * Whether the main parser read anything of its own (a process, finding or summary): a format
   * forced on a log that only the embedded parser reads is the wrong format.
   */
  mainReadAnything = false;

  /** The sink through which `role`'s parser speaks. */
  sinkFor(role: ParserRole, sink: ParseSink): ParseSink {
    const main = role === "main";
    return forwarding(sink, {
      process: (info) => {
        if (main) this.mainReadAnything = true;
        const run = this.started(role, info.pid, info.run ?? 1);
        sink.process(run === (info.run ?? 1) ? info : { ...info, run });
      },
      finding: (draft) => {
        if (main) this.mainReadAnything = true;
        sink.finding(this.remapped(role, draft));
      },
      summary: (summary) => {
        if (main) this.mainReadAnything = true;
        sink.summary(this.remapped(role, summary));
      },
    });
  }

  /** `role`'s parser announces its run `own` of `pid`: the run's number in the log. */
  private started(role: ParserRole, pid: number, own: number): number {
    if (role === "main") this.mainRuns.set(pid, Math.max(own, this.mainRuns.get(pid) ?? 0));
    let entry = this.shared.get(pid);
    if (entry === undefined) {
      const embeddedRuns = this.embeddedRuns.get(pid);
      const mainRuns = role === "embedded" ? (this.mainRuns.get(pid) ?? 0) : 0;
      if (role === "main" ? embeddedRuns === undefined : mainRuns === 0) {
        if (role === "embedded") this.embeddedRuns.set(pid, Math.max(own, embeddedRuns ?? 0));
        return own;
      }
      entry =
        role === "main"
          ? { owner: "embedded", ownerRuns: embeddedRuns ?? 0, highest: 0, given: new Map() }
          : { owner: "main", ownerRuns: mainRuns, highest: 0, given: new Map() };
      entry.highest = entry.ownerRuns;
      this.shared.set(pid, entry);
      this.embeddedRuns.delete(pid);
    }
    if (role === entry.owner && own <= entry.ownerRuns) return own;
    const key = `${role} ${own}`;
    let run = entry.given.get(key);
    if (run === undefined) {
      entry.highest += 1;
      run = entry.highest;
      entry.given.set(key, run);
    }
    return run;
  }

  /** A finding or summary of `role`'s parser, with its run's number in the log. */
  private remapped<T extends { pid?: number | undefined; run?: number | undefined }>(
    role: ParserRole,
    item: T,
  ): T {
    // Nearly every log: no PID is shared, and nothing is looked up.
    if (this.shared.size === 0) return item;
    const entry = item.pid === undefined ? undefined : this.shared.get(item.pid);
    if (entry === undefined) return item;
    const own = item.run ?? 1;
    if (role === entry.owner && own <= entry.ownerRuns) return item;
    const run = entry.given.get(`${role} ${own}`);
    return run === undefined || run === own ? item : { ...item, run };
  }
}
