import { splitSite, type Fields } from "./fields.js";

/**
 * `SIZE bytes at ADDR [underflowed] [overflowed]` before the dump (memwatch.md 5.9). SIZE may
 * carry a unit in modified copies (stu/alfc prints `%ldkb` statistics), so a unit is accepted.
 */
const UNFREED_HEAD =
  /^(?<size>\d+)(?: ?(?<unit>[kKmM]i?[bB]))?(?: bytes?)? at (?<address>\S+)(?<tags>.*)$/;

/** Where the dump starts when the TAB was lost (copied logs): `{` before a hex or `..` cell. */
const LOOSE_DUMP_START = /\s\{(?=(?:[0-9A-Fa-f]{2}|\.\.) )/;

/**
 * Splits the body of `unfreed: <M> FILE(LINE), SIZE bytes at ADDR [tags]  \t{HEX ASCII}`.
 * `dump` is everything after `{`; `dumpOpen` is "1" when the line has no closing `}` after the
 * `{` (the dump wrapped onto the next line, or the log was cut mid-line), "missing" when the
 * line has no dump at all.
 */
export function parseUnfreedBody(body: string): Fields | undefined {
  const site = splitSite(body);
  if (site === undefined) return undefined;
  const detail = site["detail"] ?? "";
  let at = detail.indexOf("\t{");
  if (at < 0) at = LOOSE_DUMP_START.exec(detail)?.index ?? -1;
  const head = UNFREED_HEAD.exec(at < 0 ? detail : detail.slice(0, at));
  if (head?.groups === undefined) return { ...site, dumpOpen: at < 0 ? "missing" : "0" };
  const tags = head.groups["tags"] ?? "";
  const fields: Record<string, string | undefined> = { ...site, ...head.groups };
  fields["underflowed"] = tags.includes("[underflowed]") ? "1" : "0";
  fields["overflowed"] = tags.includes("[overflowed]") ? "1" : "0";
  if (at < 0) return { ...fields, dumpOpen: "missing" };
  const dump = detail.slice(at + 2);
  return { ...fields, dump, dumpOpen: closesDump(dump) ? "0" : "1" };
}

/** True when the dump text (after `{`) ends with its `}`, trailing blanks allowed. */
export function closesDump(text: string): boolean {
  return text.trimEnd().endsWith("}");
}

/** A dump split into its parts: the bytes shown (hex, uppercase) and the ASCII column. */
export interface Dump {
  /** Bytes as two-digit hex, space-separated; only cells that hold a byte (not `..`). */
  hex: string;
  ascii: string;
}

/**
 * Parses the text after `{`: 16 cells of `XX ` or `.. `, then up to 16 ASCII characters, then
 * `}`. The ASCII part may itself hold `}`, `(` or quotes (unfreed_sizes.log, 07-...multiproc),
 * so the dump ends at the LAST `}` of the text.
 */
export function parseDump(text: string): Dump {
  const close = text.lastIndexOf("}");
  const inner = close < 0 ? text : text.slice(0, close);
  const bytes: string[] = [];
  let cells = 0;
  while (cells < 16) {
    const cell = inner.slice(cells * 3, cells * 3 + 3);
    if (!/^(?:[0-9A-Fa-f]{2}|\.\.) ?$/.test(cell) || cell.length < 2) break;
    if (cell.slice(0, 2) !== "..") bytes.push(cell.slice(0, 2).toUpperCase());
    cells += 1;
  }
  return { hex: bytes.join(" "), ascii: inner.slice(cells * 3) };
}
