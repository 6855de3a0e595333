import type { IToken, TokenType } from "chevrotain";
import { tokenMatcher } from "../../../grammars/chevrotain.js";
import { classifyLine, retype } from "../../../grammars/memwatch/classify.js";
import { closesDump } from "../../../grammars/memwatch/dump.js";
import { parseBlock } from "../../../grammars/memwatch/parser.js";
import * as T from "../../../grammars/memwatch/tokens.js";
import type { LineParser, ParseSink } from "../types.js";
import { mapEvent } from "./events.js";
import { fieldsOf } from "./frames.js";
import { mapUnfreed, mapUnfreedLine } from "./leaks.js";
import { Sessions } from "./session.js";
import { UnfreedBytes } from "./unfreed-bytes.js";
import { MemwatchVisitor } from "./visitor.js";

const HEADER_LINES: ReadonlySet<TokenType> = new Set([T.Started, T.Modes, T.Sizes, T.Compiled]);
const STATS_LINES: ReadonlySet<TokenType> = new Set([
  T.StatLine,
  T.StatsDetailed,
  T.DetailHeader,
  T.ModuleRow,
  T.LineRow,
]);
/** Tokens that may be followed by more lines of the same block. */
const BLOCK_STARTS: ReadonlySet<TokenType> = new Set([
  T.Banner,
  ...HEADER_LINES,
  T.StatsGlobal,
  T.StatsDetailed,
]);
/** A wrapped dump is at most 16 cells and 16 characters; more lines than this are not one. */
const MAX_DUMP_LINES = 3;
const MAX_DUMP_PIECE = 72;

/**
 * Whether the token is a record by itself, mapped as it comes: an `unfreed:` entry with its whole
 * dump (nearly every line of a big log) or a `KIND: ` event. An entry whose dump may continue on
 * the next lines is not: it is a block of its own.
 */
function oneLineRecord(token: IToken): "unfreed" | "event" | undefined {
  if (token.tokenType === T.Unfreed) {
    const open = fieldsOf(token)["dumpOpen"];
    return open === "1" || open === "missing" ? undefined : "unfreed";
  }
  return tokenMatcher(token, T.Event) ? "event" : undefined;
}

/** Only hex cells (`FE 00 ..`): the first half of a dump that wrapped. */
function isHexCells(text: string): boolean {
  const cells = text.trim().split(" ");
  return cells.length <= 16 && cells.every((c) => /^(?:[0-9A-Fa-f]{2}|\.\.)$/.test(c));
}

/**
 * Splits the token stream into record blocks (split, then parse: tap-parser's habit) and hands
 * each block to the reused chevrotain parser, then to the visitor; a one-line record is mapped
 * at once (see oneLineRecord). Blank lines carry nothing (the banner marks sessions), so they are
 * skipped.
 */
export class MemwatchLineParser implements LineParser {
  private readonly sessions: Sessions;
  private readonly visitor: MemwatchVisitor;
  private readonly unfreedBytes: UnfreedBytes;
  private block: IToken[] = [];
  /** Continuation lines taken by the open unfreed entry; undefined when its dump is closed. */
  private dumpLines: number | undefined;
  private lastLine = 0;

  constructor(sink: ParseSink) {
    this.sessions = new Sessions(sink);
    this.visitor = new MemwatchVisitor(this.sessions);
    this.unfreedBytes = new UnfreedBytes(this.sessions.sites);
  }

  /**
   * The byte path (see LineParser): an unfreed line of the usual shape is a one-line record,
   * which ends the block before it as in line(), read from its bytes (see UnfreedBytes).
   */
  asciiLine(buf: Buffer, start: number, end: number, lineNo: number): number {
    const read = this.unfreedBytes.read(buf, start, end);
    if (read === undefined) return 0;
    this.lastLine = lineNo;
    this.flush();
    this.sessions.touch(lineNo);
    mapUnfreedLine(read, lineNo, this.sessions);
    return 1;
  }

  line(text: string, lineNo: number): void {
    this.lastLine = lineNo;
    const token = classifyLine(text, lineNo);
    if (token === undefined) return;
    const continued = this.continuation(token);
    if (continued !== undefined) {
      // A banner's header lines are the session it opens once its block ends, not the last
      // lines of the session before: a crashed run's `incomplete` pointed into the next
      // run appended to the same memwatch.log (campaign bg F6).
      if (this.block[0]?.tokenType !== T.Banner) this.sessions.touch(lineNo);
      this.block.push(continued);
      if (continued.tokenType === T.DumpCont && closesDump(continued.image)) this.flush();
      return;
    }
    this.flush();
    // The block before is visited first: its banner may have opened the session of this line.
    if (token.tokenType !== T.Banner) this.sessions.touch(lineNo);
    const record = oneLineRecord(token);
    if (record === "unfreed") return mapUnfreed(token, [], this.sessions);
    if (record === "event") return mapEvent(token, this.sessions);
    this.block.push(token);
    if (token.tokenType === T.Unfreed) this.dumpLines = 0;
    else if (!BLOCK_STARTS.has(token.tokenType)) this.flush();
  }

  end(endedMidLine = false): void {
    this.flush();
    this.sessions.end(this.lastLine, endedMidLine);
  }

  /** The token as part of the block being collected, or undefined when it starts another. */
  private continuation(token: IToken): IToken | undefined {
    const first = this.block[0];
    const type = token.tokenType;
    if (first === undefined) return undefined;
    if (first.tokenType === T.Banner || HEADER_LINES.has(first.tokenType)) {
      return HEADER_LINES.has(type) ? token : undefined;
    }
    if (first.tokenType === T.StatsGlobal || first.tokenType === T.StatsDetailed) {
      return STATS_LINES.has(type) ? token : undefined;
    }
    if (first.tokenType !== T.Unfreed || this.dumpLines === undefined) return undefined;
    if (type !== T.Text || this.dumpLines >= MAX_DUMP_LINES) return undefined;
    // A dump that wrapped: hex cells, or the rest ending in `}`; one that lost its whole
    // `\t{...}` must start with `{` on the next line.
    const text = token.image;
    const started = this.dumpLines > 0 || fieldsOf(first)["dumpOpen"] === "1";
    const fits = text.length <= MAX_DUMP_PIECE && (isHexCells(text) || closesDump(text));
    if (!fits || (!started && !text.trimStart().startsWith("{"))) return undefined;
    this.dumpLines += 1;
    return retype(token, T.DumpCont);
  }

  private flush(): void {
    this.dumpLines = undefined;
    if (this.block.length === 0) return;
    const tokens = this.block;
    this.block = [];
    const cst = parseBlock(tokens);
    if (cst !== undefined) {
      this.visitor.visit(cst);
      return;
    }
    for (const token of tokens) this.sessions.sink.unrecognized(token.startLine ?? 0, token.image);
  }
}
