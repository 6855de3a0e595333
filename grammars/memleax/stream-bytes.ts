import type { TokenType } from "chevrotain";
import { ByteCursor, bytesOf } from "../bytes.js";
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
  const reader = new ByteCursor(buf, start, end);
  if (!reader.literal(CALL_STACK)) return undefined;
  const id = reader.number();
  if (id === undefined) return undefined;
  if (reader.literal(EXPIRES)) {
    // `(-?\d+) bytes, (\d+) times again$`
    const size = reader.number(true);
    if (size === undefined || !reader.literal(BYTES)) return undefined;
    const count = reader.number();
    if (count === undefined || !reader.literal(TIMES_AGAIN) || !reader.atEnd()) return undefined;
    return { type: ExpireAgain, id, size, count };
  }
  // `(\d+) seconds?$`
  if (!reader.literal(FREES)) return undefined;
  const seconds = reader.number();
  if (seconds === undefined || !reader.literal(SECOND)) return undefined;
  reader.optional(115 /* s */);
  return reader.atEnd() ? { type: FreedAfter, id, size: seconds, count: 0 } : undefined;
}
