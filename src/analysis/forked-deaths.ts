import type { ProcessInfo, Source, ToolSummary } from "../model/index.js";
import { processId, type ProcessId } from "./process-key.js";

/*
 * Processes that died of a fatal signal as forked children, whose parents ran on: a GoogleTest
 * death test forks a child that must die (`EXPECT_DEATH`), and Valgrind, without
 * --child-silent-after-fork=yes, reports the child's `Process terminating with default action
 * of signal 6 (SIGABRT)` in its parent's log, while the parent runs on to its own summaries
 * (campaign cc F1, F2; test/fixtures/death-tests).
 */

/** Where a process died: its log, PID and run, and the 1-based line of its FatalSignal record. */
export interface Death {
  path: string;
  pid?: number | undefined;
  run?: number | undefined;
  line?: number | undefined;
}

/** GoogleTest's threadsafe style re-runs the program in the child with this option. */
export const DEATH_TEST_OPTION = "--gtest_internal_run_death_test";

/** What has() asks of one log, indexed once. */
interface LogIndex {
  source: Source;
  /** Its processes by PID and run (see processId). */
  processes: Map<ProcessId, ProcessInfo>;
  /** By process (PID and run), the 1-based line of its last summary. */
  lastSummary: Map<ProcessId, number>;
  /** By PID, the line of the last summary of any of its runs. */
  lastOfPid: Map<number, number>;
  /** The two processes with a preamble whose last summaries came last, latest first. */
  latest: { key: ProcessId; line: number }[];
  /**
   * By PID, its last run with no document start of its own: records written on past the end of
   * its XML document (see xml-forked-child).
   */
  lastContinued: Map<number, number>;
}

/**
 * The forked children among this run's processes that died of a fatal signal, as the logs
 * show them (see has). Built once all the inputs are in: a child's own log (`vg.%p.log`) names
 * a parent whose log is another input. Indexed at the first question, in time linear in the
 * processes and summaries: a run with no fatal signal asks none.
 */
export class ForkedDeaths {
  private logs: Map<string, LogIndex> | undefined;
  /** By PID, the whole logs (complete sources) that hold a process of it. */
  private wholeLogsOf: Map<number, Set<string>> | undefined;

  constructor(
    private readonly sources: readonly Source[],
    private readonly summaries: readonly ToolSummary[],
  ) {}

  /**
   * Whether the process that died at `death` was a forked child whose parent ran on past its
   * death: a fork copies the process, and the copy's death ends the copy alone. The logs show
   * it so:
   * - Valgrind's text log: the process printed no preamble of its own (a forked child writes
   *   on in its parent's log), or its preamble's command has GoogleTest's re-run option (the
   *   threadsafe style's child), and a process of the log that did print one printed a summary
   *   after the death. Without any preamble (`-q`) nothing tells a child from the only process.
   * - any Valgrind log: its preamble names a parent (`Parent PID:`, `<ppid>`) that another
   *   input holds whole (`vg.%p.log`: the child's log of its own), or that printed a summary
   *   after the death in the same log.
   * - Valgrind XML: a later process of the same PID wrote on in the document after its end
   *   (`xml-forked-child`: records after `</valgrindoutput>`), which the XML names no PID for.
   *   Which of the two was the parent the XML does not say; the one that ended later ran on.
   */
  has(death: Death): boolean {
    const { pid, line } = death;
    if (pid === undefined || line === undefined) return false;
    const log = this.indexed().get(death.path);
    const key = processId({ pid, run: death.run });
    const process = log?.processes.get(key);
    if (log === undefined || process === undefined) return false;
    const format = log.source.format;
    if (format === "valgrind-xml" && (log.lastContinued.get(pid) ?? 0) > (death.run ?? 1)) {
      return true;
    }
    if (process.ppid !== undefined && this.parentRanOn(log, process.ppid, line)) return true;
    if (format !== "valgrind") return false;
    const unstarted = process.command === undefined && process.ppid === undefined;
    if (!unstarted && process.command?.includes(DEATH_TEST_OPTION) !== true) return false;
    return log.latest.some((other) => other.key !== key && other.line > line);
  }

  /**
   * Whether the parent `ppid` names ran on: in the same log, a summary of it after `line`; in
   * another input, a whole log of it. A PID is also another run's in one log (an exec, a
   * container's PID 1), so any of its runs will do.
   */
  private parentRanOn(log: LogIndex, ppid: number, line: number): boolean {
    if ((log.lastOfPid.get(ppid) ?? 0) > line) return true;
    this.wholeLogsOf ??= wholeLogsByPid(this.sources);
    const logs = this.wholeLogsOf.get(ppid);
    return logs !== undefined && [...logs].some((path) => path !== log.source.path);
  }

  private indexed(): Map<string, LogIndex> {
    if (this.logs !== undefined) return this.logs;
    const logs = new Map<string, LogIndex>();
    for (const source of this.sources) logs.set(source.path, emptyIndex(source));
    for (const summary of this.summaries) {
      const log = logs.get(summary.path);
      if (log === undefined || summary.line === undefined || summary.pid === undefined) continue;
      const key = processId(summary);
      log.lastSummary.set(key, Math.max(log.lastSummary.get(key) ?? 0, summary.line));
      log.lastOfPid.set(summary.pid, Math.max(log.lastOfPid.get(summary.pid) ?? 0, summary.line));
    }
    for (const log of logs.values()) {
      for (const [key, line] of log.lastSummary) {
        if (log.processes.get(key)?.command === undefined) continue;
        log.latest = [...log.latest, { key, line }].sort((a, b) => b.line - a.line).slice(0, 2);
      }
    }
    this.logs = logs;
    return logs;
  }
}

function emptyIndex(source: Source): LogIndex {
  const processes = new Map<ProcessId, ProcessInfo>();
  const lastContinued = new Map<number, number>();
  for (const p of source.processes) {
    processes.set(processId(p), p);
    // Records after a document's end: no `<ppid>` of their own (see xml-forked-child).
    if (p.ppid === undefined && p.run !== undefined) {
      lastContinued.set(p.pid, Math.max(lastContinued.get(p.pid) ?? 0, p.run));
    }
  }
  return {
    source,
    processes,
    lastSummary: new Map(),
    lastOfPid: new Map(),
    latest: [],
    lastContinued,
  };
}

function wholeLogsByPid(sources: readonly Source[]): Map<number, Set<string>> {
  const byPid = new Map<number, Set<string>>();
  for (const source of sources) {
    if (!source.complete) continue;
    for (const { pid } of source.processes) {
      const paths = byPid.get(pid) ?? new Set<string>();
      byPid.set(pid, paths.add(source.path));
    }
  }
  return byPid;
}
