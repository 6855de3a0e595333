import type { BaselineStatus, Frame, Group, ToolSummary } from "../model/index.js";
import { isAllocatorFrame } from "./allocator-frames.js";
import { matchInlined } from "./inlined-names.js";
import { compareGroups } from "./group.js";
import { occurrencesCompare } from "./counts-unknown.js";
import { isInheritedDescriptors } from "./inherited-descriptors.js";
import { isStacklessGroup, StacklessKinds } from "./stackless-leaks.js";
import type { UsedMore } from "./used-suppressions.js";

/** Groups are the same finding when type, kind and stack fingerprint agree. */
export function baselineKey(group: Pick<Group, "type" | "kind" | "fingerprint">): string {
  return `${group.type}\u0000${group.kind}\u0000${group.fingerprint}`;
}

/**
 * Marks each current group `new` or `unchanged` against a baseline's groups (a leak suppressed
 * in one run and not in the other is `unchanged`: see suppressedOrNot), and appends the
 * baseline's groups that are gone as `fixed`. A fixed group keeps the baseline's kind, message
 * and stack but has no current members, zero bytes and occurrences, and severity `none`: it is
 * not a finding of this run, so gates and severity counts ignore it, while reports and `diff`
 * can still list it, with the baseline's amounts in `baselineAmounts`; an unchanged group has
 * them too where they differ from its own (see withBaselineAmounts). Baseline groups that were
 * themselves `fixed` are not findings and are left out, and so are those of a leak kind in
 * `unlistedKinds`: kinds the current run counted but did not list (Valgrind's default
 * --show-leak-kinds hides still reachable and indirectly lost blocks), so their groups' absence
 * proves nothing. Inputs are not modified.
 */
export function compareWithBaseline(
  current: readonly Group[],
  baseline: readonly Group[],
  unlistedKinds: ReadonlySet<string> = new Set(),
): Group[] {
  return baselineComparison(current, baseline, unlistedKinds).groups;
}

/**
 * How much more the checker suppressed in this run than in the baseline's, by their own
 * summaries: leak bytes (Valgrind's LEAK SUMMARY `suppressed:`) and errors (its ERROR SUMMARY's
 * `suppressed:` count, see suppressedMore), or, where Valgrind says which suppressions it used,
 * by those (see suppressedBeyond). A gone baseline group no larger than that may be among them.
 */
export interface SuppressedMore {
  leakBytes: number;
  errors: number;
  /**
   * When the room for errors comes from the suppressions the run says it used: the entries that
   * may match errors and matched more often (see UsedMore), for the warning to name.
   */
  usedEntries?: string[];
  /**
   * Loss records, where the run's summaries count no suppressed leak bytes (Valgrind 3.19's
   * XML): how many more the leak entries it says it used may have suppressed (see
   * leakRecordsSuppressedMore), and those entries, for the warning to name.
   */
  leakRecords?: number;
  usedLeakEntries?: string[];
}

/**
 * What the checker suppressed in `run` beyond what it suppressed in `baseline` (see
 * SuppressedMore): rerunning Valgrind with a suppression file leaklog wrote turned every
 * suppressed group into a "fixed" one, although the log said it had suppressed them.
 *
 * The ERROR SUMMARY's `suppressed:` count also counts a suppressed loss record once, if its kind
 * is in --errors-for-leak-kinds (m_errormgr.c's VG_(unique_error): 4 suppressed records of 8
 * blocks and 2 suppressed errors made `suppressed: 6 from 6`). How many records the LEAK
 * SUMMARY's suppressed blocks were, and which of them counted, the log does not say: one record
 * of 3 blocks, or none at all when only reachable blocks were suppressed. Taking off the blocks
 * left no room for an invalid read Valgrind had only suppressed, which was then called fixed
 * (campaign bqa F1). So none of the growth is taken as loss records: a gone error group within
 * it is left out, never called fixed, though it may have been. When the suppressed blocks
 * shrank instead, records the baseline's count held may have given way to errors: up to one per
 * block gone, and no more than that count, widen the room.
 *
 * `usedMore`: at most how many more errors the suppressions that the run's processes say they
 * used could have suppressed (see errorsSuppressedMore), when they and the baseline say: the
 * room is no larger.
 * A run that used leak entries alone suppressed no error, and a real fix made with them is
 * called fixed (campaign v16b Q2). An XML log of Valgrind 3.19 has no count at all: its list is
 * the room.
 */
export function suppressedMore(
  run: readonly ToolSummary[],
  baseline: readonly ToolSummary[],
  usedMore?: UsedMore,
): SuppressedMore {
  const now = suppressedBy(run);
  const before = suppressedBy(baseline);
  const leakBytes = Math.max(0, now.leakBytes - before.leakBytes);
  const blocksGone = Math.max(0, before.leakBlocks - now.leakBlocks);
  const recordsGone = Math.min(before.errors, blocksGone);
  const counted = Math.max(0, now.errors - before.errors + recordsGone);
  if (usedMore === undefined) return { leakBytes, errors: counted };
  const hasCounts = run.some((summary) => summary.errors?.suppressed !== undefined);
  const errors = hasCounts ? Math.min(counted, usedMore.errors) : usedMore.errors;
  return { leakBytes, errors, usedEntries: usedMore.entries };
}

function suppressedBy(summaries: readonly ToolSummary[]): {
  leakBytes: number;
  leakBlocks: number;
  errors: number;
} {
  let leakBytes = 0;
  let leakBlocks = 0;
  let errors = 0;
  for (const summary of summaries) {
    leakBytes += summary.leak?.suppressed?.bytes ?? 0;
    leakBlocks += summary.leak?.suppressed?.blocks ?? 0;
    errors += summary.errors?.suppressed ?? 0;
  }
  return { leakBytes, leakBlocks, errors };
}

/** Whether a gone baseline group fits in what the checker suppressed more (see SuppressedMore). */
function fitsSuppressed(group: Group, more: SuppressedMore): boolean {
  if (group.type !== "leak") return group.occurrences > 0 && group.occurrences <= more.errors;
  if (group.directBytes > 0 && group.directBytes <= more.leakBytes) return true;
  return group.occurrences > 0 && group.occurrences <= (more.leakRecords ?? 0);
}

/**
 * compareWithBaseline's groups, and the baseline's groups it leaves out, neither found again
 * nor known to be fixed: `uncompared`, because their kind is unlisted in this run, or because
 * the run is `incomplete` (a log of it is); `maybeSuppressed`, because each fits in what the
 * checker suppressed in this run beyond the baseline's (see SuppressedMore); `unreached`,
 * because a process of this run died of a fatal signal, or a sanitizer stopped it, before the
 * point where it may have met them (`stopped`, see FatalStops). `cutShort`: this run's groups
 * of records cut before a whole frame of the program's (see cutStatus), which get no status.
 * `inherited`: groups of descriptors a process inherited open, on either side, which are not
 * compared (see inherited-descriptors.ts: a baseline made elsewhere or with another Valgrind
 * made them new and failed `--fail-on new`): this run's get no status, the baseline's are not
 * fixed. `stackless`: leak groups of a kind whose loss records have no allocation stack on
 * either side (see StacklessKinds): this run's get no status (`stackless.run`), the baseline's
 * not found are not fixed (`stackless.baseline`).
 */
export function baselineComparison(
  current: readonly Group[],
  baseline: readonly Group[],
  unlistedKinds: ReadonlySet<string>,
  incomplete = false,
  suppressed: SuppressedMore = { leakBytes: 0, errors: 0 },
  cutKeys: ReadonlySet<string> = new Set(),
  stopped: (group: Group) => boolean = () => false,
): {
  groups: Group[];
  uncompared: Group[];
  unreached: Group[];
  maybeSuppressed: Group[];
  cutShort: Group[];
  inherited: Group[];
  stackless: { run: Group[]; baseline: Group[] };
} {
  const before = new Map<string, Group>();
  const inherited: Group[] = [];
  for (const group of baseline) {
    if (group.baseline === "fixed") continue;
    if (isInheritedDescriptors(group)) inherited.push(group);
    else before.set(baselineKey(group), group);
  }
  const now = new Set(current.map(baselineKey));
  const leaksBefore = leakStacks(before.values());
  const leaksNow = leakStacks(current);
  const blind = new StacklessKinds(current, before.values());
  const stackless: { run: Group[]; baseline: Group[] } = { run: [], baseline: [] };
  const cutShort: Group[] = [];
  // Baseline groups a cut record's partial stack was found as: not gone. They were counted both
  // unchanged and among those "not found" (3 unchanged + 2 of a 4-group baseline, campaign bqa F5).
  const foundByCut = new Set<string>();
  const statusOf = (group: Group): BaselineStatus | undefined => {
    if (before.has(baselineKey(group)) || suppressedOrNot(group, leaksBefore)) return "unchanged";
    if (!cutKeys.has(baselineKey(group))) return "new";
    const { status, found } = cutStatus(group, before.values());
    if (found !== undefined) foundByCut.add(baselineKey(found));
    return status;
  };
  const marked = current.map((group): Group => {
    if (isInheritedDescriptors(group)) {
      inherited.push(group);
      return group;
    }
    const status = statusOf(group);
    if (blind.undecided(group, status)) {
      stackless.run.push(group);
      return group;
    }
    if (status === undefined) cutShort.push(group);
    if (status === undefined) return group;
    return withBaselineAmounts({ ...group, baseline: status }, before.get(baselineKey(group)));
  });
  let gone = [...before.entries()]
    // A stackless group's key is found again in any stackless group of its kind, proving nothing.
    .filter(([key, group]) => !now.has(key) || isStacklessGroup(group))
    .filter(([key]) => !foundByCut.has(key))
    .filter(([, group]) => !suppressedOrNot(group, leaksNow))
    .map(([, group]) => group);
  gone = matchInlined(marked, gone);
  const fixed: Group[] = [];
  const uncompared: Group[] = [];
  const unreached: Group[] = [];
  const maybeSuppressed: Group[] = [];
  for (const group of gone) {
    // A run whose log is incomplete proves no group gone: its missing part may hold them all.
    if (incomplete || unlistedKinds.has(group.kind)) uncompared.push(group);
    // Nor a leak that this run's leaks of its kind, without stacks, may hold (campaign cd Q3).
    else if (blind.mayBeHere(group)) stackless.baseline.push(group);
    // Nor does a process that died: it never ran the code after that point (campaign by F3).
    else if (stopped(group)) unreached.push(group);
    else if (fitsSuppressed(group, suppressed)) maybeSuppressed.push(group);
    else fixed.push(fixedGroup(group));
  }
  const groups = [...marked, ...fixed.sort(compareGroups)];
  return { groups, uncompared, unreached, maybeSuppressed, cutShort, inherited, stackless };
}

/**
 * The status of a group of records cut by the end of their log (`cutKeys`: a run killed in the
 * middle of its leak report), whose partial stack fingerprinted as a new group and failed
 * `--fail-on new`. Its last frame may be cut mid-line (`xalloc (prog.c:2`, `xall`, an address
 * alone): unchanged when its frames are the first of a baseline group's of its type and kind,
 * the last one read as a possible prefix once a frame of the program's before it agrees; new
 * when not; neither (undefined) when nothing beyond the allocator's frames is whole, which
 * could be any leak (a cut after `at malloc` let a new leak pass as unchanged). `found`: the
 * baseline group an unchanged one was found as (the first, when its frames start several: the
 * record is one of them, the others are still not found).
 */
function cutStatus(
  group: Group,
  baseline: Iterable<Group>,
): { status: BaselineStatus | undefined; found?: Group } {
  const cut = group.stack;
  const head = cut.slice(0, -1);
  const last = cut.at(-1);
  if (last === undefined || cut.every(isAllocatorFrame)) return { status: undefined };
  const lastWhole = last.file !== undefined || last.object !== undefined;
  const anchored = !head.every(isAllocatorFrame);
  for (const whole of baseline) {
    if (whole.type !== group.type || whole.kind !== group.kind) continue;
    if (whole.stack.length < cut.length || !head.every((f, i) => sameFrame(f, whole.stack[i]))) {
      continue;
    }
    const theirs = whole.stack[cut.length - 1];
    if (sameFrame(last, theirs, true) || (anchored && !lastWhole && startOf(last, theirs))) {
      return { status: "unchanged", found: whole };
    }
  }
  return { status: lastWhole || anchored ? "new" : undefined };
}

/** The same function in the same file; the last frame of a cut stack may have lost its file. */
function sameFrame(a: Frame, b: Frame | undefined, last = false): boolean {
  if (b === undefined || a.function !== b.function) return false;
  return a.file === b.file || (last && a.file === undefined);
}

/** Whether a frame cut mid-line is the start of `b` as Valgrind prints it: `fn (file:line)`. */
function startOf(a: Frame, b: Frame | undefined): boolean {
  if (b === undefined) return false;
  if (a.function === undefined) return true;
  const printed = `${b.function ?? "???"} (${b.file ?? ""}:${b.line ?? ""})`;
  return printed.startsWith(a.function);
}

/** The stack fingerprints of leak groups: of suppressed ones, and of the others. */
interface LeakStacks {
  suppressed: Set<string>;
  other: Set<string>;
}

function leakStacks(groups: Iterable<Group>): LeakStacks {
  const stacks: LeakStacks = { suppressed: new Set(), other: new Set() };
  for (const group of groups) {
    if (group.type !== "leak") continue;
    (group.kind === "suppressed" ? stacks.suppressed : stacks.other).add(group.fingerprint);
  }
  return stacks;
}

/**
 * Whether a leak group is on the other side as the same leak, suppressed on one side only: a
 * suppression makes a leak's kind `suppressed` (suppressLeak), so adding one made a baseline's
 * leak "fixed" and the same leak, suppressed, "new"; dropping one made it "new". Errors keep
 * their kind when suppressed, and compare as they are.
 */
function suppressedOrNot(group: Group, other: LeakStacks): boolean {
  if (group.type !== "leak") return false;
  const stacks = group.kind === "suppressed" ? other.other : other.suppressed;
  return stacks.has(group.fingerprint);
}

/** A group's amounts, as `baselineAmounts` holds them. */
type Amounts = NonNullable<Group["baselineAmounts"]>;

function amountsOf({ bytes, directBytes, blocks, occurrences }: Group): Amounts {
  return { bytes, directBytes, blocks, occurrences };
}

/**
 * An unchanged group with its baseline group's amounts where they differ from its own: a leak
 * that went from 32 bytes in 1 block to 96 in 3 (once per loop iteration, and the loop ran more)
 * was unchanged and nothing said so, so a leak that multiplies passed `--fail-on new` unmentioned
 * (campaign bn Q3). Only a group found under its own key: one suppressed on one side only
 * (suppressedOrNot) or paired by an inlined name (matchInlined) has no one baseline group whose
 * amounts are its own.
 */
function withBaselineAmounts(group: Group, was: Group | undefined): Group {
  if (group.baseline !== "unchanged" || was === undefined) return group;
  const [now, before] = [amountsOf(group), amountsOf(was)];
  let compared = Object.keys(now) as (keyof Amounts)[];
  if (!occurrencesCompare(group, was)) compared = compared.filter((k) => k !== "occurrences");
  const same = compared.every((k) => now[k] === before[k]);
  return same ? group : { ...group, baselineAmounts: before };
}

function fixedGroup(group: Group): Group {
  const fixed: Group = {
    ...group,
    severity: "none",
    bytes: 0,
    directBytes: 0,
    blocks: 0,
    occurrences: 0,
    pids: [],
    members: [],
    baseline: "fixed",
    baselineAmounts: amountsOf(group),
  };
  delete fixed.membersOmitted;
  delete fixed.sites;
  delete fixed.processCount;
  delete fixed.suppressed;
  delete fixed.aborted;
  return fixed;
}

/** How many groups have each baseline status. */
export function countBaseline(groups: readonly Group[]): Record<BaselineStatus, number> {
  const counts: Record<BaselineStatus, number> = { new: 0, unchanged: 0, fixed: 0 };
  for (const group of groups) if (group.baseline !== undefined) counts[group.baseline] += 1;
  return counts;
}
