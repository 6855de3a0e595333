import type { Frame } from "../model/index.js";

/**
 * Valgrind's name for an inlined function that its debug info does not name. 3.19 and 3.24
 * print it for what gcc's `-flto` inlines across files (`UnknownInlinedFun (store.c:8)`, where
 * 3.27 prints `make_key (store.c:8)`) and for much of a Rust release build's library code.
 */
export const UNKNOWN_INLINED = "UnknownInlinedFun";

/** Whether the frame is named UNKNOWN_INLINED, which names no function. */
export function isUnknownInlined(frame: Frame): boolean {
  return frame.function === UNKNOWN_INLINED;
}
