import type { ParseSink } from "./types.js";

/**
 * Frame lines kept per stack. The tools print far fewer (Valgrind 500 with `--num-callers`, plus
 * inlined frames; sanitizers 255; memleax 50): a longer stack is a damaged or hostile log.
 */
export const MAX_STACK_FRAMES = 4096;

/**
 * Characters of frame lines kept per stack: 4,096 frames of real names come to a few MB, and a
 * hostile log's 300 frames of 900,000 characters each were held whole until the block ended
 * (2 GB to summarize 270 MB). Past it, frames are dropped as past MAX_STACK_FRAMES.
 */
export const MAX_STACK_CHARS = 16 << 20;

/** Lines kept per block (a Valgrind block between empty lines, a sanitizer report). */
export const MAX_BLOCK_LINES = 16_384;

/** What the caps' warnings say about the tool: see BlockCaps. */
export interface CapNotes {
  /** Why a longer stack is no real one: `Valgrind prints at most 500 per stack, --num-callers`. */
  stack: string;
  /** The `block-too-long` message for a block past `limit` lines (a parser that caps blocks). */
  block?: (limit: string) => string;
}

/**
 * The caps on one open block of a parser that holds its blocks whole until they end: a hostile
 * log of millions of lines in one block held them all (132-140 MB logs took 840 MB to 4 GB).
 * A frame line past MAX_STACK_FRAMES in its stack, or a line past MAX_BLOCK_LINES in its block,
 * is dropped; the first dropped one of each says so (`stack-too-long`, `block-too-long`).
 */
export class BlockCaps {
  /** Frame lines of the open stack so far, dropped ones included, and their characters. */
  private frames = 0;
  private chars = 0;
  /** The open stack lost frames to a cap (said once a stack). */
  private stackFull = false;
  private blockFull = false;

  constructor(
    private readonly sink: ParseSink,
    private readonly notes: CapNotes,
  ) {}

  /** A new block: nothing counted. */
  reset(): void {
    this.endStack();
    this.blockFull = false;
  }

  /** A line that is no frame: the next frame line starts a new stack. */
  endStack(): void {
    this.frames = 0;
    this.chars = 0;
    this.stackFull = false;
  }

  /** Whether a frame line of `length` characters fits its stack. */
  frameFits(line: number, length: number, pid?: number): boolean {
    this.frames += 1;
    this.chars += length;
    if (this.frames <= MAX_STACK_FRAMES && this.chars <= MAX_STACK_CHARS) return true;
    if (!this.stackFull) {
      this.stackFull = true;
      const cap =
        this.frames > MAX_STACK_FRAMES
          ? `${MAX_STACK_FRAMES.toLocaleString("en-US")} frames`
          : `${MAX_STACK_CHARS.toLocaleString("en-US")} characters`;
      const note = this.frames > MAX_STACK_FRAMES ? this.notes.stack : "no real stack is that long";
      this.sink.diagnostic({
        severity: "warning",
        code: "stack-too-long",
        message: `a stack of more than ${cap}: the frames from this line on are dropped (${note})`,
        line,
        ...(pid !== undefined ? { pid } : {}),
      });
    }
    return false;
  }

  /**
   * Whether a line fits a block that holds `held` lines already; `max` is the block's limit when
   * not MAX_BLOCK_LINES (a whole sanitizer leak report's), which the warning names.
   */
  lineFits(held: number, line: number, pid?: number, max = MAX_BLOCK_LINES): boolean {
    if (held < max) return true;
    if (!this.blockFull) {
      this.blockFull = true;
      const limit = max.toLocaleString("en-US");
      const message = this.notes.block?.(limit) ?? `a block of more than ${limit} lines`;
      // Its dropped lines may hold a record's stack (a sanitizer report that 126,000 lines of
      // a chatty test's stdout came into, 2>&1): the log lacks what they held.
      this.sink.incomplete(
        pid !== undefined ? `PID ${pid}: ${message}` : message,
        line,
        "block-too-long",
        pid,
      );
    }
    return false;
  }
}
