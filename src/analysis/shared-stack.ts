import type { Frame } from "../model/index.js";

/*
 * A parser may share one stack array between every record of a call site (see SharedStacks in
 * src/engine): made once for the whole log, and frozen so that nothing changes it. What is
 * worked out from such a stack (a fingerprint) then holds for every record that has it, and a
 * summary may keep it as it is. The mark and the test for it live here, together.
 */

/** Marks frames as a shared stack (frozen) and returns them. */
export function shareStack(frames: Frame[]): Frame[] {
  return Object.freeze(frames) as Frame[];
}

/** Whether a stack is a parser's shared one (see shareStack). */
export function isSharedStack(stack: readonly Frame[]): boolean {
  return Object.isFrozen(stack);
}
