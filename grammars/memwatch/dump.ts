import { siteBounds, type Fields } from "./fields.js";
import { hasLineTerminator, isSpace } from "../chars.js";
import { isHex } from "../chars.js";
import { digitsEnd } from "./scan.js";

/** Where the dump starts when the TAB was lost (copied logs): `{` before a hex or `..` cell. */
const LOOSE_DUMP_START = /\s\{(?=(?:[0-9A-Fa-f]{2}|\.\.) )/g;

/** `[kKmM]`. */
function isUnitLetter(c: number): boolean {
  return c === 107 || c === 75 || c === 109 || c === 77;
}

/** The end of a `[kKmM]i?[bB]` unit starting at `from`, or -1. */
function unitEnd(text: string, from: number): number {
  if (!isUnitLetter(text.charCodeAt(from))) return -1;
  const b = text.charCodeAt(from + 1) === 105 ? from + 2 : from + 1;
  const c = text.charCodeAt(b);
  return c === 98 || c === 66 ? b + 1 : -1;
}

/** The parts of `SIZE bytes at ADDR [tags]` as indexes into the line. */
interface Head {
  sizeEnd: number;
  unitFrom: number;
  unitTo: number;
  address: number;
  addressEnd: number;
}

/**
 * `SIZE bytes at ADDR [underflowed] [overflowed]` before the dump (memwatch.md 5.9) in
 * `text[from, to)`, as `/^(?<size>\d+)(?: ?(?<unit>[kKmM]i?[bB]))?(?: bytes?)? at
 * (?<address>\S+)(?<tags>.*)$/`. SIZE may carry a unit in modified copies (stu/alfc prints
 * `%ldkb` statistics), so a unit is accepted. Each optional part is decided by its first
 * character, so the hand scan needs no backtracking. `to` is a blank or the end, so no part
 * but the tags can reach past it.
 */
function unfreedHead(text: string, from: number, to: number): Head | undefined {
  const sizeEnd = digitsEnd(text, from);
  if (sizeEnd === from) return undefined;
  let at = sizeEnd;
  const space = text.charCodeAt(at) === 32 ? at + 1 : at;
  const unitTo = unitEnd(text, space);
  const unitFrom = unitTo < 0 ? -1 : space;
  if (unitTo >= 0) at = unitTo;
  if (text.startsWith(" byte", at)) at += text.charCodeAt(at + 5) === 115 ? 6 : 5;
  if (!text.startsWith(" at ", at)) return undefined;
  let addressEnd = at + 4;
  while (addressEnd < to && !isSpace(text.charCodeAt(addressEnd))) addressEnd += 1;
  if (addressEnd === at + 4 || hasLineTerminator(text, addressEnd, to)) return undefined;
  return { sizeEnd, unitFrom, unitTo, address: at + 4, addressEnd };
}

/** Where the `{` of the dump is in `body` from `from` on (after a TAB, or a blank), or -1. */
function dumpStart(body: string, from: number): number {
  const tab = body.indexOf("\t{", from);
  if (tab >= 0) return tab;
  LOOSE_DUMP_START.lastIndex = from;
  return LOOSE_DUMP_START.exec(body)?.index ?? -1;
}

/**
 * Splits the body of `unfreed: <M> FILE(LINE), SIZE bytes at ADDR [tags]  \t{HEX ASCII}`.
 * `dump` is everything after `{`; `dumpOpen` is "1" when the line has no closing `}` after the
 * `{` (the dump wrapped onto the next line, or the log was cut mid-line), "missing" when the
 * line has no dump at all. Built as one object from indexes: profiled, the intermediate slices
 * and copied match groups were the largest share of the parse's garbage.
 */
export function parseUnfreedBody(body: string, kind: string): Fields | undefined {
  const site = siteBounds(body);
  if (site === undefined) return undefined;
  const { start, open, close, sep } = site;
  const at = dumpStart(body, site.detail);
  const headEnd = at < 0 ? body.length : at;
  const head = unfreedHead(body, site.detail, headEnd);
  const file = body.slice(start, open);
  const line = body.slice(open + 1, close);
  const detail = body.slice(site.detail);
  const n = body.slice(1, start - 2);
  if (head === undefined) {
    return { file, line, sep, detail, n, dumpOpen: at < 0 ? "missing" : "0", kind };
  }
  const tags = body.slice(head.addressEnd, headEnd);
  const dump = at < 0 ? undefined : body.slice(at + 2);
  return {
    file,
    line,
    sep,
    detail,
    n,
    size: body.slice(site.detail, head.sizeEnd),
    unit: head.unitTo < 0 ? undefined : body.slice(head.unitFrom, head.unitTo),
    address: body.slice(head.address, head.addressEnd),
    tags,
    underflowed: tags.includes("[underflowed]") ? "1" : "0",
    overflowed: tags.includes("[overflowed]") ? "1" : "0",
    dump,
    dumpOpen: dump === undefined ? "missing" : closesDump(dump) ? "0" : "1",
    kind,
  };
}

/** True when the dump text (after `{`) ends with its `}`, trailing blanks allowed. */
export function closesDump(text: string): boolean {
  // The usual dump ends right at `}`: no trimmed copy of the text for it.
  return text.charCodeAt(text.length - 1) === 125 || text.trimEnd().endsWith("}");
}

/** A dump split into its parts: the bytes shown (hex, uppercase) and the ASCII column. */
export interface Dump {
  /** Bytes as two-digit hex, space-separated; only cells that hold a byte (not `..`). */
  hex: string;
  ascii: string;
}

/** 0 when `text[at, end)` has no cell at `at`, 1 for a `..` cell, 2 for a hex cell. */
function cellAt(text: string, at: number, end: number): 0 | 1 | 2 {
  if (end - at < 2) return 0;
  // `^(?:[0-9A-Fa-f]{2}|\.\.) ?$` on the cell's three characters.
  if (at + 2 < end && text.charCodeAt(at + 2) !== 32) return 0;
  const a = text.charCodeAt(at);
  const b = text.charCodeAt(at + 1);
  if (a === 46 && b === 46) return 1;
  return isHex(a) && isHex(b) ? 2 : 0;
}

/**
 * Sixteen uppercase hex cells, each with its blank: the dump MEMWATCH writes. One compiled match
 * stands for the cell-by-cell walk (profiled: the walk was the costliest part of a leak line).
 */
const FULL_UPPER_CELLS = /(?:[0-9A-F]{2} ){16}/y;

/**
 * Parses the text after `{`: 16 cells of `XX ` or `.. `, then up to 16 ASCII characters, then
 * `}`. The ASCII part may itself hold `}`, `(` or quotes (unfreed_sizes.log, 07-...multiproc),
 * so the dump ends at the LAST `}` of the text. Read by index, without cutting out the cells:
 * this runs once per leak.
 */
export function parseDump(text: string): Dump {
  const close = text.lastIndexOf("}");
  const end = close < 0 ? text.length : close;
  FULL_UPPER_CELLS.lastIndex = 0;
  // No `}` in the 48 characters matched, so `end` is past them: all 16 cells are whole.
  if (FULL_UPPER_CELLS.test(text)) return { hex: text.slice(0, 47), ascii: text.slice(48, end) };
  let cells = 0;
  let dots = false;
  for (let kind = cellAt(text, 0, end); kind !== 0 && cells < 16;) {
    if (kind === 1) dots = true;
    cells += 1;
    kind = cellAt(text, cells * 3, end);
  }
  const ascii = text.slice(cells * 3, end);
  if (!dots) {
    // Only hex cells (the usual dump): the bytes are the cells' text as it stands.
    const hexEnd = cells === 0 ? 0 : cells * 3 - 1;
    return { hex: text.slice(0, hexEnd).toUpperCase(), ascii };
  }
  const bytes: string[] = [];
  for (let i = 0; i < cells; i += 1) {
    if (cellAt(text, i * 3, end) === 2) bytes.push(text.slice(i * 3, i * 3 + 2).toUpperCase());
  }
  return { hex: bytes.join(" "), ascii };
}
