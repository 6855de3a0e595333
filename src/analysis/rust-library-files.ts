import type { Frame } from "../model/index.js";
import { baseName, framePath } from "./frame-paths.js";
import { UNKNOWN_INLINED } from "./unknown-inlined.js";

/*
 * The Rust standard library's allocation files, known by their base names: an inlined frame of
 * the library's has an unqualified name, and in the text log of some builds a bare file name too
 * (`new<...> (sync.rs:391)`, `exchange_malloc (alloc.rs:352)` in public log 10), which nothing
 * but that name tells from the program's. So a frame in one of these files is the library's only
 * when its function is one that the library's file of that name defines, and nothing says it is
 * the program's: a crate's own `alloc.rs` or `sync.rs` (arenas, pools) is common, and taken for
 * the library's, its leaks at -O2 were moved to the caller's line and merged there, and a new
 * one passed `--fail-on new` as an unchanged group that grew (campaign br F2).
 *
 * What says it is the program's:
 * - an absolute path that is not the library's (Valgrind's XML `<dir>`, `--fullpath-after`);
 * - in the text log, a function inlined with it into the same function and spelled by the text
 *   log's `library/alloc/src/...` path: rustc spells the library's inlined code of one build
 *   alike, so the frame's bare name is not the library's (`make_buffer (alloc.rs:3)` and
 *   `new (sync.rs:8)` over `with_capacity<u8> (library/alloc/src/vec/mod.rs:524)`).
 * A bare frame with neither (a build whose library frames are bare, or a helper that calls no
 * library code) is decided by its function's name alone: the program's `new` in its own
 * `sync.rs` is still taken for `Arc::new` (the README says so).
 */

/** `alloc::alloc`, std's `alloc.rs` (`__rdl_alloc`) and hashbrown's `raw/alloc.rs` (`do_alloc`). */
const ALLOC_RS = [
  ...["alloc", "alloc_zeroed", "dealloc", "realloc", "alloc_impl", "alloc_impl_runtime"],
  ...["allocate", "allocate_zeroed", "deallocate", "grow", "grow_zeroed", "grow_impl"],
  ...["grow_impl_runtime", "shrink", "shrink_impl", "exchange_malloc", "box_free", "do_alloc"],
  ...["handle_alloc_error", "__rdl_alloc", "__rdl_alloc_zeroed", "__rdl_realloc"],
];

/** RawVec's functions that allocate, of the releases whose file was `raw_vec.rs`. */
const RAW_VEC_RS = [
  ...["new", "new_in", "with_capacity", "with_capacity_in", "with_capacity_zeroed"],
  ...["with_capacity_zeroed_in", "try_with_capacity_in", "try_allocate_in", "allocate_in"],
  ...["grow_one", "grow_amortized", "grow_exact", "finish_grow", "reserve", "reserve_exact"],
  ...["reserve_for_push", "do_reserve_and_handle", "try_reserve", "try_reserve_exact"],
  ...["shrink", "shrink_to_fit", "shrink_unchecked", "from_box", "into_box"],
];

/** Box's constructors and the impls that allocate one (`Clone`, `Default`, `From`). */
const BOXED_RS = [
  ...["new", "new_in", "new_uninit", "new_uninit_in", "new_zeroed", "new_zeroed_in", "pin"],
  ...["pin_in", "try_new", "try_new_in", "try_new_uninit", "try_new_uninit_in", "try_new_zeroed"],
  ...["try_new_zeroed_in", "new_uninit_slice", "new_zeroed_slice", "clone", "clone_from"],
  ...["default", "from", "into_boxed_slice", "box_new"],
];

/** `Arc::new` and `Rc::new` (14 of public log 10's groups showed `new<T> (sync.rs:391)` first). */
const SHARED_POINTER_CONSTRUCTORS = [
  ...["new", "new_uninit", "new_zeroed", "new_cyclic", "new_in", "pin", "from"],
];

/**
 * Valgrind's name for an inlined function whose name its debug info lacks: in the library's
 * allocation files (not in `sync.rs` or `rc.rs`), the library's (public log 10).
 */
const UNNAMED_INLINED = UNKNOWN_INLINED;

const LIBRARY_FILE_FUNCTIONS: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  [
    ["alloc.rs", [...ALLOC_RS, UNNAMED_INLINED]],
    ["raw_vec.rs", [...RAW_VEC_RS, UNNAMED_INLINED]],
    ["boxed.rs", [...BOXED_RS, UNNAMED_INLINED]],
    ["spec_from_elem.rs", ["from_elem", UNNAMED_INLINED]],
    ["spec_extend.rs", ["spec_extend", "extend_trusted", "extend_desugared", UNNAMED_INLINED]],
    ["spec_from_iter.rs", ["from_iter", UNNAMED_INLINED]],
    ["spec_from_iter_nested.rs", ["from_iter", UNNAMED_INLINED]],
    ["sync.rs", SHARED_POINTER_CONSTRUCTORS],
    ["rc.rs", SHARED_POINTER_CONSTRUCTORS],
  ].map(([file, names]) => [file as string, new Set(names)]),
);

/** The text log's spelling of the library's code inlined into a program's function. */
const TEXT_LIBRARY_PATH = /^library\/[a-z_]+\/src\//;

/**
 * Whether the frame's function, unqualified, is one the library's file of that base name defines
 * (`alloc (alloc.rs:99)`, `new<T> (sync.rs:391)`), in no absolute path: a guess by names, which
 * libraryFileFrameAt checks against the stack.
 */
export function isLibraryFileFunction(frame: Frame): boolean {
  const names = LIBRARY_FILE_FUNCTIONS.get(baseName(frame.file ?? ""));
  if (names === undefined || framePath(frame).startsWith("/")) return false;
  return names.has(withoutGenerics(frame.function ?? ""));
}

/**
 * isLibraryFileFunction, unless the frame's file is a bare name and a function inlined with it
 * into the same function (a frame of the same address before it) is spelled by the text log's
 * `library/` path. Only a bare name: the library's bundled crates keep a directory of their own
 * (hashbrown's `src/raw/alloc.rs` over `allocate (library/alloc/src/alloc.rs:429)`).
 */
export function isLibraryFileFrameAt(stack: readonly Frame[], i: number): boolean {
  const frame = stack[i] as Frame;
  if (!isLibraryFileFunction(frame)) return false;
  const ip = frame.ip;
  if (ip === undefined || frame.file?.includes("/") === true) return true;
  for (let callee = i - 1; callee >= 0 && stack[callee]?.ip === ip; callee -= 1) {
    if (TEXT_LIBRARY_PATH.test(stack[callee]?.file ?? "")) return false;
  }
  return true;
}

/** `push` of `push<T>`: a path component without its generic arguments. */
export function withoutGenerics(part: string): string {
  const generic = part.indexOf("<");
  return generic > 0 ? part.slice(0, generic) : part;
}
