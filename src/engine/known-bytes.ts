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
 *
 * A large log streaming through the CPU's caches evicts the table between two uses of a piece,
 * so each object a lookup touches is a cache miss: a piece is its own value (the fields below
 * are added to the object `make` returns), and all pieces' words lie in one array.
 */
export class KnownBytes<T extends object> {
  /** Known pieces by the hash of their bytes; a list where hashes collide. */
  private readonly byHash = new Map<number, Known<T> | Known<T>[]>();
  private size = 0;
  /** Every piece's bytes as little-endian 32-bit words, the last one padded with zeros. */
  private words = new Uint32Array(1 << 12);
  private wordsUsed = 0;
  /**
   * Once the table is full: pieces looked up in vain, and pieces found. A log whose pieces
   * keep missing then stops being looked up (see find).
   */
  private missedWhenFull = 0;
  private foundWhenFull = 0;
  private viewOf: Uint8Array | undefined;
  private view: DataView = new DataView(new ArrayBuffer(0));

  /**
   * `make` turns a new piece's text (its bytes as Latin-1) into its value, a new object, or
   * undefined when the piece must be read the slow way (it is then not kept either); `id`
   * numbers the pieces kept, from 1 (shared stacks are keyed by them). `capacity` bounds the
   * pieces kept, and MAX_WORD_BYTES their bytes: past either, new pieces are not found, and
   * memory stays bounded on a log that never repeats one.
   */
  constructor(
    private readonly make: (text: string, id: number) => T | undefined,
    private readonly capacity: number,
  ) {}

  /**
   * The known piece of the ASCII bytes `buf[start, end)`; undefined for pieces under 16 bytes.
   * `after` is the piece just before this one, if known: the piece that followed it last time
   * is tried first, without hashing (a stack's next frame is nearly always the same one). It
   * may also be a caller's own Follower standing for what came before (see Follower).
   */
  find(buf: Uint8Array, start: number, end: number, after?: Follower<T>): Known<T> | undefined {
    if (end - start < 16 || this.givenUp()) return undefined;
    const view = this.viewFor(buf);
    const guess = after?.next;
    const full = this.isFull();
    if (guess !== undefined && this.sameBytes(guess, view, start, end)) {
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
  following(buf: Uint8Array, start: number, after: Follower<T> | undefined): Known<T> | undefined {
    const guess = after?.next;
    if (guess === undefined || start + guess.length > buf.length) return undefined;
    if (!this.sameBytes(guess, this.viewFor(buf), start, start + guess.length)) return undefined;
    if (this.isFull()) this.foundWhenFull += 1;
    return guess;
  }

  /** Whether no new piece is kept: `capacity` pieces, or MAX_WORD_BYTES of their bytes. */
  get full(): boolean {
    return this.isFull();
  }

  private isFull(): boolean {
    return this.size >= this.capacity || this.wordsUsed >= MAX_WORD_BYTES / 4;
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

  /** Keeps a new piece's words after the others' (growing the array): where they begin. */
  private keepWords(bytes: Uint8Array): number {
    const count = (bytes.length + 3) >>> 2;
    const at = this.wordsUsed;
    if (at + count > this.words.length) {
      const grown = new Uint32Array(Math.max(this.words.length * 2, at + count));
      grown.set(this.words.subarray(0, at));
      this.words = grown;
    }
    const padded = new Uint8Array(count * 4);
    padded.set(bytes);
    // Little-endian, as sameBytes reads them: the same on every host.
    const view = new DataView(padded.buffer);
    for (let i = 0; i < count; i += 1) this.words[at + i] = view.getUint32(i * 4, true);
    this.wordsUsed = at + count;
    return at;
  }

  /** Whether `view[start, end)` holds the bytes of `piece`. */
  private sameBytes(piece: KnownPiece<T>, view: DataView, start: number, end: number): boolean {
    const length = end - start;
    if (piece.length !== length) return false;
    const words = this.words;
    const at = piece.at;
    const whole = length >>> 2;
    for (let i = 0; i < whole; i += 1) {
      if (view.getUint32(start + i * 4, true) !== words[at + i]) return false;
    }
    const rest = length & 3;
    if (rest === 0) return true;
    // The last, partial word: its bytes one by one, the padding being zeros.
    let last = 0;
    for (let i = rest - 1; i >= 0; i -= 1)
      last = (last << 8) | view.getUint8(start + whole * 4 + i);
    return last >>> 0 === words[at + whole];
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
        if (this.sameBytes(known, view, start, end)) return known;
      } else {
        for (const piece of known) if (this.sameBytes(piece, view, start, end)) return piece;
      }
    }
    if (this.isFull()) return undefined;
    const bytes = Buffer.from(buf.buffer, buf.byteOffset + start, end - start);
    const value = this.make(bytes.toString("latin1"), this.size + 1);
    if (value === undefined) return undefined;
    const piece = value as Known<T>;
    piece.at = this.keepWords(bytes);
    piece.length = end - start;
    piece.next = undefined;
    this.size += 1;
    if (known === undefined) this.byHash.set(hash, piece);
    else if (Array.isArray(known)) known.push(piece);
    else this.byHash.set(hash, [known, piece]);
    return piece;
  }
}

/** Misses past a full table before its hit rate is judged. */
const GIVE_UP_AFTER = 10_000;

/**
 * A known piece: the value `make` returned, with what find needs to know it again. Every field
 * is written once, when the piece is kept, but `next`.
 */
export type Known<T extends object> = T & KnownPiece<T>;

/**
 * What find's `after` needs: the piece that followed last time. Every known piece is one; a
 * caller may keep others for what is not a piece, such as the line before a stack's first frame
 * (see ValgrindTextParser), so that first pieces are guessed too.
 */
export interface Follower<T extends object> {
  /** The piece that followed this one last time (see find's `after`). */
  next: Known<T> | undefined;
}

/** The fields a piece adds to its value: the value must not have fields of these names. */
interface KnownPiece<T extends object> extends Follower<T> {
  /** Where the piece's words begin in its table's words. */
  at: number;
  /** The piece's length in bytes. */
  length: number;
}

/**
 * Bytes of the pieces one table keeps at most: with the count caps, a bound for a log of long
 * pieces that never repeat (8,192 XML blocks of up to 4 KiB would be 32 MiB).
 */
const MAX_WORD_BYTES = 4 << 20;
