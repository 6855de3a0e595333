import { ByteCursor, bytesOf } from "../../../grammars/bytes.js";
import { isSpace } from "../../../grammars/chars.js";
import { MAX_MESSAGE_LINE } from "../../../grammars/memwatch/classify.js";
import { parseUnfreedBody } from "../../../grammars/memwatch/dump.js";
import { KnownBytes } from "../../engine/known-bytes.js";
import { decodeAscii } from "../../engine/line-splitter.js";
import type { Frame } from "../../model/index.js";
import type { SiteStacks } from "./frames.js";
import { unfreedSize, type UnfreedSize } from "./leaks.js";

/** What the text path reads from an unfreed line's `FILE(LINE), SIZE bytes at `, once. */
export interface UnfreedHead {
  /** The site's shared stack (see SiteStacks). */
  stack: Frame[];
  size: UnfreedSize;
}

/**
 * A head the text path does not read as this path would (see readHead): kept, so that the lines
 * with it go the text path without parsing the head again each time (past a full SiteStacks,
 * every new site's lines would).
 */
interface DeclinedHead {
  declined: true;
}

/** An unfreed line of the usual shape, read from its bytes (see UnfreedBytes). */
export interface UnfreedLine {
  /** `<N>`, MEMWATCH's allocation number. */
  allocNumber: number;
  address: string;
  head: UnfreedHead;
  /** The dump's text after its `{`, closed by its `}`. */
  dump: string;
}

/** `unfreed: <`, the bytes every line this path takes starts with. */
const START = bytesOf("unfreed: <");
/** `> `, after the allocation number. */
const NUMBER_END = bytesOf("> ");
/** Distinct heads kept: sites times sizes, bounded as the sites' stacks are. */
const MAX_HEADS = 1 << 14;

/**
 * Unfreed lines, nearly every line of a big MEMWATCH log, read from the log's bytes (see
 * LineParser.asciiLine) without making the line's string or its fields' strings:
 *
 *     unfreed: <N> FILE(LINE), SIZE bytes at ADDR  \t{HEX ASCII}
 *
 * The head between `<N> ` and ADDR repeats (a site allocates the same sizes), so each distinct
 * one is found by its bytes (KnownBytes) and read once, by the text path's own parse of a line
 * made of it: its shared stack and size. The allocation number is read from its digits, and the
 * address and dump are decoded, as the text path would cut them. Any other shape (marks of
 * damaged guards, a dump that does not close on its line, a head the text path would not read
 * that way, a head new to a full table) is declined and read as text.
 */
export class UnfreedBytes {
  private readonly heads: KnownBytes<UnfreedHead | DeclinedHead>;

  constructor(sites: SiteStacks) {
    this.heads = new KnownBytes((text) => readHead(text, sites), MAX_HEADS);
  }

  /** The unfreed line of the ASCII bytes `buf[start, end)`, or undefined (read it as text). */
  read(buf: Buffer, start: number, end: number): UnfreedLine | undefined {
    // A longer line is no message of MEMWATCH's (see MAX_MESSAGE_LINE).
    if (end - start > MAX_MESSAGE_LINE) return undefined;
    const cursor = new ByteCursor(buf, start, end);
    if (!cursor.literal(START)) return undefined;
    const allocNumber = cursor.number();
    if (allocNumber === undefined || !cursor.literal(NUMBER_END)) return undefined;
    const headStart = cursor.at;
    // The dump starts at the line's first TAB, `\t{`, and closes at its last byte, `}`.
    let tab = headStart;
    while (tab < end && buf[tab] !== 9) tab += 1;
    if (tab + 1 >= end || buf[tab + 1] !== 123 || buf[end - 1] !== 125) return undefined;
    // ADDR ends at the blanks before the TAB; anything else there (`[overflowed]`) is declined.
    let addressEnd = tab;
    while (addressEnd > headStart && buf[addressEnd - 1] === 32) addressEnd -= 1;
    let address = addressEnd;
    while (address > headStart && !isSpace(buf[address - 1] as number)) address -= 1;
    if (address === addressEnd) return undefined;
    const head = this.heads.find(buf, headStart, address);
    if (head === undefined || "declined" in head) return undefined;
    // One string for ADDR and the dump, cut as the text path cuts the line's (one decode costs
    // what a lookup of the head does: profiled, two were a fifth of this path).
    const tail = decodeAscii(buf, address, end);
    return {
      allocNumber,
      address: tail.slice(0, addressEnd - address),
      head,
      dump: tail.slice(tab + 2 - address),
    };
  }
}

/**
 * A head's size and stack, read by the text path from a line made of it (`<1> HEAD` + `A\t{}`),
 * or declined when that line would not give ADDR right after the head: lines with it are read
 * as text. The text path decides the site, the size and where
 * ADDR starts within the head, so every line with the same head bytes reads the same. A site new
 * to a full SiteStacks gets no shared stack, and its lines are read as text, as before.
 */
function readHead(head: string, sites: SiteStacks): UnfreedHead | DeclinedHead {
  const f = parseUnfreedBody(`<1> ${head}A\t{}`, "unfreed");
  const file = f?.["file"];
  if (f === undefined || f["address"] !== "A" || file === undefined) return { declined: true };
  // A size the text path cannot read leaves the site to it too (it is then no record's).
  const size = unfreedSize(f);
  if (size === undefined) return { declined: true };
  // SiteStacks never forgets a site nor takes one once full: a head declined stays declined.
  const stack = sites.shared(file, f["line"]);
  return stack !== undefined ? { stack, size } : { declined: true };
}
