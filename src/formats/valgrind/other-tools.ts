import type { TokenType } from "chevrotain";
import * as T from "../../../grammars/valgrind/line-kinds.js";
import {
  threadToolOfFrame,
  threadToolOfLine,
  type ThreadTool,
} from "../../../grammars/valgrind/thread-tool-lines.js";
import type { ParseSink } from "../types.js";
import type { ProcessEntry } from "./process-table.js";
import type { MemcheckRun } from "./quiet-runs.js";

/**
 * Headlines and aux lines of Helgrind's or DRD's that show a process to be theirs: one could be
 * a program's own line that happens to carry the prefix, two in one process are the tool's
 * (a race prints four, a thread announcement two).
 */
const TOOL_LINES_ENOUGH = 2;

/**
 * Banners of other Valgrind tools (`Helgrind, a thread error detector`): Memcheck's grammar
 * would read their reports as made-up errors and their lines as unknown ones (helgrind.txt
 * gave 6 "errors" for its ERROR SUMMARY's 2), so the text parser skips such a process's lines
 * from its banner on; a log with no Memcheck process at all is unusable (see end). With `-q`
 * there is no banner, and Helgrind's and DRD's own lines tell the tool (see threadToolLine).
 */
export class OtherTools {
  /** The other Valgrind tools whose banners (or, under -q, whose lines) came, in order. */
  private readonly tools: string[] = [];

  constructor(private readonly sink: ParseSink) {}

  /** The tool a banner names, unless it is Memcheck; warned of once (one line per process). */
  banner(pid: number, body: string, lineNo: number): string | undefined {
    const tool = body.slice(0, body.indexOf(","));
    if (tool === "Memcheck") return undefined;
    this.skipped(pid, tool, "", lineNo);
    return tool;
  }

  /**
   * A line of a process that no banner named Memcheck's: the tool, once the process's lines
   * show it to be Helgrind or DRD (warned of by quietRun). `valgrind --tool=helgrind -q` prints
   * no banner, and Memcheck's grammar read its thread announcements and `Locks held: none` as
   * made-up `Unknown` errors and its races as unknown lines, so `--fail-on Race` passed
   * (campaign bo F3). A frame in the tool's preloaded intercepts is enough; its headlines count
   * (see TOOL_LINES_ENOUGH). Only `==PID==` lines reach here: the program's own output never
   * counts. The tool's part starts with the block of its first line (DRD's `Thread 3:` comes
   * before its headline): threadToolFrom.
   */
  threadToolLine(
    entry: ProcessEntry,
    kind: TokenType,
    body: string,
    lineNo: number,
  ): ThreadTool | undefined {
    const tool = threadToolOf(kind, body);
    if (tool === undefined) return undefined;
    entry.threadToolLines = (entry.threadToolLines ?? 0) + 1;
    if (entry.threadToolLines === 1) entry.threadToolFrom = entry.tokens[0]?.startLine ?? lineNo;
    if (kind !== T.FrameLine && entry.threadToolLines < TOOL_LINES_ENOUGH) return undefined;
    return tool;
  }

  /**
   * A process, or its run from line `lineNo` on after (or among) a Memcheck run's lines of its
   * PID (see QuietRuns), that threadToolLine showed to be Helgrind's or DRD's: its lines are
   * skipped.
   */
  quietRun(pid: number, tool: ThreadTool, lineNo: number, memcheck?: MemcheckRun): void {
    const where = memcheck === "before" ? "after a Memcheck run" : "among a Memcheck run's lines";
    const why =
      memcheck === undefined
        ? `its lines are ${tool}'s`
        : `its lines from here on are ${tool}'s, ${where} of the PID`;
    this.skipped(pid, tool, ` (no banner, as with -q; ${why})`, lineNo);
  }

  /**
   * A process with no banner forked by a run of `tool` (see SuspectedChildren): its lines are
   * skipped as its parent's are.
   */
  forkedChild(pid: number, tool: string, lineNo: number): void {
    this.skipped(
      pid,
      tool,
      ` (no banner: a child forked by a ${tool} run, which prints none)`,
      lineNo,
    );
  }

  /**
   * Whether the process's open block is its first line of Helgrind's or DRD's alone (Helgrind's
   * `---Thread-Announcement---`, which a blank line follows): read now, it would be a `line not
   * understood` in the log the next line shows to be theirs (see isToolLine).
   */
  loneToolLine(entry: ProcessEntry): boolean {
    const only = entry.tokens.length === 1 ? entry.tokens[0] : undefined;
    if (only === undefined || entry.threadToolLines !== 1) return false;
    return threadToolOf(only.tokenType, only.image) !== undefined;
  }

  /** Whether a line body of this kind is one that only Helgrind or DRD print. */
  isToolLine(kind: TokenType, body: string): boolean {
    return threadToolOf(kind, body) !== undefined;
  }

  /** Another tool's process, whose lines are skipped: warned of once. */
  private skipped(pid: number, tool: string, why: string, lineNo: number): void {
    this.tools.push(tool);
    this.sink.diagnostic({
      severity: "warning",
      code: "other-tool",
      message: `PID ${pid} runs ${tool}, not Memcheck${why}: its lines are skipped`,
      line: lineNo,
    });
  }

  /** At the log's end: another tool's banner came, and no Memcheck process, so it is unusable. */
  end(hasMemcheckProcess: () => boolean): void {
    const other = this.tools[0];
    if (other !== undefined && !hasMemcheckProcess()) this.sink.unusable(otherToolLog(other));
  }
}

/** The thread checker that a line body of this kind is only printed by, if any. */
function threadToolOf(kind: TokenType, body: string): ThreadTool | undefined {
  if (kind === T.FrameLine) return threadToolOfFrame(body);
  return kind === T.TextLine || kind === T.AuxLine ? threadToolOfLine(body) : undefined;
}

/** The thread checker a banner's tool is, if it is one (drd names itself in lower case). */
export function threadToolOfBanner(banner: string): ThreadTool | undefined {
  const tool = banner === "drd" ? "DRD" : banner;
  return tool === "Helgrind" || tool === "DRD" ? tool : undefined;
}

/** Why a log of other Valgrind tools only is unusable, and what to run instead. */
function otherToolLog(banner: string): string {
  const thread = threadToolOfBanner(banner);
  const tool = thread ?? banner;
  const threads = thread !== undefined;
  const a = /^[aeiou]/i.test(tool) ? "an" : "a";
  return threads
    ? `a ${tool} log, not Memcheck's: leaklog reads Valgrind Memcheck logs, and ${tool}'s only as XML (rerun with --xml=yes --xml-file=FILE)`
    : `${a} ${tool} log, not Memcheck's: leaklog reads Valgrind Memcheck logs (text or XML), and Helgrind's or DRD's as XML`;
}
