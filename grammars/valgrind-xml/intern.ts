import { CONTAINERS, PARENTS, ROOT } from "./vocabulary.js";

/**
 * Strings read from a line, shared when the same characters were seen before.
 * Profiled on a 105 MB log: every tag name and leaf text was a fresh string, each Set/Map lookup
 * of the tree builder hashed the fresh name again, and the findings held for `<errorcounts>`
 * kept their own copies of every path and function name (most of them slices pinning their
 * whole log line): 280 MiB peak RSS. Valgrind repeats the same names thousands of times.
 */

/** A name's length, first, middle and last characters: enough to tell the vocabulary apart. */
function nameHash(text: string, from: number, to: number): number {
  const n = to - from;
  const mid = text.charCodeAt(from + (n >> 1));
  // Shifts chosen so that the 80 names of the vocabulary take 79 slots of 512.
  return n ^ (text.charCodeAt(from) << 2) ^ (mid << 7) ^ (text.charCodeAt(to - 1) << 5);
}

/**
 * A cheap hash for the text cache: the length, the first and the last six characters (where
 * Valgrind's names differ: `parse_18.c`/`parse_19.c`). A collision only costs a cache miss;
 * hashing every character cost a third of the tokenizer.
 */
function sampleHash(text: string, from: number, to: number): number {
  let h = Math.imul(to - from, 0x9e3779b1) ^ text.charCodeAt(from);
  for (let i = Math.max(from + 1, to - 6); i < to; i += 1)
    h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h ^ (h >>> 15);
}

/** Whether `text` holds `known` from `from` to `to` (element names: a few characters). */
export function matches(known: string, text: string, from: number, to: number): boolean {
  if (known.length !== to - from) return false;
  for (let i = from; i < to; i += 1)
    if (known.charCodeAt(i - from) !== text.charCodeAt(i)) return false;
  return true;
}

/** Open addressing over the vocabulary: fixed at startup, a quarter full. */
const NAME_MASK = 511;
const NAMES: (string | undefined)[] = new Array<string | undefined>(NAME_MASK + 1).fill(undefined);
for (const name of new Set([ROOT, ...CONTAINERS, ...PARENTS.keys()])) {
  let i = nameHash(name, 0, name.length) & NAME_MASK;
  while (NAMES[i] !== undefined) i = (i + 1) & NAME_MASK;
  NAMES[i] = name;
}

/** `text.slice(from, to)`, as the vocabulary's own (interned) string for a known element name. */
export function nameAt(text: string, from: number, to: number): string {
  for (let i = nameHash(text, from, to) & NAME_MASK; ; i = (i + 1) & NAME_MASK) {
    const known = NAMES[i];
    if (known === undefined) return text.slice(from, to);
    if (matches(known, text, from, to)) return known;
  }
}

/** Texts longer than this are sliced as they are: rare, and not worth pinning in the cache. */
const MAX_CACHED = 256;
/** A direct-mapped cache: a miss replaces the slot, so its size never grows (16,384 strings). */
const TEXT_MASK = (1 << 14) - 1;
const TEXTS: (string | undefined)[] = new Array<string | undefined>(TEXT_MASK + 1).fill(undefined);

/**
 * `text.slice(from, to)`, as the same string as last time when these characters were read
 * recently (a leaf's text: `/usr/lib/libc.so.6`, `main`, `vg_replace_malloc.c`). Texts that
 * start with a digit (addresses, line numbers, counts) are not cached: they rarely repeat, or
 * are turned into numbers. The fresh slice is compared with `===` (native, faster than a loop
 * over char codes here) and dies young. The cache is shared by every tokenizer: strings are
 * immutable, so sharing them only saves memory.
 */
export function textAt(text: string, from: number, to: number): string {
  const fresh = text.slice(from, to);
  const first = text.charCodeAt(from);
  if (to - from > MAX_CACHED || (first >= 0x30 && first <= 0x39)) return fresh;
  const slot = sampleHash(text, from, to) & TEXT_MASK;
  const known = TEXTS[slot];
  if (known === fresh) return known;
  TEXTS[slot] = fresh;
  return fresh;
}
