/*
 * The lexical layer of Rust's v0 mangling (RFC 2603), as libiberty's rust-demangle.c reads it:
 * `<length>[_]<identifier>`, base-62 numbers ending in `_`, `s<n>_` disambiguators, hex
 * constants, and `B<offset>_` back-references to earlier bytes. The grammar over it is
 * rust-v0-demangle.ts's.
 */

/** What the demangler does not decode, or a malformed symbol: the symbol matches no frame. */
export class Undecodable extends Error {}

/** rust-demangle.c's RUST_MAX_RECURSION_COUNT, and a bound on back-references followed. */
const MAX_DEPTH = 1024;
const MAX_BACKREFS = 10_000;

export const BASE62 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** A position in one symbol (after `_R`), and the state its productions share. */
export class V0Reader {
  protected at = 0;
  private depth = 0;
  private backrefs = 0;
  protected skip = false;
  /** Late-bound lifetimes in scope (`for<'a>`), which a lifetime's index counts back from. */
  protected boundLifetimes = 0;

  constructor(protected readonly text: string) {}

  done(): boolean {
    return this.at === this.text.length;
  }

  /** Runs `read` without following back-references, as a part that is not printed is read. */
  skipping(read: () => string): string {
    const was = this.skip;
    this.skip = true;
    try {
      return read();
    } finally {
      this.skip = was;
    }
  }

  protected unsigned(): string {
    const start = this.at;
    const { value, digits } = this.hex();
    if (digits === 0) throw new Undecodable();
    return digits > 16 ? `0x${this.text.slice(start, start + digits)}` : value.toString();
  }

  protected hex(): { value: bigint; digits: number } {
    let value = 0n;
    let digits = 0;
    while (!this.eat("_")) {
      const nibble = parseInt(this.next(), 16);
      if (Number.isNaN(nibble) || /[A-F]/.test(this.text[this.at - 1] ?? "")) {
        throw new Undecodable();
      }
      value = value * 16n + BigInt(nibble);
      digits += 1;
    }
    return { value, digits };
  }

  /** `<length>[_]<bytes>`; a `u` before it marks punycode, which is not decoded here. */
  protected identifier(): string {
    if (this.text[this.at] === "u") throw new Undecodable();
    const digits = /^(?:0|[1-9]\d*)/.exec(this.text.slice(this.at, this.at + 10));
    if (digits === null) throw new Undecodable();
    this.at += digits[0].length;
    this.eat("_");
    const length = Number(digits[0]);
    if (this.at + length > this.text.length) throw new Undecodable();
    const name = this.text.slice(this.at, this.at + length);
    this.at += length;
    return name;
  }

  /** `s<base62>_`: 0 when absent, else one more than the number (a crate's is a 64-bit hash). */
  protected disambiguator(): bigint {
    return this.eat("s") ? this.base62() + 1n : 0n;
  }

  /** `_` is 0; `<base62 digits>_` is their value plus one. */
  protected base62(): bigint {
    if (this.eat("_")) return 0n;
    let value = 0n;
    while (!this.eat("_")) {
      const digit = BASE62.indexOf(this.next());
      if (digit === -1) throw new Undecodable();
      value = value * 62n + BigInt(digit);
    }
    return value + 1n;
  }

  /** A base-62 number that is an index or offset into this symbol, so small. */
  protected smallBase62(): number {
    const value = this.base62();
    if (value > BigInt(this.text.length + this.boundLifetimes)) throw new Undecodable();
    return Number(value);
  }

  protected backref(read: () => string): string {
    const target = this.backrefTarget();
    return this.skip ? "" : this.jump(target, read);
  }

  /** A back-reference's byte offset (after `_R`), which rustc always points backwards. */
  protected backrefTarget(): number {
    const from = this.at - 1;
    const target = this.smallBase62();
    if (target >= from) throw new Undecodable();
    return target;
  }

  protected jump<T>(target: number, read: () => T): T {
    this.backrefs += 1;
    if (this.backrefs > MAX_BACKREFS) throw new Undecodable();
    const resume = this.at;
    this.at = target;
    try {
      return read();
    } finally {
      this.at = resume;
    }
  }

  protected list(read: () => string): string[] {
    const items: string[] = [];
    while (!this.eat("E")) items.push(read());
    return items;
  }

  protected nested<T>(read: () => T): T {
    this.depth += 1;
    if (this.depth > MAX_DEPTH) throw new Undecodable();
    try {
      return read();
    } finally {
      this.depth -= 1;
    }
  }

  protected eat(char: string): boolean {
    if (this.text[this.at] !== char) return false;
    this.at += 1;
    return true;
  }

  protected next(): string {
    const char = this.text[this.at];
    if (char === undefined) throw new Undecodable();
    this.at += 1;
    return char;
  }
}
