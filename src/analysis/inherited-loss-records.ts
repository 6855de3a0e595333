import type { Finding, LeakRecord, RegisteredDiagnostic, Source } from "../model/index.js";
import { fnv1a64 } from "./fingerprint.js";
import { uncounted } from "./group.js";
import { lossRecordDiagnostics, type ChildOutcome } from "./inherited-loss-diagnostics.js";
import { lossRecordParents, type ParentProcess, type ProcessRef } from "./loss-record-parents.js";
import { processKey } from "./process-key.js";

/** A held loss record, and its index in the report's leaks. */
interface Held {
  leak: LeakRecord;
  listed: number;
}

/** A parent's records by recordKey, by the parent's processKey. */
type ParentRecords = Map<string, Map<string, LeakRecord>>;

/**
 * The listed loss records, held until every input is in: a forked child's heap starts as its
 * parent's, and Valgrind checks each process's heap at its exit, so the child lists again the
 * lost blocks it inherited. A gtest death test forks after the suite's earlier tests: a 7-byte
 * `strdup` leaked once was `14 bytes in 2 blocks (2 occurrences, 2 processes)`, and each death
 * test of a `--gtest_repeat=3` run counted the suite's leaks again (campaign cc F4). Which process
 * is whose child is known only once the logs are read: the child's records come before its
 * parent's, which checks its heap as it ends, and a child that wrote a log of its own names a
 * parent in another input.
 *
 * Every loss record is held, of any tool, so that groups count them in the order they came (a
 * group of one program's leak under Valgrind and ASan lists its tools in the inputs' order).
 * Only listed records are held, which costs no more than listing them: the first record that
 * cannot be listed (--max-records), or a group counted elsewhere (a merged report's unlisted
 * records, a worker's counted leaks), releases them all, counted in their order, and nothing is
 * held after: a group's first members stay the first records, and a worker's groups and the
 * run's never share a process (see GroupProcesses.merge).
 */
export class InheritedLossRecords {
  /** Undefined once released. */
  private held: Held[] | undefined = [];

  /** `count` groups and totals a record: it is its process's finding. */
  constructor(private readonly count: (leak: LeakRecord) => void) {}

  /** Whether a finding is a loss record to hold while holding: one counted anywhere. */
  static holds(finding: Finding): finding is LeakRecord {
    return finding.type === "leak" && !uncounted(finding);
  }

  /**
   * A loss record, listed at `listed` in `leaks` (as a copy, under a cap: the one held), held
   * until every input is in. One that --max-records left out is counted now, after every held
   * one (see release): holding it would keep what the cap is there to drop.
   */
  add(leak: LeakRecord, listed: number | undefined, leaks: readonly Finding[]): void {
    if (listed !== undefined && this.held !== undefined) {
      this.held.push({ leak: leaks[listed] as LeakRecord, listed });
      return;
    }
    this.release();
    this.count(leak);
  }

  /** Counts the held records in their order, and holds none after. */
  release(): void {
    const held = this.held;
    this.held = undefined;
    for (const { leak } of held ?? []) this.count(leak);
  }

  /**
   * Settles the held records once every input is in. A record of a process whose parent the
   * inputs surely hold (see lossRecordParents) is a copy when the parent has a record of the
   * same kind and the same allocation stack, frame for frame (addresses included: a child's
   * address space is its parent's), with no more blocks, bytes or direct bytes: a block the
   * child inherited is one the parent held at the fork, which stays lost in the parent, with
   * the parent's own later leaks of the same stack only added to it. The copy stays listed,
   * marked with the parent's record, and counts nowhere but in what the totals left out. A record with more is the child's (it
   * leaked there again after the fork), as is any other: the rest are counted in their order.
   * A child that runs the parent's very allocation path again after the fork, no further than
   * the parent does, cannot be told apart; the group then counts the parent's record alone.
   */
  settle(
    sources: readonly Source[],
    list: (copy: LeakRecord, listed: number) => void,
  ): RegisteredDiagnostic[] {
    const held = this.held ?? [];
    this.held = undefined;
    const holding = new Set(held.map(({ leak }) => processOf(leak)));
    const parents = lossRecordParents(sources, (child) => holding.has(processKey(child)));
    if (parents.size === 0) {
      for (const { leak } of held) this.count(leak);
      return [];
    }
    const records = parentRecords(held, parents);
    const outcomes = new Map<string, ChildOutcome>();
    for (const { leak, listed } of held) {
      const process = processOf(leak);
      const candidates = process === undefined ? undefined : parents.get(process);
      const match = candidates === undefined ? undefined : matchOf(leak, candidates, records);
      if (match === undefined) {
        this.count(leak);
        continue;
      }
      const outcome = outcomeOf(outcomes, leak, match.parent);
      if (match.record === undefined) {
        this.count(leak);
        outcome.unlike.push(leak);
        continue;
      }
      const { parent, record } = match;
      const inheritedFrom = {
        parentPid: parent.pid,
        ...(parent.run !== undefined ? { parentRun: parent.run } : {}),
        parentLog: parent.path,
        parentLine: record.location.line,
      };
      const copy = { ...leak, inheritedFrom };
      list(copy, listed);
      // In no group or total, only in what the totals say they left out (`inheritedLeaks`).
      this.count(copy);
      outcome.copies.push(leak);
    }
    return lossRecordDiagnostics(outcomes.values());
  }
}

/** The process of a record; undefined for a record of no process (MEMWATCH, memleax). */
function refOf(leak: LeakRecord): ProcessRef | undefined {
  const pid = leak.pid;
  return pid === undefined ? undefined : { path: leak.location.path, pid, run: leak.run };
}

/** The processKey of a record's process, or undefined. */
function processOf(leak: LeakRecord): string | undefined {
  const ref = refOf(leak);
  return ref === undefined ? undefined : processKey(ref);
}

function outcomeOf(
  outcomes: Map<string, ChildOutcome>,
  leak: LeakRecord,
  parent: ParentProcess,
): ChildOutcome {
  const child = refOf(leak) as ProcessRef;
  const key = processKey(child);
  let outcome = outcomes.get(key);
  if (outcome === undefined) {
    outcome = { child, parent, copies: [], unlike: [] };
    outcomes.set(key, outcome);
  }
  return outcome;
}

/**
 * The held records of the processes that are some child's parent, by recordKey: the last of a
 * stack, should a process have two (its check at exit comes last).
 */
function parentRecords(
  held: readonly Held[],
  parents: ReadonlyMap<string, readonly ParentProcess[]>,
): ParentRecords {
  const wanted = new Set<string>();
  for (const list of parents.values()) for (const parent of list) wanted.add(processKey(parent));
  const records: ParentRecords = new Map();
  for (const { leak } of held) {
    const process = processOf(leak);
    if (process === undefined || !wanted.has(process)) continue;
    const key = recordKey(leak);
    if (key === undefined) continue;
    let byKey = records.get(process);
    if (byKey === undefined) {
      byKey = new Map();
      records.set(process, byKey);
    }
    byKey.set(key, leak);
  }
  return records;
}

/**
 * The parent whose record of the same kind and stack a child's record is compared with, and
 * that record when the child's is a copy of it (see Likeness); undefined when no parent has
 * such a record, or when the child's came after the parent's in their one log.
 */
function matchOf(
  leak: LeakRecord,
  candidates: readonly ParentProcess[],
  records: ParentRecords,
): { parent: ParentProcess; record?: LeakRecord } | undefined {
  const key = recordKey(leak);
  if (key === undefined) return undefined;
  let unlike: ParentProcess | undefined;
  for (const parent of candidates) {
    const record = records.get(processKey(parent))?.get(key);
    if (record === undefined || record === leak) continue;
    if (parent.childFirst && leak.location.line >= record.location.line) continue;
    if (alike(leak, record, parent)) return { parent, record };
    unlike ??= parent;
  }
  return unlike === undefined ? undefined : { parent: unlike };
}

function alike(child: LeakRecord, parent: LeakRecord, { likeness }: ParentProcess): boolean {
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

/**
 * A loss record's kind and its allocation stack as printed, frame for frame, addresses
 * included, hashed (a parent's records are kept by it: a whole stack's text is a kilobyte):
 * Valgrind makes one loss record per kind and stack, and a forked child's stack of an inherited
 * block is its parent's to the byte. Fingerprints are looser (function names, a window of
 * frames): two call sites of one function in `main` share one. Undefined when a frame has no
 * address (a record that did not come from a Valgrind log as printed).
 */
function recordKey(leak: LeakRecord): string | undefined {
  if (leak.stack.length === 0) return undefined;
  const parts: string[] = [leak.kind];
  for (const frame of leak.stack) {
    if (frame.ip === undefined) return undefined;
    const { ip, function: fn, file, line, object } = frame;
    parts.push(`${ip} ${fn ?? ""} ${file ?? ""}:${line ?? ""} ${object ?? ""}`);
  }
  return fnv1a64(parts.join("\n"));
}
