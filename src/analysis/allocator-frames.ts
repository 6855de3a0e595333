import type { Frame } from "../model/index.js";
import { baseName } from "./frame-paths.js";
import {
  isRustAllocatorFrame,
  isRustLibraryFrameAt,
  RUST_ALLOCATOR_SHIMS,
  withoutRustStartup,
} from "./rust-frames.js";
import { stdThreadStartEnd } from "./std-thread-frames.js";

/*
 * Frames that belong to the allocator or to the checker rather than to the program. They are
 * skipped at the top of a stack before fingerprinting, so that the same leak groups together
 * whether Valgrind (vg_replace_malloc.c), LeakSanitizer (__interceptor_malloc) or a libc wrapper
 * sits on top. Only leading frames are skipped: a malloc in the middle of a stack is the program's.
 */
const ALLOCATOR_FUNCTIONS = new Set([
  "malloc",
  "calloc",
  "realloc",
  "reallocarray",
  "free",
  "memalign",
  "posix_memalign",
  "aligned_alloc",
  "valloc",
  "pvalloc",
  "strdup",
  "strndup",
  "__strdup",
  "__libc_malloc",
  "__libc_calloc",
  "__libc_realloc",
  "_Znwm",
  "_Znam",
  "_Znwj",
  "_Znaj",
  "___interceptor_malloc",
  // glibc's strdup as standalone LeakSanitizer shows it (it intercepts malloc, not strdup), and
  // its siblings: the allocation is the caller's (sanitizers.md §4, lsan-standalone-gcc.log).
  "__GI___strdup",
  "__GI___strndup",
  "__strndup",
  // macOS's realloc that frees on failure
  "reallocf",
  // Rust's allocator shims, as named before Rust 1.9x (see isRustAllocatorFrame)
  ...RUST_ALLOCATOR_SHIMS,
]);

/** `operator new(unsigned long)`, `operator new[](unsigned long, std::nothrow_t const&)`, delete. */
const NEW_OR_DELETE = /^operator (new|delete)(\[\])?(\(|$)/;

const ALLOCATOR_PATTERNS: readonly RegExp[] = [
  // ASan/LSan/TSan interceptors and runtime entry points
  /^(_{2,3}interceptor_|__asan_|__lsan_|__tsan_|__sanitizer_)/,
  // macOS's zone allocator, which Valgrind replaces too (`malloc_zone_malloc (in
  // vgpreload_memcheck-amd64-darwin.so)`, public log 26): the allocation is the caller's.
  /^malloc_zone_(?:malloc|calloc|realloc|valloc|memalign|free)$/,
  // The global operators new and delete as `--demangle=no` prints them, every overload
  // (`_ZdlPvm`, `_ZnwmSt11align_val_t`, `_ZnamRKSt9nothrow_t`): Valgrind 3.19 names them by
  // its preload object, not by vg_replace_malloc.c as 3.24 on, and only `_Znwm` and its three
  // siblings were known, so a mismatched delete or an aligned new's leak was new and fixed
  // across that upgrade (campaign cd F1). A class's own operator is `_ZN...`, never matched.
  /^_Z(?:nw|na|dl|da)[A-Za-z0-9_]*$/,
];

const ALLOCATOR_FILES = new Set([
  "vg_replace_malloc.c",
  "asan_malloc_linux.cpp",
  "asan_new_delete.cpp",
  "lsan_interceptors.cpp",
  // gcc's libasan: `__interceptor_strdup ../../../../src/libsanitizer/asan/asan_interceptors.cpp`,
  // `__interceptor_memcpy …/sanitizer_common/sanitizer_common_interceptors.inc`.
  "asan_interceptors.cpp",
  "sanitizer_common_interceptors.inc",
  // ThreadSanitizer's interceptors (`pthread_mutex_destroy …/tsan/tsan_interceptors_posix.cpp:1312`,
  // `operator delete[](void*) …/tsan/tsan_new_delete.cpp:132`): the call is the caller's.
  "tsan_interceptors_posix.cpp",
  "tsan_new_delete.cpp",
]);

// Unsymbolized frames in a sanitizer runtime (`symbolize=0`: `(…/libasan.so.8+0xb89cf)`).
const SANITIZER_RUNTIME_OBJECT = /\/lib(?:asan|lsan|hwasan|tsan|ubsan)\.so(?:\.\d+)*$/;

/** True for the name of an allocation function itself (`malloc`, `strdup`, `_Znwm`...). */
export function isAllocatorName(name: string): boolean {
  return ALLOCATOR_FUNCTIONS.has(name);
}

/**
 * True when the frame is the allocator's or the checker's own, not the program's. A frame of the
 * program's global allocator (isRustAllocatorFrame) is the allocator's only where an allocation's
 * stack passes through it: ask isAllocatorFrameAt when the stack is known.
 */
export function isAllocatorFrame(frame: Frame): boolean {
  const fn = frame.function;
  if (fn !== undefined) {
    if (ALLOCATOR_FUNCTIONS.has(fn)) return true;
    if (isRustAllocatorFrame(frame)) return true;
    if (ALLOCATOR_PATTERNS.some((re) => re.test(fn))) return true;
    if (NEW_OR_DELETE.test(fn)) return !isInlinedClassOperator(fn, frame.file);
  }
  if (frame.file !== undefined && ALLOCATOR_FILES.has(baseName(frame.file))) return true;
  const obj = frame.object;
  if (obj !== undefined && fn === undefined && SANITIZER_RUNTIME_OBJECT.test(obj)) return true;
  // Valgrind's preload objects: vgpreload_memcheck-amd64-linux.so and friends.
  return obj !== undefined && /\/vgpreload_[^/]*$/.test(obj) && fn === undefined;
}

/**
 * A bare `operator new` (an inlined frame's DWARF name: no parameters) in a file of no allocator
 * is a class's own, defined in its class and inlined at -O2 (`struct A { static void* operator
 * new(size_t n) { return malloc(n); } }`): the program's code, which -O0 names `A::operator
 * new(unsigned long)` and keeps. Skipped, its leaks lost their site and merged with other
 * allocations of the caller (campaign bn F1). The checkers' own are spelled out, in their files.
 */
function isInlinedClassOperator(fn: string, file: string | undefined): boolean {
  return !fn.includes("(") && file !== undefined && !ALLOCATOR_FILES.has(baseName(file));
}

/*
 * libc start-up frames below `main`. Valgrind hides them (`--show-below-main=no` is its default),
 * ASan/LSan print them (`__libc_start_call_main`, `__libc_start_main_impl`, `_start`), so they
 * are dropped before fingerprinting for the same leak to fingerprint alike under both tools.
 */
const BELOW_MAIN_FUNCTIONS = new Set([
  "__libc_start_call_main",
  "__libc_start_main",
  "__libc_start_main_impl",
  "__libc_start_main_alias_2",
  "_start",
  "(below main)",
]);

/**
 * True for a libc start-up frame that calls `main` (see BELOW_MAIN_FUNCTIONS), a symbol version
 * ignored: Valgrind's `--show-below-main=yes` prints `__libc_start_main@@GLIBC_2.34`, and the
 * frames were kept (campaign bd: the same leak was a new group against a default run's).
 */
export function isBelowMainFrame(frame: Frame): boolean {
  const fn = frame.function;
  return fn !== undefined && BELOW_MAIN_FUNCTIONS.has(unversioned(fn));
}

/** A function's name without its ELF symbol version (`@@GLIBC_2.34`, `@GLIBC_2.2.5`). */
export function unversioned(fn: string): string {
  const at = fn.indexOf("@");
  return at > 0 ? fn.slice(0, at) : fn;
}

/**
 * The stack without the frames below its outermost `main`, when those are all libc start-up
 * frames or unnamed frames; any other stack is returned as it is.
 */
export function withoutBelowMainFrames(stack: readonly Frame[]): readonly Frame[] {
  let main = -1;
  for (let i = stack.length - 1; i >= 0; i -= 1) {
    if (stack[i]?.function === "main") {
      main = i;
      break;
    }
  }
  if (main === -1 || main === stack.length - 1) return stack;
  const below = stack.slice(main + 1);
  const startup = below.every((f) => f.function === undefined || isBelowMainFrame(f));
  return startup ? stack.slice(0, main + 1) : stack;
}

/*
 * The frames that start a thread, or run code before or after `main`, at the bottom of a stack
 * that has no `main`: a thread's start routine is called by glibc's `start_thread`, under
 * `clone` (Valgrind) or `clone3` (ASan with fast_unwind_on_malloc=0) or nothing (ASan's fast
 * unwinder, LSan, Valgrind's --num-callers cut); a constructor by `call_init` under
 * `__libc_start_main@@GLIBC_2.34` and `(below main)` (Valgrind) or `__libc_start_main_impl`
 * (ASan); an atexit handler by `__run_exit_handlers` under `exit` and `(below main)` (Valgrind)
 * or nothing (ASan). Which of them a tool shows is the tool's business, not the program's, so
 * they are dropped before fingerprinting, as the frames below `main` are.
 */
const STARTUP_TAIL_FUNCTIONS = new Set([
  ...BELOW_MAIN_FUNCTIONS,
  ...["start_thread", "clone", "clone3", "__clone", "__clone3", "execute_native_thread_routine"],
  ...["call_init", "_dl_init", "_dl_start_user", "__libc_csu_init"],
  ...["__run_exit_handlers", "exit", "__GI_exit", "_dl_fini", "__libc_csu_fini"],
]);

/**
 * An unnamed frame in the C or C++ runtime library: std::thread's trampoline in libstdc++
 * (`execute_native_thread_routine`) without its symbols, which Valgrind prints as `??? (in
 * /usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30)` above `start_thread`, and ASan as
 * `(/lib/x86_64-linux-gnu/libstdc++.so.6+0xd44a2)` at the stack's end: neither its name nor its
 * offset can match the other's.
 */
const RUNTIME_LIBRARY = /^lib(?:stdc\+\+|c\+\+|c)\.so(?:\.\d+)*$/;

/** A frame in the C or C++ runtime library, by its object's name (`libc.so.6`, memleax's `libc.so`). */
export function isRuntimeLibraryCode(frame: Frame): boolean {
  return frame.object !== undefined && RUNTIME_LIBRARY.test(baseName(frame.object));
}

/**
 * The stack without the start-up frames at its bottom (see STARTUP_TAIL_FUNCTIONS), a symbol
 * version (`@@GLIBC_2.34`) ignored, and std::thread's above them (see stdThreadStartEnd); the
 * whole stack if nothing else is left.
 */
function withoutStartupTail(stack: readonly Frame[]): readonly Frame[] {
  let end = stack.length;
  // A stripped program's `_start` has no name, below libc's start-up: memleax's stack of a
  // stripped target ended `?() get-rounding-mode.h:118 < __libc_start_main < exits`, and the
  // leak was placed in that glibc header (campaign bg).
  const above = stack[end - 2]?.function;
  if (end > 2 && stack[end - 1]?.function === undefined && above !== undefined) {
    if (unversioned(above) === "__libc_start_main") end -= 1;
  }
  while (end > 1 && isStartupTailFrame(stack[end - 1] as Frame)) end -= 1;
  end = stdThreadStartEnd(stack, end);
  return end === stack.length ? stack : stack.slice(0, end);
}

/** A frame that starts a thread or runs code before or after `main` (STARTUP_TAIL_FUNCTIONS). */
export function isStartupTailFrame(frame: Frame): boolean {
  const fn = frame.function;
  if (fn === undefined) return isRuntimeLibraryCode(frame);
  return STARTUP_TAIL_FUNCTIONS.has(unversioned(fn));
}

/**
 * How many frames at the top of the stack are the allocator's. An allocation's stack (its top
 * frame malloc's, or another of the checker's or libc's allocator frames) leaves the allocator
 * below the program's global allocator: its `GlobalAlloc` impl, Rust's shims, and whatever they
 * called (System's alloc, or the impl's own helper over libc's malloc: `Arena::raw_alloc`, which
 * filled the fingerprint's window with the impl's and RawVec's frames, and two callers' leaks
 * were one group, campaign v18b Q1). An error's own stack counts only the checker's frames: the
 * program's global allocator on top of it is where the error happened, the program's code as a
 * C program's own `xmalloc` is; skipped, an invalid write in the impl was shown at the caller of
 * `vec![]`, and the faulting frame nowhere (campaign v18b F3).
 */
export function allocatorFrameCount(stack: readonly Frame[]): number {
  let i = 0;
  while (i < stack.length && isCheckerAllocatorFrame(stack[i] as Frame)) i += 1;
  if (i === 0) return 0;
  for (let j = stack.length - 1; j >= i; j -= 1) {
    if (isRustAllocatorFrame(stack[j] as Frame)) return j + 1;
  }
  return i;
}

/**
 * Whether the stack's frame `i` is the allocator's: one of its allocatorFrameCount top frames
 * (`count`, when the caller has it), or the checker's or libc's (malloc) anywhere. The program's
 * global allocator below those top frames is the program's (see allocatorFrameCount).
 */
export function isAllocatorFrameAt(
  stack: readonly Frame[],
  i: number,
  count = allocatorFrameCount(stack),
): boolean {
  return i < count || isCheckerAllocatorFrame(stack[i] as Frame);
}

/** An allocator frame (isAllocatorFrame) but not of the program's global allocator. */
function isCheckerAllocatorFrame(frame: Frame): boolean {
  return isAllocatorFrame(frame) && !isRustAllocatorFrame(frame);
}

/**
 * The stack without its leading allocator frames (allocatorFrameCount), and the Rust standard
 * library's frames under them (its allocation machinery, see rust-frames.ts); the whole stack if
 * nothing else is left. Start-up frames at its bottom go too: libc's below `main`, a thread's or
 * a constructor's or an atexit handler's callers, the Rust runtime's.
 */
export function withoutAllocatorFrames(stack: readonly Frame[]): readonly Frame[] {
  let i = allocatorFrameCount(stack);
  // Under an allocation's frames, the allocator's frames among the Rust library's too (campaign
  // br F4). Not on top of an error's stack: `core::ptr::write` inlined into a `GlobalAlloc`
  // impl is skipped for the impl, not for the caller of `vec![]` (campaign v18b F3).
  const underAllocator = i > 0;
  let program = i;
  while (
    program < stack.length &&
    (isRustLibraryFrameAt(stack, program) ||
      (underAllocator && isAllocatorFrame(stack[program] as Frame)))
  )
    program += 1;
  if (program < stack.length) i = program;
  const rest = i === stack.length ? stack : stack.slice(i);
  return withoutRustStartup(withoutStartupTail(withoutBelowMainFrames(rest)));
}
