import type { CstNode, IToken } from "chevrotain";
import { CstParser } from "../chevrotain.js";
import * as T from "./tokens.js";

/**
 * The grammar of one MEMWATCH record block (a session header, an unfreed entry whose dump
 * wrapped, a statistics block, or a single line). The splitter in src/formats/memwatch finds the
 * block boundaries; this parser is reused for every block, so memory is bounded by one block.
 * One-line records (an `unfreed:` entry with its whole dump, a `KIND: ` event), nearly every
 * line of a big log, need no grammar: the splitter maps them as they come, as memleax's does
 * (profiled on a 105 MB log, a chevrotain parse per line was a quarter of all allocation, and
 * per run of such lines still a tenth of the parse's time).
 */
export class MemwatchParser extends CstParser {
  constructor() {
    super([...T.ALL_TOKENS], { recoveryEnabled: false });
    this.performSelfAnalysis();
  }

  /** Any block. */
  readonly block = this.RULE("block", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.header) },
      { ALT: () => this.SUBRULE(this.statistics) },
      { ALT: () => this.SUBRULE(this.unfreedEntry) },
      { ALT: () => this.SUBRULE(this.single) },
    ]);
  });

  /** Banner, then `Started at`, `Modes:`, sizes and compiler lines (memwatch.md 3). */
  readonly header = this.RULE("header", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Banner);
          this.MANY(() => this.SUBRULE(this.headerLine));
        },
      },
      { ALT: () => this.AT_LEAST_ONE(() => this.SUBRULE2(this.headerLine)) },
    ]);
  });

  readonly headerLine = this.RULE("headerLine", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Started) },
      { ALT: () => this.CONSUME(T.Modes) },
      { ALT: () => this.CONSUME(T.Sizes) },
      { ALT: () => this.CONSUME(T.Compiled) },
    ]);
  });

  /** The global block and the optional detailed table (memwatch.md 5.10). */
  readonly statistics = this.RULE("statistics", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.StatsGlobal);
          this.MANY(() => this.CONSUME(T.StatLine));
          this.OPTION(() => this.SUBRULE(this.detailed));
        },
      },
      { ALT: () => this.SUBRULE2(this.detailed) },
    ]);
  });

  readonly detailed = this.RULE("detailed", () => {
    this.CONSUME(T.StatsDetailed);
    this.OPTION(() => this.CONSUME(T.DetailHeader));
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(T.ModuleRow) }, { ALT: () => this.CONSUME(T.LineRow) }]);
    });
  });

  /**
   * An `unfreed:` line (memwatch.md 5.9) whose dump is not closed on it, with the continuation
   * lines of the dump that wrapped (none when the dump was lost, or the log ends there).
   */
  readonly unfreedEntry = this.RULE("unfreedEntry", () => {
    this.CONSUME(T.Unfreed);
    this.MANY(() => this.CONSUME(T.DumpCont));
  });

  /** A line that is a record by itself. */
  readonly single = this.RULE("single", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Stopped) },
      { ALT: () => this.CONSUME(T.Anomalies) },
      { ALT: () => this.CONSUME(T.StderrNotice) },
      { ALT: () => this.CONSUME(T.TraceOverflow) },
      { ALT: () => this.CONSUME(T.StatLine) },
      { ALT: () => this.CONSUME(T.DetailHeader) },
      { ALT: () => this.CONSUME(T.ModuleRow) },
      { ALT: () => this.CONSUME(T.LineRow) },
      { ALT: () => this.CONSUME(T.DumpCont) },
      { ALT: () => this.CONSUME(T.Text) },
    ]);
  });
}

let shared: MemwatchParser | undefined;

/** The one parser instance (building a chevrotain parser is costly; reuse it). */
export function memwatchParser(): MemwatchParser {
  shared ??= new MemwatchParser();
  return shared;
}

/**
 * Parses one block. Returns the CST, or undefined when the tokens do not form a block (the
 * splitter only groups tokens that do, so this means a bug, reported by the caller).
 */
export function parseBlock(tokens: IToken[]): CstNode | undefined {
  const parser = memwatchParser();
  parser.input = tokens;
  const cst = parser.block();
  return parser.errors.length === 0 ? cst : undefined;
}
