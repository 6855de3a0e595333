import type { CstNode, IToken } from "chevrotain";
import { createTokenInstance, CstParser } from "../chevrotain.js";
import type { ClassifiedLine } from "./classify.js";
import * as T from "./tokens.js";

/*
 * The grammar of one report block (sanitizers.md §1, §3, §5). The splitter in src/formats has
 * already cut the log into blocks and taken program output out of leak reports, so the rules
 * describe only what the runtime prints.
 */
class SanitizerReportParser extends CstParser {
  constructor() {
    super([...T.ALL_TOKENS], { maxLookahead: 2, recoveryEnabled: true });
    this.performSelfAnalysis();
  }

  report = this.RULE("report", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.leakReport) },
      { ALT: () => this.SUBRULE(this.errorReport) },
      { ALT: () => this.SUBRULE(this.ubsanReport) },
      { ALT: () => this.SUBRULE(this.tsanReport) },
    ]);
  });

  /**
   * ThreadSanitizer's report: its header, a stack of its own (the mutex reports' first), then
   * sections (a title and its stack, lines of description), its SUMMARY and separator.
   */
  tsanReport = this.RULE("tsanReport", () => {
    this.OPTION(() => this.CONSUME(T.TsanSeparator));
    this.CONSUME(T.TsanHeader);
    this.SUBRULE(this.stack);
    this.MANY(() =>
      this.OR([
        { ALT: () => this.SUBRULE(this.tsanSection) },
        { ALT: () => this.CONSUME(T.Text) },
        { ALT: () => this.CONSUME(T.Blank) },
      ]),
    );
    this.OPTION2(() => this.CONSUME(T.ErrorSummary));
    this.OPTION3(() => this.CONSUME2(T.TsanSeparator));
  });

  /** `  Previous write of size 4 at 0x… by thread T1:` and its frames. */
  tsanSection = this.RULE("tsanSection", () => {
    this.CONSUME(T.TsanStackHeader);
    this.SUBRULE(this.stack);
  });

  /**
   * UBSan's runtime error: its headline, its notes with the bytes they point at, its stack
   * (`print_stacktrace=1`) and, when it halts (`halt_on_error=1`), its SUMMARY.
   */
  ubsanReport = this.RULE("ubsanReport", () => {
    this.CONSUME(T.RuntimeError);
    this.MANY(() => this.CONSUME(T.RuntimeNote));
    this.SUBRULE(this.stack);
    this.OPTION(() => this.CONSUME(T.ErrorSummary));
  });

  leakReport = this.RULE("leakReport", () => {
    this.OPTION(() => this.CONSUME(T.Separator));
    this.CONSUME(T.LeakReportHeader);
    this.MANY(() => this.CONSUME(T.Blank));
    this.OPTION2(() => this.CONSUME(T.TopLeaks));
    this.MANY2(() => this.SUBRULE(this.leakRecord));
    this.OPTION3(() => this.SUBRULE(this.suppressionTable));
    this.OPTION4(() => this.CONSUME(T.Omitting));
    this.OPTION5(() => this.CONSUME(T.LeakSummary));
  });

  leakRecord = this.RULE("leakRecord", () => {
    this.CONSUME(T.LeakHeader);
    this.SUBRULE(this.stack);
    this.MANY(() => this.CONSUME(T.Blank));
    this.OPTION(() => this.SUBRULE(this.objectList));
  });

  objectList = this.RULE("objectList", () => {
    this.CONSUME(T.ObjectsHeader);
    this.MANY(() => this.CONSUME(T.ObjectLine));
    this.MANY2(() => this.CONSUME(T.Blank));
  });

  suppressionTable = this.RULE("suppressionTable", () => {
    this.CONSUME(T.SuppressionRule);
    this.CONSUME(T.SuppressionsUsed);
    this.OPTION(() => this.CONSUME(T.SuppressionColumns));
    this.MANY(() => this.CONSUME(T.SuppressionRow));
    this.OPTION2(() => this.CONSUME2(T.SuppressionRule));
    this.MANY2(() => this.CONSUME(T.Blank));
  });

  errorReport = this.RULE("errorReport", () => {
    this.OPTION(() => this.CONSUME(T.DeadlySignal));
    this.OPTION2(() => this.CONSUME(T.Separator));
    this.CONSUME(T.ErrorReportHeader);
    this.MANY(() =>
      this.OR([
        { ALT: () => this.CONSUME(T.AccessLine) },
        { ALT: () => this.CONSUME(T.HeadlineDetail) },
        { ALT: () => this.CONSUME(T.PidMessage) },
      ]),
    );
    this.SUBRULE(this.stack);
    this.MANY2(() => this.SUBRULE(this.section));
    this.OPTION3(() => this.CONSUME(T.ErrorSummary));
    this.OPTION4(() => this.SUBRULE(this.shadow));
    // The thread announcement ASan prints when the report is done, if no address description
    // made it (sanitizers.md §5.5 shows only that case): after the SUMMARY of a deadly signal,
    // after the legend of a global overflow (test/fixtures/sanitizer/threads).
    this.MANY3(() =>
      this.OR2([{ ALT: () => this.SUBRULE2(this.auxStack) }, { ALT: () => this.CONSUME(T.Blank) }]),
    );
    this.MANY4(() => this.CONSUME2(T.PidMessage));
  });

  /** What follows the access stack: descriptions, aux stacks, blank lines. */
  section = this.RULE("section", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.auxStack) },
      { ALT: () => this.SUBRULE(this.description) },
      { ALT: () => this.CONSUME(T.Blank) },
      { ALT: () => this.CONSUME(T.PidMessage) },
    ]);
  });

  /** `freed by thread T0 here:` and its frames. */
  auxStack = this.RULE("auxStack", () => {
    this.CONSUME(T.StackHeader);
    this.SUBRULE(this.stack);
  });

  /** Lines of free text, and the frames that follow them (the stack-variable description). */
  description = this.RULE("description", () => {
    this.AT_LEAST_ONE(() => this.CONSUME(T.Text));
    this.SUBRULE(this.stack);
  });

  /** The shadow-byte dump and its legend. */
  shadow = this.RULE("shadow", () => {
    this.CONSUME(T.ShadowHeader);
    this.MANY(() => this.CONSUME(T.ShadowRow));
    this.OPTION(() => this.CONSUME(T.LegendHeader));
    this.MANY2(() => this.CONSUME(T.LegendRow));
  });

  stack = this.RULE("stack", () => {
    this.MANY(() => this.CONSUME(T.Frame));
  });
}

/** The reusable parser; also the source of the CST type declarations (see cst.d.ts). */
export const reportParser = new SanitizerReportParser();

/** A classified line with its 1-based log line number. */
export interface BlockLine extends ClassifiedLine {
  lineNo: number;
}

/** A block's CST and the syntax errors chevrotain found in it. */
export interface BlockParse {
  cst: CstNode;
  errors: readonly { message: string; line: number }[];
}

/**
 * Parses one report block. Tokens are built by hand, one per line: `startLine` is the log line
 * and `payload` the classified line, so the mapping never re-runs a pattern.
 */
export function parseReportBlock(lines: readonly BlockLine[]): BlockParse {
  reportParser.input = lines.map(toToken);
  const cst = reportParser.report();
  const errors = reportParser.errors.map((e) => ({
    message: e.message,
    line: Number.isNaN(e.token.startLine) ? 0 : (e.token.startLine ?? 0),
  }));
  return { cst, errors };
}

function toToken(line: BlockLine, index: number): IToken {
  const token = createTokenInstance(
    line.type,
    line.body,
    index,
    index,
    line.lineNo,
    line.lineNo,
    1,
    1,
  );
  token.payload = line;
  return token;
}
