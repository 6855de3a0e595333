import type { Frame, Report } from "../../model/index.js";
import { isBelowMainFrame, withoutAllocatorFrames } from "../allocator-frames.js";
import { baseName } from "../frame-paths.js";
import { isLibraryFrame } from "../runtime-frames.js";
import { groupRecords } from "./valgrind-generate.js";

/**
 * LeakSanitizer suppressions (`LSAN_OPTIONS=suppressions=FILE`), one `leak:` line per leak stack
 * that needs one. LSan suppresses a leak when a line matches any frame's function, file or
 * module (compiler-rt's TemplateMatch, see lsan.ts), so a line suppresses every later leak with
 * that function anywhere in its stack, and must name a function of the program that only the
 * stack it was written for holds:
 * - never the runtime's or libstdc++'s (`std::__new_allocator<int>::allocate`), the program's
 *   main in any language (`main`, `MAIN__`, `leaky::main`), a static initializer
 *   (`_GLOBAL__sub_I_x`, `__cxx_global_var_init.1`), or a lambda's `operator()` as gcc prints
 *   it: each silenced every later leak through it;
 * - the function nearest the allocation that no other of the report's distinct leak stacks
 *   holds, or else one they share that is called from one place only: a project's allocation
 *   wrapper (`xmalloc`, `xstrdup`) is in all of them, called from all over, and `leak:xmalloc`
 *   silenced every later leak made through it. A caller with no function name (a stripped
 *   program's `(prog+0x1227)`) tells no place: see callersOf;
 * - anchored, `leak:^name$`: a bare name is a substring of longer names and of modules
 *   (`leak:leak_a` matched the binary `leak_asan`, and so every leak of it).
 * A stack with no function of its own is left to the lines of the stacks it shares functions
 * with, when one of them names one of its functions; else a comment says why it has no line (a
 * leak allocated in `main` itself, through a wrapper, in a static initializer, with no function
 * names under `symbolize=0`). Memory errors are left out: LSan has no suppressions for them.
 */
export function generateLsanSuppressions(report: Report): string {
  const sites = leakSites(report);
  const holders = new Map<string, number>();
  for (const { functions } of sites)
    for (const fn of new Set(functions)) holders.set(fn, (holders.get(fn) ?? 0) + 1);
  const chosen = new Set<string>();
  const unsure: Site[] = [];
  for (const site of sites) {
    const own = site.candidates.find((fn) => holders.get(fn) === 1);
    if (own !== undefined) chosen.add(own);
    else unsure.push(site);
  }
  const callers = callersOf(sites);
  const notes = new Set<string>();
  for (const site of unsure) {
    if (site.functions.some((fn) => chosen.has(fn))) continue;
    // Shared with other stacks of the report, which are suppressed too, but called from one
    // place only: no helper that later leaks would go through.
    const shared = site.candidates.find((fn) => isCalledFromOnePlace(callers.get(fn)));
    if (shared !== undefined) chosen.add(shared);
    else notes.add(`# ${whyNoLine(site)}`);
  }
  if (chosen.size === 0 && notes.size === 0) return "";
  const lines = [...chosen].map((fn) => `leak:^${fn}$`);
  return ["# LeakSanitizer suppressions written by leaklog", ...notes, ...lines]
    .map((l) => `${l}\n`)
    .join("");
}

interface Site {
  /** The named functions of the stack after the allocator's frames, main's callers left out. */
  functions: string[];
  /** Those a line may name (see generateLsanSuppressions), nearest the allocation first. */
  candidates: string[];
  /** Each of those frames' function, or UNNAMED for a frame with none (`???`). */
  callChain: string[];
  /** Each of those frames as a comment names it (see frameLabel). */
  labels: string[];
}

/**
 * The caller of a function whose next frame has no name (a stripped program's frame,
 * `symbolize=0`): it may be any place of the program, so it tells nothing about how many places
 * call the function. Taking it for one caller named a wrapper in a shared library, called from
 * two places of a stripped program, `leak:^sa_wrap$`, which hid every later leak through it
 * (campaign bp F1). Unknown rather than a caller of its own (by its offset), which would name the
 * function again when all stacks pass one unnamed call site: a wrong line hides every later leak
 * through the function, no line only leaves these leaks reported, with a comment saying why.
 */
const UNNAMED = "\0unnamed";

/** The distinct stacks of the report's leak groups (a direct and an indirect group share one). */
function leakSites(report: Report): Site[] {
  const sites = new Map<string, Site>();
  for (const { records } of groupRecords(report)) {
    const leak = records.find((r) => r.type === "leak");
    if (leak === undefined) continue;
    const frames = programFrames(withoutAllocatorFrames(leak.stack));
    const named = frames.filter((f) => f.function !== undefined);
    const functions = named.map((f) => f.function as string);
    const candidates = named.filter(isNameable).map((f) => f.function as string);
    const callChain = frames.map((f) => f.function ?? UNNAMED);
    // Unnamed frames tell stacks apart by where they are: two leaks through `sa_wrap` from two
    // places of a stripped program were one stack, `sa_wrap` its own function (campaign bp F1).
    const labels = frames.map(frameLabel);
    sites.set(labels.join("\n"), { functions, candidates, callChain, labels });
  }
  return [...sites.values()];
}

/**
 * A frame's function, or where an unnamed frame is: its object's name and offset (or address),
 * `??? (main_asan_strip+0x1227)`, so that two leaks through one wrapper get a comment each.
 */
function frameLabel(frame: Frame): string {
  if (frame.function !== undefined) return frame.function;
  const where = [frame.object && baseName(frame.object), frame.offset ?? frame.ip];
  return `??? (${where.filter((part) => part).join("+")})`;
}

/**
 * Each function's distinct callers (the next frame down) over the stacks; "" for none, UNNAMED
 * for a frame with no function. A recursive call is no caller: `build < build < main` has main
 * alone, and counting build itself left a recursive function's leaks with no line.
 */
function callersOf(sites: readonly Site[]): Map<string, Set<string>> {
  const callers = new Map<string, Set<string>>();
  for (const { callChain } of sites) {
    callChain.forEach((fn, i) => {
      if (fn === UNNAMED) return;
      let set = callers.get(fn);
      if (set === undefined) callers.set(fn, (set = new Set()));
      const caller = callChain[i + 1] ?? "";
      if (caller !== fn) set.add(caller);
    });
  }
  return callers;
}

/** One caller, and a named one (or none: the stack's last frame), see UNNAMED. */
function isCalledFromOnePlace(callers: ReadonlySet<string> | undefined): boolean {
  return callers !== undefined && callers.size === 1 && !callers.has(UNNAMED);
}

/** The frames above main's callers, unnamed ones included. */
function programFrames(stack: readonly Frame[]): readonly Frame[] {
  const below = stack.findIndex(isBelowMainFrame);
  return below === -1 ? stack : stack.slice(0, below);
}

/**
 * Names every leak of the program shares, or many do: see generateLsanSuppressions. The
 * program's main in every language (Fortran's `MAIN__`, Rust's `crate::main`, D's `_Dmain`,
 * an Ada main procedure), and static initializers by every compiler's name: clang calls the
 * second dynamic initializer of every file `__cxx_global_var_init.1`.
 */
const SHARED_NAMES: readonly RegExp[] = [
  /^(?:main|MAIN__|_Dmain|D main|_ada_\w+)$/,
  /^(?:\w+::)+main(?:::h[0-9a-f]{16})?$/,
  /^operator\(\)$/,
  /^(?:_GLOBAL__sub_I_.*|__static_initialization_and_destruction_\d+|__cxx_global_var_init(?:\.\d+)?)$/,
];

function isNameable(frame: Frame): boolean {
  const fn = frame.function as string;
  // TemplateMatch reads `^` and `$` as anchors, with no escape: such a name cannot be written.
  return !SHARED_NAMES.some((name) => name.test(fn)) && !isLibraryFrame(frame) && !/[$^]/.test(fn);
}

function whyNoLine(site: Site): string {
  const where = site.labels.slice(0, 3).join(" < ") || "a stack with no frames";
  return `no line for the leak at ${where}: it has no function of its own that a line could name without suppressing other leaks (allocated in main, a static initializer, a wrapper or the C++ library, or symbolize=0)`;
}
