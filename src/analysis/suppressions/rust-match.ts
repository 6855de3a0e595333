import type { Frame } from "../../model/index.js";
import { topLevelComponents } from "../rust-frames.js";
import { globMatch } from "./glob.js";
import { cached } from "./name-cache.js";
import {
  demangleRustLegacy,
  rustLegacySample,
  rustManglingOf,
  rustV0Sample,
  type RustMangling,
} from "./rust-symbols.js";
import { demangleRustV0 } from "./rust-v0-demangle.js";

/**
 * How a `fun:` line fares against a frame: it matches, it does not, or it matches under one of
 * Rust's manglings only and the log does not say which the program used ("undecided").
 */
export type FunMatch = "yes" | "no" | "undecided";

/**
 * Whether the frame is a Rust function's own symbol, which Valgrind matches `fun:` lines against
 * mangled (`_ZN5leaks10forget_vec17h...E`, `_RNvCs..._5leaks10forget_vec`), not as printed. Its
 * name is a path (`leaks::forget_vec`, `<alloc::raw_vec::RawVecInner>::try_allocate_in`); a frame
 * inlined into it is named by its debug information alone (`alloc`, `{closure#0}`,
 * `with_capacity_in<u8, alloc::alloc::Global>`: no `::` outside its generic arguments), which
 * Valgrind matches as printed. The surest sign of Rust is a `.rs` file: debug information names
 * the source the compiler read, where a name's shape is only a guess (`<fn() as
 * core::ops::function::FnOnce<()>>::call_once` holds a parameter list as C++ names do). A frame
 * without one (code without line tables: std's `try_allocate_in (in ./prog)`) is Rust when its
 * path does not end in a C++ parameter list, which every demangled C++ function does (before
 * gcc's ` [clone .isra.0]`).
 */
export function isRustSymbolFrame(frame: Frame): boolean {
  const name = frame.function;
  if (name === undefined || name === "(below main)") return false;
  if (!name.startsWith("<") && topLevelComponents(name).length < 2) return false;
  // gcc's clones keep the C++ name's end before them (`get(int) [clone .isra.0]`).
  const base = name.replace(/(?: \[clone [^\]]*\])+$/, "");
  return frame.file?.endsWith(".rs") === true || !CPP_FUNCTION_END.test(base);
}

/** How a demangled C++ function's name ends: its parameters, then its qualifiers. */
export const CPP_FUNCTION_END = /\)(?: const)?(?: volatile)?(?: &{1,2})?$/;

/**
 * A `fun:` line against a Rust function's symbol, known only by its demangled path (see
 * isRustSymbolFrame), as Valgrind compares it (campaign br F1):
 * - a whole symbol (Valgrind's own `--gen-suppressions` blocks) by its demangled path, as
 *   Valgrind prints it: legacy `_ZN5sites7names_b17h...E` is `sites::names_b`, v0
 *   `_RNvNtCs56HGsqMBDvY_4prog6parser4make` is `prog::parser::make` and not
 *   `prog::network::make` (campaign v18b F1: matching a v0 symbol by the path's first and last
 *   identifiers had let one leak's block hide another's). A v0 symbol leaklog cannot decode
 *   (see demangleRustV0) matches nothing, so a leak Valgrind may hide stays reported;
 * - a glob against the symbol the path has under each mangling (see rustLegacySample and
 *   rustV0Sample): where the path's shape tells the mangling (rustManglingOf), under that one,
 *   else where other frames of its crate in the process told it (`crateMangling`, see
 *   RustCrateManglings), under that one; else it must match under both, as leaklog's own
 *   `*10forget_vec*` does. One that matches under one only (`_ZN5leaks10forget_vec*`,
 *   `_RNvCs*_5leaks10forget_vec` against `leaks::forget_vec`) is "undecided": not applied, as
 *   Valgrind would not apply it to a program of the other mangling (it never hides a leak
 *   Valgrind reports), and said so;
 * - a demangled name (`leaks::forget_vec`, `leaks::*`) never: no symbol is spelled so. It had
 *   hidden every leak of a program whose Valgrind run, given the same file, reported them all.
 */
export function rustFunMatch(
  pattern: string,
  name: string,
  crateMangling?: RustMangling,
): FunMatch {
  const mangling = rustManglingOf(name) ?? crateMangling;
  if (/[*?]/.test(pattern)) {
    const legacy = mangling !== "v0" && globMatch(pattern, legacySample(name));
    const v0 = mangling !== "legacy" && globMatch(pattern, rustV0Sample(name, pattern));
    if (mangling !== undefined || legacy === v0) return legacy || v0 ? "yes" : "no";
    return "undecided";
  }
  const legacy = demangleRustLegacy(pattern);
  if (legacy !== undefined) return legacy === name ? "yes" : "no";
  return v0Path(pattern) === name ? "yes" : "no";
}

// Per distinct name (see cached).
const legacySamples = new Map<string, string>();
const v0Paths = new Map<string, string | undefined>();

function v0Path(symbol: string): string | undefined {
  return cached(v0Paths, symbol, demangleRustV0);
}

function legacySample(name: string): string {
  return cached(legacySamples, name, rustLegacySample);
}
