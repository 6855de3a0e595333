import type { TokenType } from "chevrotain";
import { safeInteger } from "../../../grammars/numbers.js";
import { classifyLine } from "../../../grammars/sanitizer/classify.js";
import type { BlockLine } from "../../../grammars/sanitizer/parser.js";
import * as T from "../../../grammars/sanitizer/tokens.js";
import { BlockCaps, type CapNotes } from "../block-caps.js";
import type { ParseSink } from "../types.js";
import { processFields } from "../process-fields.js";
import { ProcessRuns } from "./process-runs.js";
import { RuntimeFailures } from "./runtime-failures.js";
import { SuppressionTables } from "./suppression-tables.js";
import { RuntimeWarnings } from "./runtime-warnings.js";
import { untitledLines } from "./odr-titles.js";

/** One report of one process: a leak report, an ASan error report or a ThreadSanitizer one. */
export interface SanitizerReport {
  kind: "leak" | "error" | "tsan";
  pid: number;
  /** The PID's run in the log, from its second on (see ProcessRuns). */
  run?: number;
  lines: BlockLine[];
  /**
   * True when the report was seen to end: its SUMMARY line, or under print_summary=0 what
   * follows a whole report (ASan's shadow dump or `ABORTING`, ThreadSanitizer's closing
   * separator); false for a report cut by the end of the log.
   */
  summarized: boolean;
  /**
   * True when the end of the log closed the report: one not `summarized` was cut there, and its
   * last stack may be partial (see ReportSplitter.closeAtEnd).
   */
  cutByEnd: boolean;
}

/** A UBSan runtime error: its lines name no process. */
export interface RuntimeErrorReport {
  kind: "ubsan";
  pid?: undefined;
  lines: BlockLine[];
  summarized: boolean;
  cutByEnd: boolean;
}

export type ReportBlock = SanitizerReport | RuntimeErrorReport;

type Mode = "leak" | "error" | "errorTail" | "ubsan" | "tsan" | "tsanTail";
// Lines a UBSan runtime error is made of (its SUMMARY, printed when it halts, ends it).
const RUNTIME_ERROR_LINES = new Set<TokenType>([T.RuntimeNote, T.Frame]);

// Lines a leak report is made of; anything else inside one is the program's (sanitizers.md §9).
const LEAK_LINES = new Set<TokenType>([
  T.Blank,
  T.LeakHeader,
  T.Frame,
  T.TopLeaks,
  T.ObjectsHeader,
  T.ObjectLine,
  T.SuppressionRule,
  T.SuppressionsUsed,
  T.SuppressionColumns,
  T.SuppressionRow,
  T.Omitting,
]);
// Before its SUMMARY an error report holds free text (address descriptions, hints), so other
// shapes there are read as text rather than as lines of another section.
const ERROR_LINES = new Set<TokenType>([
  T.AccessLine,
  T.HeadlineDetail,
  T.PidMessage,
  T.Frame,
  T.Blank,
  T.StackHeader,
  T.Text,
]);
// After the SUMMARY only the shadow dump, its legend, the thread announcement and `==PID==` lines
// belong to the report.
const TAIL_LINES = new Set<TokenType>([T.ShadowHeader, T.ShadowRow, T.LegendHeader, T.LegendRow]);
// ASan announces the erring thread when the report is done (ScopedInErrorReport's destructor
// calls DescribeThread), after the SUMMARY of a deadly signal or after the shadow legend, unless
// an address description announced it before (test/fixtures/sanitizer/threads).
const THREAD_HEADER = /^Thread T\d+\b/;
// Lines that go on a thread announcement's stack: its frames and the blank line that ends it.
const STACK_GOES_ON = new Set<TokenType>([T.StackHeader, T.Frame]);
// Lines a ThreadSanitizer report is made of; another line inside one is read as its text (TSan
// prints a report whole, but another thread's output can land in it).
const TSAN_LINES = new Set<TokenType>([T.Frame, T.Blank, T.TsanStackHeader, T.Text]);
// Lines that end a ThreadSanitizer report before its SUMMARY: another report, or the total.
const AFTER_TSAN = new Set<TokenType>([
  T.Separator,
  T.DeadlySignal,
  T.LeakReportHeader,
  T.ErrorReportHeader,
  T.TsanSeparator,
  T.TsanHeader,
  T.TsanTotal,
  T.TsanSuppressions,
  T.RuntimeError,
  T.LeakSummary,
  T.ErrorSummary,
]);
// Sanitizer-shaped lines that make no sense outside a report (its header was lost).
const STRAY_LINES = new Set<TokenType>([T.LeakSummary, T.ErrorSummary, T.LeakHeader, T.Frame]);
const ABORTING = /^ABORTING\b/;
/**
 * Program lines in a row that an error report's tail (after its SUMMARY: the shadow dump, the
 * thread announcement, `==PID==ABORTING`) lets pass as the program's and goes on: another
 * thread printing there ended the report, its shadow dump and its `ABORTING` lost, and with
 * that the note that LeakSanitizer never ran (18 of 20 real runs with a ticker thread). Past
 * this many the report has ended (recover mode prints no `ABORTING`; the program runs on).
 */
const MAX_TAIL_PROGRAM_LINES = 64;
/**
 * The free text ASan prints before a report's first stack, seen in the corpus and fixtures: it
 * indents its details (an ODR violation's `  [1] size=16 'gvar' odr1.c:1:5` and `  [1]:`, a bad
 * container annotation's `      beg     : 0x…`), and an ODR violation says `These globals were
 * registered at these points:`. A program's lines there (`tick from worker thread`) are not.
 */
const ASAN_TEXT_BEFORE_STACK = /^(?:\s|These globals were registered at these points:$)/;
/** The lines that end a report: kept past the cap on its lines (see add). */
const SUMMARIES = new Set<TokenType>([T.LeakSummary, T.ErrorSummary]);
/** The lines a report starts with: what it is, kept even when the log ends inside them. */
const REPORT_HEADERS = new Set<TokenType>([
  T.LeakReportHeader,
  T.ErrorReportHeader,
  T.TsanHeader,
  T.RuntimeError,
]);
/**
 * What the caps on a report's stacks and lines say of sanitizers (see BlockCaps). A real report
 * has a few stacks of at most 255 frames (kStackTraceMax), an address description and a shadow
 * dump of about 20 lines.
 */
const CAP_NOTES: CapNotes = {
  stack: "sanitizers print at most 255 per stack",
  block: (limit) =>
    `a sanitizer report (or one leak record of it) of more than ${limit} lines: the lines from this one to its SUMMARY are dropped`,
};

/**
 * Lines a whole leak report may hold (its records are capped one by one: LeakSanitizer prints
 * every leak, and 3,500 of them were 21,000 lines of an intact report), a bound on memory, as
 * a report is held until its SUMMARY.
 */
const MAX_REPORT_LINES = 1 << 20;

/**
 * Split, then parse (STYLE.md habit 2): finds where each report starts (`==PID==ERROR:` with its
 * separator) and ends (its SUMMARY, or the shadow legend after an error SUMMARY), hands each
 * finished block to `onBlock` and reports everything between reports as program output.
 */
export class ReportSplitter {
  private pending: BlockLine[] = [];
  private block: ReportBlock | undefined;
  private mode: Mode = "leak";
  /** Whether the open report has a frame line yet. */
  private framesSeen = false;
  /** Program lines met in a row after an error report's SUMMARY (see MAX_TAIL_PROGRAM_LINES). */
  private tailProgramLines = 0;
  /** Where the open report's current leak record starts among its lines (see add). */
  private recordStart = 0;
  /** Whether the open UBSan runtime error's stack was followed by a blank line (see inRuntimeError). */
  private blankAfterStack = false;
  /** The caps on the open report's stacks and lines (see add). */
  private readonly caps: BlockCaps;
  private readonly failures: RuntimeFailures;
  private readonly warnings: RuntimeWarnings;
  private readonly tables: SuppressionTables;
  private readonly runs = new ProcessRuns();
  /** The last `AddressSanitizer:DEADLYSIGNAL` line no report followed yet (see deadlySignalUnreported). */
  private deadlySignal: BlockLine | undefined;
  /** The number of the last line read: the log's last line at end(). */
  private lastLineNo = 0;

  constructor(
    private readonly sink: ParseSink,
    private readonly onBlock: (block: ReportBlock) => void,
    /** ThreadSanitizer's `reported N warnings`, which follows its process's reports. */
    private readonly onTsanTotal: (line: BlockLine) => void,
  ) {
    this.caps = new BlockCaps(sink, CAP_NOTES);
    this.failures = new RuntimeFailures(sink);
    this.warnings = new RuntimeWarnings(sink);
    this.tables = new SuppressionTables(sink, (line) => this.programLine(line));
  }

  line(text: string, lineNo: number): void {
    this.lastLineNo = lineNo;
    // Set on the classified object, not spread into a copy: the copy was a tenth of a parse.
    const line = classifyLine(text) as BlockLine;
    line.lineNo = lineNo;
    if (this.failures.takes(line)) return;
    this.failures.flush();
    if (line.type === T.RuntimeFailure) {
      // The runtime failed: a report it was writing ends here.
      if (this.block !== undefined) this.finish();
      this.flushPending();
      return this.failures.start(line);
    }
    if (this.block === undefined) {
      if (!this.warnings.takes(line)) this.outside(line);
    } else if (this.mode === "leak") this.inLeak(this.block, line);
    else if (this.mode === "error") this.inError(this.block, line);
    else if (this.mode === "ubsan") this.inRuntimeError(this.block, line);
    else if (this.mode === "tsan") this.inTsan(this.block, line);
    else if (this.mode === "tsanTail") this.inTsanTail(line);
    else this.inTail(this.block, line);
  }

  /** `endedMidLine`: the log's last line has no line end (see LineParser.end). */
  end(endedMidLine = false): void {
    if (this.block !== undefined) {
      this.closeAtEnd(this.block, endedMidLine);
      this.finish();
    }
    this.tables.end();
    this.deadlySignalUnreported();
    this.flushPending();
    this.failures.flush();
  }

  /**
   * A log that ends after an `AddressSanitizer:DEADLYSIGNAL` no report followed: the sanitizer
   * was cut while it wrote the signal's report (DEADLYSIGNAL is only ever its first line). Read
   * as a clean run, it called a baseline's SEGV fixed and passed every gate (campaign v13), and
   * so after an earlier UBSan error or another process's report (campaign v14).
   */
  private deadlySignalUnreported(): void {
    const signal = this.deadlySignal;
    if (signal === undefined) return;
    this.sink.incomplete(
      `the log ends after ${signal.body.trim()}, before the report of that signal: it was cut while the sanitizer wrote it`,
      signal.lineNo,
    );
  }

  private outside(line: BlockLine): void {
    if (this.tables.takes(line)) return;
    switch (line.type) {
      case T.Blank:
        return;
      case T.Separator:
        // ASan's separator follows its DEADLYSIGNAL line, which stays held with it.
        return this.hold(line, T.DeadlySignal);
      case T.TsanSeparator:
        return this.hold(line);
      case T.TsanHeader:
        // TSan's header ends in `(pid=N)`; a PID past 2^53 (grammars/numbers.ts) is none.
        this.start(line, "tsan", safeInteger(line.groups[1] ?? "") ?? 0);
        return;
      case T.TsanTotal:
        this.gluedText(line);
        this.flushPending();
        this.runs.tsanTotal();
        this.onTsanTotal(line);
        return;
      case T.DeadlySignal:
        this.flushPending();
        this.pending.push(line);
        this.deadlySignal = line;
        return;
      case T.LeakReportHeader:
      case T.ErrorReportHeader:
        this.start(line, line.type === T.LeakReportHeader ? "leak" : "error", line.pid ?? 0);
        return;
      case T.RuntimeError:
        this.flushPending();
        this.gluedText(line);
        this.startRuntimeError(line);
        return;
    }
    this.flushPending();
    if (STRAY_LINES.has(line.type)) this.sink.unrecognized(line.lineNo, line.body);
    else this.programLine(line);
  }

  /** A line of the program's (or of another tool that shares the log): as it was written. */
  private programLine(line: BlockLine): void {
    this.sink.programLine(line.lineNo, line.whole ?? line.body);
  }

  /** A report of one process, from its header and the separator lines held before it. */
  private start(header: BlockLine, kind: SanitizerReport["kind"], pid: number): void {
    this.deadlySignal = undefined;
    // A report after `AddressSanitizer:DEADLYSIGNAL` (SEGV, stack overflow...) ends its process.
    const deadly = this.pending.some((l) => l.type === T.DeadlySignal);
    const run = this.runs.report(pid, kind, deadly);
    this.open({
      kind,
      ...processFields(pid, run),
      lines: [...this.pending, header],
      summarized: false,
      cutByEnd: false,
    });
    this.pending = [];
    this.sink.process(processFields(pid, run));
  }

  private startRuntimeError(headline: BlockLine): void {
    this.open({ kind: "ubsan", lines: [headline], summarized: false, cutByEnd: false });
  }

  private open(block: ReportBlock): void {
    this.block = block;
    this.framesSeen = false;
    this.recordStart = 0;
    this.blankAfterStack = false;
    this.caps.reset();
    this.mode = block.kind;
  }

  /** UBSan prints no end to a runtime error it survives: the first line not of its shapes ends it. */
  private inRuntimeError(block: ReportBlock, line: BlockLine): void {
    const blankBefore = this.blankAfterStack;
    this.blankAfterStack = false;
    if (RUNTIME_ERROR_LINES.has(line.type) && !blankBefore) this.add(block, line);
    else if (line.type === T.ErrorSummary && line.groups[0] === "UndefinedBehaviorSanitizer") {
      this.add(block, line);
      block.summarized = true;
      this.finish();
    } else if (line.type === T.Blank && this.framesSeen && !blankBefore) {
      // clang's runtime prints a blank line between the stack (print_stacktrace=1) and the
      // SUMMARY, which was then read as a stray line: wait for the line after it.
      this.blankAfterStack = true;
    } else {
      this.finish();
      this.outside(line);
    }
  }

  private inTsan(block: ReportBlock, line: BlockLine): void {
    if (TSAN_LINES.has(line.type)) this.add(block, line);
    else if (line.type === T.TsanSeparator) {
      // Its closing separator with no SUMMARY before it: print_summary=0 (a report whole).
      this.gluedText(line);
      this.add(block, line);
      block.summarized = true;
      this.finish();
    } else if (line.type === T.ErrorSummary && line.groups[0] === "ThreadSanitizer") {
      this.add(block, line);
      block.summarized = true;
      this.mode = "tsanTail";
    } else if (AFTER_TSAN.has(line.type)) {
      this.finish();
      this.outside(line);
    } else this.add(block, { ...line, type: T.Text });
  }

  /** After a ThreadSanitizer SUMMARY: the separator that closes the report, if it comes. */
  private inTsanTail(line: BlockLine): void {
    if (line.type !== T.TsanSeparator) {
      this.finish();
      return this.outside(line);
    }
    this.gluedText(line);
    if (this.block !== undefined) this.add(this.block, line);
    this.finish();
  }

  private inLeak(block: ReportBlock, line: BlockLine): void {
    if (LEAK_LINES.has(line.type)) this.add(block, line);
    else if (line.type === T.LeakSummary) {
      this.add(block, line);
      block.summarized = true;
      this.finish();
    } else if (this.startsAnotherReport(line)) {
      this.finish();
      this.outside(line);
    } else if (line.type === T.PidMessage && line.pid === block.pid) {
      this.sink.unrecognized(line.lineNo, line.body, block.pid);
    } else this.programLine(line);
  }

  private inError(block: ReportBlock, line: BlockLine): void {
    if (line.type === T.DeadlySignal) {
      // Another thread's signal while this report is written: ASan reports one at a time, the
      // other thread waits (a two-thread crash, 6 runs of 6). It ended the report before its
      // stack, and the stack's lines were not understood (campaign v14).
      this.programLine(line);
    } else if (this.startsAnotherReport(line) || line.type === T.LeakSummary) {
      this.finish();
      this.outside(line);
    } else if (line.type === T.ErrorSummary) {
      this.add(block, line);
      block.summarized = true;
      this.mode = "errorTail";
    } else if (line.type === T.PidMessage && line.pid !== block.pid) {
      // A program line imitating the prefix (`==4242==WARNING: ...`, sanitizers.md §9).
      this.programLine(line);
    } else if (line.type === T.ShadowHeader) {
      // The shadow dump, which follows the SUMMARY, with none before it: print_summary=0.
      block.summarized = true;
      this.mode = "errorTail";
      this.inTail(block, line);
    } else if (line.type === T.PidMessage && ABORTING.test(line.body)) {
      // ASan's last line for a report without a shadow dump (double-free, SEGV), ditto.
      this.add(block, line);
      block.summarized = true;
      this.finish();
    } else {
      // A flag, not a search of the report's lines: that made a long report quadratic.
      const keep = ERROR_LINES.has(line.type) && !(line.type === T.AccessLine && this.framesSeen);
      this.add(block, keep ? line : { ...line, type: T.Text });
    }
  }

  private inTail(block: ReportBlock, line: BlockLine): void {
    const last = block.lines[block.lines.length - 1]?.type;
    const threadStack =
      (line.type === T.StackHeader && THREAD_HEADER.test(line.body)) ||
      ((line.type === T.Frame || line.type === T.Blank) &&
        last !== undefined &&
        STACK_GOES_ON.has(last));
    const programText = line.type === T.Text && this.tailProgramLines < MAX_TAIL_PROGRAM_LINES;
    this.tailProgramLines = programText ? this.tailProgramLines + 1 : 0;
    // A second shadow dump is another report's (processes writing to one log at once).
    const anotherDump =
      line.type === T.ShadowHeader && block.lines.some((l) => l.type === T.ShadowHeader);
    if ((TAIL_LINES.has(line.type) && !anotherDump) || threadStack) this.add(block, line);
    else if (line.type === T.PidMessage && line.pid === block.pid) {
      this.add(block, line);
      if (ABORTING.test(line.body)) this.finish();
    } else if (programText) {
      // Another thread's line among the shadow dump or before `ABORTING`: the report goes on.
      this.programLine(line);
    } else {
      this.finish();
      this.outside(line);
    }
  }

  /**
   * Adds a line to the open report, unless it is past the cap of its stack or, but for its
   * SUMMARY, of the report (see BlockCaps): a report is held whole until it ends, and a hostile
   * log of 2 million frame lines in one stack (140 MB) took 49 s and 4 GB, one of a million
   * description lines (91 MB) 10 s, 1.5 GB and a 92 MB record.
   */
  private add(block: ReportBlock, line: BlockLine): void {
    const { lineNo } = line;
    if (line.type === T.LeakHeader) this.recordStart = block.lines.length;
    // A leak report's records are capped each (see MAX_REPORT_LINES), any other report whole.
    // Past the report's cap the warning names that cap, not a record's (campaign bm F4).
    const whole = block.lines.length >= MAX_REPORT_LINES;
    const held = whole ? block.lines.length : block.lines.length - this.recordStart;
    const max = whole ? MAX_REPORT_LINES : undefined;
    if (!SUMMARIES.has(line.type) && !this.caps.lineFits(held, lineNo, block.pid, max)) return;
    if (line.type !== T.Frame) this.caps.endStack();
    else if (this.caps.frameFits(lineNo, line.body.length, block.pid)) this.framesSeen = true;
    else return;
    block.lines.push(line);
  }

  /**
   * Marks a report the end of the log closed, and drops its last line when the log ends inside
   * it, but for the header the report stands on: a frame line cut mid-line (`in leak_a
   * /tmp/camp-b`, `in __interceptor_malloc ../../../../src/libs`, an address alone) named a
   * file or function that does not exist, and its record was then a new group against any
   * baseline (campaign bk F1); a frame's indent alone, read as a blank line, said the stack
   * before it was whole; `    #0 0x` was read as text, and a SUMMARY cut in its kind
   * (`heap-u`) as the report's kind.
   */
  private closeAtEnd(block: ReportBlock, endedMidLine: boolean): void {
    block.cutByEnd = true;
    const last = block.lines[block.lines.length - 1];
    const inLast = endedMidLine && last?.lineNo === this.lastLineNo;
    if (inLast && !REPORT_HEADERS.has(last.type)) {
      block.lines.pop();
      if (SUMMARIES.has(last.type)) block.summarized = false;
    }
    // A runtime error is whole at its headline, or at the blank line after its stack: one the
    // log ends in is cut only when it ends in the stack or inside a line (campaign v13).
    if (block.kind === "ubsan") {
      // The blank line after the stack, cut mid-line, is a frame's indent alone.
      const whole = this.blankAfterStack && !endedMidLine;
      const inStack = block.lines.at(-1)?.type === T.Frame && !whole;
      block.cutByEnd = inLast || inStack;
    }
  }

  private startsAnotherReport(line: BlockLine): boolean {
    const t = line.type;
    return (
      t === T.Separator ||
      t === T.DeadlySignal ||
      t === T.LeakReportHeader ||
      t === T.ErrorReportHeader
    );
  }

  private finish(): void {
    const block = this.block;
    this.block = undefined;
    this.tailProgramLines = 0;
    if (block === undefined) return;
    if (block.kind === "error") block.lines = this.withoutProgramText(block.lines);
    this.onBlock(block);
  }

  /**
   * An error report's lines without the text another thread of the program printed into it: a
   * report is printed line by line while the program runs on, and ASan's lines bear no prefix
   * to tell them by. Free text belongs to a report only where the runtime prints it: after its
   * first stack, and after an empty line (ASan ends every stack with one, before an address
   * description, `This frame has 1 object(s):` or a hint; no real report of the corpus and
   * fixtures has text right after a frame or a stack's title), and before the first stack only
   * in its own shapes (ASAN_TEXT_BEFORE_STACK). Other text before the first stack, or right
   * after a frame or a title, is the program's. Before the stack it made the grammar drop
   * the whole report's stacks (a worker printing `tick` while main hit a use-after-free: 9 runs
   * in 10); inside a stack it cut the stack there and made an aux stack of its rest, named
   * after the program's line.
   */
  private withoutProgramText(lines: readonly BlockLine[]): BlockLine[] {
    const kept: BlockLine[] = [];
    let stackSeen = false;
    let afterStackLine = false;
    const untitled = untitledLines(lines);
    for (const [i, line] of lines.entries()) {
      if (line.type !== T.Text) {
        afterStackLine = line.type === T.Frame || line.type === T.StackHeader;
        stackSeen ||= afterStackLine;
        kept.push(line);
      } else if (
        afterStackLine ||
        untitled.has(i) ||
        (!stackSeen && !ASAN_TEXT_BEFORE_STACK.test(line.body))
      ) {
        this.programLine(line);
      } else kept.push(line);
    }
    return kept;
  }

  /** A separator, held as a possible report start; program text glued before it is the program's. */
  private hold(separator: BlockLine, keep?: TokenType): void {
    this.gluedText(separator);
    this.flushPending(keep);
    this.pending.push(separator);
  }

  /** The program's text glued in front of a separator, as a program line of its own. */
  private gluedText(line: BlockLine): void {
    if (line.glued !== undefined) this.sink.programLine(line.lineNo, line.glued);
  }

  /** Lines held back as a possible report start that turned out not to be one. */
  private flushPending(keep?: TokenType): void {
    const kept = this.pending.filter((l) => l.type === keep);
    for (const l of this.pending) if (l.type !== keep) this.programLine(l);
    this.pending = kept;
  }
}
