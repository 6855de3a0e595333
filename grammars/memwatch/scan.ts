/**
 * Character-code scanners for the hot shapes of a MEMWATCH log (`unfreed:` lines are nearly all
 * of a big one). Each function states the regular expression it stands for and matches exactly
 * what that expression matches: profiled on a 105 MB log, the regex match objects (named groups
 * spread into payloads) and their garbage were over half of the parse time.
 */

/** `[0-9]` (what `\d` matches in a non-unicode expression). */
export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** `[0-9A-Fa-f]`. */
export function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** `[A-Za-z]`. */
export function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** `\s`: ECMAScript WhiteSpace and LineTerminator (the set `trim()` removes). */
export function isSpace(c: number): boolean {
  if (c === 32 || (c >= 9 && c <= 13)) return true;
  if (c < 160) return false;
  return (
    c === 160 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** True when `text[from, to)` holds a line terminator (what `.` does not match). */
export function hasLineTerminator(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) return true;
  }
  return false;
}

/** The end of the run of `[0-9]` starting at `from` (`from` itself when there is none). */
export function digitsEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length && isDigit(text.charCodeAt(i))) i += 1;
  return i;
}
