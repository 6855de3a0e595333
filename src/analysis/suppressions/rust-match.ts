import type { Frame } from "../../model/index.js";
import { isRustLibraryFrame, topLevelComponents } from "../rust-frames.js";
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
 * How a `fun:` line fares against a frame: it matches, it does not, it matches under one of
 * Rust's manglings only and the log does not say which the program used ("undecided"), or it is
 * a whole legacy symbol of a path that several of the program's symbols print ("shared").
 */
export type FunMatch = "yes" | "no" | "undecided" | "shared";

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
 *   (see demangleRustV0) matches nothing, so a leak Valgrind may hide stays reported. A legacy
 *   symbol whose path several symbols print (see isSharedLegacyPath) is "shared": its hash,
 *   all that tells them apart, is not in the log;
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
  frame: Frame,
  crateMangling?: RustMangling,
): FunMatch {
  const name = frame.function ?? "???";
  const mangling = rustManglingOf(name) ?? crateMangling;
  if (/[*?]/.test(pattern)) {
    const legacy = mangling !== "v0" && globMatch(pattern, legacySample(name));
    const v0 = mangling !== "legacy" && globMatch(pattern, rustV0Sample(name, pattern));
    if (mangling !== undefined || legacy === v0) return legacy || v0 ? "yes" : "no";
    return "undecided";
  }
  const legacy = demangleRustLegacy(pattern);
  if (legacy !== undefined) {
    if (legacy !== name) return "no";
    return isSharedLegacyPath(frame) ? "shared" : "yes";
  }
  return v0Path(pattern) === name ? "yes" : "no";
}

/**
 * Whether several legacy symbols of one program print the frame's path, told apart only by the
 * hash the log leaves out, so that Valgrind's block for one, matched by the path, would hide the
 * others' leaks, which Valgrind reports (campaign v19 F2: the block for one closure of
 * `prog::main` hid both of its closures' leaks):
 * - a closure, `{{closure}}`: each closure of a function prints so, as do those of each
 *   instantiation of a generic function (std's thread spawn, one per thread's closure). But
 *   `std::rt::lang_start::{{closure}}`, in nearly every block of a main thread's leak: a
 *   program has one, lang_start (rt.rs) holding one closure and being instantiated once, for
 *   the program's `main`;
 * - the program's own function that shows generic parameters (`prog::Pool<T>::grab`,
 *   `<T as prog::Mk>::mk`): each instantiation prints so. Not the standard library's
 *   (`alloc::raw_vec::RawVecInner<A>::with_capacity_in`, `HashMap<K,V,S,A>::insert`), in nearly
 *   every block of a Rust leak, whose instantiations follow the program's types: refusing them
 *   would refuse Valgrind's blocks altogether. A
 *   generic function whose path shows no parameters (`prog::gen` for `gen::<u32>` and
 *   `gen::<u64>`) cannot be told from any other, and is matched by its path (the README says so).
 */
export function isSharedLegacyPath(frame: Frame): boolean {
  const name = frame.function ?? "";
  if (name.includes("{{closure}}")) return name !== LANG_START_CLOSURE;
  return GENERIC_PARAMETERS.test(name) && !isRustLibraryFrame(frame);
}

const LANG_START_CLOSURE = "std::rt::lang_start::{{closure}}";

/**
 * How a legacy path shows generic parameters: a type's (`Pool<T>`, `Vec<T>`), an impl for a
 * type (`<impl [T]>`), or an impl for a type parameter (`<T as prog::Mk>`; a named type is
 * printed with its path, a primitive in lower case).
 */
const GENERIC_PARAMETERS = /\w<|<impl |^<[A-Z]\w* as /;

// Per distinct name (see cached).
const legacySamples = new Map<string, string>();
const v0Paths = new Map<string, string | undefined>();

function v0Path(symbol: string): string | undefined {
  return cached(v0Paths, symbol, demangleRustV0);
}

function legacySample(name: string): string {
  return cached(legacySamples, name, rustLegacySample);
}
