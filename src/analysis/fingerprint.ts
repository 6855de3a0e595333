import { createHash } from "node:crypto";
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
  const key = frames.map((frame) => frameKey(frame, options.lines)).join("\n");
  return createHash("sha1").update(key).digest("hex").slice(0, 16);
}

function frameKey(frame: Frame, lines: boolean): string {
  const fn = frame.function ?? (frame.object !== undefined ? `(${baseName(frame.object)})` : "???");
  if (frame.file === undefined) return fn;
  const where = baseName(frame.file);
  return lines && frame.line !== undefined ? `${fn} ${where}:${frame.line}` : `${fn} ${where}`;
}
