import type { Frame } from "../model/index.js";
import { baseName, isAllocatorFrame } from "./allocator-frames.js";
import { isRuntimeFrame } from "./runtime-frames.js";

// Frames in these trees are the system's, not the program's (libc, libstdc++, Valgrind itself).
const SYSTEM_PREFIXES = ["/usr/", "/lib/", "/lib64/", "/System/", "/opt/homebrew/", "/build/glibc"];

/**
 * The base names of the files under the source root, so that a frame whose file is a relative
 * name (Valgrind's text log prints `dl-tls.c`, no directory) can be checked against the tree
 * without touching the file system here. The CLI walks the root once per run (see
 * src/cli/source-names.ts); library users may fill it themselves.
 */
export interface SourceNames {
  names: ReadonlySet<string>;
  /** False when the walk stopped at its bound: a name it did not reach may still be there. */
  complete: boolean;
}

/** What tells the program's own frames apart; a ReportContext carries both. */
export interface OwnCode {
  /** Absolute directory of the program's sources. */
  sourceRoot?: string;
  /** The base names of the files under `sourceRoot`, for frames with relative file names. */
  sourceNames?: SourceNames;
}

/**
 * True when the frame is in the program's own code: it has a source file, is not an allocator
 * or checker frame, and neither it nor its object is under a system directory. An absolute path
 * must be under the source root, when there is one. A relative path (the compiler's working
 * directory is unknown) must not be the runtime's by its function name (see isRuntimeFrame) and,
 * when the source root's file names are known, its base name must be one of them.
 */
export function isOwnFrame(frame: Frame, ownCode: OwnCode = {}): boolean {
  if (frame.file === undefined || isAllocatorFrame(frame)) return false;
  // A frame in a system library is not the program's even when its debug info names a relative
  // source path (Valgrind XML: glibc's `./nptl/./nptl/pthread_kill.c` in libc.so.6).
  const object = frame.object;
  if (object !== undefined && SYSTEM_PREFIXES.some((prefix) => object.startsWith(prefix)))
    return false;
  const path = framePath(frame);
  if (SYSTEM_PREFIXES.some((prefix) => path.startsWith(prefix))) return false;
  if (!path.startsWith("/")) return isOwnRelativeFrame(frame, path, ownCode.sourceNames);
  const { sourceRoot } = ownCode;
  if (sourceRoot === undefined) return true;
  const root = sourceRoot.endsWith("/") ? sourceRoot : `${sourceRoot}/`;
  return path.startsWith(root);
}

/*
 * Valgrind's text log gives neither the directory nor, for frames with debug info, the object:
 * `allocate_dtv (dl-tls.c:401)` is ld.so's, `worker (threads.c:8)` the program's, and nothing
 * but the names tells them apart. The function's name settles the runtime's frames that the
 * language reserves (`_dl_allocate_tls`, `printf`, `std::...`); the tree settles the rest when
 * it was walked. A walk cut short proves only the names it found, so a missing name then falls
 * back on the function's name alone.
 */
function isOwnRelativeFrame(frame: Frame, path: string, sourceNames?: SourceNames): boolean {
  if (isRuntimeFrame(frame)) return false;
  if (sourceNames === undefined || !sourceNames.complete) return true;
  return sourceNames.names.has(baseName(path));
}

/** True when isOwnFrame decides the frame by looking its file's base name up in SourceNames. */
export function needsSourceNames(frame: Frame): boolean {
  return !framePath(frame).startsWith("/") && isOwnFrame(frame);
}

/** The frame's file joined with its directory when the file name is relative. */
export function framePath(frame: Frame): string {
  const file = frame.file ?? "";
  if (frame.dir === undefined || file.startsWith("/")) return file;
  return `${frame.dir.replace(/\/$/, "")}/${file}`;
}

/** The program's own frames of a stack, falling back to the first non-allocator frames. */
export function ownFrames(stack: readonly Frame[], ownCode: OwnCode = {}): Frame[] {
  const own = stack.filter((frame) => isOwnFrame(frame, ownCode));
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
