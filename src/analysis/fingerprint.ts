import type { Frame } from "../model/index.js";
import { isAllocatorName, withoutAllocatorFrames } from "./allocator-frames.js";
import {
  C_LIBRARY_CALL_FRAME,
  C_LIBRARY_UNNAMED,
  cLibraryFrameName,
  hashesCLibraryAlike,
  isUnnamedCLibraryFrame,
} from "./c-library-frames.js";
import { stableName } from "./compiler-names.js";
import { baseName, baseStart } from "./frame-paths.js";
import {
  callsCLibraryFunction,
  cLibraryName,
  isCRuntimeFrame,
  isCppLibraryFunction,
  isInterceptorName,
} from "./runtime-frames.js";
import { runtimeWindow } from "./runtime-window.js";
import { isUnknownInlined } from "./unknown-inlined.js";
import { withoutReplacementInternals } from "./valgrind-replacements.js";

export interface FingerprintOptions {
  /**
   * How many frames take part, after the allocator's and not counting the runtime's above the
   * program's (see runtimeWindow).
   */
  frames: number;
  /** Include line numbers: stricter, but changes whenever the code above moves. */
  lines: boolean;
}

export const DEFAULT_FINGERPRINT_OPTIONS: FingerprintOptions = { frames: 8, lines: false };

/**
 * A stable hash of a call stack that survives rebuilds: function names and source file names
 * only (no addresses, no directories, lines only on request or where a frame names no
 * function), allocator frames skipped, top N frames. Frames with no function fall back to their
 * object's base name and the offset in it where printed (Frame's `offset`), then to `???`.
 */
export function fingerprintStack(
  stack: readonly Frame[],
  options: FingerprintOptions = DEFAULT_FINGERPRINT_OPTIONS,
): string {
  return fingerprintRenamed(stack, undefined, options);
}

/**
 * fingerprintStack with each named frame's function hashed as `rename` spells it. The frames
 * compared are chosen by the names as they are, which tell the library's frames from the
 * program's: baseline pairing's key, cutting `pool::alloc::allocate` to `allocate` first, made a
 * crate's function in its own `alloc.rs` std's, and skipped it (campaign v18b F5).
 */
export function fingerprintRenamed(
  stack: readonly Frame[],
  rename: ((fn: string, frame: Frame) => string) | undefined,
  options: FingerprintOptions = DEFAULT_FINGERPRINT_OPTIONS,
): string {
  // The key `fn file[:line]\n` per frame is hashed as it is walked, never built as a string:
  // this runs once per finding (profiled: the key strings were a tenth of a large parse).
  const hash = new Fnv64();
  for (const { frame, kind, name } of comparedFrames(stack, options, rename)) {
    // The C library's frames alike with and without its debug info (campaign bp F3): a hidden
    // function as its `??? (in libc.so.6)` where another frame tells leaks apart (campaign v17
    // F1, see hashesCLibraryAlike), an exported one by its name alone.
    if (kind === "c-library-unnamed") hash.add(C_LIBRARY_UNNAMED);
    else if (kind === "c-library") hash.add(name as string);
    else addFrame(hash, frame, name, options.lines);
    hash.add("\n");
  }
  return hash.digest();
}

/** Adds a frame that is not the C library's: `name` (its function as hashed), place and line. */
function addFrame(hash: Fnv64, frame: Frame, name: string | undefined, lines: boolean): void {
  if (name !== undefined) {
    hash.add(name);
    // Without a source file (a build without -g: `main (in /ci/test_parser)`) a name is
    // told apart by its object: every test program's `main` was one group, and a new leak in
    // one passed as unchanged against a baseline holding another's. Not the C++ library's
    // (`std::...`): linked statically, its object is the program's, and a renamed binary or
    // static against shared libstdc++ made an unchanged leak new and fixed (campaign bn F6).
    if (frame.file === undefined && frame.object !== undefined && !isCppLibraryFunction(name)) {
      hash.add(" (in ").add(objectName(frame.object)).add(")");
    }
  } else if (frame.object !== undefined && frame.function === undefined) {
    // An unsymbolized sanitizer frame is known by its offset in its object: without it, the
    // distinct leaks of lsan-symbolize0.log were one group of "??? (in lsan-symbolize0)".
    hash.add("(").addBase(frame.object);
    if (frame.offset !== undefined) hash.add("+").add(frame.offset);
    hash.add(")");
  } else hash.add("???");
  if (frame.file !== undefined) {
    hash.add(" ").addBase(frame.file);
    // A frame with no function is known by its file and line alone (MEMWATCH names only
    // `main.c(16)`): without the line, every block allocated in one file was one group.
    const withLine = lines || name === undefined;
    if (withLine && frame.line !== undefined) hash.add(":").add(String(frame.line));
  }
}

/**
 * How fingerprints hash a frame: as one unnamed frame of the C library's (see
 * isUnnamedCLibraryFrame), as a named one of its (by its name alone, see cLibraryFrameName), or
 * as any other frame (its function, place and line, see addFrame).
 */
type FrameKind = "c-library-unnamed" | "c-library" | "other";

/**
 * A frame a stack is fingerprinted on, with its function's name as hashed, if it names one, and
 * as a recursion is told by (see recursionName).
 */
interface ComparedFrame {
  frame: Frame;
  kind: FrameKind;
  name: string | undefined;
  own: string | undefined;
}

/**
 * The frames a stack is fingerprinted on, in order (see comparedWindow): up to
 * `options.frames` of them below the runtime's run at the top, each function once. A frame of a
 * function higher in the stack (see sameRecursionFunction) is left out: a recursion is one call
 * however deep it went, and the window reaches past it to its callers. Each depth was a group
 * of its own: a JSON parser's leak in `parse_object`, reached through `parse_value` and
 * `parse_object` again, was 1 group on a flat input and 5 on a nested one, "4 new" (campaign ca
 * Q2).
 */
function comparedFrames(
  stack: readonly Frame[],
  options: FingerprintOptions,
  rename: ((fn: string, frame: Frame) => string) | undefined,
): ComparedFrame[] {
  const { frames, free, cLibraryAlike } = comparedWindow(stack, options);
  const compared: ComparedFrame[] = [];
  let counted = 0;
  for (let i = 0; i < frames.length && counted < options.frames; i += 1) {
    const frame = describe(frames[i] as Frame, rename, cLibraryAlike);
    if (frame.own !== undefined && seenHigher(compared, frame)) continue;
    compared.push(frame);
    if (i >= free) counted += 1;
  }
  return compared;
}

/** Whether `frame` is one of `compared`'s functions (see sameRecursionFunction). */
function seenHigher(compared: readonly ComparedFrame[], frame: ComparedFrame): boolean {
  for (const seen of compared) {
    if (seen.own === frame.own && sameRecursionFunction(seen.frame, frame.frame)) return true;
  }
  return false;
}

/** How fingerprints hash `frame` (see FrameKind), with its function's name as hashed. */
function describe(
  frame: Frame,
  rename: ((fn: string, frame: Frame) => string) | undefined,
  cLibraryAlike: boolean,
): ComparedFrame {
  if (cLibraryAlike && isUnnamedCLibraryFrame(frame)) {
    return { frame, kind: "c-library-unnamed", name: undefined, own: undefined };
  }
  const withFile = frame.file !== undefined;
  const exported = cLibraryFrameName(frame);
  if (exported !== undefined) {
    return { frame, kind: "c-library", name: hashedName(exported, withFile), own: undefined };
  }
  const named = namedFunction(frame);
  if (named === undefined) return { frame, kind: "other", name: undefined, own: undefined };
  const fn = rename === undefined ? named : rename(named, frame);
  // The C library's named frames were cLibraryFrameName's above; its hidden ones are no
  // recursion either (see recursionName).
  const own = isUnnamedCLibraryFrame(frame) ? undefined : clonedFrom(named);
  return { frame, kind: "other", name: hashedName(fn, withFile), own };
}

/**
 * The name a recursion's frames are told by: the function as the log names it, less gcc's clone
 * suffixes (`walk.part.0` under `walk` is one call of it). Not as hashed, where gcc's lambdas of
 * one signature and Rust's closures of one file read alike (an inlined `{async_fn#0}` under
 * `{async_block#0}` is no recursion), nor as a rename spells it (cut to its last name,
 * `prog::make::{{closure}}` and `prog::main::{{closure}}` were one). None for a frame that names
 * no function (a stripped object's `???` frames, alike whatever their function;
 * `UnknownInlinedFun`) and for the C library's: glibc repeats its own as wrappers
 * (`_dl_catch_exception` at each step of a dlopen), and left out, they let the window reach the
 * frames that only glibc's debug info prints (dlopen's inlined `dlopen_implementation`), which
 * parted a machine with libc6-dbg from one without.
 */
export function recursionName(frame: Frame): string | undefined {
  const named = namedFunction(frame);
  if (named === undefined || isUnnamedCLibraryFrame(frame)) return undefined;
  return cLibraryFrameName(frame) === undefined ? clonedFrom(named) : undefined;
}

/** The function a gcc clone was made from (`walk` of `walk.part.0`), or the name as it is. */
function clonedFrom(name: string): string {
  return name.includes(".") ? withoutClones(name) : name;
}

/**
 * Whether two frames of one recursionName are one function: in files of one base name
 * (fingerprints hash no more of a path), or, without a file, in one object.
 */
export function sameRecursionFunction(a: Frame, b: Frame): boolean {
  if (a.file === undefined || b.file === undefined) {
    return a.file === b.file && a.object === b.object;
  }
  return a.file === b.file || baseName(a.file) === baseName(b.file);
}

/**
 * One frame as fingerprintStack hashes it, in two parts: `name`, its function as hashed (empty
 * for a frame known by its object), and `place`, the rest (its file's base name, or the object's
 * base name and offset). For the text reports, which must tell groups apart by what their
 * fingerprints differ in: compared by function name alone, `init (a.c:4)` and `init (b.c:4)`
 * read alike (fix j). Built as strings here, never in fingerprintStack, which runs once per
 * finding; a test holds the two in step. `cLibraryAlike` is what hashesStackCLibraryAlike says
 * of the frame's stack.
 */
export function frameKey(
  frame: Frame,
  lines = false,
  cLibraryAlike = true,
): { name: string; place: string } {
  let name = "???";
  let place = "";
  if (cLibraryAlike && isUnnamedCLibraryFrame(frame)) return { name: "", place: C_LIBRARY_UNNAMED };
  const exported = cLibraryFrameName(frame);
  if (exported !== undefined) {
    return { name: stableName(withoutClones(exported), frame.file !== undefined), place };
  }
  const named = namedFunction(frame);
  if (named !== undefined) {
    name = stableName(withoutClones(named), frame.file !== undefined);
    if (frame.file === undefined && frame.object !== undefined && !isCppLibraryFunction(named)) {
      place = ` (in ${objectName(frame.object)})`;
    }
  } else if (frame.object !== undefined && frame.function === undefined) {
    name = "";
    const offset = frame.offset !== undefined ? `+${frame.offset}` : "";
    place = `(${frame.object.slice(baseStart(frame.object))}${offset})`;
  }
  if (frame.file !== undefined) {
    place += ` ${frame.file.slice(baseStart(frame.file))}`;
    const withLine = lines || named === undefined;
    if (withLine && frame.line !== undefined) place += `:${frame.line}`;
  }
  return { name, place };
}

/**
 * The function a frame names, as fingerprints know it: not Valgrind's `UnknownInlinedFun`, the
 * name 3.19 and 3.24 give every function of a `-flto` build that they cannot name. Hashed as a
 * name, with lines left out, it made distinct leaks one group, told apart by their lines alone
 * (`UnknownInlinedFun (store.c:8)` and `(store.c:15)`), and a new one passed `--fail-on new`
 * (campaign ca F3). Such a frame is `???` in its file and line, as a frame with no function is;
 * its object is left out, which the XML names and the text log does not.
 */
function namedFunction(frame: Frame): string | undefined {
  return isUnknownInlined(frame) ? undefined : frame.function;
}

/*
 * gcc's clones of a function (`make_buf.constprop.0`, `.isra.0`, `.part.0`, `.cold`, and
 * demangled C++'s `f(int) [clone .constprop.0]`): the same source function, cloned or not as
 * unrelated code changes (a second call made gcc -O2 stop cloning `make_buf`, and its leak was
 * fixed and new), and named by gcc's sanitizers by its source name in the same build.
 */
const C_CLONE_SUFFIX = /(?:\.(?:constprop|isra|part|cold|lto_priv|localalias)(?:\.\d+)?)+$/;
const CPP_CLONE_SUFFIX = /(?: \[clone \.[^\]]*\])+$/;

/** A function's name as hashed: less gcc's clone suffixes (C_CLONE_SUFFIX) and made-up parts. */
function hashedName(name: string, withFile: boolean): string {
  return stableName(clonedFrom(name), withFile);
}

/** A function's name less gcc's clone suffixes (see C_CLONE_SUFFIX). */
export function withoutClones(name: string): string {
  const suffix = (name.endsWith("]") ? CPP_CLONE_SUFFIX : C_CLONE_SUFFIX).exec(name);
  return suffix === null ? name : name.slice(0, suffix.index);
}

/**
 * An object's base name, less a shared library's version (`libsasl2.so.2.0.25` is
 * `libsasl2.so`): Valgrind names the file the link resolves to, a sanitizer the link it loaded
 * (`libsasl2.so.2`), and a library update changes the version.
 */
function objectName(path: string): string {
  const base = path.slice(baseStart(path));
  const so = base.lastIndexOf(".so.");
  return so !== -1 && /^(?:\.\d+)+$/.test(base.slice(so + 3)) ? base.slice(0, so + 3) : base;
}

/**
 * The frames a stack's window is taken from (see comparedFrames): `frames`, of which the first
 * `free` are the runtime's that do not count against it (see runtimeWindow), and whether their
 * unnamed C library frames hash alike (hashesCLibraryAlike, asked of the whole stack). A run of
 * Valgrind's replacement frames is its outermost one (see withoutReplacementInternals).
 */
function comparedWindow(
  stack: readonly Frame[],
  options: FingerprintOptions,
): { frames: readonly Frame[]; free: number; cLibraryAlike: boolean } {
  const cut = withoutLibraryAllocation(stack, withoutAllocatorFrames(stack));
  const named = withoutReplacementInternals(cut);
  const all = named.some(isPseudoMapping) ? named.filter((f) => !isPseudoMapping(f)) : named;
  const { start, free } = runtimeWindow(all, options.frames);
  const frames = start === 0 ? all : all.slice(start);
  return { frames, free, cLibraryAlike: hashesCLibraryAlike(all) };
}

/**
 * Whether frameKey should hash `stack`'s unnamed C library frames alike, as fingerprintStack
 * does (see hashesCLibraryAlike).
 */
export function hashesStackCLibraryAlike(
  stack: readonly Frame[],
  options: FingerprintOptions = DEFAULT_FINGERPRINT_OPTIONS,
): boolean {
  return comparedWindow(stack, options).cLibraryAlike;
}

/**
 * An allocation stack (`cut` is `stack` less the allocator's frames at its top) with the C
 * library's frames between the allocator and the program as the one function the program
 * called (see cLibraryName): a libc function that allocates (getline, asprintf, fopen, fclose of
 * an open_memstream) is shown by each checker its own way: Valgrind `getdelim`, gcc's ASan
 * `__GI___getdelim` and `__interceptor_getline`, LSan `__GI___getdelim` alone, clang's ASan
 * `getdelim` and `__interceptor_getline` (test/fixtures/grouping/libc-alloc: 22 groups for 6
 * leaks in 4 logs). A stack with no program frame below them is left whole.
 */
function withoutLibraryAllocation(
  stack: readonly Frame[],
  cut: readonly Frame[],
): readonly Frame[] {
  // Only under an allocation function: an error in memcpy is not an allocation of it.
  const top = stack[0]?.function;
  if (cut.length === 0 || cut[0] === stack[0] || top === undefined) return cut;
  if (!isAllocatorName(cLibraryName(top))) return cut;
  let i = 0;
  while (i < cut.length && isCLibraryCallFrame(cut[i] as Frame)) i += 1;
  if (i === cut.length) return cut;
  if (i === 0) {
    // A sanitizer's interceptor is skipped with the allocator's frames: `__interceptor_realpath`
    // stands for the realpath that Valgrind shows under strdup.
    const interceptor = interceptedCall(stack[stack.indexOf(cut[0] as Frame) - 1]);
    return interceptor === undefined ? cut : [{ function: interceptor }, ...cut];
  }
  // The outermost of those frames that is a function of libc's interface is the one the
  // program called. Reserved names above it are the program's own (`__table_insert`): taken
  // for libc's, two functions' leaks were one group, and a new one passed `--fail-on new`.
  let called = i - 1;
  while (called >= 0 && !callsCLibraryFunction(functionOf(cut[called]))) called -= 1;
  // A function the list lacks (tsearch) is libc's where a checker says so: its interceptor
  // (ASan's `__interceptor_tsearch`) or glibc's internal alias (LSan's `__GI___tsearch`) is the
  // outermost of the frames; hashed as they were, the two checkers' groups parted (campaign v5).
  if (called === -1) called = outermostCLibraryMark(cut, i);
  // None names the function: a hidden one that the interface function tail-called (fopen's
  // `__fopen_internal`, `??? (in libc.so.6)` without the library's debug info) is one call into
  // the C library, with or without that debug info (campaign bp F3). Not where a frame may be
  // the program's own (`__table_insert`, see above), nor where no frame below tells leaks apart
  // (an ASan garbage frame's `(<unknown module>)`, see hashesCLibraryAlike).
  const rest = cut.slice(i);
  if (called === -1 && cut.slice(0, i).every(isUnnamedCLibraryFrame) && hashesCLibraryAlike(rest)) {
    return [C_LIBRARY_CALL_FRAME, ...rest];
  }
  if (called === -1) return cut;
  return [{ function: cLibraryName(functionOf(cut[called])) }, ...cut.slice(called + 1)];
}

/** A frame of the C library's between the allocator and the program: by its name or its object. */
function isCLibraryCallFrame(frame: Frame): boolean {
  return isCRuntimeFrame(frame) || isUnnamedCLibraryFrame(frame);
}

/** The last of `cut`'s first `count` frames that is an interceptor or a `__GI_` alias, or -1. */
function outermostCLibraryMark(cut: readonly Frame[], count: number): number {
  for (let j = count - 1; j >= 0; j -= 1) {
    const fn = functionOf(cut[j]);
    if (isInterceptorName(fn) || fn.startsWith("__GI_")) return j;
  }
  return -1;
}

/** The function of a frame that isCRuntimeFrame took (it names one). */
function functionOf(frame: Frame | undefined): string {
  return frame?.function ?? "";
}

/** The C library function an interceptor frame stands for, unless an allocation function. */
function interceptedCall(frame: Frame | undefined): string | undefined {
  const fn = frame?.function;
  if (fn === undefined || !isInterceptorName(fn)) return undefined;
  const name = cLibraryName(fn);
  return isAllocatorName(name) ? undefined : name;
}

/**
 * A frame in no file but a kernel mapping (`([stack]+0x1fb47)`, `[heap]`, `[vdso]`, `[anon:...]`):
 * garbage that ASan's fast unwinder read off the stack, at an offset that moves with every run
 * (ASLR). Hashed, one leak of one binary was a new group in 2 runs of 10.
 */
export function isPseudoMapping(frame: Frame): boolean {
  return frame.function === undefined && frame.object?.startsWith("[") === true;
}

/** What the frames a stack is fingerprinted on fail to name (see windowNaming). */
export interface WindowNaming {
  /**
   * None names a function, a source file or an offset: a stripped program's `??? (in
   * /usr/bin/git)`, known by its object alone, so that the leaks at different places of one
   * object are one group (git log's 80 stacks were 3 groups).
   */
  unnamed: boolean;
  /**
   * One is an address alone (`by 0x51EB150: ???`, no function, file or object): code Valgrind
   * no longer knows when it prints the stack, a library dlclose'd before the leak check (or
   * JIT code). Fingerprints leave addresses out, so leaks that differ only there are one group:
   * two functions of a ctypes-loaded library that Python closed were one, and a new leak in it
   * would read as unchanged.
   */
  bare: boolean;
}

/** What the frames a stack is fingerprinted on fail to name, from one look at them. */
export function windowNaming(
  stack: readonly Frame[],
  options: FingerprintOptions = DEFAULT_FINGERPRINT_OPTIONS,
): WindowNaming {
  const frames = comparedFrames(stack, options, undefined);
  let objectsOnly = frames.length > 0;
  let bare = false;
  for (const { frame } of frames) {
    objectsOnly &&= isObjectOnly(frame);
    bare ||= isBareAddress(frame);
  }
  return { unnamed: objectsOnly, bare };
}

/** What a sanitizer names the object of an address in no module it knows. */
const UNKNOWN_MODULE = "<unknown module>";

/** ASan's frame in no module it knows (`(<unknown module>)`), named by nothing else. */
export function isUnknownModule(frame: Frame): boolean {
  return frame.function === undefined && frame.object === UNKNOWN_MODULE;
}

/** A frame known by its object alone (`??? (in /usr/bin/git)`). */
function isObjectOnly(frame: Frame): boolean {
  if (frame.function !== undefined || frame.file !== undefined) return false;
  if (frame.object === UNKNOWN_MODULE) return false;
  // `0x0: ???`, a jump to nowhere, names no object either: no build fixes it.
  return frame.offset === undefined && frame.object !== undefined;
}

/**
 * An address alone; not `0x0: ???`, a jump to nowhere, which no rerun names. ASan's `(<unknown
 * module>)` is one too: the code of a library dlclose'd before the leak check.
 */
function isBareAddress(frame: Frame): boolean {
  const object = frame.object === UNKNOWN_MODULE ? undefined : frame.object;
  const named = frame.function ?? frame.file ?? object ?? frame.offset;
  return named === undefined && frame.ip !== undefined && !/^0x0+$/.test(frame.ip);
}

/**
 * 64-bit FNV-1a over UTF-16 code units, fed piece by piece. Not cryptographic (nothing here
 * needs that): a fingerprint only has to be stable and spread well.
 */
class Fnv64 {
  // The 64-bit state as four 16-bit limbs, lowest first: every product below stays a small
  // integer, so V8 runs the loop on int32 arithmetic only (profiled: twice as fast as two 32-bit
  // halves with a float multiply and a division for the carry).
  private a0 = 0x2325;
  private a1 = 0x8422;
  private a2 = 0x9ce4;
  private a3 = 0xcbf2;

  add(text: string, from = 0): this {
    let { a0, a1, a2, a3 } = this;
    for (let i = from; i < text.length; i += 1) {
      a0 ^= text.charCodeAt(i);
      // Times the prime 0x100000001b3 = 2^40 + 0x1b3 (2^40 is 0x100 in limb 2), mod 2^64.
      const t0 = a0 * 0x1b3;
      const t1 = a1 * 0x1b3 + (t0 >>> 16);
      const t2 = a2 * 0x1b3 + (a0 << 8) + (t1 >>> 16);
      const t3 = a3 * 0x1b3 + (a1 << 8) + (t2 >>> 16);
      a0 = t0 & 0xffff;
      a1 = t1 & 0xffff;
      a2 = t2 & 0xffff;
      a3 = t3 & 0xffff;
    }
    this.a0 = a0;
    this.a1 = a1;
    this.a2 = a2;
    this.a3 = a3;
    return this;
  }

  /** Adds the path's base name (see baseStart). */
  addBase(path: string): this {
    return this.add(path, baseStart(path));
  }

  /**
   * The 16 hex digits as one flat string. Joined from pieces, the digest was a string of two
   * halves, which every Map lookup by fingerprint (grouping, per finding) first had to flatten:
   * measured on the 105 MB bench log, grouping its findings took 170 ms with fresh digests and
   * 105 ms with the same digests once flattened.
   */
  digest(): string {
    const { a0, a1, a2, a3 } = this;
    // prettier-ignore
    return String.fromCharCode(
      hex(a3 >>> 12), hex((a3 >>> 8) & 15), hex((a3 >>> 4) & 15), hex(a3 & 15),
      hex(a2 >>> 12), hex((a2 >>> 8) & 15), hex((a2 >>> 4) & 15), hex(a2 & 15),
      hex(a1 >>> 12), hex((a1 >>> 8) & 15), hex((a1 >>> 4) & 15), hex(a1 & 15),
      hex(a0 >>> 12), hex((a0 >>> 8) & 15), hex((a0 >>> 4) & 15), hex(a0 & 15),
    );
  }
}

/** The character code of one hex digit (0-15). */
function hex(digit: number): number {
  return digit < 10 ? 48 + digit : 87 + digit;
}

/** 64-bit FNV-1a of a string, as 16 hex digits. */
export function fnv1a64(text: string): string {
  return new Fnv64().add(text).digest();
}
