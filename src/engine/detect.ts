import type { InputFormat } from "../formats/types.js";

/** How many leading lines detection may look at before it must decide. */
export const DETECTION_LINES = 400;

/** The format most sure of the head, or undefined when none claims it at all. */
export function detectFormat(
  formats: readonly InputFormat[],
  head: readonly string[],
): { format: InputFormat; score: number } | undefined {
  let best: { format: InputFormat; score: number } | undefined;
  for (const format of formats) {
    const score = format.detect(head);
    if (score > 0 && (best === undefined || score > best.score)) best = { format, score };
  }
  return best;
}
