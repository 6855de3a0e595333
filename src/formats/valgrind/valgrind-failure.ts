import {
  BAD_OPTION_END,
  GIVING_UP,
  VALGRIND_REASON,
  PREFIXED_BAD_OPTION,
  SUPPRESSIONS_CANNOT_OPEN,
  SUPPRESSIONS_FATAL,
  isFailureHeadline,
  isFailureStackHeader,
  isHostStackHeader,
  isNotLoadedLine,
  isNotStartedLine,
  isOutOfMemoryHeadline,
  isStoppedAtStartupLine,
} from "../../../grammars/valgrind/failure-lines.js";
import { classifyLine, FrameLine } from "../../../grammars/valgrind/line-kinds.js";
import type { ParseSink } from "../types.js";
import type { PrefixedLine } from "./prefix.js";

/** A failure report being written. */
interface Report {
  /** Its process, once its first frame (or its out-of-memory headline) names it. */
  pid?: number;
  /** Where it starts: its headline, or `host stacktrace:` when the headline comes last. */
  line: number;
  /** Its headline was read, and warned of. */
  warned: boolean;
  /** Valgrind ran out of memory: the rest of the process's lines are its message. */
  outOfMemory?: true;
  /** Valgrind refused this suppressions file (`FATAL: in suppressions file`): its reason next. */
  refused?: { file: string; near: string; reason?: string };
  /** Valgrind refused an option (`Bad option:`): the lines that explain it, until `Use --help`. */
  badOption?: true;
}

/**
 * Finds Valgrind's own failure in a text log (its shapes: grammars/valgrind/failure-lines.ts;
 * real ones in test/fixtures/valgrind/valgrind-failed: an assertion, `--undef-value-errors=no`
 * with a client check request, and running out of memory under `ulimit -v`), warns of it once
 * per failure, and takes the stack frames of its report and the out-of-memory advice, which are
 * no findings: before, they were "line not understood" warnings, and nothing said why the
 * process had no summaries.
 */
export class ValgrindFailures {
  private report: Report | undefined;
  /** Taking the report's frames: after `host stacktrace:` or `Thread 1: status = ...`. */
  private inStacks = false;
  /** PIDs whose Valgrind failed: their missing ERROR SUMMARY needs no other warning. */
  private readonly failedPids = new Set<number>();
  /** PIDs whose Valgrind exited before the program ran, and why (see checkedNothing). */
  private readonly refusedPids = new Map<number, string>();
  /** PIDs whose Valgrind gave up, and why: before the program ran if it printed nothing else. */
  private readonly gaveUpPids = new Map<number, string>();
  /** Each process's last `Valgrind: ` line that says why (see GIVING_UP). */
  private readonly reasons = new Map<number, string>();
  /** The first bare line saying Valgrind stopped at start-up (see isStoppedAtStartupLine). */
  private stoppedAtStartup: string | undefined;
  /** Whether a bare line said Valgrind's loader refused a program (see isNotLoadedLine). */
  private notLoaded = false;
  /** The 1-based line of the last bare line saying Valgrind did not run a program. */
  private lastNotStarted: number | undefined;

  constructor(private readonly sink: ParseSink) {}

  /** Whether frame lines must go to `prefixed` now (the byte path leaves them). */
  get takingFrames(): boolean {
    return this.inStacks;
  }

  /** A bare line: program output, or a line of Valgrind's failure report. */
  bare(text: string, lineNo: number): void {
    this.inStacks = false;
    if (isNotStartedLine(text)) this.notStarted(text, lineNo);
    else if (isFailureHeadline(text)) {
      this.close();
      this.report = { line: lineNo, warned: true };
      this.warn(
        `Valgrind itself failed ("${text}"): it stopped the program there, so the program's later errors and its leak check at exit are missing; the lines after it are Valgrind's bug report`,
        lineNo,
      );
    } else if (this.report === undefined && isHostStackHeader(text)) {
      // Out of memory, Valgrind prints its stacks before its headline.
      this.report = { line: lineNo, warned: false };
      this.inStacks = true;
    } else if (this.report !== undefined) this.inStacks = isFailureStackHeader(text);
  }

  /**
   * A bare line saying Valgrind did not run a program (isNotStartedLine), warned of: in a CI
   * step's one stream of several runs, a typo in an option or a test not built took that program
   * out of the gate unsaid, its lines program output. One failure's lines, one after another,
   * are warned of once (an ELF file's fault, then `cannot execute binary file`).
   */
  private notStarted(text: string, lineNo: number): void {
    const sameFailure = this.lastNotStarted === lineNo - 1;
    this.lastNotStarted = lineNo;
    // Bare, it names no process: it is taken for the one that printed only its preamble
    // (campaign bp F2: `valgrind:  Fatal error at startup` read as a run killed at its start,
    // or a forked child, and passed --fail-on error).
    if (isStoppedAtStartupLine(text)) this.stoppedAtStartup ??= text;
    if (sameFailure) return;
    if (!isNotLoadedLine(text)) {
      return this.warn(
        `Valgrind did not start ("${text}"): the program it was given was not run, so nothing of it is checked`,
        lineNo,
      );
    }
    // Campaign bv F3: a traced child's exec that Valgrind could not load went unchecked, and
    // these lines read as program output in a log called clean and complete. Its process, if it
    // printed only its preamble, is the one that exec'd (see explains).
    this.notLoaded = true;
    this.warn(
      `Valgrind could not load a program it was to check ("${text}"): that program did not run, so nothing of it is checked (a program that a process traced with --trace-children=yes exec'd, or the one Valgrind was given)`,
      lineNo,
    );
  }

  /**
   * Whether a prefixed line belongs to the failure report (a frame, the out-of-memory message),
   * and so is taken here. The report ends at its process's first other line (blank lines aside
   * while its headline is still to come); another process's lines pass.
   */
  prefixed(line: PrefixedLine, lineNo: number): boolean {
    const body = line.body;
    if (this.startsFailure(line, lineNo)) return true;
    const report = this.report;
    if (report === undefined || (report.pid !== undefined && report.pid !== line.pid)) return false;
    if (report.outOfMemory === true) return true;
    if (report.badOption === true) {
      if (body === BAD_OPTION_END) this.close();
      return true;
    }
    if (report.refused !== undefined) {
      // Its reason, then `exiting now.`: the process's last line.
      if (body === "exiting now.") this.close();
      else report.refused.reason ??= body.trim();
      return true;
    }
    if (this.inStacks && classifyLine(body) === FrameLine) {
      if (report.pid === undefined) {
        report.pid = line.pid;
        if (report.warned) this.failedPids.add(line.pid);
      }
      return true;
    }
    const headlineToCome = !report.warned && body.trim() === "";
    if (report.pid !== undefined && !headlineToCome) this.close();
    return false;
  }

  /**
   * Whether the line starts Valgrind's failure, its refusal of the run or its giving up (taken,
   * and warned of here): running out of memory, a suppressions file it refused or could not
   * open, an option it refused, `I can't recover.  Giving up.`
   */
  private startsFailure(line: PrefixedLine, lineNo: number): boolean {
    const body = line.body;
    if (isOutOfMemoryHeadline(body)) return this.outOfMemory(line.pid, lineNo);
    if (body.startsWith("FATAL: ")) {
      const missing = SUPPRESSIONS_CANNOT_OPEN.exec(body);
      if (missing !== null) {
        const file = missing[1] ?? "";
        const why = `Valgrind could not open its suppressions file "${file}" and exited before the program ran`;
        return this.refuse(line, lineNo, why, "check the path and rerun");
      }
      const fatal = SUPPRESSIONS_FATAL.exec(body);
      if (fatal !== null) {
        this.close();
        const [, file = "", near = ""] = fatal;
        this.report = { pid: line.pid, line: lineNo, warned: false, refused: { file, near } };
        return true;
      }
    } else if (body.startsWith("Bad option: ") && PREFIXED_BAD_OPTION.test(body)) {
      const why = `Valgrind refused an option ("${body}"), so this log holds none of the program's findings`;
      this.refuse(line, lineNo, why, "mend the option and rerun");
      // The lines that explain it follow, up to `Use --help ...`.
      this.report = { pid: line.pid, line: lineNo, warned: true, badOption: true };
      return true;
    }
    return body.startsWith("Valgrind: ") && this.givesUp(line, lineNo);
  }

  /**
   * A suppressions file Valgrind cannot open (it exits before the program runs), or an option it
   * refuses with the prefix (it runs the program, but its findings go nowhere): in a CI step's
   * log, the run of a clean program. Warned of, and its process checked nothing.
   */
  private refuse(line: PrefixedLine, lineNo: number, what: string, mend: string): true {
    this.close();
    const why = `PID ${line.pid}: ${what}`;
    this.refusedPids.set(line.pid, why);
    this.failedPids.add(line.pid);
    this.warn(`${why}: nothing was checked; ${mend}`, lineNo);
    return true;
  }

  /**
   * Whether the line is Valgrind's giving up (GIVING_UP), warned of with the reason it gave;
   * the lines that say why are remembered on the way.
   */
  private givesUp(line: PrefixedLine, lineNo: number): boolean {
    if (line.body !== GIVING_UP) {
      const reason = VALGRIND_REASON.exec(line.body);
      if (reason !== null) this.reasons.set(line.pid, reason[1] as string);
      return false;
    }
    const said = this.reasons.get(line.pid);
    const why = `PID ${line.pid}: Valgrind gave up ("${said !== undefined ? `${said} ` : ""}I can't recover.  Giving up.  Sorry.")`;
    this.reasons.delete(line.pid);
    this.gaveUpPids.set(line.pid, `${why} before the program ran`);
    this.failedPids.add(line.pid);
    this.warn(
      `${why} and stopped the program: its findings from there on, and its leak check at exit, are missing`,
      lineNo,
    );
    return true;
  }

  /** End of the log: a report whose headline never came is still warned of. */
  end(): void {
    this.close();
  }

  /**
   * Why nothing was checked, when every Memcheck process of the log (`pids`) stopped before its
   * program ran (a refused suppressions file or option, or Valgrind giving up or stopping at
   * start-up in a process that printed nothing but its preamble); undefined otherwise.
   */
  checkedNothing(
    pids: readonly number[],
    printedOnlyPreamble: (pid: number) => boolean,
  ): string | undefined {
    // A refused option leaves no Memcheck preamble: its process is the log's only one.
    const all = pids.length > 0 ? pids : [...this.refusedPids.keys()];
    const why = (pid: number) =>
      this.refusedPids.get(pid) ??
      (printedOnlyPreamble(pid)
        ? (this.gaveUpPids.get(pid) ?? this.stoppedBeforeRun(pid))
        : undefined);
    if (all.length === 0 || !all.every((pid) => why(pid) !== undefined)) return undefined;
    return why(all[0] as number);
  }

  /**
   * Whether a process's missing ERROR SUMMARY is its Valgrind's failure, already warned of: one
   * that printed only its preamble (`onlyPreamble`) in a log where Valgrind stopped at start-up
   * was no run killed at its start nor a forked child, and in one where its loader refused a
   * program, it exec'd that program (the loader prints before any preamble of its own).
   */
  explains(pid: number, onlyPreamble: boolean): boolean {
    const startFailed = this.stoppedAtStartup !== undefined || this.notLoaded;
    return this.failedPids.has(pid) || (onlyPreamble && startFailed);
  }

  /** Why a process that printed only its preamble ran nothing, if Valgrind stopped at start-up. */
  private stoppedBeforeRun(pid: number): string | undefined {
    const line = this.stoppedAtStartup;
    return line === undefined
      ? undefined
      : `PID ${pid}: Valgrind stopped at start-up ("${line}") before the program ran; its lines after that one say why`;
  }

  private outOfMemory(pid: number, lineNo: number): boolean {
    this.report = { pid, line: lineNo, warned: true, outOfMemory: true };
    this.inStacks = false;
    this.failedPids.add(pid);
    this.warn(
      `PID ${pid}: Valgrind itself ran out of memory ("Valgrind's memory management: out of memory") and stopped the program there, so the program's later errors and its leak check at exit are missing; a memory limit (ulimit -v, a container's) is the usual cause`,
      lineNo,
    );
    return true;
  }

  /** Ends the report; one whose headline never came is warned of where its stacks began. */
  private close(): void {
    const report = this.report;
    this.report = undefined;
    this.inStacks = false;
    if (report === undefined || report.warned) return;
    if (report.pid !== undefined) this.failedPids.add(report.pid);
    if (report.refused !== undefined) return this.refused(report, report.refused);
    this.warn(
      `Valgrind itself failed (it printed its own stack, "host stacktrace:", which only its failure reports do): the program's later errors and its leak check at exit are missing`,
      report.line,
    );
  }

  private refused(report: Report, refused: NonNullable<Report["refused"]>): void {
    const reason = refused.reason !== undefined ? `: ${refused.reason}` : "";
    const why = `Valgrind refused its suppressions file "${refused.file}" (near line ${refused.near}${reason}) and exited before the program ran`;
    if (report.pid !== undefined) this.refusedPids.set(report.pid, why);
    this.warn(`${why}: nothing was checked; mend the file and rerun`, report.line);
  }

  private warn(message: string, lineNo: number): void {
    this.sink.incomplete(message, lineNo, "valgrind-failed");
  }
}
