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

/**
 * The frames less those of Valgrind's replacements that another one of them called: a run of
 * them counts as its outermost frame, the function the program called. Only the preload
 * object's debug info prints the helpers inlined into it (`is_overlap (vg_replace_strmem.c:138)`
 * twice above `__memcpy_chk (vg_replace_strmem.c:1593)`, public log 11), and only its symbol
 * table the static ones it calls (Helgrind's `pthread_create_WRK` under `pthread_create@*`).
 */
export function withoutReplacementInternals(frames: readonly Frame[]): readonly Frame[] {
  const inner = (frame: Frame, i: number) => {
    const next = frames[i + 1];
    return (
      next !== undefined && isValgrindReplacementFrame(frame) && isValgrindReplacementFrame(next)
    );
  };
  return frames.some(inner) ? frames.filter((frame, i) => !inner(frame, i)) : frames;
}
