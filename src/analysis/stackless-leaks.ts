import type { Frame } from "../model/index.js";

/**
 * Whether a leak's stack is Valgrind's `at 0x0: ???` alone (XML: a `<frame>` of `<ip>0x0</ip>`
 * and nothing else): the run kept no allocation stacks (`--keep-stacktraces=none`, or `=free`,
 * which keeps only the stacks that free a block, and a leaked block is never freed). Memcheck
 * then gives every block of a leak kind the same empty stack, so it prints them as one loss
 * record (`49 bytes in 2 blocks are definitely lost`, from two functions that leaked 33 and 16).
 * A loss record always starts at the allocator, so no real allocation stack is a jump to nowhere.
 */
export function isStacklessLeak(stack: readonly Frame[]): boolean {
  return stack.length > 0 && stack.every(isNullFrame);
}

/** `0x0: ???`: an address of zero, or none, and nothing that names code. */
function isNullFrame(frame: Frame): boolean {
  const named = frame.function ?? frame.file ?? frame.object ?? frame.offset;
  return named === undefined && (frame.ip === undefined || /^0x0+$/.test(frame.ip));
}
