import type { Finding, LeakRecord, RegisteredDiagnostic, Source } from "../model/index.js";
import { countedLeak, type CountedLeak, type Shared } from "./counted-leaks.js";
import { takenBack, type TakenBack } from "./taken-back.js";
import { uncounted, type Grouper } from "./group.js";
import type { FindingsByProcess } from "./process-findings.js";
import type { TotalsBuilder } from "./totals.js";
import { lossRecordCopies, type InheritedFrom } from "./loss-record-copies.js";
import { lossRecordParents, type ProcessRef } from "./loss-record-parents.js";
import { processKey } from "./process-key.js";
import {
  manyProgramInputs,
  PreambledPids,
  stoppedDiagnostic,
  uncomparedDiagnostics,
  unnamedParentDiagnostics,
} from "./uncompared-loss-records.js";

/** A held loss record, and its index in the report's leaks. */
interface Held {
  leak: LeakRecord;
  listed: number;
}

/** What settling does with a copy and with what was counted of copies (see settle). */
export interface Settling {
  /** Marks the record listed at `listed` in the report's leaks a copy of its parent's. */
  list: (listed: number, inheritedFrom: InheritedFrom) => LeakRecord;
  /** Takes copies counted before every input was in back out of their groups and totals. */
  takeBack: (groups: readonly TakenBack[]) => void;
}

/**
 * The loss records, until every input is in: a forked child's heap starts as its parent's, and
 * Valgrind checks each process's heap at its exit, so the child lists again the lost blocks it
 * inherited. A gtest death test forks after the suite's earlier tests: a 7-byte `strdup` leaked
 * once was `14 bytes in 2 blocks (2 occurrences, 2 processes)`, and each death test of a
 * `--gtest_repeat=3` run counted the suite's leaks again (campaign cc F4). Which process is
 * whose child is known only once the logs are read: the child's records come before its
 * parent's, which checks its heap as it ends, and a child that wrote a log of its own names a
 * parent in another input (see lossRecordCopies).
 *
 * Every loss record is held, of any tool, so that groups count them in the order they came (a
 * group of one program's leak under Valgrind and ASan lists its tools in the inputs' order).
 * Only listed records are held, which costs no more than listing them: the first record that
 * cannot be listed (--max-records), or a group counted elsewhere (a worker's counted leaks),
 * releases them all, counted in their order, and nothing is held after: a group's first members
 * stay the first records, and a worker's groups and the run's never share a process (see
 * GroupProcesses.merge). From then on each record is counted as it comes, and what comparing it
 * takes is kept instead (see CountedLeak): settled, the copies among them are taken back out of
 * their groups and totals. Held records alone were compared once: past 10,000 a suite's copies
 * counted again, its totals no longer what fewer logs of the same leaks gave, and a --max-bytes
 * gate flipped, with nothing said (campaign cg F2). Only the records of an input of one PID are
 * kept so, which keeps memory growing with distinct stacks and processes, not with the loss
 * records of a big log of many programs (see manyProgramInputs, preamble); and a merged
 * report's unlisted records, which no record shows, give the comparison up (see stop). Either
 * is said (`inherited-loss-records-uncompared`) where a forked child's family is in the inputs.
 */
export class InheritedLossRecords {
  /** The listed records, while every record is listed; undefined once released. */
  private held: Held[] | undefined = [];
  /** What comparing the records counted since the release takes; undefined once given up. */
  private counted: CountedLeak[] | undefined;
  /** The PIDs each input showed the preambles of, as it is read. */
  private readonly preambles = new PreambledPids();
  /** The merged reports that gave the comparison up (see stop). */
  private readonly stoppedBy = new Set<string>();

  /**
   * `count` groups and totals a record: it is its process's finding. `shared` keeps one copy of
   * each fingerprint, stack key and loss record number the counted records have.
   */
  constructor(
    private readonly count: (leak: LeakRecord) => void,
    private readonly shared?: Shared,
  ) {}

  /** Whether a finding is a loss record to hold while holding: one counted anywhere. */
  static holds(finding: Finding): finding is LeakRecord {
    return finding.type === "leak" && !uncounted(finding);
  }

  /**
   * A loss record, listed at `listed` in `leaks` (as a copy, under a cap: the one held), held
   * until every input is in. One that --max-records left out is counted now, after every held
   * one (see release), and what comparing it takes is kept: holding it would keep what the cap
   * is there to drop.
   */
  add(leak: LeakRecord, listed: number | undefined, leaks: readonly Finding[]): void {
    if (listed !== undefined && this.held !== undefined) {
      this.held.push({ leak: leaks[listed] as LeakRecord, listed });
      return;
    }
    this.release();
    this.count(leak);
    this.track(leak, listed);
  }

  /** Counts the held records in their order, and holds none after. */
  release(): void {
    const held = this.held;
    if (held === undefined) return;
    this.held = undefined;
    this.counted = [];
    for (const { leak, listed } of held) {
      this.count(leak);
      this.track(leak, listed);
    }
  }

  /**
   * Releases the held records and compares no more: a merged report's unlisted records count in
   * their groups with no record to show which were copies, and taking a listed copy of one of
   * its processes back could leave its group short of a process that still has records there.
   */
  stop(path: string): void {
    this.release();
    this.counted = undefined;
    this.stoppedBy.add(path);
  }

  /**
   * A preamble of `pid` read in the input at `path` (in an XML document, naming its parent
   * `ppid`). At a PID that is not of its first's family (see PreambledPids) the input is no one
   * family's: what comparing its records takes is dropped, and none more is kept (see
   * manyProgramInputs). They are the last kept, the input being read: one input at a time.
   */
  preamble({ path, pid, ppid }: { path: string; pid: number; ppid?: number }): void {
    if (!this.preambles.add(path, pid, ppid)) return;
    const counted = this.counted;
    while (counted !== undefined && counted.at(-1)?.path === path) counted.pop();
  }

  private track(leak: LeakRecord, listed: number | undefined): void {
    if (this.counted === undefined || this.preambles.manyIn(leak.location.path)) return;
    const record = countedLeak(leak, listed, this.shared);
    if (record !== undefined) this.counted.push(record);
  }

  /**
   * What a worker's summarizer hands over with its report (see PartialFacts): the records it
   * counted, as compared; none while it holds them (its report lists them), nothing once it gave
   * the comparison up.
   */
  facts(): { countedLeaks?: CountedLeak[] } {
    if (this.held !== undefined) return { countedLeaks: [] };
    return this.counted !== undefined ? { countedLeaks: this.counted } : {};
  }

  /**
   * Records another summarizer counted (see facts), after any this one did. `listedAt`:
   * where its report's leaks are listed here, as far as this summarizer's cap lets them be;
   * `path`: its input, which gave the comparison up where it hands no records over.
   */
  addCounted(
    records: readonly CountedLeak[] | undefined,
    listedAt: readonly (number | undefined)[],
    path = "",
  ): void {
    if (records === undefined) return this.stop(path);
    if (records.length > 0) this.release();
    const counted = this.counted;
    if (counted === undefined) return;
    for (const record of records) {
      const { listed } = record;
      counted.push({ ...record, listed: listed !== undefined ? listedAt[listed] : undefined });
    }
  }

  /**
   * Settles the records once every input is in: held copies are listed as such and count
   * nowhere, and the rest are counted in their order; copies counted already are taken back,
   * those of the inputs of one PID (see manyProgramInputs: the sources say it, as a summary of
   * parse results that gave no preamble events sees it too).
   */
  settle(sources: readonly Source[], settling: Settling): RegisteredDiagnostic[] {
    const { held } = this;
    this.held = undefined;
    if (held !== undefined) return this.settleHeld(sources, held, settling);
    const many = manyProgramInputs(sources);
    const counted = this.counted?.filter((record) => !many.has(record.path));
    this.counted = undefined;
    if (counted === undefined) return this.stopped(sources);
    const { copies, diagnostics } = lossRecordCopies(sources, counted);
    const kept = new Set(counted.map((record) => processKey(record)));
    const holding = (p: ProcessRef) => kept.has(processKey(p));
    diagnostics.push(...uncomparedDiagnostics(sources, many, holding));
    diagnostics.push(...unnamedParentDiagnostics(sources, (p) => many.has(p.path) || holding(p)));
    if (copies.size === 0) return diagnostics;
    for (const [copy, inheritedFrom] of copies) {
      if (copy.listed !== undefined) settling.list(copy.listed, inheritedFrom);
    }
    settling.takeBack(takenBack(new Set(copies.keys()), counted));
    return diagnostics;
  }

  /** What says that merged reports gave the comparison up (see stop). */
  private stopped(sources: readonly Source[]): RegisteredDiagnostic[] {
    const [first] = this.stoppedBy;
    const diagnostic = first !== undefined ? stoppedDiagnostic(sources, first) : undefined;
    if (diagnostic === undefined) return [];
    return [...this.stoppedBy].map((path) => ({ ...diagnostic, path }));
  }

  private settleHeld(
    sources: readonly Source[],
    held: readonly Held[],
    settling: Settling,
  ): RegisteredDiagnostic[] {
    // Most runs hold no forked child's records: no stack is hashed for them (see recordKey).
    const holding = new Set(heldProcesses(held).map(processKey));
    const wanted = (p: ProcessRef) => holding.has(processKey(p));
    const parents = lossRecordParents(sources, wanted);
    const unnamed = unnamedParentDiagnostics(sources, wanted);
    if (parents.size === 0) {
      for (const { leak } of held) this.count(leak);
      return unnamed;
    }
    const records = held.map(({ leak, listed }) => countedLeak(leak, listed));
    const compared = records.filter((r): r is CountedLeak => r !== undefined);
    const { copies, diagnostics } = lossRecordCopies(sources, compared, parents);
    for (const [i, { leak, listed }] of held.entries()) {
      const record = records[i];
      const inheritedFrom = record !== undefined ? copies.get(record) : undefined;
      // A copy counts in no group or total, only in what the totals left out.
      this.count(inheritedFrom !== undefined ? settling.list(listed, inheritedFrom) : leak);
    }
    return [...diagnostics, ...unnamed];
  }
}

/** The processes of the held records that have one (see countedLeak: the others are none). */
function heldProcesses(held: readonly Held[]): ProcessRef[] {
  return held.flatMap(({ leak: { pid, run, location } }) =>
    pid === undefined ? [] : [{ path: location.path, pid, run }],
  );
}

/**
 * What settling does with the copies found among the records listed in `leaks` and counted in
 * `grouper`, `totals` and `byProcess` (see InheritedLossRecords.settle).
 */
export function copiesSettling(
  leaks: Finding[],
  grouper: Grouper,
  totals: TotalsBuilder,
  byProcess: FindingsByProcess | undefined,
): Settling {
  return {
    list: (at, inheritedFrom) => {
      const copy = { ...(leaks[at] as LeakRecord), inheritedFrom };
      leaks[at] = copy;
      return copy;
    },
    takeBack: (groups) => {
      for (const back of groups) {
        const group = grouper.takeBack(back);
        for (const copy of back.copies) {
          totals.takeBack(copy, copy.toolKind);
          byProcess?.takeBack(copy, group);
        }
      }
    },
  };
}
