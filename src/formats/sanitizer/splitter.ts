import type { TokenType } from "chevrotain";
import { classifyLine } from "../../../grammars/sanitizer/classify.js";
import type { BlockLine } from "../../../grammars/sanitizer/parser.js";
import * as T from "../../../grammars/sanitizer/tokens.js";
import type { ParseSink } from "../types.js";

/** One report of one process: a leak report or an ASan error report. */
export interface ReportBlock {
  kind: "leak" | "error";
  pid: number;
  lines: BlockLine[];
  /** True when the SUMMARY line was seen; false for a report cut by the end of the log. */
  summarized: boolean;
}

type Mode = "leak" | "error" | "errorTail";

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
// Sanitizer-shaped lines that make no sense outside a report (its header was lost).
const STRAY_LINES = new Set<TokenType>([T.LeakSummary, T.ErrorSummary, T.LeakHeader, T.Frame]);
const ABORTING = /^ABORTING\b/;
/** Frame lines kept per stack: a sanitizer prints at most 255 (kStackTraceMax). */
const MAX_STACK_FRAMES = 4096;
/**
 * Lines kept per report: a real one has a few stacks of at most 255 frames, an address
 * description and a shadow dump of about 20 lines.
 */
const MAX_REPORT_LINES = 16_384;
/** The lines that end a report: kept past MAX_REPORT_LINES. */
const SUMMARIES = new Set<TokenType>([T.LeakSummary, T.ErrorSummary]);

/**
 * Split, then parse (STYLE.md habit 2): finds where each report starts (`==PID==ERROR:` with its
 * separator) and ends (its SUMMARY, or the shadow legend after an error SUMMARY), hands each
 * finished block to `onBlock` and reports everything between reports as program output.
 */
export class ReportSplitter {
  private pending: BlockLine[] = [];
  private block: ReportBlock | undefined;
  private mode: Mode = "leak";
  /** Frame lines at the end of the open report: its open stack's (see add). */
  private frameRun = 0;
  /** Whether the open report has a frame line yet. */
  private framesSeen = false;
  /** Whether the open report reached MAX_REPORT_LINES (see add). */
  private reportFull = false;

  constructor(
    private readonly sink: ParseSink,
    private readonly onBlock: (block: ReportBlock) => void,
  ) {}

  line(text: string, lineNo: number): void {
    const line: BlockLine = { ...classifyLine(text), lineNo };
    if (this.block === undefined) this.outside(line);
    else if (this.mode === "leak") this.inLeak(this.block, line);
    else if (this.mode === "error") this.inError(this.block, line);
    else this.inTail(this.block, line);
  }

  end(): void {
    if (this.block !== undefined) this.finish();
    this.flushPending();
  }

  private outside(line: BlockLine): void {
    switch (line.type) {
      case T.Blank:
        return;
      case T.Separator:
        if (line.glued !== undefined) this.sink.programLine(line.lineNo, line.glued);
        this.flushPending(T.DeadlySignal);
        this.pending.push(line);
        return;
      case T.DeadlySignal:
        this.flushPending();
        this.pending.push(line);
        return;
      case T.LeakReportHeader:
      case T.ErrorReportHeader:
        this.start(line);
        return;
    }
    this.flushPending();
    if (STRAY_LINES.has(line.type)) this.sink.unrecognized(line.lineNo, line.body);
    else this.sink.programLine(line.lineNo, line.body);
  }

  private start(header: BlockLine): void {
    const pid = header.pid ?? 0;
    const kind = header.type === T.LeakReportHeader ? "leak" : "error";
    this.block = { kind, pid, lines: [...this.pending, header], summarized: false };
    this.pending = [];
    this.frameRun = 0;
    this.framesSeen = false;
    this.reportFull = false;
    this.mode = kind;
    this.sink.process({ pid });
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
    } else this.sink.programLine(line.lineNo, line.body);
  }

  private inError(block: ReportBlock, line: BlockLine): void {
    if (this.startsAnotherReport(line) || line.type === T.LeakSummary) {
      this.finish();
      this.outside(line);
    } else if (line.type === T.ErrorSummary) {
      this.add(block, line);
      block.summarized = true;
      this.mode = "errorTail";
    } else if (line.type === T.PidMessage && line.pid !== block.pid) {
      // A program line imitating the prefix (`==4242==WARNING: ...`, sanitizers.md §9).
      this.sink.programLine(line.lineNo, line.body);
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
    if (TAIL_LINES.has(line.type) || threadStack) this.add(block, line);
    else if (line.type === T.PidMessage && line.pid === block.pid) {
      this.add(block, line);
      if (ABORTING.test(line.body)) this.finish();
    } else {
      this.finish();
      this.outside(line);
    }
  }

  /**
   * Adds a line to the open report. A stack's frame lines past MAX_STACK_FRAMES are dropped, the
   * first dropped one saying so: a report is held whole until it ends, and a hostile log of 2
   * million frame lines in one stack (140 MB) took 49 s and 4 GB.
   */
  private add(block: ReportBlock, line: BlockLine): void {
    if (block.lines.length >= MAX_REPORT_LINES && !SUMMARIES.has(line.type)) {
      this.reportTooLong(block, line);
      return;
    }
    if (line.type !== T.Frame) this.frameRun = 0;
    else if (this.frameRun < MAX_STACK_FRAMES) {
      this.frameRun += 1;
      this.framesSeen = true;
    } else {
      if (this.frameRun === MAX_STACK_FRAMES) {
        this.frameRun += 1;
        this.sink.diagnostic({
          severity: "warning",
          code: "stack-too-long",
          message: `a stack of more than ${MAX_STACK_FRAMES.toLocaleString("en-US")} frames: the frames from this line on are dropped (sanitizers print at most 255 per stack)`,
          line: line.lineNo,
          pid: block.pid,
        });
      }
      return;
    }
    block.lines.push(line);
  }

  /**
   * A report past MAX_REPORT_LINES keeps its first lines and its SUMMARY: its description lines
   * are kept in the record, and a hostile report of a million of them (91 MB) took 10 s, 1.5 GB
   * and a 92 MB record.
   */
  private reportTooLong(block: ReportBlock, line: BlockLine): void {
    if (this.reportFull) return;
    this.reportFull = true;
    this.sink.diagnostic({
      severity: "warning",
      code: "block-too-long",
      message: `a sanitizer report of more than ${MAX_REPORT_LINES.toLocaleString("en-US")} lines: the lines from this one to its SUMMARY are dropped`,
      line: line.lineNo,
      pid: block.pid,
    });
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
    if (block !== undefined) this.onBlock(block);
  }

  /** Lines held back as a possible report start that turned out not to be one. */
  private flushPending(keep?: TokenType): void {
    const kept = this.pending.filter((l) => l.type === keep);
    for (const l of this.pending) if (l.type !== keep) this.sink.programLine(l.lineNo, l.body);
    this.pending = kept;
  }
}
