import type { Frame } from "../model/index.js";
import { unversioned } from "./allocator-frames.js";
import { baseName } from "./frame-paths.js";
import { isCRuntimeFrame } from "./runtime-frames.js";
import { replacementName } from "./valgrind-replacements.js";

/*
 * The C library's frames as a machine with its debug info (Debian's libc6-dbg) and one without
 * print them (campaign bp F3, test/fixtures/valgrind/libc-debug-info): glibc's exported functions
 * by name either way, with a source file (`_dl_catch_exception (dl-error-skeleton.c:208)`) or
 * with the object (`_dl_catch_exception (in /usr/lib/x86_64-linux-gnu/libc.so.6)`); its hidden
 * ones (`__fopen_internal (iofopen.c:65)`) by name, or as `??? (in .../libc.so.6)`. A baseline
 * made on one machine read the other's unchanged leaks as new and fixed.
 */

/**
 * The C library's objects, by base name: glibc's libc and dynamic loader (`libc.so.6`,
 * `ld-linux-x86-64.so.2`, `ld64.so.2`; before glibc 2.34 `libc-2.31.so`, and the libpthread and
 * libdl since merged into libc), musl's (`ld-musl-x86_64.so.1`, `libc.musl-x86_64.so.1`), and
 * memleax's `libc.so`. No program's function is in them.
 */
const C_LIBRARY_OBJECT =
  /^(?:(?:libc|libpthread|libdl|ld64|ld-linux(?:-[\w-]+)?)\.so(?:\.\d+)*|(?:libc|ld|libpthread|libdl)-2\.\d+\.so|ld-musl-\w+\.so\.1|libc\.musl-\w+\.so\.1)$/;

/** Whether `path` is one of the C library's objects (C_LIBRARY_OBJECT). */
export function isCLibraryObject(path: string): boolean {
  return C_LIBRARY_OBJECT.test(baseName(path));
}

/**
 * glibc's hidden functions, which only its debug info names: without it Valgrind prints them as
 * `??? (in .../libc.so.6)` (campaign bp's runs of test/fixtures/grouping's programs on Debian 12,
 * with libc6-dbg hidden). The ones an interface function tail-calls stand alone between the
 * allocator and the program: fopen's `__fopen_internal`, opendir's `__alloc_dir` and
 * `opendir_tail`, vasprintf's `__vasprintf_internal`, scandir's `__scandir64_tail`; the others
 * stand inside dlopen, fclose, printf and abort (`dlopen_doit`, `_dlerror_run`, `_IO_mem_finish`,
 * `__vfprintf_internal`, `_itoa_word`, `__pthread_kill_implementation`), in this repository's
 * samples too. None is in glibc 2.36's dynamic symbol table.
 */
const HIDDEN_C_LIBRARY_FUNCTIONS: ReadonlySet<string> = new Set([
  ...["__fopen_internal", "__alloc_dir", "opendir_tail", "__vasprintf_internal"],
  ...["__scandir64_tail", "__scandir_tail", "dlopen_doit", "_dlerror_run", "_IO_mem_finish"],
  ...["__vfprintf_internal", "_itoa_word", "__pthread_kill_implementation"],
]);

/**
 * A frame of the C library's that its debug info alone names: unnamed in one of its objects
 * (Valgrind's `??? (in .../libc.so.6)`, a sanitizer's `(/lib/x86_64-linux-gnu/libc.so.6+0x7a1fa)`,
 * whose offset moves with every update of the library too), or one of its hidden functions
 * (HIDDEN_C_LIBRARY_FUNCTIONS). Fingerprints hash them all alike (see C_LIBRARY_UNNAMED).
 */
export function isUnnamedCLibraryFrame(frame: Frame): boolean {
  const fn = frame.function;
  if (fn === undefined) {
    return frame.file === undefined && frame.object !== undefined && isCLibraryObject(frame.object);
  }
  return HIDDEN_C_LIBRARY_FUNCTIONS.has(fn);
}

/**
 * Whether fingerprints may hash the unnamed C library frames (isUnnamedCLibraryFrame) of
 * `frames`, a stack less its allocator's frames, alike: only where a frame that is not the C
 * library's still tells its leaks apart, one of the program or of another library named by a
 * function, a file or an offset (not `??? (in /usr/bin/git)`, ASan's `(<unknown module>)` or a
 * bare address, which every stack's garbage reads alike). Where none is, as under gcc ASan's
 * default fast unwinder, which stops inside glibc (`__interceptor_malloc / __alloc_dir`), the
 * library's frames are all that is left: hashed alike, opendir's leak and open_memstream's were
 * one group, and a new one passed `--fail-on new` (campaign v17 F1, test/fixtures/grouping/
 * libc-hidden). They are hashed as they are printed there, by name or by offset (stable for one
 * build of the library), so such a stack's fingerprint differs with and without the library's
 * debug info.
 */
export function hashesCLibraryAlike(frames: readonly Frame[]): boolean {
  return frames.some(tellsApartBesideCLibrary);
}

/** A frame that is not the C library's and is named by more than its object (see hashesCLibraryAlike). */
function tellsApartBesideCLibrary(frame: Frame): boolean {
  if (isUnnamedCLibraryFrame(frame) || isCRuntimeFrame(frame)) return false;
  if (cLibraryFrameName(frame) !== undefined) return false;
  return frame.function !== undefined || frame.file !== undefined || frame.offset !== undefined;
}

/**
 * How fingerprints hash a frame of isUnnamedCLibraryFrame: as Valgrind's `??? (in
 * .../libc.so.6)` was hashed before, by its object's base name, so that fingerprints made
 * without the library's debug info stay as they were.
 */
export const C_LIBRARY_UNNAMED = "(libc.so.6)";

/** A frame that stands for a call into the C library that no frame names (see withoutLibraryAllocation). */
export const C_LIBRARY_CALL_FRAME: Frame = Object.freeze({ object: "libc.so.6" });

/**
 * The name a named frame of the C library's is hashed by, without its file or object, or
 * undefined for other frames: a frame with no source file in one of the library's objects
 * (`_dl_catch_exception (in .../libc.so.6)`), or one with a file whose name is the C runtime's
 * (isCRuntimeFrame: `_dl_catch_exception (dl-error-skeleton.c:208)`). Without its symbol version,
 * which only the debug info's symbol table prints (`dlopen@@GLIBC_2.34 (dlopen.c:81)`, `dlopen
 * (in .../libc.so.6)`). Valgrind's replacement of one of the library's functions stands for it,
 * and is hashed by its name too, with or without the preload object's debug info (`strncpy
 * (vg_replace_strmem.c:611)`, `strncpy (in .../vgpreload_memcheck-amd64-linux.so)`: campaign bx
 * F1, see replacementName): the function is told, so two string functions failing on one line
 * stay two groups.
 */
export function cLibraryFrameName(frame: Frame): string | undefined {
  const fn = frame.function;
  if (fn === undefined) return undefined;
  const replaced = replacementName(frame);
  if (replaced !== undefined) return replaced;
  const named =
    frame.file === undefined
      ? frame.object !== undefined && isCLibraryObject(frame.object)
      : isCRuntimeFrame(frame);
  return named ? unversioned(fn) : undefined;
}
