import type { Group } from "../model/index.js";
import { formatNumber } from "../numbers.js";

/**
 * How an unchanged group grew since the baseline, by its `baselineAmounts`: `32 -> 96 bytes,
 * 1 -> 3 blocks` for a leak (and its occurrences, when they changed too), `1 -> 4 occurrences`
 * for an error; undefined for a group that did not grow (or shrank only). A leak that went from
 * one block to three was unchanged and said nothing, so a leak that multiplies passed
 * `--fail-on new` unmentioned (campaign bn Q3). No gate looks at it: a test's input may vary.
 */
export function growth(group: Group): string | undefined {
  const was = group.baseline === "unchanged" ? group.baselineAmounts : undefined;
  if (was === undefined) return undefined;
  const more =
    group.bytes > was.bytes || group.blocks > was.blocks || group.occurrences > was.occurrences;
  if (!more) return undefined;
  const change = (from: number, to: number, noun: string) =>
    `${formatNumber(from)} -> ${formatNumber(to)} ${noun}`;
  const parts =
    group.type === "leak"
      ? [change(was.bytes, group.bytes, "bytes"), change(was.blocks, group.blocks, "blocks")]
      : [];
  if (group.type === "error" || was.occurrences !== group.occurrences)
    parts.push(change(was.occurrences, group.occurrences, "occurrences"));
  return parts.join(", ");
}

/** The unchanged groups that grew since the baseline (see growth). */
export function grownGroups(groups: readonly Group[]): Group[] {
  return groups.filter((group) => growth(group) !== undefined);
}
