/**
 * Character-level helpers for the tokenizer's fast path. They read char codes in place, so
 * classifying a line allocates nothing: profiled on a 105 MB log, the regex version of the fast
 * path (match arrays, capture strings) was 40% of the parse and a good part of its GC time.
 */

export const LT = 0x3c; // '<'
export const GT = 0x3e; // '>'
export const SLASH = 0x2f; // '/'
export const TAB = 0x09;

/**
 * `text.charCodeAt(i)`, or -1 past the end. Every char code the fast path reads at a position
 * that may be the line's end goes through here: a read past the end (the end of a blank line)
 * deoptimized the tokenizer, and V8 recompiled it with a generic charCodeAt at those sites
 * (`--trace-deopt`: "out of bounds" in simpleLine and spacesEnd). Bounded reads cut the
 * tokenizer's instructions by 12% (callgrind, no-op listener, 24 MB of the XML bench log).
 */
export function codeAt(text: string, i: number): number {
  return i < text.length ? text.charCodeAt(i) : -1;
}

function isNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f; // a-z A-Z _
}

function isNameChar(c: number): boolean {
  // [\w.:-]: the name start characters, digits, '.', ':' and '-'.
  return isNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x3a || c === 0x2d;
}

/** End of the XML name (`[A-Za-z_][\w.:-]*`) starting at `from`; `from` when none starts there. */
export function nameEnd(text: string, from: number): number {
  if (!isNameStart(codeAt(text, from))) return from;
  let i = from + 1;
  while (i < text.length && isNameChar(text.charCodeAt(i))) i += 1;
  return i;
}

/**
 * End of the run of spaces and tabs starting at `from`. Other whitespace (`\f`, NBSP...) is
 * left to the lexer: the fast path only has to be right for what it accepts.
 */
export function blankEnd(text: string, from: number): number {
  let i = from;
  for (; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09) break;
  }
  return i;
}

/** End of the run of spaces at the start of `text` (Valgrind indents with spaces). */
export function spacesEnd(text: string): number {
  let i = 0;
  while (i < text.length && text.charCodeAt(i) === 0x20) i += 1;
  return i;
}

/**
 * End of `</name>` starting at `from` (the `<`), or -1 when no end tag starts there. Its name
 * runs from `from + 2` to the result minus one.
 */
export function endTagEnd(text: string, from: number): number {
  if (codeAt(text, from) !== LT || codeAt(text, from + 1) !== SLASH) return -1;
  const stop = nameEnd(text, from + 2);
  return stop > from + 2 && codeAt(text, stop) === GT ? stop + 1 : -1;
}
