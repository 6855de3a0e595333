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
 * or unnamed type's without its number, a Rust closure's as legacy mangling spells it (see
 * withoutDiscriminators); other names as they are.
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
 * const`, `main::{unnamed type#2}::make(int)` is `main::{unnamed type}::make(int)`) and rustc's
 * of its unnamed items (see RUST_CLOSURE_KINDS): the number is the closure's or type's place
 * among the enclosing function's others of the same kind, so adding an unrelated lambda or
 * unnamed struct above it renumbered it, and its unchanged leak was new and fixed (campaign bn
 * F5; a Rust closure's, campaign br F3). Two of them merge only where their signature, their
 * enclosing function and every other compared frame agree. `{default arg#1}` and `{parm#1}`
 * number parameters, which unrelated edits do not move: they are left as they are.
 */
function withoutDiscriminators(name: string): string {
  let out = "";
  let from = 0;
  for (const [start, end, replacement] of discriminators(name)) {
    out += name.slice(from, start) + replacement;
    from = end;
  }
  return from === 0 ? name : out + name.slice(from);
}

/*
 * rustc's names of unnamed items (its DefPathData names, and the debug info's coroutine kinds),
 * numbered among the enclosing item's others of their kind: `prog::main::{closure#1}` (v0
 * mangling), `{closure#1}` and `{async_fn#0}` (an inlined frame's DWARF name), `{impl#2}`,
 * `{closure_env#0}` and `{async_block_env#0}` (types in a DWARF name's generic arguments).
 * Legacy mangling, rustc's default, names every closure and coroutine body `{{closure}}`, with no
 * number: a closure's frame, or an async fn's, is hashed so, and a -O0 build's
 * `prog::main::{{closure}}` pairs with the `{closure#0}` or `{async_fn#0}` that -O2 inlines
 * (campaign br F5; test/fixtures/valgrind/rust-closures). Other kinds only lose their number,
 * but `{impl#N}`, which keeps it: at -O2 two types' methods of one name are both an inlined
 * `make`, their closures both `{closure#0}`, and only `prog::{impl#0}::make::{closure_env#0}`
 * against `{impl#1}` in the library's generic arguments tells `Foo::make`'s from `Bar::make`'s;
 * hashed without it, the two leaks were one group and a new one passed `--fail-on new` (campaign
 * v18b F2). An impl is renumbered only by an impl block written above it in its module (not by
 * a closure, a function or a `#[derive]`), far less often than closures are added.
 */
const RUST_CLOSURE_KINDS = new Set([
  ...["closure", "coroutine", "async_fn", "async_block", "async_closure"],
  ...["gen_fn", "gen_block", "gen_closure", "async_gen_fn", "async_gen_block", "async_gen_closure"],
]);
const RUST_NUMBERED_KINDS = new Set([
  ...[...RUST_CLOSURE_KINDS].map((kind) => `${kind}_env`),
  "constant",
]);
const RUST_UNNAMED_ITEM = /^\{([a-z_]+)#\d+\}/;

/**
 * The `[start, end)` spans of the discriminators in `name`, each with what replaces it: the `#N`
 * that closes gcc's `{lambda(...)#N}` and `{unnamed type#N}` (by nothing), rustc's unnamed items
 * whole (see RUST_CLOSURE_KINDS).
 */
function discriminators(name: string): [number, number, string][] {
  const spans: [number, number, string][] = [];
  for (let i = name.indexOf("{"); i !== -1; i = name.indexOf("{", i + 1)) {
    let hash = -1;
    if (name.startsWith("{lambda(", i)) {
      const close = closingParen(name, i + 7);
      if (close !== -1) hash = close + 1;
    } else if (name.startsWith("{unnamed type#", i)) hash = i + 13;
    else {
      // The longest kind, `async_gen_closure_env`, and a number fit in 40 characters.
      const rust = RUST_UNNAMED_ITEM.exec(name.slice(i, i + 40));
      const kind = rust?.[1] ?? "";
      if (rust !== null && RUST_CLOSURE_KINDS.has(kind)) {
        spans.push([i, i + rust[0].length, "{{closure}}"]);
      } else if (rust !== null && RUST_NUMBERED_KINDS.has(kind)) {
        spans.push([i, i + rust[0].length, `{${kind}}`]);
      }
    }
    const digits = hash === -1 ? null : /^#\d+\}/.exec(name.slice(hash, hash + 12));
    if (digits !== null) spans.push([hash, hash + digits[0].length - 1, ""]);
  }
  return spans.sort((a, b) => a[0] - b[0]);
}
