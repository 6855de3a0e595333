import { closingParen } from "./cpp-demangled.js";

/*
 * Names gcc makes up for code the program wrote, in part from things that change with unrelated
 * edits. Fingerprints hash them without that part, as they do gcc's clone suffixes (see
 * withoutClones in fingerprint.ts): the same source code keeps its fingerprint across rebuilds.
 */

/**
 * gcc's function that runs a file's static initialisers (`_I`) or, with
 * -fno-use-cxa-atexit or an init_priority, its destructors (`_D`), named after the first global
 * symbol of the file (`_GLOBAL__sub_I__Z11parse_flagsi`, or the file's name when it has none:
 * `_GLOBAL__sub_I_init.cpp`), with a priority where one is given (`_GLOBAL__sub_I.00200__Z...`,
 * `_GLOBAL__sub_I_00200_0_...` on targets without `.` in names); LTO's merged initialiser is
 * `_sub_I_65535_0.0`. Renaming or adding an unrelated function at the top of the file renamed
 * it, and a static initialiser's unchanged leak was new and fixed (campaign bn F2,
 * test/fixtures/valgrind/cpp-rebuilds).
 */
const STATIC_INITIALIZER_NAME = /^(?:_GLOBAL__sub_([ID])(?:[._]|$)|_sub_([ID])_\d+_\d+(?:\.\d+)*$)/;

/**
 * A function's name as fingerprints hash it: a static initialiser's as `_GLOBAL__sub_I` or
 * `_GLOBAL__sub_D` (see STATIC_INITIALIZER_NAME) when its frame names a source file, a lambda's
 * or unnamed type's without its number (see withoutDiscriminators); other names as they are.
 * Without a source file (a build without -g) the initialiser's made-up symbol is all that tells
 * one file's from another's: hashed without it, two files' static-init leaks were one group and
 * a new one passed `--fail-on new` (campaign v15b F3).
 */
export function stableName(name: string, withFile = true): string {
  if (withFile && name.charCodeAt(0) === 95 /* _ */) {
    const init = STATIC_INITIALIZER_NAME.exec(name);
    if (init !== null) return `_GLOBAL__sub_${init[1] ?? init[2] ?? ""}`;
  }
  return name.includes("#") ? withoutDiscriminators(name) : name;
}

/**
 * The demangled name without gcc's discriminators of lambdas and unnamed types
 * (`main::{lambda(int)#2}::operator()(int) const` is `main::{lambda(int)}::operator()(int)
 * const`, `main::{unnamed type#2}::make(int)` is `main::{unnamed type}::make(int)`): the number
 * is the closure's or type's place among the enclosing function's others of the same kind, so
 * adding an unrelated lambda or unnamed struct above it renumbered it, and its unchanged leak was
 * new and fixed (campaign bn F5). Two of them merge only where their signature, their enclosing
 * function and every other compared frame agree. `{default arg#1}` and `{parm#1}` number
 * parameters, which unrelated edits do not move: they are left as they are.
 */
function withoutDiscriminators(name: string): string {
  let out = "";
  let from = 0;
  for (const [start, end] of discriminators(name)) {
    out += name.slice(from, start);
    from = end;
  }
  return from === 0 ? name : out + name.slice(from);
}

/** The `[start, end)` spans of the `#N` that close `{lambda(...)#N}` and `{unnamed type#N}`. */
function discriminators(name: string): [number, number][] {
  const spans: [number, number][] = [];
  for (let i = name.indexOf("{"); i !== -1; i = name.indexOf("{", i + 1)) {
    let hash = -1;
    if (name.startsWith("{lambda(", i)) {
      const close = closingParen(name, i + 7);
      if (close !== -1) hash = close + 1;
    } else if (name.startsWith("{unnamed type#", i)) hash = i + 13;
    const digits = hash === -1 ? null : /^#\d+\}/.exec(name.slice(hash, hash + 12));
    if (digits !== null) spans.push([hash, hash + digits[0].length - 1]);
  }
  return spans.sort((a, b) => a[0] - b[0]);
}
