/*
 * Rust's v0 symbols (`_RNvNtCs56HGsqMBDvY_4prog6parser4make`) demangled as Valgrind prints them:
 * its m_demangle uses libiberty's rust-demangle.c, which leaves out crate disambiguators, an
 * impl's own path and the instantiating crate at the end, and spells every other component
 * (`prog::parser::make`, `<alloc::raw_vec::RawVecInner>::try_allocate_in`,
 * `std::rt::lang_start::<()>::{closure#0}`). The grammar is rustc's v0 mangling (RFC 2603):
 * paths `C` (crate root), `N` (nested: `Nt` type, `Nv` value, `NC` closure, `NS` shim), `M`/`X`/`Y`
 * (inherent impl, trait impl, trait object), `I...E` generic arguments and `B<n>_` back-references
 * to earlier bytes; types (basic letters, `R`/`Q` references, `P`/`O` pointers, `A`/`S` arrays
 * and slices, `T` tuples, `F` fn pointers, `D` dyn traits); `L` lifetimes, `K` constants.
 */

import { Undecodable, V0Reader } from "./rust-v0-reader.js";

/**
 * The path a v0 symbol names, as Valgrind prints it; undefined where it is not one, or holds what
 * libiberty's demangler does not decode either (a Unicode identifier's punycode, a constant other
 * than an integer, bool or char): leaklog matches such a symbol to no frame rather than guess.
 */
export function demangleRustV0(symbol: string): string | undefined {
  if (!symbol.startsWith("_R")) return undefined;
  // rustc's and LLVM's `.` suffixes (`.llvm.123`) are not part of the path.
  const body = symbol.slice(2).replace(/\..*$/s, "");
  if (!/^[A-Z][_0-9A-Za-z]*$/.test(body)) return undefined;
  const parser = new V0Parser(body);
  try {
    const path = parser.path(true);
    // The crate that instantiated a generic function or closure ends the symbol, unprinted.
    if (!parser.done()) parser.skipping(() => parser.path(false));
    return parser.done() ? path : undefined;
  } catch (error) {
    if (error instanceof Undecodable) return undefined;
    throw error;
  }
}

const BASIC_TYPES: Readonly<Record<string, string>> = {
  a: "i8",
  b: "bool",
  c: "char",
  d: "f64",
  e: "str",
  f: "f32",
  h: "u8",
  i: "isize",
  j: "usize",
  l: "i32",
  m: "u32",
  n: "i128",
  o: "u128",
  p: "_",
  s: "i16",
  t: "u16",
  u: "()",
  v: "...",
  x: "i64",
  y: "u64",
  z: "!",
};

/** One symbol's parse: each method reads one production at `at` and returns its text. */
class V0Parser extends V0Reader {
  path(inValue: boolean): string {
    return this.nested(() => {
      const tag = this.next();
      switch (tag) {
        case "C":
          this.disambiguator();
          return this.identifier();
        case "N":
          return this.namespaced(inValue);
        case "M":
        case "X":
        case "Y": {
          if (tag !== "Y") {
            this.disambiguator();
            this.skipping(() => this.path(inValue)); // the impl's own path
          }
          const self = this.type();
          return tag === "M" ? `<${self}>` : `<${self} as ${this.path(false)}>`;
        }
        case "I": {
          const base = this.path(inValue);
          return `${base}${inValue ? "::" : ""}<${this.genericArgs()}>`;
        }
        case "B":
          return this.backref(() => this.path(inValue));
        default:
          throw new Undecodable();
      }
    });
  }

  private namespaced(inValue: boolean): string {
    const ns = this.next();
    if (!/[A-Za-z]/.test(ns)) throw new Undecodable();
    const parent = this.path(inValue);
    const n = this.disambiguator();
    const name = this.identifier();
    if (/[a-z]/.test(ns)) return name === "" ? parent : `${parent}::${name}`;
    const kind = ns === "C" ? "closure" : ns === "S" ? "shim" : ns;
    return `${parent}::{${kind}${name === "" ? "" : `:${name}`}#${n}}`;
  }

  private genericArgs(): string {
    const args: string[] = [];
    while (!this.eat("E")) {
      if (this.eat("L")) args.push(this.lifetime(this.smallBase62()));
      else if (this.eat("K")) args.push(this.constant());
      else args.push(this.type());
    }
    return args.join(", ");
  }

  private type(): string {
    const tag = this.next();
    const basic = BASIC_TYPES[tag];
    if (basic !== undefined) return basic;
    return this.nested(() => {
      switch (tag) {
        case "R":
        case "Q": {
          const lt = this.eat("L") ? this.smallBase62() : 0;
          const lifetime = lt === 0 ? "" : `${this.lifetime(lt)} `;
          return `&${lifetime}${tag === "Q" ? "mut " : ""}${this.type()}`;
        }
        case "P":
        case "O":
          return `*${tag === "O" ? "mut" : "const"} ${this.type()}`;
        case "A":
        case "S": {
          const element = this.type();
          return tag === "A" ? `[${element}; ${this.constant()}]` : `[${element}]`;
        }
        case "T": {
          const items = this.list(() => this.type());
          return `(${items.join(", ")}${items.length === 1 ? "," : ""})`;
        }
        case "F":
          return this.binding(() => this.fnSignature());
        case "D":
          return this.dynTraits();
        case "B":
          return this.backref(() => this.type());
        default:
          this.at -= 1; // a named type is a path
          return this.path(false);
      }
    });
  }

  private fnSignature(): string {
    const binder = this.binder();
    const unsafe = this.eat("U") ? "unsafe " : "";
    let abi = "";
    if (this.eat("K")) {
      const name = this.eat("C") ? "C" : this.identifier();
      if (name === "") throw new Undecodable();
      // v0 wrote the ABI's `-` as `_` (`extern "C-unwind"` is `K8C_unwind`).
      abi = `extern "${name.replaceAll("_", "-")}" `;
    }
    const params = this.list(() => this.type()).join(", ");
    const result = this.eat("u") ? "" : ` -> ${this.type()}`;
    return `${binder}${unsafe}${abi}fn(${params})${result}`;
  }

  private dynTraits(): string {
    const text = this.binding(() => {
      const binder = this.binder();
      return `dyn ${binder}${this.list(() => this.dynTrait()).join(" + ")}`;
    });
    if (!this.eat("L")) throw new Undecodable();
    const lt = this.smallBase62();
    return lt === 0 ? text : `${text} + ${this.lifetime(lt)}`;
  }

  /** A trait of a `dyn`, with its associated type bindings (`Fn<(), Output = i32>`) inside `<>`. */
  private dynTrait(): string {
    let { text, open } = this.traitPath();
    while (this.eat("p")) {
      const name = this.identifier();
      text += `${open ? ", " : "<"}${name} = ${this.type()}`;
      open = true;
    }
    return open ? `${text}>` : text;
  }

  private traitPath(): { text: string; open: boolean } {
    return this.nested(() => {
      if (this.eat("B")) {
        const target = this.backrefTarget();
        if (this.skip) return { text: "", open: false };
        return this.jump(target, () => this.traitPath());
      }
      if (this.eat("I")) {
        const base = this.path(false);
        return { text: `${base}<${this.genericArgs()}`, open: true };
      }
      return { text: this.path(false), open: false };
    });
  }

  /** `G<n>_`: late-bound lifetimes of a fn pointer or dyn, `for<'a, 'b> `. */
  private binder(): string {
    if (!this.eat("G")) return "";
    const count = this.smallBase62() + 1;
    const names: string[] = [];
    for (let i = 0; i < count; i += 1) {
      this.boundLifetimes += 1;
      names.push(this.lifetime(1));
    }
    return `for<${names.join(", ")}> `;
  }

  /** Reads what a binder's lifetimes are visible to, then leaves their scope. */
  private binding<T>(read: () => T): T {
    const outer = this.boundLifetimes;
    try {
      return read();
    } finally {
      this.boundLifetimes = outer;
    }
  }

  private lifetime(index: number): string {
    if (index === 0) return "'_";
    const depth = this.boundLifetimes - index;
    if (depth < 0) throw new Undecodable();
    return depth < 26 ? `'${String.fromCharCode(97 + depth)}` : `'_${depth}`;
  }

  private constant(): string {
    return this.nested(() => {
      if (this.eat("B")) return this.backref(() => this.constant());
      const tag = this.next();
      if (tag === "p") return "_";
      if ("htmyoj".includes(tag)) return this.unsigned();
      if ("aslxni".includes(tag)) return `${this.eat("n") ? "-" : ""}${this.unsigned()}`;
      const { value, digits } = this.hex();
      if (tag === "b" && digits === 1 && value <= 1n) return value === 1n ? "true" : "false";
      if (tag === "c" && digits > 0 && digits <= 8) return charLiteral(Number(value));
      throw new Undecodable(); // newer rustc's str, reference, array and struct constants
    });
  }
}

/** A `char` constant as rust-demangle.c prints it: printable ASCII as is, else `\u{hex}`. */
function charLiteral(code: number): string {
  const escapes: Readonly<Record<number, string>> = { 9: "\\t", 13: "\\r", 10: "\\n" };
  const text =
    escapes[code] ??
    (code > 32 && code < 126 ? String.fromCharCode(code) : `\\u{${code.toString(16)}}`);
  return `'${text}'`;
}
