import type { Frame } from "../../model/index.js";
import { crateOf, isRustLibraryCrate, topLevelComponents } from "../rust-frames.js";
import { cached } from "./name-cache.js";
import { isRustSymbolFrame } from "./rust-match.js";
import { rustManglingOf, type RustMangling } from "./rust-symbols.js";

/*
 * Which mangling a crate's symbols have, as its frames in one process show it. A plain path
 * (`shapes::forget_vec`) prints alike under both manglings, but another frame of the same crate
 * may show one (`shapes::main::{{closure}}`, `shapes::Holder::make` beside a legacy sibling;
 * `shapes::main::{closure#0}`, `shapes::run::<...>`, `<shapes::Holder>::make` in v0): one
 * compilation of a crate mangles all the symbols it defines one way (rustc's
 * `-C symbol-mangling-version`), so a glob that spells one mangling applies to the crate's plain
 * frames when that is the one shown, as Valgrind applies it to a program built so (campaign br F1:
 * `fun:_ZN6shapes10forget_vec*`, a `--gen-suppressions` block trimmed of its hash, left the leak
 * Valgrind hid reported). Per process, not per input: one log may hold a legacy build's process
 * and a v0 build's (test/fixtures/suppressions/rust-crate-manglings/both.txt).
 *
 * Not decided from a crate's frames:
 * - the standard library's crates: the program instantiates their generics under its own
 *   mangling (`std::rt::lang_start::{{closure}}`, `alloc::raw_vec::RawVecInner<A>::with_capacity_in`
 *   in a legacy build) while std's own functions stay v0 (`std::rt::lang_start_internal`,
 *   `<alloc::raw_vec::RawVecInner>::try_allocate_in`), so their shapes say nothing of the rest;
 * - a trait impl's path (`<X as Y>::f`), which is in X's crate or Y's;
 * - a crate whose frames show both (a library another crate instantiated differently): kept
 *   undecided, as before.
 */

/** What a crate's frames showed in a process: one mangling, or "both" when they disagree. */
type Shown = RustMangling | "both";

/** A bound for a long-lived library user: forgetting only leaves an entry undecided again. */
const MAX_PROCESSES = 100_000;

/** What a process's frames showed of their crates, and how many times that changed. */
interface ProcessCrates {
  crates: Map<string, Shown>;
  changes: number;
}

/** Per process, the mangling each crate's frames show (see above). */
export class RustCrateManglings {
  private readonly byProcess = new Map<string, ProcessCrates>();
  /**
   * Per stack (the records of a call site share one): the process it was last noted in, and its
   * signature there while nothing changed, so that a thousand records of one stack cost one.
   */
  private readonly notedIn = new WeakMap<readonly Frame[], string>();
  private readonly signatures = new WeakMap<
    readonly Frame[],
    { process: string; changes: number; key: string }
  >();

  /** Notes the manglings that the stack's Rust frames show of their crates. */
  note(process: string, stack: readonly Frame[]): void {
    if (this.notedIn.get(stack) === process) return;
    this.notedIn.set(stack, process);
    for (const frame of stack) {
      const fn = frame.function;
      if (fn === undefined) continue;
      const shown = cached(shapes, fn, shapeOf);
      // An inlined frame is named by its debug information (`{closure#0}`), whatever the mangling.
      if (shown === undefined || !isRustSymbolFrame(frame)) continue;
      const state = this.process(process);
      const before = state.crates.get(shown.crate);
      const now = before === undefined || before === shown.mangling ? shown.mangling : "both";
      if (now === before) continue;
      state.crates.set(shown.crate, now);
      state.changes += 1;
    }
  }

  private process(process: string): ProcessCrates {
    let state = this.byProcess.get(process);
    if (state === undefined) {
      if (this.byProcess.size >= MAX_PROCESSES) this.byProcess.clear();
      state = { crates: new Map(), changes: 0 };
      this.byProcess.set(process, state);
    }
    return state;
  }

  /** The mangling that the crate of a Rust path showed in the process, where its frames agree. */
  of(process: string, name: string): RustMangling | undefined {
    const crate = cached(ownCrates, name, ownCrateOf);
    const shown = crate === undefined ? undefined : this.byProcess.get(process)?.crates.get(crate);
    return shown === "both" ? undefined : shown;
  }

  /** Whether a later frame of the process may still tell the mangling of the path's crate. */
  mayTell(process: string, name: string): boolean {
    const crate = cached(ownCrates, name, ownCrateOf);
    return crate !== undefined && this.byProcess.get(process)?.crates.has(crate) !== true;
  }

  /** What matching the stack reads of the process's crates (see `of`), as a cache key. */
  signature(process: string, stack: readonly Frame[]): string {
    const state = this.byProcess.get(process);
    if (state === undefined) return "";
    const known = this.signatures.get(stack);
    if (known?.process === process && known.changes === state.changes) return known.key;
    let key = "";
    for (const frame of stack) {
      const mangling = frame.function === undefined ? undefined : this.of(process, frame.function);
      key += mangling === "legacy" ? "l" : mangling === "v0" ? "v" : "-";
    }
    if (!/[lv]/.test(key)) key = "";
    this.signatures.set(stack, { process, changes: state.changes, key });
    return key;
  }
}

// Per distinct name (see cached).
const shapes = new Map<string, { crate: string; mangling: RustMangling } | undefined>();
const ownCrates = new Map<string, string | undefined>();

function shapeOf(name: string): { crate: string; mangling: RustMangling } | undefined {
  const mangling = rustManglingOf(name);
  const crate = mangling === undefined ? undefined : cached(ownCrates, name, ownCrateOf);
  return mangling === undefined || crate === undefined ? undefined : { crate, mangling };
}

/**
 * The crate whose compilation named a Rust path's symbol, where the path tells and that crate's
 * frames can tell its mangling: `shapes` of `shapes::forget_vec` and of `<shapes::Holder>::make`;
 * undefined for a trait impl, a primitive's impl (`<[T]>::to_vec`) and the standard library.
 */
function ownCrateOf(name: string): string | undefined {
  const first = topLevelComponents(name)[0] ?? "";
  if (first.startsWith("<") && / as /.test(first)) return undefined;
  const crate = crateOf(name);
  return crate === undefined || isRustLibraryCrate(crate) ? undefined : crate;
}
