import type { Frame } from "../model/index.js";
import { isAllocatorFrame, isStartupTailFrame } from "./allocator-frames.js";
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
    // A stack that reaches `main` or a thread's start is whole.
    if (frame.function === "main" || isStartupTailFrame(frame)) return false;
    if (!isCRuntimeFrame(frame)) return false;
    called = frame.function;
  }
  // A program's own reserved name (`__cache_alloc (ls.c:5)`) is no function of libc's.
  return called !== undefined && callsCLibraryFunction(called);
}
