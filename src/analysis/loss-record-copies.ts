import type { LeakRecord, RegisteredDiagnostic, Source } from "../model/index.js";
import type { CountedLeak } from "./counted-leaks.js";
import { lossRecordDiagnostics, type ChildOutcome } from "./inherited-loss-diagnostics.js";
import { lossRecordParents, type ParentProcess, type ProcessRef } from "./loss-record-parents.js";
import { processKey } from "./process-key.js";

/** Where a copy's parent's record is (LeakRecord's `inheritedFrom`). */
export type InheritedFrom = NonNullable<LeakRecord["inheritedFrom"]>;

/** A parent's records by stack key, by the parent's processKey. */
type ParentRecords = Map<string, Map<string, CountedLeak>>;

/**
 * The forked children's copies of their parents' loss records among `records` (every input's,
 * in their order), each with its parent's record, and an `inherited-loss-records` info per
 * child, or per log and parent (see lossRecordDiagnostics). A record of a process whose parent
 * the inputs surely hold (see lossRecordParents) is a copy when the parent has a record of the
 * same kind and the same allocation stack, frame for frame (addresses included: a child's
 * address space is its parent's), with no more blocks, bytes or direct bytes: a block the child
 * inherited is one the parent held at the fork, which stays lost in the parent, with the
 * parent's own later leaks of the same stack only added to it. A record with more is the
 * child's (it leaked there again after the fork), as is any other. A child that runs the
 * parent's very allocation path again after the fork, no further than the parent does, cannot
 * be told apart; the group then counts the parent's record alone.
 */
export function lossRecordCopies(
  sources: readonly Source[],
  records: readonly CountedLeak[],
  parents = recordParents(sources, records),
): { copies: Map<CountedLeak, InheritedFrom>; diagnostics: RegisteredDiagnostic[] } {
  const copies = new Map<CountedLeak, InheritedFrom>();
  if (parents.size === 0) return { copies, diagnostics: [] };
  const byParent = parentRecords(records, parents);
  const outcomes = new Map<string, ChildOutcome>();
  for (const record of records) {
    const candidates = parents.get(processKey(record));
    const match = candidates === undefined ? undefined : matchOf(record, candidates, byParent);
    if (match === undefined) continue;
    const outcome = outcomeOf(outcomes, record, match.parent);
    if (match.record === undefined) {
      outcome.unlike.push(record);
      continue;
    }
    const { parent } = match;
    copies.set(record, {
      parentPid: parent.pid,
      ...(parent.run !== undefined ? { parentRun: parent.run } : {}),
      parentLog: parent.path,
      parentLine: match.record.line,
    });
    outcome.copies.push(record);
  }
  return { copies, diagnostics: lossRecordDiagnostics(outcomes.values()) };
}

/** The parents the inputs surely hold of the records' processes (see lossRecordParents). */
export function recordParents(
  sources: readonly Source[],
  records: readonly ProcessRef[],
): Map<string, ParentProcess[]> {
  const holding = new Set(records.map(processKey));
  return lossRecordParents(sources, (child) => holding.has(processKey(child)));
}

function outcomeOf(
  outcomes: Map<string, ChildOutcome>,
  record: CountedLeak,
  parent: ParentProcess,
): ChildOutcome {
  const key = processKey(record);
  let outcome = outcomes.get(key);
  if (outcome === undefined) {
    const { path, pid, run } = record;
    outcome = { child: { path, pid, run }, parent, copies: [], unlike: [] };
    outcomes.set(key, outcome);
  }
  return outcome;
}

/**
 * The records of the processes that are some child's parent, by stack key: the last of a
 * stack, should a process have two (its check at exit comes last).
 */
function parentRecords(
  records: readonly CountedLeak[],
  parents: ReadonlyMap<string, readonly ParentProcess[]>,
): ParentRecords {
  const wanted = new Set<string>();
  for (const list of parents.values()) for (const parent of list) wanted.add(processKey(parent));
  const byParent: ParentRecords = new Map();
  for (const record of records) {
    const process = processKey(record);
    if (record.key === undefined || !wanted.has(process)) continue;
    let byKey = byParent.get(process);
    if (byKey === undefined) {
      byKey = new Map();
      byParent.set(process, byKey);
    }
    byKey.set(record.key, record);
  }
  return byParent;
}

/**
 * The parent whose record of the same kind and stack a child's record is compared with, and
 * that record when the child's is a copy of it (see Likeness); undefined when no parent has
 * such a record, or when the child's came after the parent's in their one log.
 */
function matchOf(
  record: CountedLeak,
  candidates: readonly ParentProcess[],
  byParent: ParentRecords,
): { parent: ParentProcess; record?: CountedLeak } | undefined {
  const key = record.key;
  if (key === undefined) return undefined;
  let unlike: ParentProcess | undefined;
  for (const parent of candidates) {
    const theirs = byParent.get(processKey(parent))?.get(key);
    if (theirs === undefined || theirs === record) continue;
    if (parent.childFirst && record.line >= theirs.line) continue;
    if (alike(record, theirs, parent)) return { parent, record: theirs };
    unlike ??= parent;
  }
  return unlike === undefined ? undefined : { parent: unlike };
}

function alike(child: CountedLeak, parent: CountedLeak, { likeness }: ParentProcess): boolean {
  if (likeness === "equal") {
    return (
      child.blocks === parent.blocks &&
      child.bytes === parent.bytes &&
      child.directBytes === parent.directBytes
    );
  }
  return (
    child.blocks <= parent.blocks &&
    child.bytes <= parent.bytes &&
    child.directBytes <= parent.directBytes
  );
}
