import type { ProcessEntry } from "./process-table.js";
import { PREAMBLE } from "./single-lines.js";

/** The tool a Memcheck banner names (`Memcheck, a memory error detector`). */
const MEMCHECK = "Memcheck";

/** A run that a banner started: its tool. Its identity tells whether it has ended since. */
export interface StartedRun {
  readonly tool: string;
}

/**
 * What a process with no preamble of its own can have been forked by. Without -q, a process
 * that Valgrind started prints its preamble first; a forked child prints none, and its lines
 * come after its parent's preamble in the same log (through one stderr or --log-file; with
 * `%p` in --log-file a child's own log starts with a preamble: campaign v17's
 * f-fork/mc/vg.16043.txt). Fork copies Valgrind with the process, so the child runs its
 * parent's tool.
 */
export class ForkParents {
  /** The runs that a banner started and whose ERROR SUMMARY has not come, and their tools. */
  private readonly running = new Map<ProcessEntry, StartedRun>();
  /**
   * A line of a Memcheck process's preamble was read: a later process with none may be its
   * forked child (see ProcessState.mayBeForked). Any line, not only the banner: a log that
   * starts inside a parent's preamble still holds the parent's start.
   */
  memcheckPreamble = false;

  /** A line of a Memcheck process (or of one whose tool is not known), by its token's name. */
  memcheckLine(name: string): void {
    if (!this.memcheckPreamble && PREAMBLE.has(name)) this.memcheckPreamble = true;
  }

  /** A banner naming `tool` (Memcheck included) starts the run of `entry`. */
  started(entry: ProcessEntry, tool: string | undefined): void {
    this.running.set(entry, { tool: tool ?? MEMCHECK });
  }

  /** The runs going on now, to ask later whether one still is (see stillRunning). */
  runningNow(): readonly StartedRun[] {
    return [...this.running.values()];
  }

  /** Whether one of `runs` (from runningNow) has not ended yet. */
  stillRunning(runs: readonly StartedRun[]): boolean {
    const now = new Set(this.running.values());
    return runs.some((run) => now.has(run));
  }

  /** The run of `entry` printed its ERROR SUMMARY, or a banner of its PID ended it. */
  ended(entry: ProcessEntry): void {
    this.running.delete(entry);
  }

  /**
   * The tool, other than Memcheck, of the run that a process with no banner was forked by:
   * every run that a banner started and that has not ended is that tool's. A Helgrind or DRD
   * run's child printed `For lists of detected and suppressed errors` and its ERROR SUMMARY,
   * read as a Memcheck run cut after its HEAP SUMMARY, which neither tool prints (campaign v17
   * F3). Ended runs do not count: a -q -s Memcheck run after a Helgrind run in one job log
   * prints its ERROR SUMMARY alone, and is no child of it.
   */
  toolOfChild(): string | undefined {
    let tool: string | undefined;
    for (const { tool: running } of this.running.values()) {
      if (running === MEMCHECK || (tool !== undefined && running !== tool)) return undefined;
      tool = running;
    }
    return tool;
  }
}
