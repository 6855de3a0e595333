import { classifyLine, FrameLine, Hint } from "../../../grammars/valgrind/line-kinds.js";
import type { ParseSink } from "../types.js";
import type { PrefixedLine } from "./prefix.js";
import { ValgrindWarnings } from "./valgrind-warnings.js";
import { XmlRunLog, type XmlRunListing } from "./xml-run-log.js";

/**
 * Valgrind's warnings that -v follows with where the program made the call, as `==PID==` frame
 * lines: `--PID-- WARNING: unhandled amd64-linux syscall: 999` (syswrap-main.c) and `==PID==
 * Warning: invalid file descriptor 19991 in syscall close()` (syswrap-generic.c, after an
 * indented hint when the descriptor is Valgrind's own).
 */
const WARNING_WITH_STACK =
  /^(?:WARNING: unhandled \S+ syscall: |Warning: invalid file descriptor -?\d+ in syscall )/;

/** m_scheduler.c's headline before an unrecognised instruction's SIGILL. */
const UNRECOGNISED = /^valgrind: Unrecognised instruction at address (0x[0-9a-fA-F]+)\.$/;

/**
 * Valgrind's own messages around the blocks of a text log: the `--PID--` lines of -v (its option
 * list tells a `--xml=yes` run: see XmlRunLog), the frames -v prints after a warning, which are
 * the warning's and no finding's, and the warnings that bear on findings (ValgrindWarnings).
 */
export class ValgrindMessages {
  private readonly warnings: ValgrindWarnings;
  private readonly xmlRun = new XmlRunLog();
  /** The PID whose warning of WARNING_WITH_STACK came last, while its frames may follow. */
  private warningStackOf: number | undefined;
  /** The PID whose UNRECOGNISED notice is being read, up to its blank line. */
  private unrecognisedOf: number | undefined;

  constructor(private readonly sink: ParseSink) {
    this.warnings = new ValgrindWarnings(sink);
  }

  /** Whether a warning's -v frames may come next: frame lines must then be read as text. */
  get takingFrames(): boolean {
    return this.warningStackOf !== undefined || this.unrecognisedOf !== undefined;
  }

  /**
   * Whether a `==PID==` or `--PID--` line is no block's: a `--PID--` line, or a frame after a
   * warning of WARNING_WITH_STACK (its hint line may come first). Tells the warnings that bear
   * on findings either way.
   */
  outsideBlocks(prefixed: PrefixedLine, lineNo: number): boolean {
    const { pid, body } = prefixed;
    if (this.unrecognised(pid, body, lineNo)) return true;
    this.warnings.line(pid, body, lineNo);
    // Most lines are no warning: the first character is checked before the regex.
    const withStack = body.charCodeAt(0) === 87 /* W */ && WARNING_WITH_STACK.test(body);
    if (prefixed.marker === "-") {
      if (withStack) this.warningStackOf = pid;
      this.xmlRun.verboseLine(pid, body);
      return true;
    }
    if (this.warningStackOf === pid) {
      const kind = classifyLine(body);
      if (kind === FrameLine) return true;
      if (kind !== Hint) this.warningStackOf = undefined;
    }
    if (withStack) this.warningStackOf = pid;
    return false;
  }

  /**
   * Valgrind's notice of an instruction it did not recognise (m_scheduler.c, before it raises
   * SIGILL: `__builtin_trap`, a jump to data, or an instruction it does not handle): the
   * headline, its stack and ten lines of explanation, to a blank line. Read as an error, it
   * was an `Unknown` one the XML of the run does not have, or an `--error-markers` marker.
   */
  private unrecognised(pid: number, body: string, lineNo: number): boolean {
    if (this.unrecognisedOf === pid) {
      if (body.trim() !== "") return true;
      this.unrecognisedOf = undefined;
      return false;
    }
    // Every line outside a block comes here: the first character is checked before the regex.
    if (body.charCodeAt(0) !== 118 /* v */) return false;
    const address = UNRECOGNISED.exec(body)?.[1];
    if (address === undefined) return false;
    this.unrecognisedOf = pid;
    this.sink.diagnostic({
      severity: "warning",
      code: "valgrind-warning",
      message: `Valgrind did not recognise the instruction at ${address} and raised SIGILL: the program jumped to non-code or trapped (__builtin_trap), or Valgrind does not handle the instruction (its fatal signal follows)`,
      line: lineNo,
    });
    return true;
  }

  /** At the log's end: the warnings still pending are told. */
  end(): void {
    this.warnings.end();
  }

  /**
   * Once every block is read: why the log is unusable when every Memcheck process of it
   * (`pids`) ran with --xml=yes (see XmlRunLog.unusableReason).
   */
  xmlRunReason(
    pids: readonly number[],
    listingOf: (pid: number) => XmlRunListing | undefined,
  ): string | undefined {
    return this.xmlRun.unusableReason(pids, listingOf);
  }
}
