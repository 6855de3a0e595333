import type { CstNode, IToken, TokenType } from "chevrotain";
import { ValgrindBlockParser } from "../../../grammars/valgrind/block-parser.js";
import { commonShapeCst } from "../../../grammars/valgrind/common-shapes.js";
import * as T from "../../../grammars/valgrind/line-kinds.js";
import type { Known } from "../../engine/known-bytes.js";
import type { CapNotes } from "../block-caps.js";
import type { ParseSink } from "../types.js";
import type { BlockVisitor } from "./block-visitor.js";
import { ErrorMarkers, holdsError } from "./error-markers.js";
import type { KnownFrameLine } from "./frame-lines.js";
import type { ProcessEntry } from "./process-table.js";

/** What the caps on a block's stacks and lines say of Valgrind (see BlockCaps). */
export const CAP_NOTES: CapNotes = {
  stack: "Valgrind prints at most 500 per stack, --num-callers",
  block: (limit) =>
    `a block of more than ${limit} lines with no empty line: the lines from this one to the next empty line are dropped`,
};

/** Lines that say nothing of the process's own run: the program's, Valgrind's notices. */
const NOTICES: ReadonlySet<TokenType> = new Set([T.TextLine, T.ToolNotice, T.Hint]);

/**
 * Valgrind's preamble (banner, copyright, version, command, parent) and the notices -v adds to
 * it: what a forked child that exec'd an untraced program leaves in a log of its own.
 */
const PREAMBLE: ReadonlySet<TokenType> = new Set([
  T.ToolBanner,
  T.VersionLine,
  T.CommandLine,
  T.ParentPid,
  T.ToolNotice,
  T.Hint,
]);

/**
 * The most lines of Valgrind's one-line messages read as one block. Valgrind prints its notices
 * and the program's client messages with no empty line between (a `Warning: invalid file
 * descriptor -1 in syscall close()` for each `close(-1)`, a `**PID** text` for each
 * VALGRIND_PRINTF), so a loop's run of them held whole filled the block's cap (MAX_BLOCK_LINES)
 * and the error printed right after it was dropped: a program calling close(-1) or
 * VALGRIND_PRINTF 20,000 times, then writing past a block, passed `--fail-on error`. 500
 * processes printing such runs took 870 MB (now 180).
 */
const MESSAGE_RUN = 256;

/** Lines that start one of those messages; a client message's backtrace follows it. */
const MESSAGES: ReadonlySet<TokenType> = new Set([T.ToolNotice, T.Hint, T.ClientMessage]);

/** One chevrotain parser serves every block of every log: building it is the expensive part. */
let sharedParser: ValgrindBlockParser | undefined;

/**
 * Makes the line tokens of the processes' open blocks, and reads a block when it ends: its
 * --error-markers lines taken out, its CST built (the common shapes without chevrotain) and
 * visited into the process's state. Token objects are reused across blocks: one per line was a
 * large share of the garbage.
 */
export class BlockReader {
  private readonly pool: IToken[] = [];
  private readonly parser = (sharedParser ??= new ValgrindBlockParser());
  /** Valgrind's --error-markers lines, learned where they stand. */
  private readonly markers: ErrorMarkers;

  constructor(
    sink: ParseSink,
    private readonly visitor: BlockVisitor,
  ) {
    this.markers = new ErrorMarkers(sink);
  }

  /** A line's token; a frame line read as bytes carries its known line (see FrameLines). */
  token(
    tokenType: T.LineTokenType,
    image: string,
    line: number,
    known?: Known<KnownFrameLine>,
  ): IToken {
    const reused = this.pool.pop();
    if (reused === undefined) return token(tokenType, image, line, known);
    // A known line's length is its text's (one Latin-1 character a byte), and reading it from
    // the piece spares a cache miss on the string (see KnownBytes).
    const length = known === undefined ? image.length : known.length;
    reused.payload = known;
    reused.tokenType = tokenType;
    reused.tokenTypeIdx = tokenType.tokenTypeIdx as number;
    reused.image = image;
    reused.startLine = line;
    reused.endLine = line;
    reused.endOffset = length;
    reused.endColumn = length;
    return reused;
  }

  /** Takes back tokens no block will hold. */
  release(tokens: readonly IToken[]): void {
    for (const t of tokens) this.pool.push(t);
  }

  /** Reads the process's open block. `atEnd`: the end of the log closes it (see ErrorMarkers.strip). */
  close(entry: ProcessEntry, atEnd = false): void {
    if (entry.tokens.length === 0) return;
    this.release(this.markers.strip(entry.tokens, entry.afterError, !atEnd));
    entry.afterError = holdsError(entry.tokens);
    if (entry.tokens.length === 0) return;
    // A PID is a process only once Valgrind said something for it: programs print fake
    // `==12345==` lines (mixed_output.txt), which stay unrecognized lines.
    if (!entry.known && entry.tokens.some((t) => t.tokenType !== T.TextLine)) {
      entry.known = true;
      entry.state.facts({});
    }
    if (!entry.beyondNotices)
      entry.beyondNotices = entry.tokens.some((t) => !NOTICES.has(t.tokenType));
    if (!entry.beyondPreamble)
      entry.beyondPreamble = entry.tokens.some((t) => !PREAMBLE.has(t.tokenType));
    const tokens = entry.tokens;
    const cst = commonShapeCst(tokens) ?? this.parse(tokens);
    entry.tokens = [];
    entry.caps.reset();
    entry.state.cutByEnd = atEnd;
    this.visitor.visit(cst, entry.state);
    entry.state.cutByEnd = false;
    // The visitor keeps no token: they go back to the pool for the next blocks.
    this.release(tokens);
  }

  /**
   * Before the next message, reads the process's open block if it holds only messages (and
   * client messages' backtraces), MESSAGE_RUN lines of them or a multiple: each is an item of
   * its own, so read apart they say what they said together. A few steps a line at most.
   */
  closeMessageRun(entry: ProcessEntry): void {
    const held = entry.tokens.length;
    if (held === 0 || held % MESSAGE_RUN !== 0) return;
    let backtrace = false;
    for (const t of entry.tokens) {
      if (t.tokenType === T.FrameLine ? !backtrace : !MESSAGES.has(t.tokenType)) return;
      if (t.tokenType !== T.FrameLine) backtrace = t.tokenType === T.ClientMessage;
    }
    this.close(entry);
  }

  private parse(tokens: IToken[]): CstNode {
    this.parser.input = tokens;
    return this.parser.block();
  }
}

/** chevrotain's createTokenInstance with the payload in the same literal (one object shape). */
function token(
  tokenType: T.LineTokenType,
  image: string,
  line: number,
  known?: Known<KnownFrameLine>,
): IToken {
  return {
    image,
    startOffset: 0,
    endOffset: image.length,
    startLine: line,
    endLine: line,
    startColumn: 1,
    endColumn: image.length,
    tokenTypeIdx: tokenType.tokenTypeIdx ?? 0,
    tokenType,
    payload: known,
  };
}
