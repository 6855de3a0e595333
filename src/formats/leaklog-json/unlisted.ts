import type { Amount, Finding, Group, LeakRecord, Report } from "../../model/index.js";
import { addAmounts, uncounted } from "../../analysis/group.js";
import { countOf } from "../../analysis/group-processes.js";
import { processId, type ProcessId } from "../../analysis/process-key.js";
import { SuppressedIndirect } from "../../analysis/suppressed-indirect.js";
import { kindBeforeSuppressions } from "../../analysis/totals.js";
import type { ReportPart } from "../types.js";

/**
 * What a report's groups count that replaying its listed records does not.
 *
 * `unlisted`: per group of a report written with --max-records, what its records the report
 * does not list add up to: the group's sums less its listed records', with no members
 * (`membersOmitted` counts the unlisted ones). Listed records are matched to groups by the
 * report's own fingerprints, as its run grouped them; superseded leaks and a forked child's
 * copies of its parent's errors are in no group. Groups whose records are all listed, and the
 * baseline's fixed groups, give nothing.
 *
 * `unreplayedProcesses`: per group whose records are all listed, the processes it counts
 * beyond those they name as replayed (see UnreplayedProcesses). A group with unlisted records
 * carries these in its `unlisted` part's `processCount`.
 */
export function unlistedParts(
  report: Report,
): Pick<ReportPart, "unlisted" | "unreplayedProcesses"> {
  const listed = listedByGroup(report);
  const unlisted: Group[] = [];
  const unreplayedProcesses: ReportPart["unreplayedProcesses"] = [];
  for (const group of report.groups) {
    if (group.baseline === "fixed") continue;
    const got = listed.get(keyOf(group));
    const records = group.members.length + (group.membersOmitted ?? 0) - (got?.n ?? 0);
    // Replayed, the listed records count the processes they name, as this input's (campaign
    // v18a F3: a full report of c1.log and c2.log, PID 1 each, was read back as one process).
    const processes = Math.max(0, countOf(group) - (got?.processes.size ?? 0));
    if (records <= 0) {
      if (processes === 0) continue;
      const { type, kind, fingerprint, stack } = group;
      unreplayedProcesses.push({ type, kind, fingerprint, stack, processes });
      continue;
    }
    const rest: Group = {
      ...group,
      bytes: group.bytes - (got?.bytes ?? 0),
      directBytes: group.directBytes - (got?.directBytes ?? 0),
      blocks: group.blocks - (got?.blocks ?? 0),
      occurrences: group.occurrences - (got?.occurrences ?? 0),
      processCount: processes,
      members: [],
      membersOmitted: records,
    };
    delete rest.baseline;
    unlisted.push(rest);
  }
  return { unlisted, unreplayedProcesses };
}

/** What the report's listed records add to their groups, by group key (see keyOf). */
function listedByGroup(report: Report): Map<string, Listed> {
  const listed = new Map<string, Listed>();
  // As the run's groups counted them, so that the rest is what its unlisted records add.
  const indirect = new SuppressedIndirect();
  for (const finding of [...report.leaks, ...report.errors]) {
    if (uncounted(finding)) continue;
    const key = keyOf(finding);
    const sum = listed.get(key) ?? {
      bytes: 0,
      directBytes: 0,
      blocks: 0,
      occurrences: 0,
      n: 0,
      processes: new Set<ProcessId>(),
    };
    addListed(sum, finding, finding.type === "leak" ? indirect.bytesAdded(key, finding) : 0);
    listed.set(key, sum);
  }
  return listed;
}

/**
 * Per error kind, the suppressed occurrences of the records a report does not list: its totals'
 * `suppressedErrors` less those of the records it lists. A group's `suppressed` cannot say it:
 * a group is suppressed only when all its records are (campaign v9: a partly suppressed group's
 * unlisted occurrences were lost from the merged totals).
 */
export function unlistedSuppressedErrors(report: Report): Record<string, number> {
  const rest: Record<string, number> = { ...report.totals.suppressedErrors };
  for (const error of report.errors) {
    if (uncounted(error) || error.suppressed !== true || rest[error.kind] === undefined) continue;
    rest[error.kind] = (rest[error.kind] as number) - error.count;
  }
  return Object.fromEntries(Object.entries(rest).filter(([, count]) => count > 0));
}

/**
 * Per kind the tool gave them, the leaks --suppressions took among the records a report does
 * not list: its totals' `suppressedLeaks` less those of the records it lists, which replayed
 * count again (past --max-records, the Totals' share fell short, campaign ch F1).
 */
export function unlistedSuppressedLeaks(report: Report): Record<string, Amount> {
  return unlistedAmounts(report.totals.suppressedLeaks, report.leaks, (leak) =>
    uncounted(leak) ? undefined : kindBeforeSuppressions(leak),
  );
}

/**
 * Per kind the tool gave them, the forked children's copies of their parents' loss records that
 * a report does not list (past --max-records): its totals' `inheritedLeaks` less its listed
 * copies', which are replayed with their `inheritedFrom` and summed again.
 */
export function unlistedInheritedLeaks(report: Report): Record<string, Amount> {
  return unlistedAmounts(report.totals.inheritedLeaks, report.leaks, (leak) =>
    leak.inheritedFrom === undefined ? undefined : (kindBeforeSuppressions(leak) ?? leak.kind),
  );
}

/**
 * `amounts` by kind less the listed leaks' direct bytes and blocks, each under `kindOf` (none
 * for a leak those amounts do not count): what is left, where anything is.
 */
function unlistedAmounts(
  amounts: Readonly<Record<string, Amount>> = {},
  leaks: readonly LeakRecord[],
  kindOf: (leak: LeakRecord) => string | undefined,
): Record<string, Amount> {
  const rest = new Map(Object.entries(amounts).map(([kind, a]) => [kind, { ...a }]));
  for (const leak of leaks) {
    const kind = kindOf(leak);
    const sum = kind !== undefined ? rest.get(kind) : undefined;
    if (sum === undefined) continue;
    sum.bytes -= leak.directBytes;
    sum.blocks -= leak.blocks;
  }
  return Object.fromEntries([...rest].filter(([, a]) => a.bytes > 0 || a.blocks > 0));
}

interface Listed {
  bytes: number;
  directBytes: number;
  blocks: number;
  occurrences: number;
  /** Records. */
  n: number;
  /**
   * The processes they name, as the Grouper counts them replayed: by PID and run alone, as
   * every replayed record has the report's path.
   */
  processes: Set<ProcessId>;
}

function keyOf(x: Pick<Group, "type" | "kind" | "fingerprint">): string {
  return `${x.type}\u0000${x.kind}\u0000${x.fingerprint}`;
}

/** What a record adds to its group (as the Grouper adds it; `bytes`: see addAmounts). */
function addListed(sum: Listed, finding: Finding, bytes: number): void {
  sum.n += 1;
  addAmounts(sum, finding, bytes);
  if (finding.pid !== undefined) sum.processes.add(processId(finding));
}
