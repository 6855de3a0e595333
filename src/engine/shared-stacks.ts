import { shareStack } from "../analysis/shared-stack.js";
import type { Frame } from "../model/index.js";

/** A frame made once from a piece of the log found again by its bytes (see KnownBytes). */
export interface KnownFrame {
  /** Numbers the known frames of one parser, from 1: stacks are keyed by them. */
  id: number;
  frame: Frame;
}

/**
 * One frozen array per distinct stack whose frames were all found from the log's bytes: a log
 * repeats its few thousand stacks in every process, and every record of one stack then shares
 * one array, which SourceBuilder fingerprints once. Frozen: nothing in leaklog changes a stack
 * once made (see Detacher), and a caller that tried would change every record of the stack.
 */
export class SharedStacks<Item> {
  /** Known stacks by a hash of their frames' ids; a list where hashes collide. */
  private readonly byHash = new Map<number, SharedStack | SharedStack[]>();
  private size = 0;

  /**
   * `knownOf` gives an item's known frame, if it was found from bytes; `frameOf` any item's
   * frame. Both are plain functions, made once: this runs for every record.
   */
  constructor(
    private readonly knownOf: (item: Item) => KnownFrame | undefined,
    private readonly frameOf: (item: Item) => Frame,
  ) {}

  /** The stack of these items' frames: a shared frozen array when every frame is known. */
  stackOf(items: readonly Item[]): Frame[] {
    let hash = 0x811c9dc5;
    for (const item of items) {
      const known = this.knownOf(item);
      if (known === undefined) return items.map(this.frameOf);
      hash = Math.imul(hash ^ known.id, 0x01000193);
    }
    const found = this.byHash.get(hash);
    if (found !== undefined) {
      if (!Array.isArray(found)) {
        if (this.sameFrames(found, items)) return found.frames;
      } else {
        for (const stack of found) if (this.sameFrames(stack, items)) return stack.frames;
      }
    }
    const frames = items.map(this.frameOf);
    if (this.size >= MAX_SHARED_STACKS) return frames;
    const stack: SharedStack = {
      known: items.map((item) => this.knownOf(item) as KnownFrame),
      frames: shareStack(frames),
    };
    this.size += 1;
    if (found === undefined) this.byHash.set(hash, stack);
    else if (Array.isArray(found)) found.push(stack);
    else this.byHash.set(hash, [found, stack]);
    return stack.frames;
  }

  private sameFrames(stack: SharedStack, items: readonly Item[]): boolean {
    if (stack.known.length !== items.length) return false;
    for (let i = 0; i < items.length; i += 1) {
      if (stack.known[i] !== this.knownOf(items[i] as Item)) return false;
    }
    return true;
  }
}

interface SharedStack {
  known: readonly KnownFrame[];
  frames: Frame[];
}

/**
 * Distinct stacks kept (about 300 bytes each; their frames are the parser's anyway): a bound
 * for logs that never repeat a stack, which then cost at most 5 MB more than reading as text.
 */
const MAX_SHARED_STACKS = 1 << 14;
