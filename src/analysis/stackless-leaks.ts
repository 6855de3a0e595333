import type { BaselineStatus, Frame, Group } from "../model/index.js";

/**
 * Whether a leak's stack is Valgrind's `at 0x0: ???` alone (XML: a `<frame>` of `<ip>0x0</ip>`
 * and nothing else): the run kept no allocation stacks (`--keep-stacktraces=none`, or `=free`,
 * which keeps only the stacks that free a block, and a leaked block is never freed). Memcheck
 * then gives every block of a leak kind the same empty stack, so it prints them as one loss
 * record (`49 bytes in 2 blocks are definitely lost`, from two functions that leaked 33 and 16).
 * A loss record always starts at the allocator, so no real allocation stack is a jump to nowhere.
 */
export function isStacklessLeak(stack: readonly Frame[]): boolean {
  return stack.length > 0 && stack.every(isNullFrame);
}

/** `0x0: ???`: an address of zero, or none, and nothing that names code. */
function isNullFrame(frame: Frame): boolean {
  const named = frame.function ?? frame.file ?? frame.object ?? frame.offset;
  return named === undefined && (frame.ip === undefined || /^0x0+$/.test(frame.ip));
}

/** A leak group whose stack is no allocation stack (see isStacklessLeak). */
export function isStacklessGroup(group: Group): boolean {
  return group.type === "leak" && isStacklessLeak(group.stack);
}

/**
 * What a comparison with a baseline can tell of leaks where one side's leaks of a kind have no
 * allocation stack (see isStacklessLeak): a stackless group of a kind may hold any leak of that
 * kind of the other side, so neither side's groups of that kind are known new, unchanged or
 * fixed; only where the other side has no leak of that kind at all. A run with
 * `--keep-stacktraces=none` against a baseline with stacks read as one new leak (`at ???`) and
 * every baseline leak fixed, with no word of why (campaign cd Q3).
 */
export class StacklessKinds {
  /** The leak kinds of each side's groups. */
  private readonly kindsNow: Set<string>;
  private readonly kindsBefore: Set<string>;
  /** The leak kinds of each side's stackless groups. */
  private readonly stacklessNow: Set<string>;
  private readonly stacklessBefore: Set<string>;

  /** `baseline`: its groups still findings (not `fixed` in it). */
  constructor(current: readonly Group[], baseline: Iterable<Group>) {
    const before = [...baseline];
    this.kindsNow = leakKinds(current, () => true);
    this.kindsBefore = leakKinds(before, () => true);
    this.stacklessNow = leakKinds(current, isStacklessGroup);
    this.stacklessBefore = leakKinds(before, isStacklessGroup);
  }

  /**
   * Whether a group of this run is neither new nor unchanged, given the status `status` that
   * the comparison gave it by its key: a stackless one when the baseline has a leak of its kind
   * (two stackless groups share a key, and need not be the same leaks), one with a stack that
   * would be new when the baseline has a stackless group of its kind, which may be it.
   */
  undecided(group: Group, status: BaselineStatus | undefined): boolean {
    if (group.type !== "leak") return false;
    if (isStacklessGroup(group)) return this.kindsBefore.has(group.kind);
    return status === "new" && this.stacklessBefore.has(group.kind);
  }

  /**
   * Whether a baseline group this run does not hold by its key may be in it all the same: one
   * with a stack, in a stackless group of its kind; a stackless one, in any group of its kind.
   */
  mayBeHere(group: Group): boolean {
    if (group.type !== "leak") return false;
    return isStacklessGroup(group)
      ? this.kindsNow.has(group.kind)
      : this.stacklessNow.has(group.kind);
  }
}

function leakKinds(groups: Iterable<Group>, keep: (group: Group) => boolean): Set<string> {
  const kinds = new Set<string>();
  for (const group of groups) if (group.type === "leak" && keep(group)) kinds.add(group.kind);
  return kinds;
}
