import type { CstNode, IRecognitionException, TokenType } from "chevrotain";
import { CstParser } from "../chevrotain.js";
import {
  ALL_TOKENS,
  ExpireFirst,
  FrameLine,
  NullAlloc,
  StatsAlloc,
  StatsExpired,
  StatsFreedLive,
  StatsHead,
  StatsUnfreedLive,
  type LineToken,
} from "./tokens.js";

/**
 * The grammar of memleax's multi-line records (formats/memleax.md §2.3, §2.6, §8.4). A splitter
 * cuts the token stream into blocks (a header and the lines it owns); this parser checks one
 * block and builds its CST. Single-line events need no grammar.
 */
export class MemleaxBlockParser extends CstParser {
  constructor() {
    super(ALL_TOKENS as TokenType[], { recoveryEnabled: false });
    this.performSelfAnalysis();
  }

  /** Frame lines owned by the header above them. */
  readonly backtrace = this.RULE("backtrace", () => {
    this.MANY(() => this.CONSUME(FrameLine));
  });

  /** `CallStack[N]: memory expires with X bytes, backtrace:` and its frames. */
  readonly expiryEntry = this.RULE("expiryEntry", () => {
    this.CONSUME(ExpireFirst);
    this.SUBRULE(this.backtrace);
  });

  /** `Warning: alloc returns NULL at` and its frames. */
  readonly nullAllocEntry = this.RULE("nullAllocEntry", () => {
    this.CONSUME(NullAlloc);
    this.SUBRULE(this.backtrace);
  });

  /**
   * One block of the final report. The four counter lines are optional so that a report cut
   * short still yields what it printed; the visitor notices what is missing.
   */
  readonly statsBlock = this.RULE("statsBlock", () => {
    this.CONSUME(StatsHead);
    this.OPTION(() => this.CONSUME(StatsExpired));
    this.OPTION2(() => this.CONSUME(StatsAlloc));
    this.OPTION3(() => this.CONSUME(StatsFreedLive));
    this.OPTION4(() => this.CONSUME(StatsUnfreedLive));
    this.SUBRULE(this.backtrace);
  });
}

/** The block kinds, named after their rules. */
export type BlockRule = "expiryEntry" | "nullAllocEntry" | "statsBlock";

/** Which token starts which block, and which tokens a block owns after its header. */
export const BLOCK_STARTS: ReadonlyMap<TokenType, BlockRule> = new Map([
  [ExpireFirst, "expiryEntry"],
  [NullAlloc, "nullAllocEntry"],
  [StatsHead, "statsBlock"],
]);

const FRAMES_ONLY: ReadonlySet<TokenType> = new Set([FrameLine]);
const STATS_BODY: ReadonlySet<TokenType> = new Set([
  StatsExpired,
  StatsAlloc,
  StatsFreedLive,
  StatsUnfreedLive,
  FrameLine,
]);

/** The token types a block of `rule` owns after its header line. */
export function blockBody(rule: BlockRule): ReadonlySet<TokenType> {
  return rule === "statsBlock" ? STATS_BODY : FRAMES_ONLY;
}

let shared: MemleaxBlockParser | undefined;

/** Parses one block with a shared parser instance (building one costs a grammar analysis). */
export function parseBlock(
  rule: BlockRule,
  tokens: readonly LineToken[],
): { cst: CstNode; errors: IRecognitionException[] } {
  shared ??= new MemleaxBlockParser();
  shared.input = tokens as LineToken[];
  const cst = shared[rule]();
  return { cst, errors: [...shared.errors] };
}
