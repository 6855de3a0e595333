import type { ErrorRecord, Finding, Frame, LeakRecord } from "../../model/index.js";
import { baseName } from "../frame-paths.js";
import {
  DEFAULT_NUM_CALLERS,
  type SuppressionFrame,
  type ValgrindSuppression,
} from "./valgrind.js";
import { mangledForms, type MangledForms } from "./cpp-mangle.js";
import { kindMatchesError, LEAK_TOKEN_OF } from "./valgrind-kinds.js";
import { ownSymbols, type OwnSymbol } from "./own-symbols.js";
import { globMatch } from "./glob.js";
import { cached } from "./name-cache.js";
import { CPP_FUNCTION_END, isRustSymbolFrame, rustFunMatch, type FunMatch } from "./rust-match.js";
import { RustCrateManglings } from "./rust-crate-manglings.js";
import type { RustMangling } from "./rust-symbols.js";

export { globMatch } from "./glob.js";

/*
 * Matching follows m_errormgr.c (is_suppressible_error, supp_matches_callers, supp_pattEQinp):
 * the entry's kind must cover the finding, and its location lines must match a prefix of the
 * stack from the top — allocator frames included (`fun:malloc` is a real first frame). `...`
 * matches zero or more frames; frames after the last location line do not matter.
 */

/**
 * Whether one location line fits one frame as the log prints it: what tells which record a
 * `--gen-suppressions` block is of (see ownSymbols). An unknown function or object is `???` to
 * Valgrind (foComplete), so only patterns that match `???` match it. Text logs print either a
 * source file or an object for a frame, never both: an `obj:` line cannot match a
 * `fn (file:line)` frame unless its pattern matches `???`. A whole legacy Rust symbol fits a
 * frame of its path even where other symbols print that path ("shared", see rustFunMatch):
 * the block that names it ties it to its frame; an entry is not applied by it (stackMatch).
 */
export function frameMatches(loc: SuppressionFrame, frame: Frame, own?: OwnSymbol): boolean {
  const match = frameMatch(loc, frame, own);
  return match === "yes" || match === "shared";
}

/**
 * What a process's other frames showed of the mangling of a Rust path's crate (see
 * RustCrateManglings), where they did.
 */
export type CrateMangling = (name: string) => RustMangling | undefined;

/**
 * One location line against one frame: "undecided" for a Rust frame whose mangling decides,
 * "shared" for a whole legacy symbol of a path other symbols print too (see rustFunMatch).
 */
function frameMatch(
  loc: SuppressionFrame,
  frame: Frame,
  own?: OwnSymbol,
  crateMangling?: CrateMangling,
): FunMatch {
  // The frame's symbol as Valgrind named it (see ownSymbols): compared as Valgrind compares.
  if (own !== undefined && loc.type === "fun")
    return yesNo(globMatch(loc.pattern, own.type === "fun" ? own.pattern : "???"));
  if (own?.type === "obj" && loc.type === "obj") return yesNo(globMatch(loc.pattern, own.pattern));
  if (loc.type === "fun" && isRustSymbolFrame(frame)) {
    // A whole legacy symbol of a shared path stays "shared" whatever its crate's mangling: its
    // hash, not its mangling, is what the log leaves out (campaign v19 F2).
    return rustFunMatch(loc.pattern, frame, crateMangling?.(frame.function ?? "???"));
  }
  return yesNo(locationMatches(loc, frame));
}

function yesNo(match: boolean): FunMatch {
  return match ? "yes" : "no";
}

function locationMatches(loc: SuppressionFrame, frame: Frame): boolean {
  switch (loc.type) {
    case "fun":
      return funMatches(loc.pattern, frame.function ?? "???");
    case "obj":
      return globMatch(loc.pattern, frame.object ?? "???");
    case "src": {
      // VG_(get_filename_linenum) gives the file name without its directory.
      if (frame.file === undefined) return false;
      const fileOk =
        globMatch(loc.pattern, baseName(frame.file)) || globMatch(loc.pattern, frame.file);
      return fileOk && (loc.line === undefined || loc.line === frame.line);
    }
    case "...":
      return true;
  }
}

/**
 * A `fun:` line against a function name as the log wrote it, or else against its approximate
 * mangled name: Valgrind compares mangled names, the log holds demangled ones. How, depends on
 * the line:
 * - A literal name (`fun:_ZN5alpha5Cache3getEi`, as `--gen-suppressions` writes them) is
 *   matched BY the frame's glob, with the `L` of a `static` function tried absent and present
 *   (`_ZN*5alpha5Cache3getEi`, `_ZN*5alpha5CacheL3getEi`): the glob's `*` stand for what the
 *   text does not say. So it also matches a `const` or `&&` member's `K` or `O`, parameters of
 *   other than builtin types, any template arguments and any lambda of the same enclosing
 *   function; not `get(long)`'s `..3getEl`, nor `alpha::Cache::Inner::get` (`5Inner` is no `L`).
 * - A glob (leaklog's own `fun:_ZN*5alpha5Cache*3getEi` (older `..3getE*`), older leaklog's `*3get*`, one written
 *   by hand) is matched against a sample of that glob: its wildcards left out (`_ZNK` for a
 *   const member, `12_GLOBAL__N_1` for the anonymous namespace). Glob against glob would let
 *   two wildcards meet: `*4read*` and `_Z*7_helper*` share `_Z4read7_helper`. So a hand-written
 *   glob that spells out parameters of other than builtin types, template arguments, `L` or a
 *   `V`/`R`/`O` qualifier (`*5alpha5Cache3getEPKc`) matches nothing here, although Valgrind
 *   would apply it.
 * Plain C names and mangled names in the log are compared as written only; a Rust function's
 * symbol is rustFunMatch's.
 */
function funMatches(pattern: string, name: string): boolean {
  const { base, clones } = splitClones(name);
  // A demangled C++ function is never what Valgrind compares: `fun:alpha::raw(unsigned int)`
  // suppressed here what the same file let through in Valgrind. An inlined frame's name is
  // the debug information's, which Valgrind matches as printed (Rust's `call_once<(), ...>`).
  const cppFunction = CPP_FUNCTION_END.test(base) && name !== "(below main)";
  if (!cppFunction && globMatch(pattern, name)) return true;
  if (!name.includes("(") || name === "(below main)") return false;
  const forms = cached(formsByName, base, mangledForms);
  if (/[*?]/.test(pattern)) return globMatch(pattern, forms.sample + clones);
  if (!cppFunction) return forms.literalGlobs.some((glob) => globMatch(glob, pattern));
  // gcc's clones (`get(int) [clone .isra.0]`) are other symbols (`_ZN...Ei.isra.0`): the
  // glob's `*` for the parameters must not take a suffix, nor leave one out.
  const dot = pattern.indexOf(".");
  const literal = dot === -1 ? pattern : pattern.slice(0, dot);
  if ((dot === -1 ? "" : pattern.slice(dot)) !== clones) return false;
  return forms.literalGlobs.some((glob) => globMatch(glob, literal));
}

/**
 * A demangled name without gcc's clone suffixes (`f(int) [clone .constprop.0] [clone .isra.0]`),
 * and the suffixes as the symbol spells them (`.constprop.0.isra.0`).
 */
function splitClones(name: string): { base: string; clones: string } {
  const at = name.indexOf(" [clone .");
  if (at === -1 || !name.endsWith("]")) return { base: name, clones: "" };
  const clones = [...name.slice(at).matchAll(/ \[clone (\.[^\]]*)\]/g)].map((m) => m[1]).join("");
  return { base: name.slice(0, at), clones };
}

const formsByName = new Map<string, MangledForms>();

/**
 * VG_(generic_match) with matchAll = False: every location line is consumed, in order, and the
 * stack may have frames left over. Memoised on (line, frame) so that many `...` stay linear.
 */
export function stackMatches(
  locs: readonly SuppressionFrame[],
  stack: readonly Frame[],
  own?: readonly OwnSymbol[],
): boolean {
  return stackMatch(locs, stack, own).match === "yes";
}

/**
 * Why an entry that matches a stack as printed was not applied: the first frame whose `fun:`
 * line held it back, "undecided" for the frame's Rust mangling (a later record may tell it),
 * "shared" for a legacy symbol that other symbols print alike (see rustFunMatch: nothing the
 * log shows can tell which symbol the frame is).
 */
export interface Unapplied {
  frame: Frame;
  /** The `fun:` line's pattern. */
  pattern: string;
  match: "undecided" | "shared";
}

/**
 * stackMatches, and where it does not match only for frames that rustFunMatch holds back, why
 * (`held`): "undecided" when it matches with the frames whose mangling decides taken as
 * matching, so that knowing their crates' manglings may apply it; else "shared" when it matches
 * with the "shared" frames taken as matching too, which no mangling known later applies.
 */
function stackMatch(
  locs: readonly SuppressionFrame[],
  stack: readonly Frame[],
  own?: readonly OwnSymbol[],
  crateMangling?: CrateMangling,
): { match: FunMatch; held?: Unapplied } {
  /** The held-back kinds met so far, and the first frame of each. */
  const met = new Map<FunMatch, Unapplied>();
  const matches = (lenient: ReadonlySet<FunMatch>): boolean => {
    const seen = new Set<number>();
    const width = stack.length + 1;
    const go = (p: number, i: number): boolean => {
      if (p === locs.length) return true;
      const key = p * width + i;
      if (seen.has(key)) return false;
      seen.add(key);
      const loc = locs[p] as SuppressionFrame;
      if (loc.type === "...") return go(p + 1, i) || (i < stack.length && go(p, i + 1));
      const frame = stack[i];
      if (frame === undefined) return false;
      const match = frameMatch(loc, frame, own?.[i], crateMangling);
      if (match === "no") return false;
      if (match !== "yes") {
        if (!met.has(match)) met.set(match, { frame, pattern: loc.pattern, match });
        if (!lenient.has(match)) return false;
      }
      return go(p + 1, i + 1);
    };
    return go(0, 0);
  };
  if (matches(STRICT)) return { match: "yes" };
  if (met.size === 0) return { match: "no" };
  const undecided = met.get("undecided");
  if (undecided !== undefined && matches(UNDECIDED)) return { match: "undecided", held: undecided };
  const shared = met.get("shared");
  if (shared !== undefined && matches(HELD_BACK)) return { match: "shared", held: shared };
  return { match: "no" };
}

const STRICT: ReadonlySet<FunMatch> = new Set();
const UNDECIDED: ReadonlySet<FunMatch> = new Set(["undecided"]);
const HELD_BACK: ReadonlySet<FunMatch> = new Set(["undecided", "shared"]);

/**
 * True when the entry suppresses the finding: its kind covers it and its stack matches.
 * `unapplied` is told why when it would match but for a Rust frame (see Unapplied): a frame's
 * mangling, which `crateMangling` gives where the process's other frames of its crate showed
 * it, or a legacy symbol that other symbols print alike.
 */
export function suppressionMatches(
  supp: ValgrindSuppression,
  finding: Finding,
  unapplied?: (why: Unapplied) => void,
  crateMangling?: CrateMangling,
): boolean {
  if (!kindMatches(supp, finding)) return false;
  const own = ownSymbols(finding, (line, frame) => frameMatches(line, frame));
  const lines = linesRead(supp.frames, finding.stack.length);
  const { match, held } = stackMatch(lines, finding.stack, own, crateMangling);
  if (held !== undefined) unapplied?.(held);
  return match === "yes";
}

/**
 * The location lines Valgrind reads of an entry: its run's `--num-callers` (12 by default) at
 * most, the rest skipped unread (load_one_suppressions_file), so an entry written by a
 * `--num-callers=30` run suppresses a default run's 12-frame stack. A log does not say its
 * `--num-callers`, but a stack longer than 12 frames shows it was larger: a run's stack
 * stops at main or a thread's start, so an entry's lines past the whole stack would not match
 * in Valgrind either (a run with fewer than 12 callers is the case this misses).
 */
function linesRead(
  lines: readonly SuppressionFrame[],
  stackLength: number,
): readonly SuppressionFrame[] {
  const read = Math.max(DEFAULT_NUM_CALLERS, stackLength);
  return lines.length > read ? lines.slice(0, read) : lines;
}

/**
 * True when the entry's kind (and Leak's `match-leak-kinds:`, Param's syscall line) covers the
 * finding, whatever the stacks. Takes a parser's draft too: the Valgrind text parser asks it of
 * a `--gen-suppressions` block before its records go out (see formats/valgrind/block-owner.ts).
 */
export function kindMatches(
  supp: ValgrindSuppression,
  finding: Pick<LeakRecord, "type" | "kind"> | Pick<ErrorRecord, "type" | "kind" | "message">,
): boolean {
  if (!supp.memcheck) return false;
  if (finding.type === "leak") {
    if (supp.kind !== "Leak") return false;
    const token = LEAK_TOKEN_OF[finding.kind];
    return token !== undefined && (supp.leakKinds ?? []).includes(token);
  }
  return kindMatchesError(supp.kind, supp.extra, finding);
}

/**
 * Which entry suppresses a finding where several match, as Valgrind credits it (its `-v`
 * `used_suppression:` list, and so leaklog's unused ones): m_errormgr.c keeps a process's
 * entries in one list, each file's pushed on its front in the order the files are given (the
 * last entry loaded comes first), and moves an entry that matched to the front. So the entry
 * of a process that matched last wins, else the one loaded last; the first in file order made
 * leaklog call the later duplicate of a `--gen-suppressions` file unused where Valgrind called
 * the earlier one unused.
 */
export class ValgrindCredit {
  /** Per process: when each entry that matched there last matched. */
  private readonly lastMatched = new Map<string, Map<ValgrindSuppression, number>>();
  private matches = 0;
  /**
   * The entries that match, by the stack a finding shares with the other records of its call
   * site (SharedStacks) and what else matching reads of it (see matchKey): every entry was
   * tried on every record, and 1,000 entries on 100,000 records of one stack took 83 s against
   * 2 s without them (campaign bm F2).
   */
  private readonly byStack = new WeakMap<readonly Frame[], Map<string, Matching>>();
  /** What each process's Rust frames showed of their crates' manglings. */
  private readonly crates = new RustCrateManglings();

  /**
   * `unapplied` is told of each entry that matched a finding's stack only with a Rust frame
   * that rustFunMatch holds back, and why (see Unapplied).
   */
  constructor(
    private readonly entries: readonly ValgrindSuppression[],
    private readonly unapplied?: (entry: ValgrindSuppression, why: Unapplied) => void,
  ) {}

  /** Notes what the finding's Rust frames show of their crates' manglings (see RustCrateManglings). */
  note(finding: Finding): void {
    this.crates.note(processOf(finding), finding.stack);
  }

  /**
   * Whether no entry applies to the finding yet, but one would if a later record of its process
   * showed the mangling of a Rust frame's crate (see RustCrateManglings): loss records come
   * sorted by size, so the record that shows it may come after (campaign br F1). Notes the finding.
   */
  awaits(finding: Finding): boolean {
    const process = processOf(finding);
    this.crates.note(process, finding.stack);
    const { entries, held } = this.matching(finding, process);
    if (entries.length > 0) return false;
    // A "shared" match waits for nothing: no later record tells a symbol's hash (campaign v19 F2).
    return held.some(
      ([, { frame, match }]) =>
        match === "undecided" && this.crates.mayTell(process, frame.function ?? "???"),
    );
  }

  private matching(finding: Finding, process: string): Matching {
    let byKey = this.byStack.get(finding.stack);
    if (byKey === undefined) {
      byKey = new Map();
      this.byStack.set(finding.stack, byKey);
    }
    // The crates' manglings known so far decide too: a key of their own, as they grow.
    const key = `${matchKey(finding)}\u0000${this.crates.signature(process, finding.stack)}`;
    let matching = byKey.get(key);
    if (matching === undefined) {
      const held: [ValgrindSuppression, Unapplied][] = [];
      const crateMangling = (name: string) => this.crates.of(process, name);
      const entries = this.entries.filter((supp) =>
        suppressionMatches(supp, finding, (why) => held.push([supp, why]), crateMangling),
      );
      matching = { entries, held };
      byKey.set(key, matching);
    }
    return matching;
  }

  /**
   * The entry credited with `finding`; `passedOver` is told of each other entry that matched it.
   * Notes the finding (see note).
   */
  find(
    finding: Finding,
    passedOver?: (entry: ValgrindSuppression, credited: ValgrindSuppression) => void,
  ): ValgrindSuppression | undefined {
    const process = processOf(finding);
    this.crates.note(process, finding.stack);
    const { entries: matching, held } = this.matching(finding, process);
    for (const [entry, why] of held) this.unapplied?.(entry, why);
    if (matching.length === 0) return undefined;
    const matched = this.lastMatched.get(process);
    let best = matching[0] as ValgrindSuppression;
    let bestWhen = matched?.get(best) ?? -1;
    for (const supp of matching.slice(1)) {
      // Entries are in load order: a later one of equal standing comes before it in the list.
      const when = matched?.get(supp) ?? -1;
      if (when >= bestWhen) {
        best = supp;
        bestWhen = when;
      }
    }
    this.remember(process, matched, best);
    if (passedOver !== undefined) {
      for (const supp of matching) if (supp !== best) passedOver(supp, best);
    }
    return best;
  }

  private remember(
    process: string,
    matched: Map<ValgrindSuppression, number> | undefined,
    supp: ValgrindSuppression,
  ): void {
    let byEntry = matched;
    if (byEntry === undefined) {
      // A bound for a long-lived library user: forgetting only makes credit fall back to load order.
      if (this.lastMatched.size >= MAX_PROCESSES) this.lastMatched.clear();
      byEntry = new Map();
      this.lastMatched.set(process, byEntry);
    }
    this.matches += 1;
    byEntry.set(supp, this.matches);
  }
}

const MAX_PROCESSES = 100_000;

/** The entries that match a finding, and those that would but for a Rust frame (see Unapplied). */
interface Matching {
  entries: ValgrindSuppression[];
  held: [ValgrindSuppression, Unapplied][];
}

/** The process a finding is of: its log, its pid, its run. */
function processOf(finding: Finding): string {
  return `${finding.location.path}\u0000${finding.pid ?? ""}\u0000${finding.run ?? ""}`;
}

/**
 * What suppressionMatches reads of a finding besides its stack: its type and kind (and an
 * error's message: Param's syscall, FishyValue's function), its own `--gen-suppressions` block
 * and whether that block's owner is in doubt (ownSymbols).
 */
function matchKey(finding: Finding): string {
  const message = finding.type === "error" ? finding.message : "";
  const doubtful = finding.details?.["suppressionOwnerDoubtful"] === true ? "?" : "";
  return `${finding.type}\u0000${finding.kind}\u0000${message}\u0000${doubtful}${finding.suppression ?? ""}`;
}
