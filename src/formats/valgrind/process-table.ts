import type { IToken } from "chevrotain";
import * as T from "../../../grammars/valgrind/line-kinds.js";
import type { BlockCaps } from "../block-caps.js";
import type { ErrorDraft } from "../types.js";
import type { RunsAtStart } from "./fork-parents.js";
import type { MonitorListing } from "./monitor-output.js";
import type { PrefixedLine } from "./prefix.js";
import type { ProcessState, RetiredProcess } from "./process-state.js";
import type { QuietRunLines } from "./quiet-runs.js";
import type { SuspectedChild } from "./suspected-children.js";

/** An open process of the text log: its state and the lines of its open block. */
export interface ProcessEntry {
  retired: false;
  state: ProcessState;
  tokens: IToken[];
  known: boolean;
  /**
   * The process printed more than Valgrind's notices (a preamble, a finding, a summary). One
   * that printed only notices and no summary is a forked child that exec'd a program Valgrind
   * did not trace, not a run cut short (see ValgrindTextParser.end).
   */
  beyondNotices: boolean;
  /** The process printed more than Valgrind's preamble (see ProcessInfo.preambleOnly). */
  beyondPreamble: boolean;
  /** The runs going on at its first line: what may have forked it (see ForkParents). */
  startedAmid: RunsAtStart;
  /** The process's last block held an error or loss record (see ErrorMarkers). */
  afterError: boolean;
  /** The caps on the open block's stacks and lines (see ValgrindTextParser.dropped). */
  caps: BlockCaps;
  /** The tool a non-Memcheck banner named: the process's lines are skipped. */
  otherTool?: string;
  /** Its banner named Memcheck: no line makes it another tool's (see OtherTools.threadToolLine). */
  memcheckBanner?: true;
  /**
   * It printed a HEAP SUMMARY line, or an ERROR SUMMARY read as its last: its ERROR SUMMARY now
   * is its own, not a monitor command's (see MonitorListings).
   */
  atExit?: true;
  /** Inside the listing of a monitor command the program ran (see MonitorListings). */
  monitorListing?: MonitorListing;
  /** Its lines so far that only Helgrind or DRD print (see OtherTools.threadToolLine). */
  threadToolLines?: number;
  /** Where the block of the first of those starts (1-based line): their tool's part of the run. */
  threadToolFrom?: number;
  /** With no banner: the lines that showed its tool (see QuietRuns). */
  quiet?: QuietRunLines;
  /**
   * Its lines are held until they tell whether it is another tool's forked child (see
   * SuspectedChildren).
   */
  suspectedChild?: SuspectedChild;
  /** Its open block is read at its next line, not at the blank line (see deferredClose). */
  closeDeferred?: true;
  /**
   * A client message whose end reads as a Valgrind headline (see client-messages.ts), held
   * until the process's next line shows whether Valgrind wrote it there: `at` is where the
   * headline starts in `body`.
   */
  heldMessage?: { body: string; at: number; line: number };
}

/** What the table needs of the parser that owns it. */
export interface ProcessTableHooks {
  /** A new run's state for the PID (the parser's sinks), and its block caps. */
  newState(pid: number, run: number | undefined): ProcessState;
  newCaps(): BlockCaps;
  /** The runs going on now, for a process whose first line comes now (see ForkParents). */
  runsNow(): RunsAtStart;
  /**
   * A PID's first line in the log, and its new entry (see OverwrittenLog.firstLineOf and
   * ValgrindTextParser.forkedChild).
   */
  firstLine(line: PrefixedLine, lineNo: number, entry: ProcessEntry): void;
  /** A run that a banner of its PID ends: its open block is closed, its awaited blocks dropped. */
  endRun(entry: ProcessEntry): void;
}

/**
 * The text log's processes by PID, in the order first seen: open entries, and finished ones
 * reduced to their counters (see ProcessState.retirement), so that memory does not grow with
 * the processes of a long log. A PID's later lines revive it; its next banner starts its next
 * run.
 */
export class ProcessTable {
  private readonly processes = new Map<number, ProcessEntry | RetiredProcess>();
  /**
   * The processes not retired, whose held errors a forked child's recap may repeat: looking
   * through every process instead took a -q -s log of 20,000 processes with 3 unprinted recap
   * contexts each from 1.8 to 4.7 s.
   */
  private readonly open = new Set<ProcessEntry>();
  /** A Memcheck run ended at its PID's next banner (see nextRun): no longer in the table. */
  private memcheckRunEnded = false;

  constructor(private readonly hooks: ProcessTableHooks) {}

  get(pid: number): ProcessEntry | RetiredProcess | undefined {
    return this.processes.get(pid);
  }

  /** Every PID's entry in the order first seen, retired ones included. */
  entries(): IterableIterator<ProcessEntry | RetiredProcess> {
    return this.processes.values();
  }

  /** The open entry of a PID's line, made at its first line or after its retirement. */
  entryOf(line: PrefixedLine, lineNo: number): ProcessEntry {
    const pid = line.pid;
    const found = this.processes.get(pid);
    if (found !== undefined && !found.retired) return found;
    const entry = this.openEntry(pid, found?.run);
    if (found === undefined) this.hooks.firstLine(line, lineNo, entry);
    else {
      entry.state.restore(found);
      entry.known = true;
    }
    return entry;
  }

  /**
   * A banner for a PID that Valgrind already spoke for starts the PID's next run (see
   * ProcessInfo.run): an exec'd program under --trace-children=yes (exec keeps the PID), or a
   * reused PID (each container's first process is PID 1). The previous run is finished as the
   * end of the log would finish it, without its missing ERROR SUMMARY being warned of: Valgrind
   * prints none for a program that exec replaced (test/fixtures/valgrind/runs/exec.txt).
   */
  nextRun(previous: ProcessEntry): ProcessEntry {
    const pid = previous.state.pid;
    if (previous.known && previous.otherTool === undefined) this.memcheckRunEnded = true;
    this.hooks.endRun(previous);
    previous.state.releaseHeldLeaks(false);
    previous.state.finish();
    this.open.delete(previous);
    const entry = this.openEntry(pid, (previous.state.run ?? 1) + 1);
    entry.state.continues(previous.state);
    return entry;
  }

  /**
   * After a process's ERROR SUMMARY, keeps only what a later line of its PID would need (see
   * ProcessState.retirement).
   */
  retire(pid: number, entry: ProcessEntry): void {
    if (entry.tokens.length > 0 || !entry.known) return;
    const retired = entry.state.retirement();
    if (retired === undefined) return;
    this.processes.set(pid, retired);
    this.open.delete(entry);
  }

  /** A process that is not another tool's and that Valgrind spoke for (-q logs have no banner). */
  hasMemcheckProcess(): boolean {
    return this.memcheckRunEnded || this.memcheckPids().length > 0;
  }

  /** The PIDs of the processes Valgrind spoke for that are not another tool's. */
  memcheckPids(): number[] {
    const pids: number[] = [];
    for (const [pid, entry] of this.processes) {
      if (entry.retired || (entry.otherTool === undefined && entry.known)) pids.push(pid);
    }
    return pids;
  }

  /**
   * Whether a process of the log shows that its run prints an ERROR SUMMARY: `valgrind -q`
   * prints none (nor a preamble, HEAP or LEAK SUMMARY: only errors and loss records); -q with -s
   * prints ERROR SUMMARY alone. A log with none is a -q log, whose error counts no summary
   * gives (see ErrorCounts.quietEnd); whether each process was cut short is told per process
   * (see ForkParents.printsSummaryFor).
   */
  showsErrorSummaries(): boolean {
    for (const entry of this.processes.values()) {
      // A retired process is past its ERROR SUMMARY.
      if (entry.retired || (entry.known && entry.state.showsErrorSummaries)) return true;
    }
    return false;
  }

  /**
   * Whether a Memcheck process that no banner started printed a line that only a run without -q
   * prints (a HEAP SUMMARY: a forked child, or a run whose preamble the log lost) and no ERROR
   * SUMMARY: its run, which prints one for every process, goes on to the log's end, and any
   * other process may be its child (see ForkParents.printsSummaryFor). A run that a banner started
   * is known from the banner on (see RunsAtStart.bannerRun).
   */
  unendedRunWithoutBanner(): boolean {
    for (const entry of this.open) {
      if (!entry.known || entry.otherTool !== undefined || entry.memcheckBanner === true) continue;
      const state = entry.state;
      if (state.showsErrorSummaries && !state.summaries.sawErrorSummary) return true;
    }
    return false;
  }

  /**
   * Whether another open process holds this error context: a forked child's recap repeats the
   * contexts of its parent (and theirs of its grandparent) from before the fork. Only looked up
   * for recap contexts the child never printed, so rarely.
   */
  printedElsewhere(draft: ErrorDraft, pid: number): boolean {
    for (const entry of this.open) {
      if (entry.state.pid !== pid && entry.state.errors.holds(draft)) return true;
    }
    return false;
  }

  /** True once a Valgrind line (not only text lines a program may fake) came with this PID. */
  spokeFor(pid: number): boolean {
    const found = this.processes.get(pid);
    if (found === undefined) return false;
    return found.retired || found.known || found.tokens.some((t) => t.tokenType !== T.TextLine);
  }

  /** A new open entry for the PID's run, put where the PID was. */
  private openEntry(pid: number, run: number | undefined): ProcessEntry {
    const entry: ProcessEntry = {
      retired: false,
      state: this.hooks.newState(pid, run),
      tokens: [],
      known: false,
      beyondNotices: false,
      beyondPreamble: false,
      startedAmid: this.hooks.runsNow(),
      afterError: false,
      caps: this.hooks.newCaps(),
    };
    // Map.set keeps a revived PID's first position, so the end of the log visits PIDs in the
    // same order either way.
    this.processes.set(pid, entry);
    this.open.add(entry);
    return entry;
  }
}
