/**
 * Digits to a number: the one rule every parser turns counts, sizes, line numbers, PIDs and
 * threads by. A double holds integers exactly only up to 2^53 - 1; past that `Number()` gives
 * an inexact value (9007199254740993 reads as ...992) or `Infinity` (400 digits), which the
 * JSON report writes as `null`: a record invalid under the published schema, and a report
 * that cannot be read back. Found by fuzzing; no real tool prints such a count.
 */

/** Up to this many decimal digits are always a safe integer (2^53 - 1 has 16). */
export const ALWAYS_SAFE_DIGITS = 15;

/**
 * The value of `digits` (as matched by the caller's pattern: decimal digits), or undefined when
 * it is not a safe integer. Then it is not that number: the caller leaves an optional field out
 * or says the line was not understood, and never builds a record from it.
 */
export function safeInteger(digits: string): number | undefined {
  // One conversion and one check: this runs for every frame and loss record (profiled).
  const value = Number(digits);
  // `Number("")` is 0: no digits are no number either.
  return Number.isSafeInteger(value) && digits.length > 0 ? value : undefined;
}

/** {@link safeInteger} of a count printed with thousands commas (Valgrind's `4,128`). */
export function safeCount(text: string): number | undefined {
  // Most counts have no separator: skip the copy (profiled: 2% of a large Valgrind parse).
  return safeInteger(text.includes(",") ? text.replaceAll(",", "") : text);
}
