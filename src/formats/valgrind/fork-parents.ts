import type { ProcessEntry } from "./process-table.js";
import { PREAMBLE } from "./single-lines.js";

/** The tool a Memcheck banner names (`Memcheck, a memory error detector`). */
const MEMCHECK = "Memcheck";

/** A run that a banner started: its tool. Its identity tells whether it has ended since. */
export interface StartedRun {
  readonly tool: string;
}

/**
 * What was going on in the log at a process's first line, for the end of the log to tell
 * whether a run that prints an ERROR SUMMARY for every process may have forked it (see
 * ForkParents.printsSummaryFor).
 */
export interface RunsAtStart {
  /** A Memcheck run that a banner started (so not -q) had not ended. */
  readonly bannerRun: boolean;
  /** The ERROR SUMMARYs of Memcheck runs whose start the log does not show, so far. */
  readonly unstartedEnds: number;
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
  /** How many runs in `running` are Memcheck's. */
  private memcheckRuns = 0;
  /**
   * The ERROR SUMMARYs read so far of Memcheck runs that no banner started: a `-q -s` run, a
   * forked child, or a run whose preamble the log lost. Each may have started before any line
   * of the log, so a process whose first line came before one may be its child.
   */
  private unstartedEnds = 0;

  /** A line of a Memcheck process (or of one whose tool is not known), by its token's name. */
  memcheckLine(name: string): void {
    if (!this.memcheckPreamble && PREAMBLE.has(name)) this.memcheckPreamble = true;
  }

  /** A banner naming `tool` (Memcheck included) starts the run of `entry`. */
  started(entry: ProcessEntry, tool: string | undefined): void {
    this.ended(entry);
    this.running.set(entry, { tool: tool ?? MEMCHECK });
    if (tool === undefined) this.memcheckRuns += 1;
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
    const run = this.running.get(entry);
    if (run === undefined) return;
    this.running.delete(entry);
    if (run.tool === MEMCHECK) this.memcheckRuns -= 1;
  }

  /**
   * A Memcheck process printed an ERROR SUMMARY: its run ended (see unstartedEnds). Only its
   * first counts: `-s` prints it again after the list of contexts, and a run that a banner
   * started, whose first ended it, is not to be taken then for one whose start is not in the log.
   */
  summaryOf(entry: ProcessEntry): void {
    const first = !entry.state.summaries.sawErrorSummary;
    if (first && !this.running.has(entry)) this.unstartedEnds += 1;
    this.ended(entry);
  }

  /** What a process whose first line comes now may have been forked by (see printsSummaryFor). */
  atStart(): RunsAtStart {
    return { bannerRun: this.memcheckRuns > 0, unstartedEnds: this.unstartedEnds };
  }

  /**
   * Whether the run of a process that ended the log without an ERROR SUMMARY prints one for
   * every process, so that this one was cut short. `valgrind -q` prints none (nor a preamble,
   * HEAP or LEAK SUMMARY: only errors and loss records); `-q -s` prints ERROR SUMMARY alone. A
   * process that printed a line that -q leaves out shows its own run's. One that printed none
   * is a -q run's, or the forked child of a run that prints them, killed before its own (a real
   * SIGKILLed child: test/fixtures/valgrind/quiet, fork-killed.txt and fork-killed-q-s.txt).
   * Such a run goes on from its banner (a `-q -s` run's start is not in the log) to its ERROR
   * SUMMARY, and its child's first line comes in between. Told for the whole log, a -q run's
   * process before another run's banner, or after its ERROR SUMMARY (two steps of one CI job's
   * stderr), was called cut short (campaign cb2 F2). A forked child that printed nothing until
   * its parent had ended and was then killed by SIGKILL reads as a -q run's: line for line
   * nothing tells them apart. `unendedRun`: a process with no banner printed lines that only a
   * run without -q prints and no ERROR SUMMARY, so its run goes on to the log's end (see
   * ProcessTable.unendedRunWithoutBanner).
   *
   * A fragment cut at both ends, inside the errors and loss records, looks like a -q log and is
   * taken for complete: line for line nothing tells them apart, and flagging it would flag every
   * -q log. A log cut only at its start still has its summaries (or its ERROR SUMMARY).
   */
  printsSummaryFor(entry: ProcessEntry, unendedRun: boolean): boolean {
    if (entry.state.showsErrorSummaries) return true;
    const start = entry.startedAmid;
    return start.bannerRun || unendedRun || this.unstartedEnds > start.unstartedEnds;
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
