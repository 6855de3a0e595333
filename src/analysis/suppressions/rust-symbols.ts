import { IDENTIFIER, topLevelComponents } from "../rust-frames.js";

/*
 * Rust symbols in Valgrind suppressions. Valgrind matches a `fun:` line against a function's
 * mangled name, and a Rust program holds two manglings: legacy for its own code
 * (`_ZN5sites7boxed_a17hdf09cc34ec7f4029E`, `_ZN63_$LT$alloc..alloc..Global$u20$as$u20$core..
 * alloc..Allocator$GT$8allocate17h...E`) and v0 for a standard library built so
 * (`_RNvNtCsjrHSEGnQ3l9_3std2rt19lang_start_internal`); the log prints them demangled
 * (`sites::boxed_a`, `<alloc::alloc::Global as core::alloc::Allocator>::allocate`), without the
 * legacy hash. Names of inlined frames have no mangled form and are matched as printed.
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

/** Whether a demangled name is a Rust path (no C++ parameter list, a `::` or an impl path). */
export function isRustName(name: string): boolean {
  return !name.includes("(") && (name.includes("::") || name.startsWith("<"));
}

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

/**
 * The identifiers a v0 symbol (`_R...`) names, in order: each `<length><identifier>` in it. A
 * disambiguator or a hash may read as one too (`Cs...3l9_`): callers look for a name's
 * identifiers in order among them, not for equality.
 */
export function v0Identifiers(symbol: string): string[] {
  const found: string[] = [];
  for (let at = 2; at < symbol.length; at += 1) {
    const digits = /^[1-9]\d*/.exec(symbol.slice(at, at + 6));
    if (digits === null || /\d/.test(symbol[at - 1] ?? "")) continue;
    const start = at + digits[0].length + (symbol[at + digits[0].length] === "_" ? 1 : 0);
    const word = symbol.slice(start, start + Number(digits[0]));
    if (word.length === Number(digits[0]) && IDENTIFIER.test(word)) {
      found.push(word);
    }
  }
  return found;
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
