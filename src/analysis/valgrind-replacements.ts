import type { Frame } from "../model/index.js";
import { unversioned } from "./allocator-frames.js";
import { baseName } from "./frame-paths.js";

/*
 * Valgrind's replacements of the C library's functions (`strlen`, `strncpy`, `memcpy`, `__memcpy_chk`,
 * Helgrind's and DRD's `pthread_mutex_lock`...), which run in its preload object in their stead.
 * Valgrind prints one by its source file where the object has debug info (`strncpy
 * (vg_replace_strmem.c:611)`, Debian's 3.27) and by the object where it has none (`strncpy (in
 * /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)`, Debian's 3.19). Hashed as printed,
 * every error inside one changed fingerprint with a Valgrind upgrade, or with its debug symbols
 * installed, and read as new and fixed (campaign bx F1, test/fixtures/valgrind/vg-replacements).
 */

/**
 * The sources of Valgrind's preload objects: memcheck's string functions (`mc_replace_strmem.c`
 * before Valgrind 3.8), the allocator's (vg_replace_malloc.c), Helgrind's and DRD's intercepts
 * (`hg_intercepts.c`, `drd_pthread_intercepts.c`, `drd_qtcore_intercepts.c`...).
 */
const REPLACEMENT_FILE =
  /^(?:vg_replace_strmem|vg_replace_malloc|mc_replace_strmem|hg_intercepts|drd_\w+_intercepts|vg_preloaded)\.c$/;

/** Valgrind's preload objects, on Linux, macOS and FreeBSD (`vgpreload_drd-arm64-linux.so`). */
const PRELOAD_OBJECT = /^vgpreload_[^/]*\.so$/;

/** A frame in one of Valgrind's preload objects, named by its source file or by the object. */
export function isValgrindReplacementFrame(frame: Frame): boolean {
  if (frame.file !== undefined && REPLACEMENT_FILE.test(baseName(frame.file))) return true;
  return frame.object !== undefined && PRELOAD_OBJECT.test(baseName(frame.object));
}

/**
 * The name a named frame of Valgrind's replacements is hashed by, whatever its file or object,
 * without a symbol version (Helgrind's `pthread_create@*`); undefined for other frames.
 */
export function replacementName(frame: Frame): string | undefined {
  const fn = frame.function;
  return fn !== undefined && isValgrindReplacementFrame(frame) ? unversioned(fn) : undefined;
}

/*
 * Helgrind's and DRD's intercepts of the thread library reach the program through static
 * functions that only the preload object's debug info names: the wrapper every thread's stack
 * passes through and Helgrind's `*_WRK` bodies, which its exported wrappers jump to. Debian's
 * 3.19 prints them with no name (`??? (in .../vgpreload_helgrind-amd64-linux.so)`), 3.24 and
 * 3.27 name them (`mythread_wrapper (hg_intercepts.c:406)`, `mutex_unlock_WRK
 * (hg_intercepts.c:1181)`, `vgDrd_thread_wrapper (drd_pthread_intercepts.c:512)`): hashed as
 * printed, every Helgrind error and every DRD race was new and fixed on that upgrade (campaign
 * v24 F4, test/fixtures/valgrind-xml/thread-intercepts). They are left out of fingerprints, as
 * 3.19's unnamed one on top of an error already was (an allocator frame of a preload object).
 * The functions those objects export are named by every release and stay (DRD's
 * `pthread_mutex_unlock@*`, the string functions): two of them failing in one function stay two
 * groups.
 */

/** The sources of Helgrind's and DRD's thread intercepts (`drd_pthread_intercepts.c`...). */
const THREAD_TOOL_FILE = /^(?:hg_intercepts|drd_\w+_intercepts)\.c$/;

/** Helgrind's and DRD's preload objects, on any platform (`vgpreload_drd-arm64-linux.so`). */
const THREAD_TOOL_OBJECT = /^vgpreload_(?:helgrind|drd)-[^/]*\.so$/;

/**
 * The static functions of those objects that can stand between the program and Valgrind (the
 * symbol tables of Debian's 3.27 objects): Helgrind's `*_WRK` (`pthread_cond_wait_WRK.cold` too)
 * and `mythread_wrapper`, DRD's `vgDrd_thread_wrapper` and the `*_intercept` bodies it inlines.
 */
const STATIC_THREAD_INTERCEPT = /_(?:WRK|intercept)(?:\.|$)|^mythread_wrapper$|^vgDrd_/;

/**
 * A static frame of Helgrind's or DRD's intercepts, which only the debug info names: in one of
 * their sources or preload objects, unnamed or named as STATIC_THREAD_INTERCEPT.
 */
export function isThreadWrapperFrame(frame: Frame): boolean {
  const fn = frame.function;
  if (fn !== undefined && !STATIC_THREAD_INTERCEPT.test(fn)) return false;
  if (frame.file !== undefined) return THREAD_TOOL_FILE.test(baseName(frame.file));
  return frame.object !== undefined && THREAD_TOOL_OBJECT.test(baseName(frame.object));
}

/**
 * The frames a fingerprint compares of Valgrind's replacements. Less those that another one of
 * them called: a run of them counts as its outermost frame, the function the program called.
 * Only the preload object's debug info prints the helpers inlined into it (`is_overlap
 * (vg_replace_strmem.c:138)` twice above `__memcpy_chk (vg_replace_strmem.c:1593)`, public log
 * 11), and only its symbol table the static ones it calls (Helgrind's `pthread_create_WRK` under
 * `pthread_create@*`). Less Helgrind's and DRD's static wrappers too (isThreadWrapperFrame),
 * unless nothing else is left.
 */
export function withoutReplacementInternals(frames: readonly Frame[]): readonly Frame[] {
  const internal = (frame: Frame, i: number) => {
    if (!isValgrindReplacementFrame(frame)) return false;
    const next = frames[i + 1];
    return (next !== undefined && isValgrindReplacementFrame(next)) || isThreadWrapperFrame(frame);
  };
  if (!frames.some(internal)) return frames;
  const kept = frames.filter((frame, i) => !internal(frame, i));
  return kept.length > 0 ? kept : frames;
}
