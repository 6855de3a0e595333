import { isAllocatorFrame } from "../../analysis/allocator-frames.js";
import { frameKey, hashesStackCLibraryAlike } from "../../analysis/fingerprint.js";
import { baseName } from "../../analysis/frame-paths.js";
import { describeFrame, strictlyOwnFrames, type OwnCode } from "../../analysis/own-frames.js";
import type { Frame, Group, Report } from "../../model/index.js";

/** Library calls named at most, from the program's frame inwards. */
const CALLS_SHOWN = 6;

/**
 * The library calls that set a group apart from the others it would print alike: groups that
 * differ only in library frames (readline's keymaps, every one reached from one line of `main`)
 * showed the same own frames and looked like one leak counted five times. For each such group,
 * the calls from its first own frame into the library, as far as it takes to tell it from the
 * others (`via readline > rl_initialize > _rl_init_terminal_io`), or failing that its stack's depth
 * (see tellApart); groups that print apart get none. `others` are groups not listed that a
 * listed one may be taken for (see apartInComparison): told apart from, never told apart.
 */
export function libraryPaths(
  groups: readonly Group[],
  shownFrames: (group: Group) => readonly Frame[],
  ownCode: OwnCode,
  others: readonly Group[] = [],
): Map<Group, string> {
  const listed = new Set(groups);
  const alike = new Map<string, Group[]>();
  for (const group of [...groups, ...others.filter((other) => !listed.has(other))]) {
    const key = [group.type, group.kind, ...shownFrames(group).map(describeFrame)].join("\n");
    const bucket = alike.get(key);
    if (bucket === undefined) alike.set(key, [group]);
    else bucket.push(group);
  }
  const paths = new Map<Group, string>();
  for (const bucket of alike.values()) {
    if (bucket.length < 2 || !bucket.some((group) => listed.has(group))) continue;
    tellByLibraryCalls(bucket, ownCode, paths, listed);
    tellApart(bucket, paths, listed);
  }
  return paths;
}

/**
 * What tells each of `listed` apart from every group of the report's baseline comparison that
 * prints alike (new, fixed, unchanged, grown or not), listed or not: told apart among the
 * listed alone, `diff` printed `Fixed (1)` with a leak `at h` and nothing under it while the
 * unchanged leak that printed the same was still there, and a new group read as the known leak
 * (campaign bqa F4). The text summary and `diff` both ask here, so a group is told apart alike
 * in both; a report without a baseline compares its listed groups among themselves.
 */
export function apartInComparison(
  listed: readonly Group[],
  report: Pick<Report, "groups">,
  shownFrames: (group: Group) => readonly Frame[],
  ownCode: OwnCode,
): Map<Group, string> {
  const compared = report.groups.filter((group) => group.baseline !== undefined);
  return libraryPaths(listed, shownFrames, ownCode, compared);
}

/**
 * Each listed group of `bucket` whose library path is its own, named by it (see libraryPaths).
 * Only the listed ones are worked out, each against the whole bucket: for all of a bucket's
 * groups, 5,000 look-alikes of a stripped program took `summarize --baseline` from 6 to 40 s
 * (campaign v16b F1).
 */
function tellByLibraryCalls(
  bucket: readonly Group[],
  ownCode: OwnCode,
  paths: Map<Group, string>,
  listed: ReadonlySet<Group>,
): void {
  const calls = bucket.map((group) => libraryCalls(group.stack, ownCode));
  calls.forEach((names, i) => {
    if (!listed.has(bucket[i] as Group)) return;
    const others = calls.filter((_, j) => j !== i);
    // A path that another group shares whole tells nothing: they differ elsewhere.
    if (names.length === 0 || others.some((o) => samePath(o, names))) return;
    const needed = 1 + longestCommonStart(others, names);
    const count = Math.min(needed, names.length, CALLS_SHOWN);
    const more = count < needed && count < names.length ? " > ..." : "";
    paths.set(bucket[i] as Group, `via ${names.slice(0, count).join(" > ")}${more}`);
  });
}

/**
 * What tells apart the groups of `bucket` that no library path does: a stripped program's stacks
 * (`??? (in /usr/bin/git)` four times) print alike whatever they are, and git's five
 * still-reachable groups looked like one leak counted five times. Each one's depth where all
 * differ; else the first frame where it parts from the group most like it (`frame 5:
 * lib_run2`, a library call below the shown frames: campaign v4), or its depth where it is that
 * group's start. Frames are compared as fingerprints compare them (frameKey), and a frame whose
 * function that group's has too is named with its file or object (`frame 6: init (b.c)`):
 * compared by function alone, a new group and a fixed one that differed only in a static
 * function's file said nothing of why the gate failed (fix j). Groups whose frames all read
 * alike say nothing.
 */
function tellApart(
  bucket: readonly Group[],
  paths: Map<Group, string>,
  listed: ReadonlySet<Group>,
): void {
  const untold = bucket.filter((group) => !paths.has(group));
  if (untold.length < 2) return;
  const depth = (group: Group) => `a stack ${group.stack.length} frames deep`;
  if (new Set(untold.map((group) => group.stack.length)).size === untold.length) {
    for (const group of untold) if (listed.has(group)) paths.set(group, depth(group));
    return;
  }
  const keys = untold.map((group) => {
    const alike = hashesStackCLibraryAlike(group.stack);
    return group.stack.map((frame) => frameKey(frame, false, alike));
  });
  untold.forEach((group, i) => {
    if (!listed.has(group)) return;
    const own = keys[i] as FrameKey[];
    const others = keys.filter((_, j) => j !== i);
    if (others.some((other) => samePath(other, own))) return;
    const at = longestCommonStart(others, own);
    const frame = group.stack[at];
    if (frame === undefined) {
      paths.set(group, depth(group));
      return;
    }
    // Counted as the summary shows the stack: from the first frame past the allocator's.
    const allocators = group.stack.findIndex((f) => !isAllocatorFrame(f));
    const closest = others.filter((other) => commonStart(other, own) === at);
    const sameName = closest.some((other) => other[at]?.name === own[at]?.name);
    const told = sameName ? withPlace(frame) : callName(frame);
    // Parted at an allocator's frame, which the summary does not show: a stripped git's
    // strdup'd string beside its calloc'd blocks was `frame -1: malloc`.
    if (at < allocators) paths.set(group, `allocated by ${told}`);
    else paths.set(group, `frame ${at + 1 - Math.max(0, allocators)}: ${told}`);
  });
}

/** A frame as fingerprints compare it (see frameKey). */
type FrameKey = ReturnType<typeof frameKey>;

/**
 * A frame named with where it is, for a frame whose function another group's has at the same
 * depth: `init (b.c)`, `helper (in libb.so)`, `??? (in liblsan.so+0x1a2b)`.
 */
function withPlace(frame: Frame): string {
  const fn = frame.function ?? "???";
  if (frame.file !== undefined) {
    // A frame with no function is known by its line too (MEMWATCH's `main.c(16)`).
    const line = frame.function === undefined && frame.line !== undefined ? `:${frame.line}` : "";
    return `${fn} (${baseName(frame.file)}${line})`;
  }
  if (frame.object === undefined) return fn;
  const offset = frame.offset !== undefined ? `+${frame.offset}` : "";
  return `${fn} (in ${baseName(frame.object)}${offset})`;
}

/** The frames between the allocator and the first own frame, named from the own frame inwards. */
function libraryCalls(stack: readonly Frame[], ownCode: OwnCode): string[] {
  const [firstOwn] = strictlyOwnFrames(stack, ownCode);
  const end = firstOwn === undefined ? -1 : stack.indexOf(firstOwn);
  if (end <= 0) return [];
  return stack
    .slice(0, end)
    .filter((frame) => !isAllocatorFrame(frame))
    .reverse()
    .map(callName);
}

/** A library frame's function, or for a stripped one the object it is in. */
function callName(frame: Frame): string {
  if (frame.function !== undefined) return frame.function;
  return frame.object !== undefined ? `??? (in ${baseName(frame.object)})` : "???";
}

/** The most frames (or calls) one of `others` starts with alike with `own`: a loop, not a spread. */
function longestCommonStart<T extends string | FrameKey>(
  others: readonly (readonly T[])[],
  own: readonly T[],
): number {
  let most = 0;
  for (const other of others) most = Math.max(most, commonStart(other, own));
  return most;
}

/** How many frames (or calls) `a` and `b` start with alike. */
function commonStart<T extends string | FrameKey>(a: readonly T[], b: readonly T[]): number {
  let n = 0;
  while (n < a.length && n < b.length && sameStep(a[n] as T, b[n] as T)) n += 1;
  return n;
}

function sameStep(a: string | FrameKey, b: string | FrameKey): boolean {
  if (typeof a === "string" || typeof b === "string") return a === b;
  return a.name === b.name && a.place === b.place;
}

function samePath<T extends string | FrameKey>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && commonStart(a, b) === a.length;
}
