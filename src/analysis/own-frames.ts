import type { Frame } from "../model/index.js";
import {
  allocatorFrameCount,
  isAllocatorFrame,
  isAllocatorFrameAt,
  isRuntimeLibraryCode,
  isStartupTailFrame,
} from "./allocator-frames.js";
import { allocWrapperCount } from "./alloc-wrappers.js";
import { baseName, framePath, pathUnder } from "./frame-paths.js";
import {
  isCLibraryFunctionFrame,
  isGnatBinderFrame,
  isInlinedLibraryHeaderFrame,
  isCppLibraryHeaderFrame,
  isRuntimeFrame,
  isRuntimeFrameInAnyFile,
} from "./runtime-frames.js";
import { isRustLibraryFrame, isRustLibraryFrameAt } from "./rust-frames.js";
import {
  definesNamesake,
  matchFrameFile,
  neverNamedInFile,
  type SourceNames,
} from "./source-match.js";
import { isValgrindReplacementFrame } from "./valgrind-replacements.js";

export type { SourceNames } from "./source-match.js";

// Frames in these trees are the system's, not the program's (libc, libstdc++, Valgrind itself).
const SYSTEM_PREFIXES = ["/usr/", "/lib/", "/lib64/", "/System/", "/opt/homebrew/", "/build/glibc"];

/** What tells the program's own frames apart; a ReportContext carries both. */
export interface OwnCode {
  /** Absolute directory of the program's sources. */
  sourceRoot?: string;
  /**
   * The source root's other absolute spellings through symbolic links: its real path (a root
   * given as a link, macOS' /tmp in /private/tmp), and the shell's spelling (PWD), which the
   * compiler records where the process's own working directory is the real path. A frame
   * under any of them is under the root.
   */
  rootAliases?: readonly string[];
  /** The base names of the files under `sourceRoot`, for frames with relative file names. */
  sourceNames?: SourceNames;
  /**
   * The program's own allocation wrappers (`--alloc-fn`, globs): right under the allocator's
   * frames they count as the allocator's, not the program's (see allocWrapperCount).
   */
  allocFns?: readonly string[];
}

/**
 * True when the frame is in the program's own code: it has a source file, is not an allocator
 * or checker frame, and neither it nor its object is under a system directory. An absolute path
 * must be under the source root, when there is one. A relative path (the compiler's working
 * directory is unknown) is settled by the source root's file names when they are known and by
 * the function's name otherwise (see isOwnRelativeFrame).
 */
export function isOwnFrame(frame: Frame, ownCode: OwnCode = {}): boolean {
  return isOwnUnlessRustLibrary(frame, ownCode, isRustLibraryFrame(frame));
}

/**
 * isOwnFrame, with whether the frame is the Rust library's told by the caller, and the
 * allocator's too when the caller knows the stack (see isAllocatorFrameAt).
 */
function isOwnUnlessRustLibrary(
  frame: Frame,
  ownCode: OwnCode,
  rustLibrary: boolean,
  allocator = isAllocatorFrame(frame),
): boolean {
  if (rustLibrary || !isOutsideSystem(frame, false, allocator)) return false;
  const path = framePath(frame);
  if (!path.startsWith("/")) return isOwnRelativeFrame(frame, path, ownCode.sourceNames);
  if (ownCode.sourceRoot === undefined) return true;
  return pathUnder(path, sourceRoots(ownCode)) !== undefined;
}

/** The source root and its other spellings (see OwnCode.rootAliases); none without a root. */
export function sourceRoots(ownCode: OwnCode): string[] {
  const { sourceRoot, rootAliases = [] } = ownCode;
  return sourceRoot === undefined ? [] : [sourceRoot, ...rootAliases];
}

/**
 * True when the frame has a source file and is neither the allocator's (`allocator`) nor a
 * system file's, nor the Rust library's (`rustLibrary`), by default as the frame alone tells.
 */
function isOutsideSystem(
  frame: Frame,
  rustLibrary = isRustLibraryFrame(frame),
  allocator = isAllocatorFrame(frame),
): boolean {
  if (frame.file === undefined || allocator || rustLibrary) return false;
  if (isGnatBinderFrame(frame)) return false;
  // Valgrind's replacements with their preload object's debug info (`wcslen
  // (vg_replace_strmem.c:2139)`, a relative path): a name leaklog does not know as libc's
  // showed the error there, in Valgrind's source, where the same run under a Valgrind without
  // that debug info showed the program's line that called it (campaign bx F1).
  if (isValgrindReplacementFrame(frame)) return false;
  // A frame in a system library is not the program's even when its debug info names a relative
  // source path (Valgrind XML: glibc's `./nptl/./nptl/pthread_kill.c` in libc.so.6).
  const object = frame.object;
  if (object !== undefined && SYSTEM_PREFIXES.some((prefix) => object.startsWith(prefix)))
    return false;
  // memleax names libc `libc.so`, with no directory: its start-up code's `?()
  // ../sysdeps/generic/get-rounding-mode.h:118` was the place shown for a leak (campaign bg).
  if (isRuntimeLibraryCode(frame)) return false;
  const path = framePath(frame);
  return !SYSTEM_PREFIXES.some((prefix) => path.startsWith(prefix));
}

/*
 * Valgrind's text log gives neither the directory nor, for frames with debug info, the object:
 * `allocate_dtv (dl-tls.c:401)` is ld.so's, `worker (threads.c:8)` the program's. The tree
 * decides first: a file found under the source root is the program's even when its function's
 * name looks reserved (own.cpp's `_helper(int)`, `_impl::alloc()`), unless the name is the
 * runtime's in any file (libc's `write (write.c:26)` beside the program's own write.c) but the
 * one the file, read, defines it in (definesNamesake: the program's static `dup (leak.c:3)`),
 * or the file, read, cannot hold the frame (see matchFrameFile: glibc's `__alloc_dir
 * (opendir.c:115)` is not in a project's opendir.c that never names it). A walk cut short
 * proves only the names it found, so a name it did not find, like every name when there is no
 * walk, falls back on the function's name (isRuntimeFrame).
 */
function isOwnRelativeFrame(frame: Frame, path: string, sourceNames?: SourceNames): boolean {
  if (isCppLibraryHeaderFrame(frame)) return false;
  if (isRuntimeFrameInAnyFile(frame)) return definesNamesake(frame, sourceNames);
  if (sourceNames !== undefined && inSourceFile(frame, path, sourceNames)) return true;
  if (sourceNames?.complete === true) return false;
  return !isRuntimeFrame(frame);
}

/** Whether the frame's relative `path` is a file under the root that may hold it. */
function inSourceFile(frame: Frame, path: string, sourceNames: SourceNames): boolean {
  if (sourceNames.paths === undefined) return sourceNames.names.has(baseName(path));
  return matchFrameFile(frame, sourceNames).kind !== "unknown";
}

/**
 * True when the CLI reads the root's files of the frame's base name (SourceNames.files): a
 * relative frame whose function's name looks like the runtime's (isRuntimeFrame), so that a file
 * of that name under the root (a project's own opendir.c beside glibc's) may not be its file.
 */
export function needsSourceFacts(frame: Frame): boolean {
  return isOutsideSystem(frame) && !framePath(frame).startsWith("/") && isRuntimeFrame(frame);
}

/**
 * True when isOwnFrame decides the frame by looking its file's base name up in SourceNames: any
 * relative frame but the runtime's in any file, of which a C library function's name may still
 * be the program's own (definesNamesake).
 */
export function needsSourceNames(frame: Frame): boolean {
  if (!isOutsideSystem(frame) || framePath(frame).startsWith("/")) return false;
  return !isRuntimeFrameInAnyFile(frame) || isCLibraryFunctionFrame(frame);
}

/**
 * The program's own frames of a stack (isOwnFrame, where the Rust library's frames are told by
 * their place in the stack: see isRustLibraryFrameAt). The frame alone takes a crate's own
 * `new (sync.rs:8)` for `Arc::new`; the frames inlined with it tell (campaign br F2). So do the
 * allocator's (isAllocatorFrameAt): a `GlobalAlloc` impl on top of an error's stack is the
 * program's code where the error is (campaign v18b F3).
 */
export function strictlyOwnFrames(stack: readonly Frame[], ownCode: OwnCode = {}): Frame[] {
  const allocators = allocatorFrameCount(stack);
  const wrappersEnd = allocators + allocWrapperCount(stack, allocators, ownCode.allocFns);
  const own = stack.map(
    (frame, i) =>
      i >= wrappersEnd &&
      isOwnUnlessRustLibrary(
        frame,
        ownCode,
        isRustLibraryFrameAt(stack, i),
        isAllocatorFrameAt(stack, i, allocators),
      ) &&
      !(isInlinedLibraryHeaderFrame(stack, i) && !inSourceTree(frame, ownCode)),
  );
  return stack.filter((_, i) => own[i] === true && !inRuntimeNamesake(stack, i, own, ownCode));
}

/*
 * glibc's static helpers have ordinary names: `opendir_tail (opendir.c:63)` calls `__alloc_dir
 * (opendir.c:115)`, regcomp.c's `analyze` is called by `regcomp (regcomp.c:491)`. A neighbour
 * in the same file (through a run of frames of that path) that is the runtime's by its name and
 * not in the project's namesake (isOwnFrame) shows whose that file is in this stack, and a frame
 * of it that the project's file never names (neverNamedInFile) is the runtime's too. One that
 * the file names stays the program's: its own `my_write (write.c:10)` over libc's `write
 * (write.c:26)`.
 */
function inRuntimeNamesake(
  stack: readonly Frame[],
  i: number,
  own: readonly boolean[],
  ownCode: OwnCode,
): boolean {
  const frame = stack[i];
  if (frame === undefined) return false;
  const path = framePath(frame);
  if (path.startsWith("/") || !neverNamedInFile(frame, ownCode.sourceNames)) return false;
  for (const step of [-1, 1]) {
    for (let j = i + step; ; j += step) {
      const other = stack[j];
      if (other === undefined || framePath(other) !== path) break;
      if (own[j] !== true && isRuntimeFrame(other)) return true;
    }
  }
  return false;
}

/** Whether the source tree holds a file of the frame's base name (the program's own allocator.h). */
function inSourceTree(frame: Frame, ownCode: OwnCode): boolean {
  return ownCode.sourceNames?.names.has(baseName(framePath(frame))) === true;
}

/** The program's own frames of a stack, falling back to the first non-allocator frames. */
export function ownFrames(stack: readonly Frame[], ownCode: OwnCode = {}): Frame[] {
  const own = strictlyOwnFrames(stack, ownCode);
  if (own.length > 0) return own;
  const allocators = allocatorFrameCount(stack);
  return stack.filter((_, i) => !isAllocatorFrameAt(stack, i, allocators));
}

/**
 * The frame that one line shows for a stack: the first of its ownFrames that names a function
 * or a file, or the first of them when none does. In stripped code that first frame is often
 * `??? (in libsc.so)` where the next names the function (`sc_uninit_cond`): an aux stack's one
 * line said nothing (campaign bp Q2). Several lines (the main stack's) show it as it is. libc's
 * start-up names no place of the program: a stripped program's `???` frames over `(below main)`,
 * or a jump to address 0, stay `???` (samples/valgrind/stripped_bin.txt, invalid_jump.txt).
 */
export function namedFrame(stack: readonly Frame[], ownCode: OwnCode = {}): Frame | undefined {
  const frames = ownFrames(stack, ownCode);
  const first = frames[0];
  // Only within the first frame's object: a stripped program's `???` under a library's
  // `lib_call` (a callback it only called, libffi's `ffi_call`, libjvm's `call_helper`) named
  // that library as the place of an allocation or error it did not make (campaign v18b F4).
  const end = frames.findIndex((f) => f.object !== first?.object);
  const sameObject = end === -1 ? frames : frames.slice(0, end);
  return sameObject.find(namesAPlace) ?? first;
}

function namesAPlace(frame: Frame): boolean {
  return (frame.function !== undefined || frame.file !== undefined) && !isStartupTailFrame(frame);
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
  if (frame.object !== undefined) {
    const offset = frame.offset !== undefined ? `+${frame.offset}` : "";
    return `${fn} (in ${frame.object}${offset})`;
  }
  return fn;
}
