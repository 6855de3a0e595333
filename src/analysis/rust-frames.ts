import type { Frame } from "../model/index.js";
import { baseName, framePath } from "./frame-paths.js";
import {
  isLibraryFileFrameAt,
  isLibraryFileFunction,
  withoutGenerics,
} from "./rust-library-files.js";

/*
 * The Rust standard library's frames. A Rust program's allocations go through a dozen of them
 * before the program's own code (`alloc`, `alloc_impl`, `allocate`, `exchange_malloc`,
 * `Box::new`, `RawVec`, `String::from`, hashbrown's tables behind `HashMap::insert`), so with
 * only the C allocator skipped a fingerprint's first frames were all the library's: every leak
 * through `HashMap::insert` was one group (13 loss records in one of the public log 10's groups),
 * and every group showed `at alloc (alloc.rs:99)` where the program's frame belongs.
 *
 * What tells them (real logs: Valgrind 3.19 on rustc 1.9x, debug; 3.22 on a release build):
 * - the source path: rustc builds the library from `/rustc/HASH/library/CRATE/src/` and its
 *   bundled crates from `/rust/deps/`; the text log prints a relative `library/alloc/src/alloc.rs`
 *   in full, an absolute path by its base name only;
 * - a qualified name's crate (`alloc::raw_vec::finish_grow`, `<alloc::alloc::Global as
 *   core::alloc::Allocator>::allocate`), for a frame in a `.rs` file or a `<...>` impl path;
 * - an inlined frame has an unqualified name (`allocate`, `do_alloc<alloc::alloc::Global>`,
 *   Valgrind's `UnknownInlinedFun`) and the address of the function it was inlined into, the
 *   last frame of the same address: inlined into a library function, it is the library's; into
 *   the program's (release builds inline `Box::new` and the allocator calls into the caller), only
 *   the library's own allocation files tell (`alloc.rs`, `raw_vec.rs`, `boxed.rs`), by their
 *   functions' names, where nothing says the file is the program's (rust-library-files.ts). A
 *   closure (`{closure#0}`, `{async_fn#0}`) inlined into the library's generic code is the
 *   program's, unless it is in the file of that code (`{closure#0} (rt.rs)` in lang_start_internal).
 * Other crates (a dependency from crates.io) are not the library: their frames stay.
 */

/** The crates of the standard library and those it bundles (`/rust/deps/`). */
const LIBRARY_CRATES = new Set([
  "std",
  "core",
  "alloc",
  "hashbrown",
  "std_detect",
  "compiler_builtins",
  "panic_unwind",
  "panic_abort",
  "unwind",
  "gimli",
  "addr2line",
  "miniz_oxide",
  "object",
  "rustc_demangle",
  "adler",
  "adler2",
  "proc_macro",
  // The allocator's and the panic's shims since Rust 1.9x (`__rustc::__rust_alloc`,
  // `__rustc::rust_begin_unwind (panicking.rs:689)`): taken for the program's, the text log
  // kept a panic=abort run's panic frames that its XML (`/rustc/...` path) dropped, and the two
  // fingerprinted its abort apart (campaign br F4).
  "__rustc",
]);

/** Whether a crate is the standard library's or one it bundles (see LIBRARY_CRATES). */
export function isRustLibraryCrate(crate: string): boolean {
  return LIBRARY_CRATES.has(crate);
}

/** Rust's allocator shims: the global allocator's entry points, the default one's, rustc's. */
export const RUST_ALLOCATOR_SHIMS = [
  ...["__rust_alloc", "__rust_alloc_zeroed", "__rust_realloc", "__rdl_alloc"],
  ...["__rdl_alloc_zeroed", "__rdl_realloc", "__rg_alloc", "__rg_alloc_zeroed", "__rg_realloc"],
];

/**
 * Rust 1.9x's namespace of its shims: `__rustc::__rust_alloc (prog.rs:4)`, in the file of the
 * program's `#[global_allocator]`. Not skipped, it was every leak's place: the SARIF, Code
 * Quality and annotation locations all named the `#[global_allocator]` line (campaign br F4).
 */
const RUST_SHIM_NAMESPACE = "__rustc::";

/**
 * A Rust global allocator's own functions (`<prog::Counting as
 * core::alloc::global::GlobalAlloc>::alloc`, wrapping System's): an allocator by definition,
 * whose line (`System.alloc(layout)`) was the place of every leak (campaign br F4).
 */
const GLOBAL_ALLOC_IMPL =
  /^<.+ as core::alloc::(?:global::)?GlobalAlloc>::(?:alloc|alloc_zeroed|realloc)$/;

/** A frame of the program's global allocator: Rust's shims, old and new, or a `GlobalAlloc` impl. */
export function isRustAllocatorFrame(frame: Frame): boolean {
  const fn = frame.function;
  if (fn === undefined) return false;
  if (fn.startsWith(RUST_SHIM_NAMESPACE)) {
    return RUST_ALLOCATOR_SHIMS.includes(fn.slice(RUST_SHIM_NAMESPACE.length));
  }
  if (fn.startsWith("<")) return GLOBAL_ALLOC_IMPL.test(fn);
  return fn.startsWith("__r") && RUST_ALLOCATOR_SHIMS.includes(fn);
}

/** `/rustc/HASH/library/...`, `/rust/deps/hashbrown-0.16.1/...`, or the text log's `library/alloc/src/...`. */
const LIBRARY_PATH = /^(?:\/rustc\/[0-9a-f]+\/|\/rust\/deps\/|library\/[a-z_]+\/src\/)/;

/** A frame of Rust code: in a `.rs` file, or named by an impl path (`<alloc::...>::f`). */
export function isRustFrame(frame: Frame): boolean {
  if (frame.file?.endsWith(".rs") === true) return true;
  const fn = frame.function;
  return fn !== undefined && fn.startsWith("<") && fn.includes("::");
}

/**
 * Whether `stack[i]` is the Rust standard library's: by itself (see isRustLibraryFrame), or an
 * inlined frame of the library's function it was inlined into.
 */
export function isRustLibraryFrameAt(stack: readonly Frame[], i: number): boolean {
  const frame = stack[i] as Frame;
  if (!isRustFrame(frame)) return false;
  const own = libraryByItself(frame);
  if (own !== undefined) return own;
  if (isLibraryFileFrameAt(stack, i)) return true;
  const last = containerOf(stack, i);
  if (last === undefined) return false;
  const container = stack[last] as Frame;
  // What the library's code calls, inlined with it into the program's function, is the
  // library's (hashbrown's `UnknownInlinedFun (src/raw/mod.rs:962)` under its `insert`), but a
  // closure, which the program passed in. The frame's caller is the next of its address.
  // Not what an allocator shim calls: the global allocator, the program's `GlobalAlloc` impl
  // (`alloc (prog.rs:6)`, inlined at -O2 under `__rust_alloc`), where an error in it is (campaign
  // v18b F3; the library's own System alloc is the library's by its path).
  const closure = (frame.function ?? "").startsWith("{");
  const caller = stack[i + 1];
  if (!closure && caller !== container && caller !== undefined && !isRustAllocatorFrame(caller)) {
    if (isRustLibraryFrameAt(stack, i + 1)) return true;
  }
  if (!(libraryByItself(container) ?? isLibraryFileFrameAt(stack, last))) return false;
  // A closure inlined into the library's generic code (`Iterator::map`) is the program's, but
  // not one written in the file of the function it is in (lang_start's `{closure#0}`, rt.rs).
  return (
    !(frame.function ?? "").startsWith("{") ||
    baseName(frame.file ?? "") === baseName(container.file ?? "")
  );
}

/** The index of the function an inlined frame was inlined into: the last of the same address. */
function containerOf(stack: readonly Frame[], i: number): number | undefined {
  const ip = stack[i]?.ip;
  if (ip === undefined) return undefined;
  let last = i;
  while (last + 1 < stack.length && stack[last + 1]?.ip === ip) last += 1;
  return last > i ? last : undefined;
}

/**
 * Whether the frame is the Rust standard library's by its path, its crate or its file; of a
 * frame in a stack, isRustLibraryFrameAt tells better (see rust-library-files.ts).
 */
export function isRustLibraryFrame(frame: Frame): boolean {
  return isRustFrame(frame) && (libraryByItself(frame) ?? isLibraryFileFunction(frame));
}

/** True or false when the frame says; undefined for an inlined frame (see isRustLibraryFrameAt). */
function libraryByItself(frame: Frame): boolean | undefined {
  if (LIBRARY_PATH.test(framePath(frame))) return true;
  const fn = frame.function;
  if (fn === undefined) return undefined;
  const crate = crateOf(fn);
  if (crate !== undefined) return LIBRARY_CRATES.has(crate);
  // A closure or async block (`{closure#0}`): where it was inlined decides.
  if (fn.startsWith("{")) return undefined;
  // Generic over an allocator, its last type parameter: the allocator API is unstable, so no
  // stable program's function is (`insert<String, Vec<u32>, RandomState, alloc::alloc::Global>`;
  // `Box<T, alloc::alloc::Global>` as an argument says nothing); nor does a program name
  // hashbrown's private types (`find_or_find_insert_index<..., hashbrown::map::equivalent_key::...>`).
  if (lastTypeArgument(fn) === "alloc::alloc::Global" || fn.includes("hashbrown::")) return true;
  return undefined;
}

/**
 * The crate a qualified Rust name is in: `alloc` of `alloc::raw_vec::finish_grow`; of an impl
 * path `<X as Y>::f` the crate of X, or of the trait Y when X is a type parameter or a primitive
 * (`<T as alloc::slice::...>::to_vec`, `<u8 as ...>`); undefined for an unqualified name
 * (`allocate`, `with_capacity_in<u8, alloc::alloc::Global>`).
 */
export function crateOf(fn: string): string | undefined {
  if (fn.startsWith("<")) {
    const close = matchingAngle(fn, 0);
    const inner = fn.slice(1, close === -1 ? fn.length : close);
    const as = topLevelIndex(inner, " as ");
    const self = as === -1 ? inner : inner.slice(0, as);
    return pathCrate(self) ?? (as === -1 ? undefined : pathCrate(inner.slice(as + 4)));
  }
  return pathCrate(fn);
}

/** `alloc` of `alloc::vec::Vec<T>`; undefined when the path has no `::` before its generics. */
function pathCrate(path: string): string | undefined {
  const parts = topLevelComponents(path);
  const crate = parts[0] as string;
  return parts.length > 1 && IDENTIFIER.test(crate) ? crate : undefined;
}

/** The last type argument of an unqualified generic name: `A` of `push<T, A>`. */
function lastTypeArgument(fn: string): string | undefined {
  const open = fn.indexOf("<");
  if (open <= 0 || fn.startsWith("<")) return undefined;
  const close = matchingAngle(fn, open);
  if (close === -1) return undefined;
  const args = fn.slice(open + 1, close);
  let start = 0;
  for (let at = topLevelIndex(args, ", "); at !== -1; at = topLevelIndex(args, ", ", start))
    start = at + 2;
  return args.slice(start);
}

/** The index of the `>` closing the `<` at `open`, or -1. */
function matchingAngle(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i += 1) {
    const c = text[i];
    // `->` in a function type (`fn() -> T`) is no closing bracket.
    if (c === "<") depth += 1;
    else if (c === ">" && text[i - 1] !== "-" && (depth -= 1) === 0) return i;
  }
  return -1;
}

/** The index of `needle` outside any `<...>`, from `from` (outside any too), or -1. */
function topLevelIndex(text: string, needle: string, from = 0): number {
  let depth = 0;
  for (let i = from; i < text.length; i += 1) {
    const c = text[i];
    if (c === "<") depth += 1;
    else if (c === ">" && text[i - 1] !== "-") depth -= 1;
    else if (depth === 0 && text.startsWith(needle, i)) return i;
  }
  return -1;
}

/** The C frames under a Rust program's start-up: the `main` rustc writes, a thread's start. */
const C_STARTUP = new Set(["main", "start_thread", "clone", "clone3", "(below main)"]);

/**
 * The stack without the Rust runtime's start-up at its bottom (the `main` rustc writes ->
 * `std::rt::lang_start` -> ... -> `FnOnce::call_once` -> the program's `main`; a thread's start
 * -> `spawn_unchecked_` -> its closure), as libc's start-up below `main` is dropped: a stack
 * Valgrind cut at --num-callers then fingerprints as the same leak's whole stack does. Only a
 * Rust start-up (a library frame among what is dropped), and only with a frame left above it.
 */
export function withoutRustStartup(stack: readonly Frame[]): readonly Frame[] {
  let end = stack.length;
  let library = false;
  while (end > 0) {
    const frame = stack[end - 1] as Frame;
    if (isRustLibraryFrameAt(stack, end - 1)) library = true;
    else if (frame.file !== undefined || !C_STARTUP.has(frame.function ?? "")) break;
    end -= 1;
  }
  return library && end > 0 ? stack.slice(0, end) : stack;
}

/** The identifiers of a demangled Rust path, generic arguments and closures left out. */
export function pathIdentifiers(name: string): string[] {
  return topLevelComponents(name)
    .map(withoutGenerics)
    .filter((part) => IDENTIFIER.test(part));
}

/** A Rust identifier, whole. */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The `::`-separated components of a path, outside generic arguments and impl brackets. Not
 * cpp-demangled's splitTopLevel: that gives up on brackets that do not balance, and the `->` of
 * a Rust function type (`call_once<fn() -> T, ()>`) reads as one there.
 */
export function topLevelComponents(name: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let at = topLevelIndex(name, "::"); at !== -1; at = topLevelIndex(name, "::", start)) {
    parts.push(name.slice(start, at));
    start = at + 2;
  }
  parts.push(name.slice(start));
  return parts;
}
