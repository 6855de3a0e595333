import type { Frame } from "../model/index.js";
import { qualifiedName } from "./cpp-demangled.js";
import { globMatch } from "./suppressions/glob.js";

/**
 * How many frames from `from` on, right under the allocator's, are the program's own allocation
 * wrappers that `patterns` name (`--alloc-fn xmalloc`, as Massif's option of that name): a C
 * project's `xmalloc`, `zmalloc` or pool allocator is its own code, called from all over, so every
 * leak made through it was shown, and placed in SARIF and Code Quality, at the wrapper's one
 * line. Only above an allocation (`from` > 0): an error raised in the wrapper itself is its own.
 */
export function allocWrapperCount(
  stack: readonly Frame[],
  from: number,
  patterns: readonly string[] | undefined,
): number {
  if (patterns === undefined || patterns.length === 0 || from === 0) return 0;
  let i = from;
  while (i < stack.length && isAllocFn(stack[i]?.function, patterns)) i += 1;
  return i - from;
}

/**
 * Whether a function is one of `patterns` (Valgrind's globs: `*`, `?`): its name as printed, or
 * its qualified name without a C++ parameter list (`my::alloc` for `my::alloc(unsigned long)`).
 */
function isAllocFn(fn: string | undefined, patterns: readonly string[]): boolean {
  if (fn === undefined) return false;
  const bare = qualifiedName(fn);
  return patterns.some((p) => globMatch(p, fn) || (bare !== fn && globMatch(p, bare)));
}
