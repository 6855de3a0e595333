import type { Frame } from "../model/index.js";
import { baseName, withoutAllocatorFrames } from "./allocator-frames.js";

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
  const frames = withoutAllocatorFrames(stack).slice(0, options.frames);
  let key = "";
  for (const frame of frames) key += `${frameKey(frame, options.lines)}\n`;
  return fnv1a64(key);
}

/**
 * 64-bit FNV-1a of a string's UTF-16 code units, as 16 hex digits. Not cryptographic (nothing
 * here needs that): a fingerprint only has to be stable and spread well, and this runs once per
 * finding, where a crypto hash object cost a tenth of the parse time on large logs.
 */
export function fnv1a64(text: string): string {
  // Two 32-bit halves of the 64-bit state; the prime 0x100000001b3 = 2^40 + 0x1b3.
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (let i = 0; i < text.length; i += 1) {
    lo = (lo ^ text.charCodeAt(i)) >>> 0;
    const loMul = lo * 0x1b3;
    const carry = Math.floor(loMul / 0x100000000);
    const hiMul = Math.imul(hi, 0x1b3) + Math.imul(lo, 0x100) + carry;
    lo = loMul >>> 0;
    hi = hiMul >>> 0;
  }
  return hi.toString(16).padStart(8, "0") + lo.toString(16).padStart(8, "0");
}

function frameKey(frame: Frame, lines: boolean): string {
  const fn = frame.function ?? (frame.object !== undefined ? `(${baseName(frame.object)})` : "???");
  if (frame.file === undefined) return fn;
  const where = baseName(frame.file);
  return lines && frame.line !== undefined ? `${fn} ${where}:${frame.line}` : `${fn} ${where}`;
}
