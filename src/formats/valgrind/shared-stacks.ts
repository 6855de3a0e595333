import type { IToken } from "chevrotain";
import type { Frame } from "../../model/index.js";
import { parseFrame } from "./fields.js";
import type { KnownFrameLine } from "./frame-lines.js";

/**
 * One frozen array per distinct stack whose frame lines were all read as bytes (FrameLines):
 * a log repeats its few thousand stacks in every process, and every record of one stack then
 * shares one array, which the fingerprint is computed for once (see SourceBuilder). Frozen:
 * nothing in leaklog changes a stack once made (see Detacher), and a caller that tried would
 * change every record of the stack.
 */
export class SharedStacks {
  /** Known stacks by a hash of their lines' ids; a list where hashes collide. */
  private readonly byHash = new Map<number, SharedStack | SharedStack[]>();
  private size = 0;

  /** The frames of a run of frame line tokens: a shared array when each token has its line. */
  framesOf(tokens: readonly IToken[]): Frame[] {
    let hash = 0x811c9dc5;
    for (const token of tokens) {
      const line = token.payload as KnownFrameLine | undefined;
      if (line === undefined) return tokens.map(frameOf);
      hash = Math.imul(hash ^ line.id, 0x01000193);
    }
    const known = this.byHash.get(hash);
    if (known !== undefined) {
      if (!Array.isArray(known)) {
        if (sameLines(known, tokens)) return known.frames;
      } else {
        for (const stack of known) if (sameLines(stack, tokens)) return stack.frames;
      }
    }
    const frames = tokens.map(frameOf);
    if (this.size >= MAX_SHARED_STACKS) return frames;
    const stack: SharedStack = {
      lines: tokens.map((t) => t.payload as KnownFrameLine),
      frames: Object.freeze(frames) as Frame[],
    };
    this.size += 1;
    if (known === undefined) this.byHash.set(hash, stack);
    else if (Array.isArray(known)) known.push(stack);
    else this.byHash.set(hash, [known, stack]);
    return stack.frames;
  }
}

interface SharedStack {
  lines: readonly KnownFrameLine[];
  frames: Frame[];
}

/** Distinct stacks kept (their frames are FrameLines'): a bound for logs that never repeat one. */
const MAX_SHARED_STACKS = 1 << 16;

function frameOf(token: IToken): Frame {
  return (token.payload as KnownFrameLine | undefined)?.frame ?? parseFrame(token.image);
}

function sameLines(stack: SharedStack, tokens: readonly IToken[]): boolean {
  if (stack.lines.length !== tokens.length) return false;
  for (let i = 0; i < tokens.length; i += 1) {
    if (stack.lines[i] !== (tokens[i] as IToken).payload) return false;
  }
  return true;
}
