import type { InputFormat } from "../formats/types.js";

/**
 * How far detection may look before it must decide. Sanitizer reports and Valgrind output mixed
 * into a program's stderr can start after thousands of lines of the program's own output.
 */
export const DETECTION_LINES = 10_000;
/** Characters of buffered head at most (bounds memory while no format has claimed the log). */
export const DETECTION_CHARS = 4 << 20;

/** Detection runs on the first 8 lines, then at every power of two: cheap on long heads. */
export function isDetectionPoint(lines: number): boolean {
  return lines <= 8 || (lines & (lines - 1)) === 0;
}

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
