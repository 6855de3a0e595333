/**
 * Values made once per distinct run of ASCII bytes, found again from the bytes alone. A log
 * repeats a few thousand pieces (Valgrind prints each call site the same way in every record
 * and every process of a binary: 3,625 distinct frame lines among the 1.46 million of the
 * 105 MB text bench log), so comparing a piece's bytes with the one known piece of its hash
 * costs less than making its strings, and everything made of it (strings, objects, the
 * garbage) is made once per distinct piece instead of once per occurrence.
 *
 * Bytes are read four at a time through a DataView (unaligned reads are allowed there): a loop
 * over single bytes took 460 ns a frame line, a fifth of summarizing the 1 GB text bench log.
 */
export class KnownBytes<T> {
  /** Known pieces by the hash of their bytes; a list where hashes collide. */
  private readonly byHash = new Map<number, Known<T> | Known<T>[]>();
  private size = 0;
  /**
   * Once the table is full: pieces looked up in vain, and pieces found. A log whose pieces
   * keep missing then stops being looked up (see find).
   */
  private missedWhenFull = 0;
  private foundWhenFull = 0;
  private viewOf: Uint8Array | undefined;
  private view: DataView = new DataView(new ArrayBuffer(0));

  /**
   * `make` turns a new piece's text (its bytes as Latin-1) into its value, or undefined when
   * the piece must be read the slow way (it is then not kept either); `id` numbers the pieces
   * kept, from 1 (shared stacks are keyed by them). `capacity` bounds the
   * pieces kept: past it, new pieces are not found, and memory stays bounded on a log that
   * never repeats one.
   */
  constructor(
    private readonly make: (text: string, id: number) => T | undefined,
    private readonly capacity: number,
  ) {}

  /**
   * The known piece of the ASCII bytes `buf[start, end)`; undefined for pieces under 16 bytes.
   * `after` is the piece just before this one, if known: the piece that followed it last time
   * is tried first, without hashing (a stack's next frame is nearly always the same one).
   */
  find(buf: Uint8Array, start: number, end: number, after?: Known<T>): Known<T> | undefined {
    if (end - start < 16 || this.givenUp()) return undefined;
    const view = this.viewFor(buf);
    const guess = after?.next;
    const full = this.size >= this.capacity;
    if (guess !== undefined && sameBytes(guess.words, view, start, end)) {
      if (full) this.foundWhenFull += 1;
      return guess;
    }
    const found = this.lookUp(buf, view, start, end);
    if (after !== undefined && found !== undefined) after.next = found;
    if (full) {
      if (found === undefined) this.missedWhenFull += 1;
      else this.foundWhenFull += 1;
    }
    return found;
  }

  /**
   * The piece that followed `after` last time, if the bytes at `start` are it: its length is
   * known, so the caller need not find where the piece ends first (see FrameBlocks).
   */
  following(buf: Uint8Array, start: number, after: Known<T> | undefined): Known<T> | undefined {
    const guess = after?.next;
    if (guess === undefined || start + guess.length > buf.length) return undefined;
    if (!sameBytes(guess.words, this.viewFor(buf), start, start + guess.length)) return undefined;
    if (this.size >= this.capacity) this.foundWhenFull += 1;
    return guess;
  }

  /**
   * Whether the table is full and its pieces are no longer the log's: a log of endless distinct
   * frames (320,000 in a 100 MB XML test log) then pays for hashing each of them only until
   * misses outnumber finds four to one, not to its end (it took 10-20% longer than the text
   * path alone).
   */
  private givenUp(): boolean {
    return this.missedWhenFull > 4 * this.foundWhenFull + GIVE_UP_AFTER;
  }

  private viewFor(buf: Uint8Array): DataView {
    if (buf !== this.viewOf) {
      this.viewOf = buf;
      this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    return this.view;
  }

  private lookUp(
    buf: Uint8Array,
    view: DataView,
    start: number,
    end: number,
  ): Known<T> | undefined {
    // Every whole word: sampled words (a line's start and end) put every XML frame block of
    // one length in one list, as they differ only inside (in their address).
    let hash = 0x811c9dc5 ^ (end - start);
    const last = end - 4;
    let at = start;
    for (; at <= last; at += 4) hash = Math.imul(hash ^ view.getUint32(at, true), 0x01000193);
    // The last, partial word: the tail's last four bytes (sameBytes compares them all).
    if (at < end) hash = Math.imul(hash ^ view.getUint32(last, true), 0x01000193);
    const known = this.byHash.get(hash);
    if (known !== undefined) {
      if (!Array.isArray(known)) {
        if (sameBytes(known.words, view, start, end)) return known;
      } else {
        for (const piece of known) if (sameBytes(piece.words, view, start, end)) return piece;
      }
    }
    if (this.size >= this.capacity) return undefined;
    const bytes = Buffer.from(buf.buffer, buf.byteOffset + start, end - start);
    const value = this.make(bytes.toString("latin1"), this.size + 1);
    if (value === undefined) return undefined;
    const piece: Known<T> = { words: wordsOf(bytes), length: end - start, value, next: undefined };
    this.size += 1;
    if (known === undefined) this.byHash.set(hash, piece);
    else if (Array.isArray(known)) known.push(piece);
    else this.byHash.set(hash, [known, piece]);
    return piece;
  }
}

/** Misses past a full table before its hit rate is judged. */
const GIVE_UP_AFTER = 10_000;

/** A known piece: its value, and what find needs to know it again. */
export interface Known<T> {
  readonly value: T;
  /** The piece's bytes as little-endian 32-bit words, the last one padded with zeros. */
  readonly words: Uint32Array;
  /** The piece's length in bytes. */
  readonly length: number;
  /** The piece that followed this one last time (see find's `after`). */
  next: Known<T> | undefined;
}

function wordsOf(bytes: Uint8Array): Uint32Array {
  const padded = new Uint8Array(Math.ceil(bytes.length / 4) * 4);
  padded.set(bytes);
  // Little-endian, as sameBytes reads them: the same on every host.
  const view = new DataView(padded.buffer);
  const words = new Uint32Array(padded.length / 4);
  for (let i = 0; i < words.length; i += 1) words[i] = view.getUint32(i * 4, true);
  return words;
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
