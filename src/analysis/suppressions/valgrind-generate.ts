import { isRustFrame, pathIdentifiers } from "../rust-frames.js";
import type { ErrorRecord, Finding, Frame, Group, Report } from "../../model/index.js";
import { baselineKey } from "../baseline.js";
import { mangledGlob } from "./cpp-mangle.js";
import { fishyValue, LEAK_TOKEN_OF, sizeOf, syscallParam } from "./valgrind-kinds.js";

/** Valgrind's VG_MAX_SUPP_CALLERS: `--gen-suppressions` writes at most this many frames. */
export const MAX_SUPPRESSION_FRAMES = 24;

/**
 * The groups of a report that still count, in report order, each with all its records. Suppressed
 * and fixed groups are left out: there is nothing left to suppress. All records, not only the
 * first: a group (same kind and fingerprint) can hold findings Valgrind tells apart — reads of
 * size 4 and 8, `write(buf)` and `write(count)`, `malloc` and `realloc` below the same caller.
 */
export function groupRecords(report: Report): { group: Group; records: Finding[] }[] {
  const byKey = new Map<string, Finding[]>();
  for (const f of [...report.leaks, ...report.errors]) {
    if (f.severity === "none") continue;
    const key = baselineKey({ type: f.type, kind: f.kind, fingerprint: f.fingerprint });
    // Pushed, not spread: a copy per record took 35 s for a real run's 20,000 leaks (bm F1).
    const records = byKey.get(key);
    if (records === undefined) byKey.set(key, [f]);
    else records.push(f);
  }
  const out: { group: Group; records: Finding[] }[] = [];
  for (const group of report.groups) {
    if (group.suppressed === true || group.baseline === "fixed" || group.severity === "none")
      continue;
    const records = byKey.get(baselineKey(group));
    if (records !== undefined) out.push({ group, records });
  }
  return out;
}

/**
 * Valgrind suppressions for a report's groups, in a form Valgrind reads back
 * (`--suppressions=FILE`): one per group, and one more for each of its records that Valgrind
 * would tell apart, deduplicated on everything but the name. A block the log already holds
 * (`--gen-suppressions=all`) is reused with only its placeholder name replaced; otherwise the
 * block is derived from the record like m_errormgr.c's gen_suppression does: the kind line
 * (with Param's syscall line, FishyValue's `function(argument)` or Leak's `match-leak-kinds:`),
 * then one line per frame, at most 24: `fun:NAME` when the function is known, else
 * `obj:OBJECT`, else `obj:*`. Records of other tools and kinds Valgrind cannot suppress (a fatal
 * signal) become `#` comments.
 */
export function generateValgrindSuppressions(report: Report): string {
  const bodies = new Set<string>();
  const blocks: string[] = [];
  /** The names of the blocks written: a scan of every block per record was quadratic (bm F1). */
  const names = new Set<string>();
  const notes = new Set<string>();
  const versions = new Map(report.sources.map((source) => [source.path, source.toolVersion]));
  for (const { group, records } of groupRecords(report)) {
    const base = `leaklog-${group.kind}-${group.fingerprint}`;
    for (const record of records) {
      const name = names.has(base) ? `${base}-${record.id}` : base;
      const version = versions.get(record.location.path);
      const fdBadUse = fdBadUseReaders(record, version);
      const block =
        fdBadUse === "none"
          ? {
              skipped: `Valgrind ${version} writes CoreError:FdBadUse but refuses a file that holds it (3.25 and later read it)`,
            }
          : record.suppression !== undefined
            ? renamed(record.suppression, name)
            : derive(record, name);
      if (typeof block !== "string") {
        notes.add(`# ${base}: ${block.skipped}`);
        continue;
      }
      const body = block.split("\n").slice(2).join("\n");
      if (bodies.has(body)) continue;
      bodies.add(body);
      blocks.push(fdBadUse === "3.25+" ? commentedOut(block) : block);
      names.add(name);
    }
  }
  return [...notes, ...blocks].map((b) => `${b}\n`).join("");
}

/**
 * Which Valgrind that may have written the record's log can read its suppression, for an
 * FdBadUse (undefined for any other record). Valgrind 3.24 generates `CoreError:FdBadUse` but
 * does not read it ("unknown core suppression type"), and refuses the whole file for it; 3.25
 * reads it (Valgrind bug 498317; campaign bw F5). A log that names no version (`-q` prints no
 * banner) may be 3.24's: written as is, a 3.24 run refused the file and checked nothing
 * (campaign v23 F4), so the block is written commented out, to uncomment for 3.25 or later.
 */
function fdBadUseReaders(
  record: Finding,
  toolVersion: string | undefined,
): "none" | "3.25+" | undefined {
  if (record.kind !== "FdBadUse") return undefined;
  if (toolVersion === undefined) return "3.25+";
  return /^3\.24(?:\.|$)/.test(toolVersion) ? "none" : undefined;
}

/** A block commented out, with why (see fdBadUseReaders). */
function commentedOut(block: string): string {
  const why =
    "# The log names no Valgrind version: Valgrind 3.24 refuses a file that holds CoreError:FdBadUse, 3.25 and later read it. Uncomment for 3.25 or later.";
  return [why, ...block.split("\n").map((line) => `# ${line}`)].join("\n");
}

/** A `--gen-suppressions` block with the placeholder name replaced (and its indentation kept). */
function renamed(block: string, name: string): string {
  const lines = block.split("\n").map((line) => line.trimEnd());
  const nameAt = lines.findIndex((line, i) => i > 0 && line.trim() !== "");
  if (nameAt !== -1 && lines[nameAt]?.trim() === "<insert_a_suppression_name_here>") {
    lines[nameAt] = `   ${name}`;
  }
  return lines.join("\n");
}

/** Tools as their own documentation names them. */
const TOOL_NAMES: Readonly<Record<string, string>> = {
  asan: "AddressSanitizer",
  lsan: "LeakSanitizer",
  memleax: "memleax",
  memwatch: "MEMWATCH",
};

function derive(record: Finding, name: string): string | { skipped: string } {
  if (record.tool !== "valgrind") {
    return {
      skipped: `${TOOL_NAMES[record.tool] ?? record.tool}'s finding: Valgrind suppressions describe Valgrind's stacks`,
    };
  }
  const head = kindLines(record);
  if (head === undefined) return { skipped: `Valgrind has no suppression kind for ${record.kind}` };
  const stack = record.stack;
  const frames = stack
    .slice(0, MAX_SUPPRESSION_FRAMES)
    .map((frame, i) => frameLine(frame, isInlined(stack, i)));
  if (frames.length === 0) return { skipped: "the record has no stack" };
  return ["{", ...[name, ...head, ...frames].map((line) => `   ${line}`), "}"].join("\n");
}

/** The `Tool:Kind` line and its extra line (MC_(get_error_name), MC_(get_extra_suppression_info)). */
function kindLines(record: Finding): string[] | undefined {
  if (record.type === "leak") {
    const token = LEAK_TOKEN_OF[record.kind];
    return token === undefined ? undefined : ["Memcheck:Leak", `match-leak-kinds: ${token}`];
  }
  const simple = SIMPLE_KINDS[record.kind];
  if (simple !== undefined) return [simple];
  return sizedOrExtra(record);
}

const SIMPLE_KINDS: Readonly<Record<string, string>> = {
  UninitCondition: "Memcheck:Cond",
  InvalidFree: "Memcheck:Free",
  MismatchedFree: "Memcheck:Free",
  Overlap: "Memcheck:Overlap",
  InvalidJump: "Memcheck:Jump",
  ClientCheck: "Memcheck:User",
  InvalidMemPool: "Memcheck:Mempool",
  ReallocSizeZero: "Memcheck:ReallocZero",
  // Valgrind 3.22+. BadSize, not 3.26's UnsafeZeroSize, which releases before 3.26 refuse (3.27
  // still reads BadSize). The kinds of Mismatched* and FdBadUse were missing: the file said
  // Valgrind had none and left those errors unsuppressed (campaign bw F5).
  InvalidAlignment: "Memcheck:BadAlign",
  InvalidSizeAndAlignment: "Memcheck:BadAlign",
  InvalidSize: "Memcheck:BadSize",
  MismatchedAllocateDeallocateSize: "Memcheck:SizeMismatch",
  MismatchedAllocateDeallocateAlignment: "Memcheck:AlignMismatch",
  // Core errors, Valgrind 3.22+ (`--track-fds`); FdBadUse 3.24+ (but see unreadableBy).
  FdBadClose: "CoreError:FdBadClose",
  FdNotClosed: "CoreError:FdNotClosed",
  FdBadUse: "CoreError:FdBadUse",
};

const SIZES = new Set([1, 2, 4, 8, 16, 32]);

function sizedOrExtra(record: ErrorRecord): string[] | undefined {
  const size = sizeOf(record);
  if (record.kind === "InvalidRead" || record.kind === "InvalidWrite") {
    return size !== undefined && SIZES.has(size) ? [`Memcheck:Addr${size}`] : undefined;
  }
  if (record.kind === "UninitValue") {
    return size !== undefined && SIZES.has(size) ? [`Memcheck:Value${size}`] : undefined;
  }
  if (record.kind === "SyscallParam") {
    const param = syscallParam(record);
    return param === undefined ? undefined : ["Memcheck:Param", param];
  }
  if (record.kind === "FishyValue") {
    const extra = fishyValue(record);
    return extra === undefined ? undefined : ["Memcheck:FishyValue", extra];
  }
  return undefined;
}

/**
 * gen_suppression's frame line: `fun:` when the function is known, else `obj:`, else `obj:*`.
 * An inlined frame's `fun:` is its name as printed: Valgrind matches the inlined function's name,
 * which has no mangled form, and the mangled name only for the function the code is in
 * (`fun:do_alloc<alloc::alloc::Global>` then `fun:_ZN9hashbrown3raw13RawTableInner17new_...E`
 * in its own blocks for a Rust program): a glob on a mangled form matched nothing there, and a
 * suppression generated for a Rust or an optimized C++ program suppressed nothing.
 */
export function frameLine(frame: Frame, inlined = false): string {
  const fn = frame.function;
  if (fn === undefined) return frame.object !== undefined ? `obj:${frame.object}` : "obj:*";
  if (inlined) return `fun:${literalPattern(fn)}`;
  return `fun:${isRustFrame(frame) ? rustPattern(fn) : functionPattern(fn)}`;
}

/**
 * The `fun:` glob of a Rust function the code is in: its last named component with its length,
 * as both of Rust's manglings spell it (legacy `_ZN3std2rt10lang_start28_$u7b$...17h...E`, v0
 * `_RNvNtCs..._3std2rt19lang_start_internal`; v0 adds a `_` before a name that starts with
 * `_`). C++'s encoding made `_ZZN*St2rt*10lang_startE*` of `std::rt::lang_start::{{closure}}`,
 * which matched neither.
 */
function rustPattern(name: string): string {
  if (PLAIN_NAME.test(name)) return name;
  const identifier = pathIdentifiers(name).at(-1);
  if (identifier === undefined) return "*";
  // v0 puts a `_` between the length and a name that starts with `_` or a digit
  // (`std::io::stdio::_print` is `..._3std2io5stdio6__print`, legacy `6_print`).
  const separator = /^[_\d]/.test(identifier) ? "*" : "";
  return `*${identifier.length}${separator}${identifier}*`;
}

/**
 * Whether the frame was inlined into the next one: Valgrind prints each function inlined at an
 * address with that address, the function the code is in last. A recursive call repeats its
 * return address too, but in the same frame (`thrower(int) (cpp_abort.cpp:10)` three times,
 * each `fun:_ZL7throweri` in Valgrind's own blocks).
 */
function isInlined(stack: readonly Frame[], i: number): boolean {
  const frame = stack[i] as Frame;
  const next = stack[i + 1];
  if (frame.ip === undefined || next?.ip !== frame.ip) return false;
  return next.function !== frame.function || next.file !== frame.file || next.line !== frame.line;
}

/** A name as a `fun:` pattern that matches it: its `*` and `?` (wildcards there) as `?`. */
function literalPattern(name: string): string {
  return name.replace(/[*?]/g, "?");
}

// A C name, or a C++ name as `--demangle=no` prints it (`_ZN3Foo3barEv`), or `(below main)`.
// XML logs print demangled names too (`<fn>stdx::dup(char const*)</fn>`), unless Valgrind ran
// with `--demangle=no`: a mangled name, from either format or from memleax, is used as it is.
const PLAIN_NAME = /^[A-Za-z_.$][\w.$@]*$/;

/**
 * The `fun:` pattern of a frame's function. Valgrind matches `fun:` against mangled C++ names
 * (m_errormgr.c: "C++-mangled names are used in suppressions"), but logs print demangled ones
 * (`alpha::Cache::get(int)`): those become a glob on the approximate mangled name
 * (`_ZN*5alpha5Cache*3getEi`, see cpp-mangle.ts).
 */
export function functionPattern(name: string): string {
  if (PLAIN_NAME.test(name) || name === "(below main)") return name;
  return mangledGlob(name);
}
