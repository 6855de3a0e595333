import { isDigit } from "./chars.js";
import { ALWAYS_SAFE_DIGITS } from "./numbers.js";

/*
 * A cursor over one line's bytes, for the byte paths that read the commonest lines of a big log
 * before any string is made of them (memleax's stream lines, MEMWATCH's unfreed lines, Valgrind
 * XML's frame blocks). Each reader stands for a pattern of its grammar and must take exactly the
 * lines that pattern matches; numbers are read only up to ALWAYS_SAFE_DIGITS digits, so a value
 * read here is the one `Number()` of the same digits gives (longer ones are left to the text path).
 */

/** The bytes of an ASCII literal, for ByteCursor.literal. */
export function bytesOf(text: string): readonly number[] {
  return [...Buffer.from(text, "latin1")];
}

/** A cursor over `buf[at, end)`; each step passes over what it matched. */
export class ByteCursor {
  constructor(
    private readonly buf: Uint8Array,
    public at: number,
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

  /** Passes over every `byte` that comes next (` *`). */
  skipAll(byte: number): void {
    while (this.at < this.end && this.buf[this.at] === byte) this.at += 1;
  }

  /** `\d+` (`-?\d+` when `signed`) of at most ALWAYS_SAFE_DIGITS digits, as Number() reads it. */
  number(signed = false): number | undefined {
    const negative = signed && this.at < this.end && this.buf[this.at] === 45;
    if (negative) this.at += 1;
    const from = this.at;
    let value = 0;
    for (; this.at < this.end; this.at += 1) {
      const c = this.buf[this.at] as number;
      if (!isDigit(c)) break;
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
