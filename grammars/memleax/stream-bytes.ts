import type { TokenType } from "chevrotain";
import { ALWAYS_SAFE_DIGITS } from "../numbers.js";
import { ExpireAgain, FreedAfter } from "./tokens.js";

/*
 * The two lines of memleax's event stream that repeat most (formats/memleax.md §2.3), read from a
 * line's bytes before any string is made of it:
 *
 *     CallStack[ID]: memory expires with SIZE bytes, COUNT times again
 *     CallStack[ID]: expired-memory frees after SECS seconds
 *
 * A long run of a leaking server is hundreds of thousands of them (the 105 MB bench log is 1.66
 * million lines of the first), and their string, regular expression, groups and token were most
 * of its parse. Each reader stands for its pattern in tokens.ts and takes exactly the lines that
 * pattern matches, with numbers of up to 15 digits (always safe integers, grammars/numbers.ts):
 * anything else is left to classifyLine, and a test holds the two to each other.
 */

/** A stream line read from its bytes: its token type and its numbers, as classifyLine's groups. */
export interface StreamLine {
  type: TokenType;
  id: number;
  /** ExpireAgain: SIZE (bytes, may be negative: §4); FreedAfter: SECS. */
  size: number;
  /** ExpireAgain: COUNT; FreedAfter: 0. */
  count: number;
}

const bytesOf = (text: string): readonly number[] => [...Buffer.from(text, "latin1")];
const CALL_STACK = bytesOf("CallStack[");
const EXPIRES = bytesOf("]: memory expires with ");
const BYTES = bytesOf(" bytes, ");
const TIMES_AGAIN = bytesOf(" times again");
const FREES = bytesOf("]: expired-memory frees after ");
const SECOND = bytesOf(" second");

/** The ExpireAgain or FreedAfter line of the ASCII bytes `buf[start, end)`, or undefined. */
export function readStreamLine(
  buf: Uint8Array,
  start: number,
  end: number,
): StreamLine | undefined {
  const reader = new Reader(buf, start, end);
  if (!reader.literal(CALL_STACK)) return undefined;
  const id = reader.number(false);
  if (id === undefined) return undefined;
  if (reader.literal(EXPIRES)) {
    // `(-?\d+) bytes, (\d+) times again$`
    const size = reader.number(true);
    if (size === undefined || !reader.literal(BYTES)) return undefined;
    const count = reader.number(false);
    if (count === undefined || !reader.literal(TIMES_AGAIN) || !reader.atEnd()) return undefined;
    return { type: ExpireAgain, id, size, count };
  }
  // `(\d+) seconds?$`
  if (!reader.literal(FREES)) return undefined;
  const seconds = reader.number(false);
  if (seconds === undefined || !reader.literal(SECOND)) return undefined;
  reader.optional(115 /* s */);
  return reader.atEnd() ? { type: FreedAfter, id, size: seconds, count: 0 } : undefined;
}

/** A cursor over one line's bytes. */
class Reader {
  constructor(
    private readonly buf: Uint8Array,
    private at: number,
    private readonly end: number,
  ) {}

  /** Whether `bytes` come next (they are then passed over). */
  literal(bytes: readonly number[]): boolean {
    if (this.end - this.at < bytes.length) return false;
    for (let i = 0; i < bytes.length; i += 1) if (this.buf[this.at + i] !== bytes[i]) return false;
    this.at += bytes.length;
    return true;
  }

  /** Passes over `byte` when it comes next. */
  optional(byte: number): void {
    if (this.at < this.end && this.buf[this.at] === byte) this.at += 1;
  }

  /** `\d+` (`-?\d+` when `signed`) of at most ALWAYS_SAFE_DIGITS digits, as Number() reads it. */
  number(signed: boolean): number | undefined {
    const negative = signed && this.at < this.end && this.buf[this.at] === 45;
    if (negative) this.at += 1;
    const from = this.at;
    let value = 0;
    for (; this.at < this.end; this.at += 1) {
      const c = this.buf[this.at] as number;
      if (c < 48 || c > 57) break;
      value = value * 10 + c - 48;
    }
    const digits = this.at - from;
    if (digits === 0 || digits > ALWAYS_SAFE_DIGITS) return undefined;
    // `-0` is Number("-0"), as the text path reads it.
    return negative ? -value : value;
  }

  atEnd(): boolean {
    return this.at === this.end;
  }
}
