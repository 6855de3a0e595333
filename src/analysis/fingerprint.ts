import type { Frame } from "../model/index.js";
import { withoutAllocatorFrames } from "./allocator-frames.js";

export interface FingerprintOptions {
  /** How many frames (after allocator frames) take part. */
  frames: number;
  /** Include line numbers: stricter, but changes whenever the code above moves. */
  lines: boolean;
}

export const DEFAULT_FINGERPRINT_OPTIONS: FingerprintOptions = { frames: 8, lines: false };

/**
 * A stable hash of a call stack that survives rebuilds: function names and source file names
 * only (no addresses, no directories, lines only on request), allocator frames skipped, top N
 * frames. Frames with no function fall back to their object's base name, then to `???`.
 */
export function fingerprintStack(
  stack: readonly Frame[],
  options: FingerprintOptions = DEFAULT_FINGERPRINT_OPTIONS,
): string {
  const frames = withoutAllocatorFrames(stack);
  const count = Math.min(frames.length, options.frames);
  // The key `fn file[:line]\n` per frame is hashed as it is walked, never built as a string:
  // this runs once per finding (profiled: the key strings were a tenth of a large parse).
  const hash = new Fnv64();
  for (let i = 0; i < count; i += 1) {
    const frame = frames[i] as Frame;
    if (frame.function !== undefined) hash.add(frame.function);
    else if (frame.object !== undefined) hash.add("(").addBase(frame.object).add(")");
    else hash.add("???");
    if (frame.file !== undefined) {
      hash.add(" ").addBase(frame.file);
      if (options.lines && frame.line !== undefined) hash.add(":").add(String(frame.line));
    }
    hash.add("\n");
  }
  return hash.digest();
}

/**
 * 64-bit FNV-1a over UTF-16 code units, fed piece by piece. Not cryptographic (nothing here
 * needs that): a fingerprint only has to be stable and spread well.
 */
class Fnv64 {
  // Two 32-bit halves of the 64-bit state; the prime 0x100000001b3 = 2^40 + 0x1b3.
  private hi = 0xcbf29ce4;
  private lo = 0x84222325;

  add(text: string, from = 0): this {
    let hi = this.hi;
    let lo = this.lo;
    for (let i = from; i < text.length; i += 1) {
      lo = (lo ^ text.charCodeAt(i)) >>> 0;
      const loMul = lo * 0x1b3;
      // hi * 0x1b3 + lo << 8 (the 2^40 part) + the carry out of the low half, mod 2^32.
      hi = (Math.imul(hi, 0x1b3) + Math.imul(lo, 0x100) + Math.floor(loMul / 0x100000000)) >>> 0;
      lo = loMul >>> 0;
    }
    this.hi = hi;
    this.lo = lo;
    return this;
  }

  /** Adds the part of a path after its last `/`. */
  addBase(path: string): this {
    return this.add(path, path.lastIndexOf("/") + 1);
  }

  digest(): string {
    return hex32(this.hi) + hex32(this.lo);
  }
}

// Byte -> two hex digits; cheaper than toString(16) and padStart once per finding.
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

function hex32(n: number): string {
  return (
    (HEX[n >>> 24] as string) +
    (HEX[(n >>> 16) & 255] as string) +
    (HEX[(n >>> 8) & 255] as string) +
    (HEX[n & 255] as string)
  );
}

/** 64-bit FNV-1a of a string, as 16 hex digits. */
export function fnv1a64(text: string): string {
  return new Fnv64().add(text).digest();
}
