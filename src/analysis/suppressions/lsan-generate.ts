import type { Frame, Report } from "../../model/index.js";
import { isBelowMainFrame, withoutAllocatorFrames } from "../allocator-frames.js";
import { groupRecords } from "./valgrind-generate.js";

/**
 * LeakSanitizer suppressions (`LSAN_OPTIONS=suppressions=FILE`), one `leak:` line per leak group,
 * deduplicated. LSan suppresses a leak when the pattern is found in any frame's function, file
 * or module (compiler-rt's TemplateMatch, see lsan.ts), so a line suppresses every later leak
 * with that function anywhere in its stack: a line written for one leak must name a function
 * that few stacks hold, and match nothing else. Each line therefore:
 * - names the function after the allocator's own frames (`malloc`, `operator new`,
 *   interceptors) that the fewest of the report's distinct leak stacks hold (see leastHeld): a
 *   project's allocation wrapper (`xmalloc`) is in every stack, and `leak:xmalloc` silenced
 *   every later leak made through it; its caller is named instead.
 * - never names `main` or what runs below it, which every stack holds: a leak allocated in
 *   `main` itself gets a comment saying why it has no line (`leak:main` suppressed every leak).
 * - is anchored, `leak:^name$`: a bare name is a substring of longer names and of modules
 *   (`leak:leak_a` matched the binary `leak_asan`, and so every leak of it).
 * Frames without a function (`symbolize=0`) give no line either: their module is the whole
 * binary. Memory errors are left out: LSan has no suppressions for them.
 */
export function generateLsanSuppressions(report: Report): string {
  const sites = leakSites(report);
  const holders = new Map<string, number>();
  for (const functions of sites)
    for (const fn of new Set(functions)) holders.set(fn, (holders.get(fn) ?? 0) + 1);
  const lines = new Set<string>();
  const notes = new Set<string>();
  for (const functions of sites) {
    const chosen = leastHeld(
      functions.filter((fn) => fn !== "main"),
      holders,
    );
    if (chosen !== undefined) lines.add(`leak:${anchored(chosen)}`);
    else if (functions.includes("main")) notes.add(`# ${IN_MAIN}`);
    else notes.add(`# ${UNNAMED}`);
  }
  if (lines.size === 0 && notes.size === 0) return "";
  return ["# LeakSanitizer suppressions written by leaklog", ...notes, ...lines]
    .map((l) => `${l}\n`)
    .join("");
}

const IN_MAIN =
  "a leak allocated in main itself has no line: leak:main would suppress every leak under main";
const UNNAMED =
  "a leak whose frames name no function (symbolize=0?) has no line: its module is the whole binary";

/**
 * The function the fewest distinct stacks hold. Among equals: the nearest the allocation when it
 * is this stack's alone, else the farthest, as a function that several stacks share near the
 * allocator is a helper called from all over (`xstrdup`: naming it suppressed every later leak
 * of a string copy), and its callers are the program's own logic.
 */
function leastHeld(
  functions: readonly string[],
  holders: ReadonlyMap<string, number>,
): string | undefined {
  let best: string | undefined;
  let fewest = Infinity;
  for (const fn of functions) {
    const held = holders.get(fn) ?? 0;
    if (held < fewest || (held === fewest && held > 1)) [best, fewest] = [fn, held];
  }
  return best;
}

/**
 * The distinct stacks of the report's leak groups, as the functions after the allocator's
 * frames, main's callers left out (a direct and an indirect group of one stack are one site).
 */
function leakSites(report: Report): string[][] {
  const sites = new Map<string, string[]>();
  for (const { records } of groupRecords(report)) {
    const leak = records.find((r) => r.type === "leak");
    if (leak === undefined) continue;
    const functions = functionsOf(withoutAllocatorFrames(leak.stack));
    sites.set(functions.join("\n"), functions);
  }
  return [...sites.values()];
}

function functionsOf(stack: readonly Frame[]): string[] {
  const functions: string[] = [];
  for (const frame of stack) {
    if (isBelowMainFrame(frame)) break;
    if (frame.function !== undefined) functions.push(frame.function);
  }
  return functions;
}

/** `^name$`: TemplateMatch anchors at `^` and `$`; a name holding either is left as written. */
function anchored(fn: string): string {
  return fn.includes("$") || fn.includes("^") ? fn : `^${fn}$`;
}
