/*
 * Character classes of regular expressions, as character-code tests: for the scans that stand
 * for an expression (a scan cannot backtrack), shared by every format's grammar.
 */

/** `[0-9]` (what `\d` matches in a non-unicode expression). */
export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** `[0-9A-Fa-f]`. */
export function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
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
  for (let i = from; i < to; i += 1) if (isLineTerminator(text.charCodeAt(i))) return true;
  return false;
}

/** LF, CR, LINE SEPARATOR or PARAGRAPH SEPARATOR: what `.` does not match. */
export function isLineTerminator(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}
