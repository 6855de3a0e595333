import { IDENTIFIER, topLevelComponents } from "../rust-frames.js";
import { BASE62 } from "./rust-v0-reader.js";

/*
 * Rust symbols in Valgrind suppressions. Valgrind matches a `fun:` line against a function's
 * mangled name, and a Rust program holds two manglings: legacy for its own code
 * (`_ZN5sites7boxed_a17hdf09cc34ec7f4029E`, `_ZN63_$LT$alloc..alloc..Global$u20$as$u20$core..
 * alloc..Allocator$GT$8allocate17h...E`) and v0 for a standard library built so
 * (`_RNvNtCsjrHSEGnQ3l9_3std2rt19lang_start_internal`); the log prints them demangled
 * (`sites::boxed_a`, `<alloc::alloc::Global as core::alloc::Allocator>::allocate`), without the
 * legacy hash. Names of inlined frames have no mangled form and are matched as printed. Which
 * mangling a path had, the log tells only by some paths' shapes (see rustManglingOf).
 */

/** Legacy mangling's escapes (rustc_symbol_mangling/src/legacy.rs), as printed. */
const ESCAPES: readonly (readonly [string, string])[] = [
  ["$SP$", "@"],
  ["$BP$", "*"],
  ["$RF$", "&"],
  ["$LT$", "<"],
  ["$GT$", ">"],
  ["$LP$", "("],
  ["$RP$", ")"],
  ["$C$", ","],
];

/**
 * A legacy-mangled form of a demangled Rust path, its hash left as zeros: what a glob written
 * for the real symbol is matched against (`*10lang_start*` against
 * `_ZN3std2rt10lang_start28_$u7b$$u7b$closure$u7d$$u7d$17h0000000000000000E`).
 */
export function rustLegacySample(name: string): string {
  const parts = topLevelComponents(name).map(escapeComponent);
  return `_ZN${parts.map((p) => `${p.length}${p}`).join("")}17h0000000000000000E`;
}

/**
 * The demangled path of a legacy symbol (`_ZN...17h<hash>E`), as Valgrind prints it; undefined
 * for any other name.
 */
export function demangleRustLegacy(mangled: string): string | undefined {
  // LLVM's suffix on a symbol it made local (`...17heaaf43045563c525E.llvm.7047750404578865665`).
  const symbol = mangled.replace(/\.(?:llvm|cold|isra|constprop|part)\.?[\w.]*$/, "");
  if (!symbol.startsWith("_ZN") || !symbol.endsWith("E")) return undefined;
  const parts: string[] = [];
  let at = 3;
  while (at < symbol.length - 1) {
    const digits = /^\d+/.exec(symbol.slice(at, at + 6));
    if (digits === null) return undefined;
    const length = Number(digits[0]);
    const start = at + digits[0].length;
    if (length === 0 || start + length > symbol.length - 1) return undefined;
    parts.push(symbol.slice(start, start + length));
    at = start + length;
  }
  const last = parts.at(-1);
  if (last === undefined || !/^h[0-9a-f]{16}$/.test(last)) return undefined;
  return parts.slice(0, -1).map(unescapeComponent).join("::");
}

function escapeComponent(part: string): string {
  let out = "";
  for (const c of part.replaceAll("::", "..")) {
    const escape = ESCAPES.find(([, char]) => char === c);
    if (escape !== undefined) out += escape[0];
    else if (/[A-Za-z0-9_.]/.test(c)) out += c;
    else out += `$u${c.charCodeAt(0).toString(16)}$`;
  }
  return out.startsWith("$") ? `_${out}` : out;
}

function unescapeComponent(part: string): string {
  let text = part.startsWith("_$") ? part.slice(1) : part;
  for (const [escape, char] of ESCAPES) text = text.replaceAll(escape, char);
  text = text.replace(/\$u([0-9a-f]{1,6})\$/g, (_, hex: string) =>
    String.fromCodePoint(parseInt(hex, 16)),
  );
  return text.replaceAll("..", "::");
}

/** Rust's two symbol manglings (rustc `-C symbol-mangling-version`). */
export type RustMangling = "legacy" | "v0";

/**
 * The mangling a demangled Rust path shows it was demangled from, or undefined when both print
 * it alike (`leaks::forget_vec`, `<alloc::alloc::Global as core::alloc::Allocator>::allocate`):
 * - legacy writes a closure `{{closure}}`, an impl's generic parameters on the type's own
 *   component (`alloc::raw_vec::RawVecInner<A>::with_capacity_in`) and an impl for another
 *   type `<impl [T]>` inside the path;
 * - v0 writes a closure `{closure#0}` (a shim `{shim:vtable#0}`), a function's generic arguments
 *   after `::<` (`std::rt::lang_start::<()>`) and an inherent impl as `<Type>::f`, no `as`.
 * The crate that instantiated the function chose the mangling: std's own functions are v0 in
 * rustc 1.95, the program's (and std's generics it instantiates) legacy unless built with
 * `-C symbol-mangling-version=v0`, and the log says so only through these shapes (campaign br F1).
 */
export function rustManglingOf(name: string): RustMangling | undefined {
  const parts = topLevelComponents(name);
  if (parts.some((part) => /^(?:[A-Za-z_]\w*<|<impl |\{\{)/.test(part))) return "legacy";
  if (parts.slice(1).some((part) => part.startsWith("<") || /^\{[a-z]/.test(part))) return "v0";
  const first = parts[0] ?? "";
  if (first.startsWith("<") && !/ as /.test(first)) return "v0";
  return undefined;
}

/**
 * A v0 form of a demangled Rust path (`_RNvCs<crate>_5leaks10forget_vec`), what a glob written
 * for the real symbol is matched against. The crate's disambiguator is not in the log: it is
 * taken from the pattern where the pattern spells one for that crate (`_RNvCs4GY8r3GeSKC_5leaks*`
 * was copied from the program's symbols, as a literal v0 symbol is), else a placeholder that only
 * a `*` matches. A path of identifiers and closures is encoded whole (a closure's `{closure#N}`
 * is `NC...s_0B<n>_` for #1, a name that starts with `_` gets v0's `_` after its length); a path with
 * impls or generic arguments, whose back-references and instantiating crate the text does not
 * give, only by its identifiers in order (`_R5alloc5alloc6Global...8allocate`).
 */
export function rustV0Sample(name: string, pattern: string): string {
  const parts = topLevelComponents(name);
  const crate = parts[0] ?? "";
  const plain = parts.every((part, i) => IDENTIFIER.test(part) || (i > 0 && CLOSURE.test(part)));
  if (!plain || !IDENTIFIER.test(crate)) {
    const words = name.replace(/\{[^}]*\}/g, "").match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
    return `_R${words
      .filter((w) => !RUST_KEYWORDS.has(w))
      .map(v0Identifier)
      .join("")}`;
  }
  const known = new RegExp(`Cs([0-9A-Za-z]+)_${v0Identifier(crate)}`).exec(pattern);
  let path = `Cs${known?.[1] ?? "00000000000"}_${v0Identifier(crate)}`;
  parts.slice(1).forEach((part, i) => {
    const closure = CLOSURE.exec(part);
    if (closure !== null) {
      const n = Number(closure[1]);
      // Disambiguator n is `s` and the base-62 number n - 1 (`_` for 0, `0_` for 1, ...).
      const disambiguator = n === 0 ? "" : n === 1 ? "s_" : `s${base62(n - 2)}_`;
      path = `NC${path}${disambiguator}0`;
      return;
    }
    // A function (the last name, or the one a closure is in) is in the value namespace.
    const next = parts[i + 2];
    const value = next === undefined || CLOSURE.test(next);
    path = `N${value ? "v" : "t"}${path}${v0Identifier(part)}`;
  });
  if (!path.startsWith("NC")) return `_R${path}`;
  // A closure's symbol ends in the crate that instantiated it, here a back-reference to the
  // path's own crate (`_RNCNvCs..._1c1f0B3_`: `3_` is offset 4, counted from after `_R`).
  const root = path.indexOf("Cs");
  return `_R${path}B${root === 0 ? "" : base62(root - 1)}_`;
}

const CLOSURE = /^\{closure#(\d+)\}$/;

/** Words of a demangled impl path or generic argument that are not identifiers of its symbol. */
const RUST_KEYWORDS = new Set(["as", "impl", "dyn", "mut", "const", "fn", "unsafe", "extern"]);

/** `<length><identifier>`, v0 adding a `_` before one that starts with `_` or a digit. */
function v0Identifier(word: string): string {
  return `${word.length}${/^[_\d]/.test(word) ? "_" : ""}${word}`;
}

function base62(n: number): string {
  let out = "";
  let rest = n;
  do {
    out = (BASE62[rest % 62] as string) + out;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  return out;
}
