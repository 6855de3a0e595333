import type {
  ErrorRecord,
  Finding,
  LeakKind,
  LeakRecord,
  RegisteredDiagnostic,
} from "../../model/index.js";
import { unlistedKindsOf } from "./unlisted-kinds.js";
import { findLsanSuppression, type LsanSuppression } from "./lsan.js";
import { appliesAfterTheRun, findTsanSuppression, type TsanSuppression } from "./tsan.js";
import type { ValgrindSuppression } from "./valgrind.js";
import { globMatch, ValgrindCredit, type Unapplied } from "./valgrind-match.js";
import { functionPattern } from "./valgrind-generate.js";

/** Suppressions of every kind leaklog applies after the fact. */
export interface SuppressionSet {
  valgrind: readonly ValgrindSuppression[];
  lsan: readonly LsanSuppression[];
  /** Path of the LSan file(s), for the unused-suppression diagnostics. */
  lsanPath?: string;
  /** ThreadSanitizer entries (`race:`, `thread:`, ...); none when left out. */
  tsan?: readonly TsanSuppression[];
  /** Path of the TSan file(s), for the unused-suppression diagnostics. */
  tsanPath?: string;
  /** What the files' readers warned of (an empty pattern, ...), listed with the unused entries. */
  warnings?: readonly RegisteredDiagnostic[];
}

/**
 * What a Suppressor learned of its entries' use, for another over the same set (a worker's
 * findings are matched in the worker, the unused entries listed by the main thread).
 */
export interface SuppressionUse {
  /** Ids of the entries that matched (positions: Valgrind entries first, then LSan's, TSan's). */
  used: number[];
  /** Valgrind entries that matched a record Valgrind credits to another: [id, the other's id]. */
  creditedElsewhere: [number, number][];
  /** A Valgrind record had a frame that names a source file and no object (a text log's). */
  objectlessFrames: boolean;
  /** Valgrind entries a Rust frame held back (see Unapplied): [id, why, as the info says it]. */
  unapplied?: [number, string][];
}

/** Whether the set holds any entry to apply. */
export function hasSuppressions(set: SuppressionSet | undefined): set is SuppressionSet {
  return set !== undefined && set.valgrind.length + set.lsan.length + (set.tsan?.length ?? 0) > 0;
}

/**
 * Applies suppressions one finding at a time (so a streaming summary can use it), as if the
 * program had been run with them: Valgrind entries match Valgrind's records with Memcheck's
 * rules, LeakSanitizer `leak:` entries match sanitizer leaks with LSan's, ThreadSanitizer entries
 * match TSan reports with TSan's. A suppressed leak
 * becomes kind `suppressed` (severity none; the kind it had stays in `details.suppressedKind`),
 * a suppressed error gets `suppressed: true` and severity none. `details.suppressedBy` names the
 * entry. Entries that matched nothing are reported by `unused()`.
 */
export class Suppressor {
  private readonly usedValgrind = new Set<ValgrindSuppression>();
  private readonly usedLsan = new Set<LsanSuppression>();
  private readonly usedTsan = new Set<TsanSuppression>();
  private readonly tsan: readonly TsanSuppression[];
  private readonly valgrind: ValgrindCredit;
  /** Entries, by the entry Valgrind credited in their place (see SuppressionUse). */
  private readonly creditedElsewhere = new Map<ValgrindSuppression, ValgrindSuppression>();
  private objectlessFrames = false;
  /** Entries a Rust frame held back (see Unapplied), with why, as unusedWhy gives it. */
  private readonly unapplied = new Map<ValgrindSuppression, string>();

  constructor(private readonly set: SuppressionSet) {
    this.tsan = set.tsan ?? [];
    this.valgrind = new ValgrindCredit(set.valgrind, this.unappliedFor);
  }

  /**
   * Whether `apply` should wait for the finding: no entry applies to it yet, but one would if a
   * later record of its process showed the mangling of a Rust frame's crate (see
   * ValgrindCredit.awaits; not for a legacy symbol other symbols print alike, which no record
   * settles). The holder applies it once its input has ended.
   */
  awaits(finding: Finding): boolean {
    return this.appliesValgrind(finding) && this.valgrind.awaits(finding);
  }

  /**
   * Notes what a finding's Rust frames show of their crates' manglings without applying
   * anything: with every finding of an input noted first, each is applied with all its process
   * shows (see applyValgrindSuppressions).
   */
  note(finding: Finding): void {
    if (this.appliesValgrind(finding)) this.valgrind.note(finding);
  }

  private appliesValgrind(finding: Finding): boolean {
    return finding.tool === "valgrind" && this.set.valgrind.length > 0;
  }

  apply<F extends Finding>(finding: F): F {
    const name = this.match(finding);
    if (name === undefined) return finding;
    return (
      finding.type === "leak" ? suppressLeak(finding, name) : suppressError(finding, name)
    ) as F;
  }

  /** What this Suppressor learned of its entries (see SuppressionUse). */
  use(): SuppressionUse {
    const used: number[] = [];
    let offset = 0;
    for (const [entries, usedOfKind] of this.lists()) {
      entries.forEach((s, i) => usedOfKind.has(s) && used.push(offset + i));
      offset += entries.length;
    }
    const ids = new Map(this.set.valgrind.map((entry, id) => [entry, id]));
    const idOf = (entry: ValgrindSuppression) => ids.get(entry) ?? -1;
    return {
      used,
      creditedElsewhere: [...this.creditedElsewhere].map(([entry, by]) => [idOf(entry), idOf(by)]),
      objectlessFrames: this.objectlessFrames,
      unapplied: [...this.unapplied].map(([entry, why]) => [idOf(entry), why]),
    };
  }

  /** Adds what another Suppressor over the same set learned (see use). */
  addUse(use: SuppressionUse): void {
    this.objectlessFrames ||= use.objectlessFrames;
    for (const [id, why] of use.unapplied ?? []) {
      const entry = this.set.valgrind[id];
      if (entry !== undefined && !this.unapplied.has(entry)) this.unapplied.set(entry, why);
    }
    for (const [id, byId] of use.creditedElsewhere) {
      const entry = this.set.valgrind[id];
      const by = this.set.valgrind[byId];
      if (entry !== undefined && by !== undefined) this.passedOver(entry, by);
    }
    for (const id of use.used) {
      let at = id;
      for (const [entries, used] of this.lists()) {
        const entry = entries[at];
        if (entry !== undefined) {
          used.add(entry);
          break;
        }
        at -= entries.length;
      }
    }
  }

  /** Each kind's entries with the set of those used, in the order of their ids. */
  private lists(): [readonly object[], Set<object>][] {
    return [
      [this.set.valgrind, this.usedValgrind as Set<object>],
      [this.set.lsan, this.usedLsan as Set<object>],
      [this.tsan, this.usedTsan as Set<object>],
    ];
  }

  /**
   * One `unused-suppression` info diagnostic per entry that matched nothing. `unlisted`: the
   * leak kinds Valgrind logs counted but did not list (see unlistedValgrindKinds), which an
   * entry may match in Valgrind: such an entry is not said to match nothing.
   */
  unused(unlisted: ReadonlyMap<LeakKind, number | undefined> = new Map()): RegisteredDiagnostic[] {
    const valgrind = this.set.valgrind
      .filter((s) => s.memcheck && !this.usedValgrind.has(s))
      .map((s): RegisteredDiagnostic => ({
        severity: "info",
        code: "unused-suppression",
        message: `suppression ${JSON.stringify(s.name)} (${s.tools.join(",")}:${s.kind}) ${this.unusedWhy(s, unlisted)}`,
        path: s.path,
        line: s.line,
      }));
    const lsan = sanitizerUnused(this.set.lsan, this.usedLsan, this.set.lsanPath, moduleOnly);
    const tsan = sanitizerUnused(
      this.tsan.filter(appliesAfterTheRun),
      this.usedTsan,
      this.set.tsanPath,
    );
    return [...valgrind, ...lsan, ...tsan];
  }

  /** Why a Valgrind entry is listed as unused: it matched nothing, or nothing the logs list. */
  private unusedWhy(
    entry: ValgrindSuppression,
    unlisted: ReadonlyMap<LeakKind, number | undefined>,
  ): string {
    const credited = this.creditedElsewhere.get(entry);
    if (credited !== undefined) {
      // Where: appended files repeat names (`leaklog suppressions >> known.supp`).
      const where = `${credited.path}:${credited.line}`;
      return `matched only records that ${JSON.stringify(credited.name)} (${where}) matches too, and Valgrind credits that one (as it would given the file): the two overlap, so this one suppresses nothing more`;
    }
    const unapplied = this.unapplied.get(entry);
    // leaklog itself left it unapplied: that is the reason, whatever the logs did not list
    // (led by "it may match their still-reachable blocks", it read as unrelated: campaign v18b Q2).
    if (unapplied !== undefined) return `matched nothing${unapplied}`;
    const why = `${this.objectsOnly(entry)}${demangledNames(entry)}`;
    const kinds = unlistedKindsOf(entry, unlisted);
    if (kinds.length > 0) {
      return `matched nothing the logs list: it may match their ${kinds.join(" and ")} blocks, which they count but do not list (--show-leak-kinds), as Valgrind given the file would${why}`;
    }
    return `matched nothing${why}`;
  }

  /**
   * What to add when the entry's `obj:` lines may be why it matched nothing: a text log names a
   * frame's source file where it has one, and its object only where it has none (the XML names
   * both), so an `obj:` line for libc matched nothing in a text log where Valgrind itself, which
   * knows every frame's object, suppressed with it. Said only where a record had such a frame:
   * of XML logs, or frames that all name their objects, it is not why.
   */
  private objectsOnly(entry: ValgrindSuppression): string {
    if (!this.objectlessFrames) return "";
    const objects = entry.frames.some((f) => f.type === "obj" && !globMatch(f.pattern, "???"));
    return objects
      ? ": its obj: lines match only frames that name their object, which a text log does not where it names a source file (Valgrind itself, or the XML log, may still match it)"
      : "";
  }

  private readonly unappliedFor = (entry: ValgrindSuppression, why: Unapplied): void => {
    if (!this.unapplied.has(entry)) this.unapplied.set(entry, unappliedWhy(why));
  };

  /** An entry matched a record Valgrind credits `by` with; the first such entry is kept. */
  private readonly passedOver = (entry: ValgrindSuppression, by: ValgrindSuppression): void => {
    if (!this.creditedElsewhere.has(entry)) this.creditedElsewhere.set(entry, by);
  };

  private match(finding: Finding): string | undefined {
    if (this.appliesValgrind(finding)) {
      this.objectlessFrames ||= finding.stack.some(
        (f) => f.file !== undefined && f.object === undefined,
      );
      const supp = this.valgrind.find(finding, this.passedOver);
      if (supp !== undefined) this.usedValgrind.add(supp);
      return supp?.name;
    }
    // LSan's `leak:` type suppresses leaks only; ASan errors have their own mechanisms.
    if ((finding.tool === "asan" || finding.tool === "lsan") && finding.type === "leak") {
      const supp = findLsanSuppression(this.set.lsan, finding);
      if (supp !== undefined) this.usedLsan.add(supp);
      return supp !== undefined ? `leak:${supp.pattern}` : undefined;
    }
    if (finding.tool === "tsan" && finding.type === "error" && this.tsan.length > 0) {
      const supp = findTsanSuppression(this.tsan, finding);
      if (supp !== undefined) this.usedTsan.add(supp);
      return supp !== undefined ? `${supp.type}:${supp.pattern}` : undefined;
    }
    return undefined;
  }
}

/**
 * What to add when a Rust frame held the entry back (see Unapplied):
 * - its mangling: the entry matched it under one of Rust's manglings only; Valgrind applies it
 *   to a program built with that one, and the log says which only for some paths and for
 *   crates whose other frames show it (see RustCrateManglings), so leaklog left it unapplied
 *   rather than hide what Valgrind may report (campaign br F1: `fun:_ZN5leaks10forget_vec*` on
 *   a v0 build);
 * - a whole legacy symbol whose path other symbols print too: Valgrind applies it to that one
 *   symbol, and leaklog cannot tell which frame it is (campaign v19 F2). A glob over the path's
 *   names, the hash left to a `*`, matches them all, in Valgrind as in leaklog.
 */
function unappliedWhy({ frame, pattern, match }: Unapplied): string {
  const fn = frame.function ?? "???";
  if (match === "shared") {
    const glob = pattern.replace(/17h[0-9a-f]{16}E.*$/, "17h*");
    return `: its fun:${pattern} names a symbol printed as ${fn}, as each closure of a function and each instantiation of a generic one is (legacy mangling tells them apart only by the hash, which the log does not show), so leaklog did not apply it by that path alone, where Valgrind applies it to that one symbol and reports the others' leaks; a glob over the path's names applies to every symbol printed so, in Valgrind too: fun:${glob} (a log run with --gen-suppressions=all ties each frame to its own symbol)`;
  }
  return `: it would match ${fn} only as the symbol one of Rust's two manglings gives it (legacy _ZN...17h<hash>E, v0 _R... with -C symbol-mangling-version=v0), and the log does not say which the program was built with (no frame of its crate in that process shows one alone), so leaklog did not apply it (Valgrind does if the program's mangling is that one); a glob both spell alike applies either way: fun:${functionPattern(fn)}, as leaklog suppressions writes`;
}

/**
 * What to add when the entry names C++ functions demangled (`fun:alpha::raw(unsigned int)`), or
 * Rust ones (`fun:leaks::forget_vec`, `fun:leaks::*`: a path without C++'s argument list):
 * Valgrind compares `fun:` lines with mangled names only, so neither it nor leaklog applies it.
 * The mangled name is an example, not the entry's own: a static function's has an `L` that
 * no demangled name shows (campaign bqa Q1 took the example for the entry's name).
 */
function demangledNames(entry: ValgrindSuppression): string {
  // An argument list follows a name: `(below main)`, Valgrind's own, has none.
  const demangled = entry.frames
    .flatMap((f) => (f.type === "fun" ? [f.pattern] : []))
    .filter((pattern) => pattern.includes("::") || /\w\(/.test(pattern));
  if (demangled.length === 0) return "";
  if (demangled.some((pattern) => pattern.includes("::") && !pattern.includes("(")))
    return ": Valgrind matches fun: lines against mangled names, never demangled ones like this entry's: a Rust function's symbol is _ZN5leaks10forget_vec17h<hash>E for leaks::forget_vec (legacy mangling) or _RNvCs<crate>_5leaks10forget_vec (v0), a C++ function's _ZN5alpha3rawEj for alpha::raw(unsigned int) (valgrind --demangle=no prints them; leaklog suppressions writes globs that match, fun:*10forget_vec* for both Rust manglings)";
  return ": Valgrind matches fun: lines against mangled C++ names (for example _ZN5alpha3rawEj for alpha::raw(unsigned int), _ZN5alphaL3rawEj where it is static; valgrind --demangle=no prints them), never demangled ones like this entry's";
}

export function suppressLeak(leak: LeakRecord, by: string): LeakRecord {
  if (leak.kind === "suppressed") return leak;
  return {
    ...leak,
    kind: "suppressed",
    severity: "none",
    details: { ...leak.details, suppressedKind: leak.kind, suppressedBy: by },
  };
}

export function suppressError(error: ErrorRecord, by: string): ErrorRecord {
  if (error.suppressed === true) return error;
  return {
    ...error,
    suppressed: true,
    severity: "none",
    details: { ...error.details, suppressedBy: by },
  };
}

/**
 * What to add when an LSan entry names a module (`leak:libvendor.so`): LeakSanitizer matches
 * every frame's module, but a symbolized frame (`in vendor_init vendor.c:3`) prints none, so
 * leaklog matches modules only in `(libvendor.so+0x1234)` frames. "matched nothing" alone
 * called dead an entry LSan applied to every leak of that library (campaign bk).
 */
function moduleOnly(entry: { pattern: string }): string {
  return /\.(?:so(?:\.\d+)*|dylib|dll)\$?$/.test(entry.pattern)
    ? ": a module's name matches only frames the log prints with their module, (libfoo.so+0x1234), not symbolized ones, whose module LeakSanitizer itself still knows: given the file, it may suppress leaks of that library here"
    : "";
}

/** One `unused-suppression` info diagnostic per sanitizer entry that matched nothing. */
function sanitizerUnused<S extends { type: string; pattern: string; line: number }>(
  entries: readonly S[],
  used: ReadonlySet<S>,
  path: string | undefined,
  why: (entry: S) => string = () => "",
): RegisteredDiagnostic[] {
  return entries
    .filter((s) => !used.has(s))
    .map((s) => ({
      severity: "info",
      code: "unused-suppression",
      message: `suppression ${s.type}:${s.pattern} matched nothing${why(s)}`,
      path: path ?? "<suppressions>",
      line: s.line,
    }));
}
