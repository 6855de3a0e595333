import type { TokenType } from "chevrotain";
import type { BlockCaps } from "../block-caps.js";
import {
  BLOCK_STARTS,
  blockBody,
  FrameLine,
  Interrupt,
  Other,
  ToolError,
  type BlockRule,
  type LineToken,
} from "../../../grammars/memleax/index.js";

/*
 * Lines from another stream that can land inside a record without ending it: stderr messages
 * (stdout is block-buffered in a redirected log, so stderr lines come out of order: §8.1,
 * corpus err-not-found-api) and a terminal's `^C` echo (corpus 21-tty-ctrl-c).
 */
const OTHER_STREAM: ReadonlySet<TokenType> = new Set([Interrupt, ToolError]);

/** Receives what the splitter cuts out of the token stream. */
export interface BlockHandler {
  /** A finished multi-line record: its header token and the lines it owns. */
  block(rule: BlockRule, tokens: readonly LineToken[]): void;
  /** A line owned by no block. */
  single(token: LineToken): void;
  /** The open block just grew by one line (lets live notices go out before the block ends). */
  grew?(rule: BlockRule, tokens: readonly LineToken[]): void;
}

/**
 * Splits the token stream into record blocks (formats/memleax.md §8.4): a `backtrace:` header
 * or the NULL warning owns the frame lines below it, a report block owns its counter and frame
 * lines; the next line of any other kind ends the block. Memory is bounded by one block.
 */
export class BlockSplitter {
  private open: { rule: BlockRule; tokens: LineToken[] } | undefined;
  /**
   * A line of the target's output inside an open backtrace, held for one line: when a frame line
   * follows, the backtrace goes on past it (the target and memleax write to one terminal or CI
   * log). Ended there, the stack lost its last frames, `main` among them, and its fingerprint
   * changed: `diff` called a live stream's leak new (campaign bg F7).
   */
  private held: LineToken | undefined;

  /**
   * `caps` keeps a block's frame lines to its stack's cap (see BlockCaps): a block is held whole
   * until it ends, and a hostile log of 1.5 million frame lines in one (132 MB) took 12 s and
   * 1.2 GB.
   */
  constructor(
    private readonly handler: BlockHandler,
    private readonly caps: BlockCaps,
  ) {}

  push(token: LineToken): void {
    if (this.releaseHeld(token)) return;
    const open = this.open;
    if (open !== undefined && blockBody(open.rule).has(token.tokenType)) {
      // A block has one stack: its frame lines are counted whatever lies between them.
      const { image, startLine } = token;
      if (token.tokenType === FrameLine && !this.caps.frameFits(startLine ?? 1, image.length))
        return;
      open.tokens.push(token);
      this.handler.grew?.(open.rule, open.tokens);
      return;
    }
    if (open !== undefined && OTHER_STREAM.has(token.tokenType)) {
      this.handler.single(token);
      return;
    }
    this.flush();
    const rule = BLOCK_STARTS.get(token.tokenType);
    if (rule === undefined) {
      this.handler.single(token);
      return;
    }
    this.open = { rule, tokens: [token] };
    this.caps.reset();
    this.handler.grew?.(rule, this.open.tokens);
  }

  /**
   * Gives out the line held (see `held`) before `token`, ending the open block first unless
   * `token` is a frame line; or holds `token`, a line of the target's inside an open backtrace
   * (true: nothing more to do with it).
   */
  private releaseHeld(token: LineToken): boolean {
    const held = this.held;
    if (held !== undefined) {
      this.held = undefined;
      if (token.tokenType !== FrameLine) this.flush();
      this.handler.single(held);
      return false;
    }
    const open = this.open;
    if (open === undefined || token.tokenType !== Other || !blockBody(open.rule).has(FrameLine))
      return false;
    this.held = token;
    return true;
  }

  /** Whether no block is open and no line held: a line that starts none is then a single. */
  get idle(): boolean {
    return this.open === undefined && this.held === undefined;
  }

  /** Ends the open block, if any, and gives the line held after it (see `held`). */
  end(): void {
    this.flush();
    const held = this.held;
    this.held = undefined;
    if (held !== undefined) this.handler.single(held);
  }

  /** Ends the open block, if any. */
  private flush(): void {
    const open = this.open;
    if (open === undefined) return;
    this.open = undefined;
    this.handler.block(open.rule, open.tokens);
  }
}
