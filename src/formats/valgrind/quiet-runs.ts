import type { TokenType } from "chevrotain";
import * as T from "../../../grammars/valgrind/line-kinds.js";
import { isMemcheckOnlyLine } from "../../../grammars/valgrind/thread-tool-lines.js";
import type { ParseSink } from "../types.js";
import type { RetiredProcess } from "./process-state.js";
import type { ProcessEntry, ProcessTable } from "./process-table.js";

/**
 * Lines that open a record's block (an error, a loss record, a fatal signal, the descriptors
 * open at exit), which a run prints only before its ERROR SUMMARY: after it, only the -s recap
 * repeats errors, each under its `N errors in context X of Y:` header.
 */
const RECORD_STARTS: ReadonlySet<TokenType> = new Set([
  T.ErrorHeadline,
  T.LossRecord,
  T.FatalSignal,
  T.FdSectionHeader,
]);

/** A Memcheck run's lines before another tool's part of its PID's run, or among its lines. */
export type MemcheckRun = "before" | "among";

/** What a run that no banner named showed of its tool (see QuietRuns). Lines are 1-based. */
export interface QuietRunLines {
  /** The run's first and last lines that only Memcheck prints (isMemcheckOnlyLine). */
  memcheck?: { first: number; last: number };
  /**
   * The run is skipped as Helgrind's or DRD's by its lines: whether its skipped lines are at a
   * block's start (after an empty line or an ERROR SUMMARY), and the thread header there
   * (`Thread 2:`), which Memcheck prints in the block of the error it starts.
   */
  skipped?: { atBlockStart: boolean; thread?: { body: string; line: number } };
}

/**
 * A `-q` Memcheck run and a `-q` Helgrind or DRD run of one PID in one log (two `docker run`s,
 * each PID 1): no banner starts the second run, so the lines that only one tool prints tell
 * them apart. Helgrind's or DRD's lines (see OtherTools.threadToolLine) after lines that only
 * Memcheck prints (its error headlines, loss records, summaries) end the Memcheck run, whose
 * findings are kept: they were dropped with the whole process, and a log of the two was refused
 * as a Helgrind log (campaign v15a F7). A line that only Memcheck prints in a run skipped as
 * theirs starts the PID's next run, Memcheck's. When the two tools' lines meet inside one block,
 * the runs wrote at once and nothing tells every line's run: the log is incomplete. Two -q -s
 * Memcheck runs of one PID are told apart by the first's ERROR SUMMARY (see startsNextRun).
 */
export class QuietRuns {
  /**
   * The PIDs whose -s list (an error context, a used suppression) came after their last ERROR
   * SUMMARY, which Valgrind then prints again (see startsNextRun).
   */
  private readonly listedSinceSummary = new Set<number>();
  /** The PIDs that printed -v's own lines (see verboseLine). */
  private readonly verbosePids = new Set<number>();
  /** The PIDs whose mixed lines were warned of (once each). */
  private readonly mixedPids = new Set<number>();

  constructor(private readonly sink: ParseSink) {}

  /** A `==PID==` line of a run that no banner named: one that only Memcheck prints is noted. */
  read(entry: ProcessEntry, kind: TokenType, body: string, line: number): void {
    if (!isMemcheckOnlyLine(kind, body)) return;
    const quiet = (entry.quiet ??= {});
    if (quiet.memcheck === undefined) quiet.memcheck = { first: line, last: line };
    else quiet.memcheck.last = line;
  }

  /**
   * Where the PID's Memcheck run came, if the run that the lines have just shown to be
   * Helgrind's or DRD's (see OtherTools.threadToolLine), from line `from` on, held one: lines
   * that only Memcheck prints, or an ERROR SUMMARY (`-q -s`) before its PID came back. One at or
   * after `from` means the runs' lines interleave (see mixed).
   */
  memcheckRun(entry: ProcessEntry, from: number, tool: string): MemcheckRun | undefined {
    const memcheck = entry.quiet?.memcheck;
    if (memcheck !== undefined && memcheck.last >= from) this.mixed(entry, tool, memcheck.last);
    if (entry.state.summaries.sawErrorSummary) return "before";
    if (memcheck === undefined) return undefined;
    return memcheck.first < from ? "before" : "among";
  }

  /** The run is skipped from now on as Helgrind's or DRD's, shown by its lines. */
  skipping(entry: ProcessEntry): void {
    (entry.quiet ??= {}).skipped = { atBlockStart: false };
  }

  /**
   * A `==PID==` line of a run skipped as Helgrind's or DRD's by its lines: whether it starts the
   * PID's next run, Memcheck's, being a line that only Memcheck prints. Anywhere but at a
   * block's start (after an empty line or the run's closing ERROR SUMMARY), the runs' lines
   * interleave (see mixed).
   */
  startsMemcheck(entry: ProcessEntry, kind: TokenType, body: string, line: number): boolean {
    const skipped = entry.quiet?.skipped;
    // A banner named the tool: the process is skipped up to the next banner.
    if (skipped === undefined) return false;
    // A run's closing ERROR SUMMARY ends its block as an empty line does: a -q run ends with an
    // error's empty line, but a -q -s run with its ERROR SUMMARY, and the next run's first line
    // (`Thread 2:`) came right after it, read as the runs writing at once (campaign v16a F2).
    if (/^[ \t]*$/.test(body) || kind === T.ErrorSummary) {
      skipped.atBlockStart = true;
      delete skipped.thread;
      return false;
    }
    if (kind === T.ThreadHeader) {
      if (skipped.atBlockStart) skipped.thread = { body, line };
      return false;
    }
    if (!isMemcheckOnlyLine(kind, body)) {
      skipped.atBlockStart = false;
      delete skipped.thread;
      return false;
    }
    if (!skipped.atBlockStart) this.mixed(entry, entry.otherTool ?? "another tool", line);
    return true;
  }

  /**
   * Whether a Memcheck line of kind `kind` starts its PID's next run: one that opens a record's
   * block (RECORD_STARTS) after the PID's ERROR SUMMARY, outside the -s recap, whose blocks start
   * with their `N errors in context` header. The run before ended there: two -q -s runs of one
   * PID (two `docker run`s, each PID 1) have no banner, and the second run's errors were read as
   * the first's, its -s recap as contexts the first inherited from a parent (campaign v17 F4).
   * An ERROR SUMMARY after the PID's own, with nothing before it in its block, starts the next
   * run too, unless the -s list came between them (see listed) or the PID printed -v's lines:
   * Valgrind prints it again only after listing an error context or a used suppression (before
   * 3.15, at -v, always), so a clean second -q -s run, which prints its ERROR SUMMARY alone, was
   * read as the first's (campaign v19 Q2).
   */
  startsNextRun(entry: ProcessEntry, kind: TokenType): boolean {
    const pid = entry.state.pid;
    if (kind === T.ContextHeader) this.listedSinceSummary.add(pid);
    if (kind === T.ErrorSummary) {
      const repeats = this.listedSinceSummary.delete(pid) || this.verbosePids.has(pid);
      return !repeats && entry.tokens.length === 0 && entry.state.summaries.sawErrorSummary;
    }
    if (!RECORD_STARTS.has(kind) || !entry.state.summaries.sawErrorSummary) return false;
    return !entry.tokens.some((token) => token.tokenType === T.ContextHeader);
  }

  /**
   * A `--PID--` line of the PID, not blank: -v's, whose ERROR SUMMARY Valgrind before 3.15
   * printed twice whatever came between (see startsNextRun), or the -s list's
   * `used_suppression:` line, which -s prints without -v. A run whose banner showed a later
   * Valgrind, which prints it once, is no such run (a 3.19 -v run, then a clean -q -s run of its
   * PID, each a container's PID 1, was one process: campaign v20 Q2); a -q run shows no version.
   */
  verboseLine(pid: number, usedSuppression: boolean, of: ProcessEntry | RetiredProcess): void {
    if (usedSuppression) this.listedSinceSummary.add(pid);
    else if (of.retired || !of.state.since315) this.verbosePids.add(pid);
  }

  /**
   * The run a Memcheck line of kind `kind` belongs to: the process's, or the PID's next run when
   * the line cannot continue the one its ERROR SUMMARY ended (see startsNextRun). The open
   * block's lines (its `Thread 2:` header) are then the next run's first error's.
   */
  runOf(entry: ProcessEntry, kind: TokenType, processes: ProcessTable): ProcessEntry {
    if (!this.startsNextRun(entry, kind)) return entry;
    const open = entry.tokens;
    entry.tokens = [];
    entry.caps.reset();
    const next = processes.nextRun(entry);
    next.tokens.push(...open);
    return next;
  }

  /** The thread header a skipped run's line that starts Memcheck's run came after, if any. */
  threadHeader(entry: ProcessEntry): { body: string; line: number } | undefined {
    return entry.quiet?.skipped?.thread;
  }

  /** Memcheck's and another tool's lines of one PID met in a block: the log is incomplete. */
  private mixed(entry: ProcessEntry, tool: string, line: number): void {
    const pid = entry.state.pid;
    if (this.mixedPids.has(pid)) return;
    this.mixedPids.add(pid);
    this.sink.incomplete(
      `PID ${pid}'s lines mix two Valgrind tools, Memcheck's and ${tool}'s: two -q runs of the PID (two containers', each PID 1) wrote into the log at once, and leaklog cannot tell every line's run, so records of either may be missing or merged; give each run its own log (--log-file=FILE)`,
      line,
      undefined,
      pid,
    );
  }
}
