import type { Diagnostic, Group } from "../model/index.js";

/** The diagnostic a log's parser gives when the log does not say how often each error occurred. */
export const COUNTS_UNKNOWN = "error-counts-unknown";

/**
 * Marks `countsUnknown` the error groups with records of a log whose error counts are unknown
 * (an `error-counts-unknown` info at its path): a Valgrind text log without -s prints each
 * error context once, so each such record counts 1 however often it occurred. A group names its
 * logs by its sites, when it lists them, or by its members, of which it lists the first 20: past
 * them, any log of the run may be one of its own. A group marked elsewhere (a worker's partial
 * report) stays marked. Gives the groups it was given.
 */
export function markCountsUnknown<G extends readonly Group[]>(
  groups: G,
  diagnostics: readonly Diagnostic[],
): G {
  const logs = new Set(diagnostics.filter((d) => d.code === COUNTS_UNKNOWN).map((d) => d.path));
  if (logs.size === 0) return groups;
  for (const group of groups) {
    if (group.type !== "error" || group.countsUnknown === true) continue;
    const named = group.sites ?? group.members;
    const unnamed = group.sites === undefined && (group.membersOmitted ?? 0) > 0;
    if (unnamed || named.some((site) => logs.has(site.path))) group.countsUnknown = true;
  }
  return groups;
}

/**
 * Whether an unchanged group's occurrences compare with its baseline group's: not when either
 * side's counts are unknown (see markCountsUnknown). A text log without -s against the XML of the
 * same run made an invalid write that occurred 3 times in both "grow" from 1 to 3 (campaign
 * cb1 Q8): the 1 was no count.
 */
export function occurrencesCompare(group: Group, was: Group): boolean {
  return group.countsUnknown !== true && was.countsUnknown !== true;
}
