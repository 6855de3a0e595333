import type { IToken, TokenType } from "chevrotain";
import * as T from "../../../grammars/valgrind/line-kinds.js";
import type { ParseSink } from "../types.js";

/** What a begin marker comes right before: an error's thread header or headline. */
const ERROR_STARTS: ReadonlySet<TokenType> = new Set([
  T.ErrorHeadline,
  T.LossRecord,
  T.ThreadHeader,
]);

/**
 * Whether a block (its markers taken out) holds an error or loss record: it starts with one, or
 * with the `Thread N:` or recap header before one. A descriptor left open is one too: 3.23 and
 * later count it, and put markers around it.
 */
export function holdsError(tokens: readonly IToken[]): boolean {
  return startsMarked(tokens[0]) || startsMarked(tokens[1]);
}

function startsError(token: IToken | undefined): boolean {
  return token !== undefined && ERROR_STARTS.has(token.tokenType);
}

/** An error, or (3.23+) a descriptor left open: what Valgrind puts markers around. */
function startsMarked(token: IToken | undefined): boolean {
  return startsError(token) || token?.tokenType === T.OpenFd;
}

/** Longer lines are never taken for a marker: a marker is a word or two the user chose. */
const MAX_MARKER = 200;

/**
 * Valgrind's `--error-markers=BEGIN,END`: each error it prints (loss records are errors too)
 * comes with the user's BEGIN line right before it (before its `Thread N:` header, after a `-s`
 * recap's `N errors in context X of Y:`) and the END line after the empty line that ends it
 * (m_errormgr.c, pp_Error; test/fixtures/valgrind/error-markers). The log does not say what the
 * markers are, so each is learned from the first line that stands where it stands, and told of
 * once (an info diagnostic, so that a line taken for one is never hidden); after that only a line
 * of the same text there is taken for one. A marker is Valgrind's line, not a finding: it is
 * taken out of its block, neither read nor counted as a line not understood.
 */
export class ErrorMarkers {
  /** The begin marker: undefined until an error is seen, null when one came without it. */
  private begin: string | null | undefined;
  private end: string | undefined;

  constructor(private readonly sink: ParseSink) {}

  /**
   * Takes the marker lines out of a process's block, in place; returns the tokens taken out.
   * `afterError`: the process's block before this one held an error or loss record. `learn`:
   * a line may be taken for a marker not seen yet; false for the block the end of the log
   * closes, whose last line may be cut (`16 bytes in 1 blocks are definitely lo`), and stays a
   * line not understood.
   */
  strip(tokens: IToken[], afterError: boolean, learn: boolean): IToken[] {
    // After an error, its END opens the block, unless that line is the next error's BEGIN, or
    // the headline of an error of a shape not known here: an END line is never followed by a
    // frame. Taken for a marker, such a headline's record was lost without a word, and its
    // stack left as lines not understood (`File descriptor 3: ... is already closed` of 3.23+,
    // after an invalid write: campaign bw F1).
    const end =
      afterError && !this.beginsError(tokens, 0) && tokens[1]?.tokenType !== T.FrameLine
        ? this.marker(tokens[0], "end", learn)
        : undefined;
    let at = end !== undefined ? 1 : 0;
    if (tokens[at]?.tokenType === T.ContextHeader) at += 1;
    // An error with no line before it: the run has no begin marker, so a line between two
    // errors is the first one's END (`--error-markers=,END`), not the second one's BEGIN.
    if (startsError(tokens[at]) && this.begin === undefined) this.begin = null;
    // Taken out from the back, so that `at` still points at its token.
    const taken =
      this.beginsError(tokens, at) && this.marker(tokens[at], "begin", learn) !== undefined
        ? tokens.splice(at, 1)
        : [];
    if (end !== undefined) taken.push(...tokens.splice(0, 1));
    return [...taken, ...this.stripGlued(tokens, learn)];
  }

  /**
   * 3.23 and later end a descriptor error with no empty line: its END, and the next error's
   * BEGIN, stand inside the block, after its last frame (`... main (dcm.c:5)`, `END`, `BEGIN`,
   * `Invalid write of size 1`). Left in, they were lines not understood (campaign v24 F3). A
   * line inside the block is taken for the learned BEGIN only right before an error, and for
   * END only right after a frame: as learned, or learned there when the learned BEGIN (or, in a
   * run with none, the next error) follows.
   */
  private stripGlued(tokens: IToken[], learn: boolean): IToken[] {
    if (this.begin === undefined || !tokens.some((t) => t.tokenType === T.TextLine)) return [];
    const kept: IToken[] = [];
    const taken: IToken[] = [];
    tokens.forEach((token, i) => {
      const glued =
        i > 0 &&
        token.tokenType === T.TextLine &&
        (this.gluedBegin(token, tokens[i + 1]) || this.gluedEnd(tokens, i, learn));
      (glued ? taken : kept).push(token);
    });
    if (taken.length > 0) tokens.splice(0, tokens.length, ...kept);
    return taken;
  }

  private gluedBegin(token: IToken | undefined, next: IToken | undefined): boolean {
    return token?.tokenType === T.TextLine && token.image === this.begin && startsMarked(next);
  }

  private gluedEnd(tokens: readonly IToken[], i: number, learn: boolean): boolean {
    const before = tokens[i - 1]?.tokenType;
    if (before !== T.FrameLine && before !== T.FdInherited) return false;
    // With no begin marker (`--error-markers=,END`), the next error follows END at once.
    const next =
      this.begin === null
        ? startsMarked(tokens[i + 1])
        : this.gluedBegin(tokens[i + 1], tokens[i + 2]);
    return this.marker(tokens[i], "end", learn && next) !== undefined;
  }

  /** Whether the token at `at` can be the begin marker of an error that follows it. */
  private beginsError(tokens: readonly IToken[], at: number): boolean {
    const begin = this.begin;
    const token = tokens[at];
    if (begin === null || token?.tokenType !== T.TextLine || !startsMarked(tokens[at + 1]))
      return false;
    return begin === undefined || token.image === begin;
  }

  /** The token, when it can be the marker `which`: the learned one, or any text if none yet. */
  private marker(
    token: IToken | undefined,
    which: "begin" | "end",
    learn: boolean,
  ): IToken | undefined {
    if (token?.tokenType !== T.TextLine || token.image.length > MAX_MARKER) return undefined;
    // Valgrind takes the markers from its command line, whose arguments are C strings that end
    // at their first NUL: a line holding one was damaged, never a marker (campaign bi F5).
    if (token.image.includes("\0")) return undefined;
    // Nor is a loss record header with other garbage in it (U+FFFD): it is that record, damaged
    // (see isDamagedLossRecord; campaign v16b Q4).
    if (T.isDamagedLossRecord(token.image)) return undefined;
    const learned = this[which];
    if (typeof learned === "string") return token.image === learned ? token : undefined;
    if (!learn || token.image.trim() === "") return undefined;
    this[which] = token.image;
    this.sink.diagnostic({
      severity: "info",
      code: "error-markers",
      message: `"${token.image}" read as Valgrind's ${which} marker (--error-markers), where it stands ${which === "begin" ? "before" : "after"} an error`,
      line: token.startLine ?? 0,
    });
    return token;
  }
}
