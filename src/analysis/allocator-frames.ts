import type { Frame } from "../model/index.js";

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
]);

const ALLOCATOR_PATTERNS: readonly RegExp[] = [
  // `operator new(unsigned long)`, `operator new[](unsigned long, std::nothrow_t const&)`, delete
  /^operator (new|delete)(\[\])?(\(|$)/,
  // ASan/LSan interceptors and runtime entry points
  /^(_{2,3}interceptor_|__asan_|__lsan_|__sanitizer_)/,
];

const ALLOCATOR_FILES = new Set([
  "vg_replace_malloc.c",
  "asan_malloc_linux.cpp",
  "asan_new_delete.cpp",
  "lsan_interceptors.cpp",
]);

/** True when the frame is the allocator's or the checker's own, not the program's. */
export function isAllocatorFrame(frame: Frame): boolean {
  const fn = frame.function;
  if (fn !== undefined) {
    if (ALLOCATOR_FUNCTIONS.has(fn)) return true;
    if (ALLOCATOR_PATTERNS.some((re) => re.test(fn))) return true;
  }
  if (frame.file !== undefined && ALLOCATOR_FILES.has(baseName(frame.file))) return true;
  const obj = frame.object;
  // Valgrind's preload objects: vgpreload_memcheck-amd64-linux.so and friends.
  return obj !== undefined && /\/vgpreload_[^/]*$/.test(obj) && fn === undefined;
}

/** The stack without its leading allocator frames; the whole stack if nothing else is left. */
export function withoutAllocatorFrames(stack: readonly Frame[]): readonly Frame[] {
  let i = 0;
  while (i < stack.length && isAllocatorFrame(stack[i] as Frame)) i += 1;
  return i === stack.length ? stack : stack.slice(i);
}

export function baseName(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash === -1 ? path : path.slice(slash + 1);
}
