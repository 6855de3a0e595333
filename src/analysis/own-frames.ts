import type { Frame } from "../model/index.js";
import { isAllocatorFrame } from "./allocator-frames.js";

// Frames in these trees are the system's, not the program's (libc, libstdc++, Valgrind itself).
const SYSTEM_PREFIXES = ["/usr/", "/lib/", "/lib64/", "/System/", "/opt/homebrew/", "/build/glibc"];

/**
 * True when the frame is in the program's own code: it has a source file, is not an allocator
 * or checker frame, and neither it nor its object is under a system directory. With a source
 * root, the file must be under it (relative file names count as under it: the compiler was run
 * there).
 */
export function isOwnFrame(frame: Frame, sourceRoot?: string): boolean {
  if (frame.file === undefined || isAllocatorFrame(frame)) return false;
  // A frame in a system library is not the program's even when its debug info names a relative
  // source path (Valgrind XML: glibc's `./nptl/./nptl/pthread_kill.c` in libc.so.6).
  const object = frame.object;
  if (object !== undefined && SYSTEM_PREFIXES.some((prefix) => object.startsWith(prefix)))
    return false;
  const path = framePath(frame);
  if (SYSTEM_PREFIXES.some((prefix) => path.startsWith(prefix))) return false;
  if (sourceRoot === undefined || !path.startsWith("/")) return true;
  const root = sourceRoot.endsWith("/") ? sourceRoot : `${sourceRoot}/`;
  return path.startsWith(root);
}

/** The frame's file joined with its directory when the file name is relative. */
export function framePath(frame: Frame): string {
  const file = frame.file ?? "";
  if (frame.dir === undefined || file.startsWith("/")) return file;
  return `${frame.dir.replace(/\/$/, "")}/${file}`;
}

/** The program's own frames of a stack, falling back to the first non-allocator frames. */
export function ownFrames(stack: readonly Frame[], sourceRoot?: string): Frame[] {
  const own = stack.filter((frame) => isOwnFrame(frame, sourceRoot));
  return own.length > 0 ? own : stack.filter((frame) => !isAllocatorFrame(frame));
}

/**
 * `fn (file:line)` or the best that the frame offers: MEMWATCH knows only `file:line`, a
 * stripped library only its object.
 */
export function describeFrame(frame: Frame): string {
  const where =
    frame.file !== undefined
      ? `${frame.file}${frame.line !== undefined ? `:${frame.line}` : ""}`
      : undefined;
  if (frame.function === undefined && where !== undefined) return where;
  const fn = frame.function ?? "???";
  if (where !== undefined) return `${fn} (${where})`;
  if (frame.object !== undefined) return `${fn} (in ${frame.object})`;
  return fn;
}
