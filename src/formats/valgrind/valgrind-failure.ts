import {
  isFailureHeadline,
  isFailureStackHeader,
} from "../../../grammars/valgrind/failure-lines.js";
import { classifyLine, FrameLine } from "../../../grammars/valgrind/line-kinds.js";
import type { ParseSink } from "../types.js";
import type { PrefixedLine } from "./prefix.js";

/**
 * Finds Valgrind's own failure in a text log (its shape: grammars/valgrind/failure-lines.ts; a
 * real one: test/fixtures/valgrind/valgrind-failed, `--undef-value-errors=no` with a client
 * check request), warns of it once per failure, and takes the stack frames of its report, which
 * are no findings: before, they were "line not understood" warnings, nine of them, and nothing
 * said why the process had no summaries.
 */
export class ValgrindFailures {
  /** The failure whose report is being written; its PID once its first frame names it. */
  private report: { pid?: number } | undefined;
  /** Taking the report's frames: after `host stacktrace:` or `Thread 1: status = ...`. */
  private inStacks = false;
  /** PIDs whose Valgrind failed: their missing ERROR SUMMARY needs no other warning. */
  private readonly failedPids = new Set<number>();

  constructor(private readonly sink: ParseSink) {}

  /** Whether frame lines must go to `prefixed` now (the byte path leaves them). */
  get takingFrames(): boolean {
    return this.inStacks;
  }

  /** A bare line: program output, or a line of Valgrind's failure report. */
  bare(text: string, lineNo: number): void {
    this.inStacks = false;
    if (isFailureHeadline(text)) {
      this.report = {};
      this.sink.incomplete(
        `Valgrind itself failed ("${text}"): it stopped the program there, so the program's later errors and its leak check at exit are missing; the lines after it are Valgrind's bug report`,
        lineNo,
        "valgrind-failed",
      );
    } else if (this.report !== undefined) this.inStacks = isFailureStackHeader(text);
  }

  /**
   * Whether a prefixed line is a frame of the failure report, and so taken here. The report
   * ends at its process's first other prefixed line; another process's lines pass.
   */
  prefixed(line: PrefixedLine): boolean {
    const report = this.report;
    if (report === undefined) return false;
    const own = report.pid === undefined || report.pid === line.pid;
    if (this.inStacks && own && classifyLine(line.body) === FrameLine) {
      if (report.pid === undefined) {
        report.pid = line.pid;
        this.failedPids.add(line.pid);
      }
      return true;
    }
    if (own && report.pid !== undefined) {
      this.report = undefined;
      this.inStacks = false;
    }
    return false;
  }

  /** Whether a process's missing ERROR SUMMARY is its Valgrind's failure, already warned of. */
  explains(pid: number): boolean {
    return this.failedPids.has(pid);
  }
}
