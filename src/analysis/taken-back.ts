import type { GroupMember, LeakKind } from "../model/index.js";
import type { CountedLeak } from "./counted-leaks.js";
import { memberLiteral } from "./group-tallies.js";
import { processKey } from "./process-key.js";
import { countedTwice } from "./suppressed-indirect.js";
import type { GroupAmounts } from "./group.js";
import { MAX_GROUP_MEMBERS, MAX_GROUP_PIDS } from "./group-tallies.js";

/**
 * What a group counted of records that turn out to be forked children's copies of their
 * parents' loss records, to take back (see takenBack, Grouper.takeBack), and what it lists
 * without them.
 */
export interface TakenBack {
  kind: LeakKind;
  fingerprint: string;
  amounts: GroupAmounts;
  /** The copies among its records. */
  copies: CountedLeak[];
  /** The processes whose only records in the group were copies: the group has none of them. */
  processes: Pick<CountedLeak, "path" | "pid" | "run">[];
  /** Its first members and PIDs among the other records counted, in the order they were. */
  members: GroupMember[];
  pids: number[];
  /** The ids and PIDs of every record counted in it, and the PIDs of those that are no copy. */
  ids: Set<string>;
  allPids: Set<number>;
  keptPids: Set<number>;
}

/**
 * What to take back out of each group, for the copies among the records `counted` (every one
 * counted before every input was in, in the order they were): their amounts, the processes that
 * have no other record in the group, and the group's first members and PIDs once they are out,
 * as its records counted without them would have made them. A suppressed group's bytes count
 * each of a process's blocks once (see SuppressedIndirect), so what a process's copies added is
 * what its records added less what the others alone would have. A process is keyed by its input,
 * as SuppressedIndirect keys a record of a log and the Grouper a record of a report read back
 * (which SuppressedIndirect tells apart by its log too: two logs of one PID merged into one
 * report are one process here).
 */
export function takenBack(
  copies: ReadonlySet<CountedLeak>,
  counted: readonly CountedLeak[],
): TakenBack[] {
  const groups = new Map<string, { back: TakenBack; cells: Map<string, CountedLeak[]> }>();
  for (const copy of copies) {
    const key = groupKey(copy);
    if (!groups.has(key)) groups.set(key, { back: emptyTakenBack(copy), cells: new Map() });
  }
  for (const record of counted) {
    const group = groups.get(groupKey(record));
    if (group === undefined) continue;
    listRecord(group.back, record, copies.has(record));
    const process = processKey(record);
    const cell = group.cells.get(process);
    if (cell === undefined) group.cells.set(process, [record]);
    else cell.push(record);
  }
  for (const { back, cells } of groups.values()) {
    for (const records of cells.values()) {
      const rest = records.filter((r) => !copies.has(r));
      if (rest.length === records.length) continue;
      const taken = records.filter((r) => copies.has(r));
      back.copies.push(...taken);
      addTaken(back.amounts, taken, records, rest);
      if (rest.length === 0) {
        const { path, pid, run } = records[0] as CountedLeak;
        back.processes.push({ path, pid, run });
      }
    }
  }
  return [...groups.values()].map(({ back }) => back);
}

function emptyTakenBack({ kind, fingerprint }: CountedLeak): TakenBack {
  return {
    kind,
    fingerprint,
    amounts: { bytes: 0, directBytes: 0, blocks: 0, occurrences: 0 },
    copies: [],
    processes: [],
    members: [],
    pids: [],
    ids: new Set(),
    allPids: new Set(),
    keptPids: new Set(),
  };
}

/** A record of the group, in the order counted: among its members and PIDs, if no copy. */
function listRecord(back: TakenBack, record: CountedLeak, copy: boolean): void {
  back.ids.add(record.id);
  back.allPids.add(record.pid);
  if (copy) return;
  if (back.members.length < MAX_GROUP_MEMBERS) back.members.push(memberLiteral(record));
  if (back.pids.length < MAX_GROUP_PIDS && !back.keptPids.has(record.pid))
    back.pids.push(record.pid);
  back.keptPids.add(record.pid);
}

/** A group's identity among leak groups: its kind and stack fingerprint. */
function groupKey({ kind, fingerprint }: CountedLeak): string {
  return `${kind}\u0000${fingerprint}`;
}

/** Adds what one process's copies `taken` added to their group (see takenBack). */
function addTaken(
  amounts: GroupAmounts,
  taken: readonly CountedLeak[],
  all: readonly CountedLeak[],
  rest: readonly CountedLeak[],
): void {
  for (const copy of taken) {
    amounts.directBytes += copy.directBytes;
    amounts.blocks += copy.blocks;
    amounts.occurrences += 1;
  }
  const [first] = taken as [CountedLeak];
  amounts.bytes +=
    first.kind === "suppressed" ? groupBytes(all) - groupBytes(rest) : sum(taken, "bytes");
}

/** The bytes a process's records add to a suppressed group (see SuppressedIndirect). */
function groupBytes(records: readonly CountedLeak[]): number {
  return sum(records, "bytes") - countedTwice(sum(records, "indirectBytes"), sum(records, "own"));
}

function sum(records: readonly CountedLeak[], field: "bytes" | "indirectBytes" | "own"): number {
  let total = 0;
  for (const record of records) total += record[field];
  return total;
}
