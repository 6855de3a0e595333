import type { Frame, Group } from "../model/index.js";
import { isAllocatorFrame, withoutAllocatorFrames } from "./allocator-frames.js";
import { stableName } from "./compiler-names.js";
import { openingParen, topLevelIndexes } from "./cpp-demangled.js";
import {
  fingerprintRenamed,
  fingerprintStack,
  recursionName,
  sameRecursionFunction,
  withoutClones,
} from "./fingerprint.js";
import { baseName } from "./frame-paths.js";
import {
  isCppLibraryFunction,
  isCppLibraryHeaderFrame,
  isInlinedLibraryHeaderFrame,
} from "./runtime-frames.js";
import { isRustLibraryFrameAt } from "./rust-frames.js";
import { runtimeRun } from "./runtime-window.js";
import { startsStdThread } from "./std-thread-frames.js";

/*
 * One C++ function under its two spellings in Valgrind's frames: an inlined frame is named by
 * its DWARF name (`make`, `make<long int>`, `operator()`), the function out of line by its
 * demangled one (`app::Maker::make(int) [clone .isra.0]`, `long* make<long>(int)`,
 * `run(int)::{lambda(int)#1}::operator()(int) const`). gcc's inlining, changed by an unrelated
 * call or -O0 against -O2, made an unchanged leak a new group and a fixed one (campaign ba).
 */

/** The function's own name: no scope, return type, template arguments or parameters. */
export function lastName(fn: string): string {
  let name = withoutClones(fn).trim();
  // The parameter list, once: `operator()(int) const` keeps `operator()`, a bare `operator()`
  // is no parameter list (what is left would end in `operator`).
  const cv = /\)(?:\s*(?:const|volatile|&&|&))*$/.exec(name);
  if (cv !== null) {
    const close = cv.index;
    const open = openingParen(name, close);
    if (open > 0 && !/\boperator\s*$/.test(name.slice(0, open))) name = name.slice(0, open);
  }
  name = lastComponent(name);
  const operator = /\boperator\b.*$/.exec(name);
  if (operator !== null) return operator[0].replace(/\s+/g, " ");
  // A demangled template's return type (`long* make<long>`): the name is its last word.
  name = name.slice(topLevelSpace(name) + 1);
  return name.replace(/<.*>$/, "") || name;
}

/**
 * A name as Valgrind prints an inlined frame: no scope and no parameter list (a C function's
 * name is one too: it has no other spelling, and `lastName` leaves it as it is).
 */
export function isBareName(fn: string): boolean {
  const name = withoutClones(fn).trim();
  if (lastComponent(name) !== name) return false;
  return !name.endsWith(")") || /^operator\s*\(\)$/.test(name);
}

/** One function in two frames: the same name, or a bare one and a spelled-out one of it. */
function sameFunction(a: Frame, b: Frame): boolean {
  if (a.function === undefined || b.function === undefined) return a.function === b.function;
  const x = stableName(withoutClones(a.function), a.file !== undefined);
  const y = stableName(withoutClones(b.function), b.file !== undefined);
  if (x === y) return true;
  return isBareName(x) !== isBareName(y) && lastName(x) === lastName(y);
}

/**
 * One function in two frames (sameFunction) in one file, or in the C++ library under its two
 * spellings: compiled in its object, with no file, and inlined from its header (see
 * isLibraryObjectFrame).
 */
function sameFrame(a: Frame, b: Frame): boolean {
  if (!sameFunction(a, b)) return false;
  const file = (f: Frame) => (f.file !== undefined ? baseName(f.file) : undefined);
  if (file(a) === file(b)) return true;
  const twins = (compiled: Frame, inlined: Frame) =>
    isLibraryObjectFrame(compiled) && isInlinedHeaderFrame(inlined);
  return twins(a, b) || twins(b, a);
}

/**
 * A function of the C++ library spelled out in its object, with no file:
 * `std::__cxx11::basic_string<...>::operator=(std::__cxx11::basic_string<...> const&) (in
 * libstdc++.so.6.0.30)`, which a -O0 build calls where -O2 inlines it from the header and prints
 * its bare name there (`operator= (basic_string.h:805)`). While the two frames had to name one
 * file, a leak through a std::string's copy-assignment was new and fixed between the two builds
 * (campaign ca F5). Only the library's functions: a program's own, in an object built without
 * debug info, is inlined from none of the library's headers.
 */
function isLibraryObjectFrame(frame: Frame): boolean {
  const fn = frame.function;
  return (
    frame.file === undefined && fn !== undefined && !isBareName(fn) && isCppLibraryFunction(fn)
  );
}

/**
 * Frames compared by `agree`, as a fingerprint compares them: 8, the allocator's left out, and
 * the runtime's above the program's not counted (see runtimeWindow; `agree` compares them too).
 */
const COMPARED = 8;

/**
 * The stack without the C++ library's header frames, spelled out or inlined, and its functions
 * spelled out in its object (isLibraryObjectFrame), which may be an inlined header frame's twin:
 * what groups are bucketed by for pairing (see inlinedKey), which `agree` then decides frame by
 * frame.
 */
function withoutLibraryFrames(stack: readonly Frame[]): readonly Frame[] {
  const kept = stack.filter(
    (frame, i) =>
      !isCppLibraryHeaderFrame(frame) &&
      !isInlinedLibraryHeaderFrame(stack, i) &&
      !isLibraryObjectFrame(frame),
  );
  return kept.length === stack.length ? stack : kept;
}

/**
 * A group's frames as `agree` compares them: the stack less the allocator's frames and the
 * start-up frames at its bottom (withoutAllocatorFrames), from `start` in the stack, less a
 * recursion's repeated frames (withoutRepeats).
 * `stdThread`: std::thread's start-up follows them (startsStdThread). `body`: their last frame
 * is then the thread's body, a call operator (a lambda's, a functor's) under a frame of its own.
 */
interface Compared {
  frames: readonly Frame[];
  start: number;
  /** Where the run of the stack that `frames` come from ends (exclusive). */
  end: number;
  stdThread: boolean;
  body: boolean;
}

/*
 * A std::thread running `[this] { worker_loop(); }`: a -O0 build prints the lambda's frame
 * (`Pool::Pool(unsigned int)::{lambda()#1}::operator()() const`) between worker_loop and
 * std::thread's frames, -O2 inlines the lambda and tail-calls worker_loop from it, and prints
 * `worker_loop / ??? (in libstdc++.so.6.0.30) / start_thread / clone`. Hashed, the two builds'
 * stacks differ, and the leak, and every leak under it, was new and fixed (campaign ca F5): the
 * body is passed over when the other stack, a std::thread's too, has nothing left there. Only
 * there, and only with a frame above it: a body that leaks itself, or a call operator the other
 * stack goes on below, is still compared.
 */
function compared(stack: readonly Frame[]): Compared {
  const run = withoutAllocatorFrames(stack);
  // withoutAllocatorFrames slices: its frames are a run of the stack's.
  const start = run === stack ? 0 : stack.indexOf(run[0] as Frame);
  const stdThread = run !== stack && startsStdThread(stack[start + run.length]);
  const last = run.at(-1);
  // A recursion's repeated frames are left out (withoutRepeats); the body, the run's last frame,
  // is one of them only in a recursion through the thread's entry, which is then no body.
  const frames = withoutRepeats(run);
  const body =
    stdThread &&
    run.length > 1 &&
    frames.at(-1) === last &&
    last?.function !== undefined &&
    isCallOperator(last.function);
  return { frames, start, end: start + run.length, stdThread, body };
}

/** A call operator, spelled out or bare: `operator()`, `operator()<int>` (a generic lambda's). */
function isCallOperator(fn: string): boolean {
  return /^operator\s*\(\)(?:<|$)/.test(lastName(fn));
}

/**
 * A frame of the C++ library's headers inlined into the program's function: its bare name in
 * one of those headers. -O2 prints them (`assign (basic_string.h:1647)`, `operator=
 * (basic_string.h:815)` above `set_name(char const*)`) where the -O0 build called into
 * libstdc++.so, which prints neither: a leak through std::string's assignment was new and fixed
 * between the two builds (campaign bn F4).
 */
function isInlinedHeaderFrame(frame: Frame): boolean {
  return (
    frame.function !== undefined && isBareName(frame.function) && isCppLibraryHeaderFrame(frame)
  );
}

/**
 * Whether two stacks agree frame by frame over their first COMPARED frames, each the same
 * function (see sameFrame); an inlined header frame (isInlinedHeaderFrame) that the other stack
 * lacks is passed over, and so is a std::thread's body at the bottom of one when the other, a
 * std::thread's too, has ended (see compared). A spelled-out frame of the library must match one:
 * leaving every header frame out, a vector's `_M_allocate` and a map's `_M_get_node` in one
 * function were one leak, and a new map leak passed as the vector leak it replaced (campaign
 * v15b F2).
 */
function agree(a: Compared, b: Compared): boolean {
  const [p, q] = [a.frames, b.frames];
  // Counted, a `make_shared` factory's seven frames and the factory filled the comparison, and
  // two callers below it that shared a last name (`Circle::clone()`, `Square::clone()`) paired.
  const [freeA, freeB] = [uncounted(p), uncounted(q)];
  let [i, j, matched] = [0, 0, 0];
  while (matched < COMPARED && (i < p.length || j < q.length)) {
    const [x, y] = [p[i], q[j]];
    if (x !== undefined && y !== undefined && sameFrame(x, y)) {
      const counted = i >= freeA && j >= freeB;
      [i, j, matched] = [i + 1, j + 1, counted ? matched + 1 : matched];
    } else if (x !== undefined && isInlinedHeaderFrame(x)) i += 1;
    else if (y !== undefined && isInlinedHeaderFrame(y)) j += 1;
    else if (y === undefined && endsInBody(a, i, b)) i += 1;
    else if (x === undefined && endsInBody(b, j, a)) j += 1;
    else return false;
  }
  return true;
}

/** Whether `mine`'s frame `i` is its std::thread's body, and `other` a std::thread's stack. */
function endsInBody(mine: Compared, i: number, other: Compared): boolean {
  return mine.body && i === mine.frames.length - 1 && other.stdThread;
}

/**
 * The stack less each frame of a function seen higher in it, as fingerprints leave a recursion's
 * repeated frames out (see recursionName): the same leak at two depths is one finding, and
 * compared with the repeats in, it was new and fixed where -O2 spelled one frame above the
 * recursion another way.
 */
function withoutRepeats(frames: readonly Frame[]): readonly Frame[] {
  const kept: Frame[] = [];
  const names: (string | undefined)[] = [];
  for (const frame of frames) {
    const name = recursionName(frame);
    const seen =
      name !== undefined &&
      kept.some((k, i) => names[i] === name && sameRecursionFunction(k, frame));
    if (seen) continue;
    kept.push(frame);
    names.push(name);
  }
  return kept.length === frames.length ? frames : kept;
}

/** How many of a stack's first frames are the runtime's that `agree` does not count. */
function uncounted(frames: readonly Frame[]): number {
  const run = runtimeRun(frames);
  return run < frames.length ? run : 0;
}

/**
 * New groups that are gone baseline groups' findings with an inlined frame spelled the other
 * way: marked unchanged (in `marked`, in place); the gone groups left are returned. A pair must
 * agree frame by frame, each frame the same function or a bare name beside a spelled-out one
 * ending in it: two functions both spelled out (`Circle::clone()` and `Square::clone()`,
 * overloads, namespaces) are two findings (campaign v11). Only groups fingerprinted with the
 * default options are paired: `--fingerprint-lines` asks for an edit to make a new group.
 */
export function matchInlined(marked: Group[], gone: readonly Group[]): Group[] {
  if (gone.length === 0) return [...gone];
  const waiting = new Map<string, { group: Group; frames: Compared }[]>();
  for (const group of gone) {
    const frames = compared(group.stack);
    const key = inlinedKey(group, frames);
    if (key === undefined) continue;
    waiting.set(key, [...(waiting.get(key) ?? []), { group, frames }]);
  }
  if (waiting.size === 0) return [...gone];
  // Not one to one: inlined, `Box<int>::Box(int)` and `Box<long>::Box(int)` are both `Box`, one
  // group, which is each of the two spelled out (campaign v12: one of them stayed new, or was
  // called fixed while the merged group still counted its blocks).
  const paired = new Set<Group>();
  for (const [i, group] of marked.entries()) {
    if (group.baseline !== "new") continue;
    const mine = compared(group.stack);
    const key = inlinedKey(group, mine);
    const matches = (key !== undefined ? (waiting.get(key) ?? []) : []).filter(({ frames }) =>
      agree(mine, frames),
    );
    if (matches.length === 0) continue;
    for (const { group: old } of matches) paired.add(old);
    marked[i] = { ...group, baseline: "unchanged" };
  }
  return gone.filter((group) => !paired.has(group));
}

/**
 * Type, kind and the fingerprint of the stack with each name cut to lastName; see above. The
 * allocator's frames and the Rust standard library's keep their names, which tell them to the
 * fingerprint: cut, `<alloc::raw_vec::RawVecInner>::try_allocate_in (in prog-dbg)`, which a -O0
 * build calls and -O2 inlines, was a `try_allocate_in` of the program's, and a Rust function
 * inlined at -O2 was new and fixed against its -O0 frame (campaign br F5). Which frames are
 * compared is told by the names as they are, before they are cut: cut first, a crate's
 * `pool::alloc::allocate` at -O0 was a bare `allocate` in an `alloc.rs` with no library code
 * inlined into it, std's by its file (see rust-library-files.ts), and was skipped, where its -O2
 * frame was kept, so that it was new and fixed (campaign v18b F5). A std::thread's body that
 * `agree` may pass over (see compared) is left out with what is below it.
 */
function inlinedKey(group: Group, frames: Compared): string | undefined {
  if (fingerprintStack(group.stack) !== group.fingerprint) return undefined;
  const end = frames.body ? frames.end - 1 : group.stack.length;
  const own = withoutLibraryFrames(group.stack.slice(0, end));
  // A stack of the library's frames alone names nothing of the program's to pair by.
  if (withoutAllocatorFrames(own).length === 0) return undefined;
  const library = new Set(
    own.filter((frame, i) => isAllocatorFrame(frame) || isRustLibraryFrameAt(own, i)),
  );
  const cut = (fn: string, frame: Frame) => (library.has(frame) ? fn : lastName(fn));
  return `${group.type}\u0000${group.kind}\u0000${fingerprintRenamed(own, cut)}`;
}

/** The part after the last `::` outside brackets. */
function lastComponent(name: string): string {
  const last = topLevelIndexes(name, (i) => name.startsWith("::", i)).at(-1);
  return last === undefined ? name : name.slice(last + 2);
}

/** The index of the last space outside brackets, or -1. */
function topLevelSpace(name: string): number {
  return topLevelIndexes(name, (i) => name[i] === " ").at(-1) ?? -1;
}
