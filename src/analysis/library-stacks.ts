import type { Frame } from "../model/index.js";
import { isAllocatorFrame, isStartupTailFrame } from "./allocator-frames.js";
import { isUnnamedCLibraryFrame } from "./c-library-frames.js";
import { isPseudoMapping, isUnknownModule } from "./fingerprint.js";
import { callsCLibraryFunction, isCRuntimeFrame, isInterceptorName } from "./runtime-frames.js";

/**
 * A sanitizer leak's stack that stops inside the C library, with no frame of the program
 * (`__interceptor_malloc`, `__GI___getdelim`, and nothing more): ASan's and LSan's default fast
 * unwinder follows frame pointers, which glibc is built without. Such leaks are one group per
 * library function, whoever called it, and the sanitizer itself merges them into one report
 * (test/fixtures/grouping/asan-fast-unwind: two callers' getline leaks, "240 byte(s) in 2
 * object(s)").
 */
export function stopsInLibrary(stack: readonly Frame[]): boolean {
  let called: string | undefined;
  for (const frame of stack) {
    // glibc's own strdup, not an interceptor's, under the malloc LSan intercepts: the stack ends
    // in libc (`__GI___strdup string/strdup.c:42`) unless a frame of the program follows
    // (campaign bk: two strdup leaks merged into one record with no place at all).
    if (
      isAllocatorFrame(frame) &&
      isCRuntimeFrame(frame) &&
      !isInterceptorName(frame.function ?? "")
    ) {
      called = frame.function;
      continue;
    }
    // The unwinder's garbage after the cut (`([stack]+0x1fc5f)`, LSan's own run) is no frame.
    if (isAllocatorFrame(frame) || isPseudoMapping(frame) || isUnknownModule(frame)) continue;
    // glibc's hidden functions and its unnamed frames are the library's too (`__alloc_dir`,
    // `_IO_mem_finish`, `(libc.so.6+0xcfda4)` without its debug info): a stack that stops in one
    // had no info (campaign v17 Q2, test/fixtures/grouping/libc-hidden). Before the start-up
    // test, which takes any unnamed frame of the library's for its start-up code.
    if (isUnnamedCLibraryFrame(frame)) {
      called = HIDDEN_CALL;
      continue;
    }
    // A stack that reaches `main` or a thread's start is whole.
    if (frame.function === "main" || isStartupTailFrame(frame)) return false;
    if (!isCRuntimeFrame(frame)) return false;
    called = frame.function;
  }
  // A program's own reserved name (`__cache_alloc (ls.c:5)`) is no function of libc's.
  return called === HIDDEN_CALL || (called !== undefined && callsCLibraryFunction(called));
}

/** What stopsInLibrary remembers of a frame of isUnnamedCLibraryFrame: no name of the program's. */
const HIDDEN_CALL = "";
