import type { CstNode, IToken, TokenType } from "chevrotain";
import { CstParser } from "../chevrotain.js";
import * as T from "./line-kinds.js";

/**
 * The grammar of one Valgrind block (the lines of one process between two empty prefixed
 * lines). A block is a sequence of items; items that own a stack take the frame lines after
 * them. The grammar is deliberately permissive (any item in any order) because real logs
 * interleave processes, clobber lines and repeat errors under `-s`: meaning and order checks
 * belong to the format, not to the syntax.
 */
export class ValgrindBlockParser extends CstParser {
  constructor() {
    super([...T.ALL_LINE_TOKENS], { recoveryEnabled: false });
    this.performSelfAnalysis();
  }

  public block = this.RULE("block", () => {
    this.MANY(() => this.SUBRULE(this.item));
  });

  private item = this.RULE("item", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.errorItem) },
      { ALT: () => this.SUBRULE(this.lossRecordItem) },
      { ALT: () => this.SUBRULE(this.fatalSignalItem) },
      { ALT: () => this.SUBRULE(this.openFdItem) },
      { ALT: () => this.SUBRULE(this.clientMessageItem) },
      { ALT: () => this.SUBRULE(this.strayFrames) },
      { ALT: () => this.SUBRULE(this.singleLine) },
    ]);
  });

  /** A headline (known, or a plain text line), its stack, then aux lines with their stacks. */
  private errorItem = this.RULE("errorItem", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.ErrorHeadline) },
      { ALT: () => this.CONSUME(T.TextLine) },
    ]);
    this.MANY(() => this.CONSUME(T.FrameLine));
    this.MANY2(() => this.SUBRULE(this.auxEntry));
  });

  private auxEntry = this.RULE("auxEntry", () => {
    this.CONSUME(T.AuxLine);
    this.MANY(() => this.CONSUME(T.FrameLine));
  });

  /** A loss record and its stack; `block_list` lists its blocks after them. */
  private lossRecordItem = this.RULE("lossRecordItem", () => {
    this.CONSUME(T.LossRecord);
    this.MANY(() => this.CONSUME(T.FrameLine));
    this.MANY2(() => this.CONSUME(T.BlockListLine));
  });

  /** `Process terminating with default action of signal N`, its stack, the advice lines. */
  private fatalSignalItem = this.RULE("fatalSignalItem", () => {
    this.CONSUME(T.FatalSignal);
    // `Stack overflow in thread #1: can't grow stack` sits between the aux line and the stack.
    this.MANY(() =>
      this.OR([
        { ALT: () => this.CONSUME(T.FrameLine) },
        { ALT: () => this.SUBRULE(this.auxEntry) },
        { ALT: () => this.CONSUME(T.ToolNotice) },
      ]),
    );
  });

  /** `Open file descriptor N: path`, then `<inherited from parent>` or an opening stack. */
  private openFdItem = this.RULE("openFdItem", () => {
    this.CONSUME(T.OpenFd);
    this.MANY(() =>
      this.OR([
        { ALT: () => this.CONSUME(T.FdInherited) },
        { ALT: () => this.CONSUME(T.FrameLine) },
      ]),
    );
  });

  /** `**PID** backtrace from client request` is followed by a prefixed stack. */
  private clientMessageItem = this.RULE("clientMessageItem", () => {
    this.CONSUME(T.ClientMessage);
    this.MANY(() => this.CONSUME(T.FrameLine));
  });

  /** Frames with no owner: a clobbered or interleaved log. */
  private strayFrames = this.RULE("strayFrames", () => {
    this.AT_LEAST_ONE(() => this.CONSUME(T.FrameLine));
  });

  private singleLine = this.RULE("singleLine", () => {
    this.OR(SINGLE_LINE_TOKENS.map((token) => ({ ALT: () => this.CONSUME(token) })));
  });
}

/** Tokens that make an item of their own (exported for common-shapes.ts). */
export const SINGLE_LINE_TOKENS: readonly TokenType[] = [
  T.AuxLine,
  T.FdInherited,
  T.ContextHeader,
  T.ThreadHeader,
  T.FdSectionHeader,
  T.HeapSummaryHeader,
  T.InUseAtExit,
  T.TotalHeapUsage,
  T.AllFreed,
  T.LeakSummaryHeader,
  T.LeakSummaryLine,
  T.HeuristicLine,
  T.ErrorSummary,
  T.ErrorLimit,
  T.ToolBanner,
  T.VersionLine,
  T.CommandLine,
  T.ParentPid,
  T.Hint,
  T.ToolNotice,
  // One that no loss record heads (its record's line cut or damaged).
  T.BlockListLine,
];

/** The CST children of each rule, as the visitor reads them. */
export interface ItemChildren {
  errorItem?: CstNode[];
  lossRecordItem?: CstNode[];
  fatalSignalItem?: CstNode[];
  openFdItem?: CstNode[];
  clientMessageItem?: CstNode[];
  strayFrames?: CstNode[];
  singleLine?: CstNode[];
}

export type { CstNode, IToken };
