import type { ParseSink } from "../types.js";
import type { PrefixedLine } from "./prefix.js";

/*
 * Valgrind's own failure report (m_libcassert.c): an assertion of the core or the tool, or a
 * panic, then Valgrind's own stack, the client threads' stacks and a plea to report the bug.
 * Only the stacks carry the `==PID==` prefix; the rest is written bare, as program output is:
 *
 *   Memcheck: mc_errors.c:923 (vgMemCheck_record_user_error): Assertion 'MC_(clo_mc_level) >= 2' failed.
 *   host stacktrace:
 *   ==6530==    at 0x580429AA: ??? (in /usr/libexec/valgrind/memcheck-amd64-linux)
 *   sched status:
 *     running_tid=1
 *   Thread 1: status = VgTs_Runnable (lwpid 6530)
 *   ==6530==    at 0x10953D: main (client_requests.c:23)
 */
const ASSERTION = /^[A-Za-z][\w-]{0,30}: \S+:\d+ \(.{1,200}\): Assertion '.*' failed\.$/;
const IMPOSSIBLE = /^[A-Za-z][\w-]{0,30}: the 'impossible' happened:?$/;
/** The bare lines after which the report's stack frames come. */
const STACKS_FOLLOW = /^(?:host stacktrace:|Thread \d+: status = .*)$/;
const FRAME = /^ +(?:at|by) 0x[0-9A-Fa-f]+: /;
/** Longer lines are no headline of Valgrind's (cap before any regular expression runs). */
const MAX_HEADLINE = 400;

/**
 * Finds Valgrind's own failure in a text log (a real one: test/fixtures/valgrind/valgrind-failed,
 * `--undef-value-errors=no` with a client check request), warns of it once per failure, and
 * takes the stack frames of its report, which are no findings: before, they were "line not
 * understood" warnings, nine of them, and nothing said why the process had no summaries.
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
    if (text.length > MAX_HEADLINE) return;
    if (ASSERTION.test(text) || IMPOSSIBLE.test(text)) {
      this.report = {};
      this.sink.incomplete(
        `Valgrind itself failed ("${text}"): it stopped the program there, so the program's later errors and its leak check at exit are missing; the lines after it are Valgrind's bug report`,
        lineNo,
        "valgrind-failed",
      );
    } else if (this.report !== undefined) this.inStacks = STACKS_FOLLOW.test(text);
  }

  /**
   * Whether a prefixed line is a frame of the failure report, and so taken here. The report
   * ends at its process's first other prefixed line; another process's lines pass.
   */
  prefixed(line: PrefixedLine): boolean {
    const report = this.report;
    if (report === undefined) return false;
    const own = report.pid === undefined || report.pid === line.pid;
    if (this.inStacks && own && FRAME.test(line.body)) {
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
