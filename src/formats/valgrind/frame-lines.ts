import type { Frame } from "../../model/index.js";
import { parseFrame } from "./fields.js";

/** A frame line's body as the string path would have cut it, and its frame, parsed once. */
export interface KnownFrameLine {
  /** Numbers the known lines of one FrameLines, from 1: stacks are keyed by them. */
  id: number;
  text: string;
  frame: Frame;
  /** The body's bytes as little-endian 32-bit words, the last one padded with zeros. */
  words: Uint32Array;
}

/**
 * Frame line bodies (`   at 0x4C2FB0F: malloc (vg_replace_malloc.c:299)`) read straight from
 * the log's bytes, each distinct one decoded and parsed once. Valgrind prints one call site at
 * one address in every record and every process of a binary, so a log of a gigabyte repeats a
 * few thousand frame lines (3,625 distinct among the 1.46 million of the 105 MB bench log):
 * comparing a line's bytes with the one known line of its hash costs less than making its
 * string, and every later step (the frame's parse, its strings, the garbage) is done once per
 * distinct line instead of once per line.
 *
 * Bytes are read four at a time through a DataView (unaligned reads are allowed there): a loop
 * over single bytes took 460 ns a line, a fifth of summarizing the 1 GB bench log.
 *
 * Frames are shared by every record that has the line: nothing in leaklog changes a frame once
 * made (see Detacher), and a caller of the API must not either.
 */
export class FrameLines {
  /** Known lines by the hash of their start, end and length; a list where hashes collide. */
  private readonly byHash = new Map<number, KnownFrameLine | KnownFrameLine[]>();
  private size = 0;
  private viewOf: Uint8Array | undefined;
  private view: DataView = new DataView(new ArrayBuffer(0));

  /**
   * The known line equal to the ASCII bytes `buf[start, end)`; a new line
   * is decoded, parsed and kept while the table has room. Undefined when it is full: the
   * caller reads the line's text as before, so endless distinct frames cost memory up to the
   * cap only.
   */
  find(buf: Uint8Array, start: number, end: number): KnownFrameLine | undefined {
    // Shorter lines (`   at 0x1: f`, if ever) are left to the text path: the hash reads 16 bytes.
    if (end - start < 16) return undefined;
    if (buf !== this.viewOf) {
      this.viewOf = buf;
      this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    const view = this.view;
    // The start holds the address (`   at 0x4C2FB0F: mal`), the end the file and line: where
    // two frame lines of one length differ, nearly always.
    let hash = Math.imul(0x811c9dc5 ^ (end - start), 0x01000193);
    hash = Math.imul(hash ^ view.getUint32(start + 4, true), 0x01000193);
    hash = Math.imul(hash ^ view.getUint32(start + 8, true), 0x01000193);
    hash = Math.imul(hash ^ view.getUint32(start + 12, true), 0x01000193);
    hash = Math.imul(hash ^ view.getUint32(end - 4, true), 0x01000193);
    const known = this.byHash.get(hash);
    if (known !== undefined) {
      if (!Array.isArray(known)) {
        if (sameBytes(known.words, view, start, end)) return known;
      } else {
        for (const line of known) if (sameBytes(line.words, view, start, end)) return line;
      }
    }
    if (this.size >= MAX_FRAME_LINES) return undefined;
    this.size += 1;
    const line = newLine(this.size, buf, start, end);
    if (known === undefined) this.byHash.set(hash, line);
    else if (Array.isArray(known)) known.push(line);
    else this.byHash.set(hash, [known, line]);
    return line;
  }
}

/**
 * Distinct frame lines kept (about 400 bytes each with their frame and words): a bound on a log
 * whose frames never repeat, which then reads the rest of its frames as text, as before.
 */
const MAX_FRAME_LINES = 1 << 15;

function newLine(id: number, buf: Uint8Array, start: number, end: number): KnownFrameLine {
  const bytes = Buffer.from(buf.buffer, buf.byteOffset + start, end - start);
  const text = bytes.toString("latin1");
  const words = new Uint32Array(Math.ceil((end - start) / 4));
  const padded = new Uint8Array(words.buffer);
  padded.set(bytes);
  // Words are little-endian, as the DataView reads them: same on every host.
  const view = new DataView(words.buffer);
  for (let i = 0; i < words.length; i += 1) words[i] = view.getUint32(i * 4, true);
  return { id, text, frame: parseFrame(text), words };
}

/** Whether `view[start, end)` holds the bytes of `words` (the same length, checked by words). */
function sameBytes(words: Uint32Array, view: DataView, start: number, end: number): boolean {
  const length = end - start;
  const whole = length >>> 2;
  if (words.length !== (length + 3) >>> 2) return false;
  for (let i = 0; i < whole; i += 1) {
    if (view.getUint32(start + i * 4, true) !== words[i]) return false;
  }
  const rest = length & 3;
  if (rest === 0) return true;
  // The last, partial word: its bytes one by one, the padding being zeros.
  let last = 0;
  for (let i = rest - 1; i >= 0; i -= 1) last = (last << 8) | view.getUint8(start + whole * 4 + i);
  return last >>> 0 === words[whole];
}

/** Whether the body at `start` begins as classifyLine's frame lines do: `  ?at 0x` or `  ?by 0x`. */
export function isFrameLineStart(buf: Uint8Array, start: number, end: number): boolean {
  if (end - start < 8 || buf[start] !== 32 || buf[start + 1] !== 32) return false;
  const a = buf[start + 3];
  const b = buf[start + 4];
  const atOrBy = (a === 97 && b === 116) || (a === 98 && b === 121);
  return atOrBy && buf[start + 5] === 32 && buf[start + 6] === 48 && buf[start + 7] === 120;
}
