import type { Group } from "../model/index.js";
import { processId, type ProcessId } from "./process-key.js";

/**
 * How many distinct processes each group has findings in (Group's `processCount`), by group
 * number. Group's `pids` stop at 50, so a group of 55 processes was said to be of "50 or more"
 * (campaign bqa Q2), and they name a PID once however many inputs and runs it has, where the
 * rest of the report (sources, sites, cross-checks) keeps one process per input, PID and run.
 *
 * Each process gets a number in the order first met, and each group of two or more processes a
 * sorted typed array of theirs: a log's processes mostly come one after another, so a new one
 * is mostly appended. A Set per group held the 200 MB bench log's 350,000 group processes in
 * 17 MB more peak RSS (+11%); these arrays in 6.5 MB (+4%).
 */
export class GroupProcesses {
  /** Per input path, a number for each process (see processId). */
  private readonly numbers = new Map<string, Map<ProcessId, number>>();
  private next = 0;
  /** Per group number, its distinct processes counted so far. */
  private readonly counts: number[] = [];
  /** Per group number, the last process added: a process's findings mostly come together. */
  private readonly last: number[] = [];
  /** Per group number of one process, that process. */
  private readonly single: number[] = [];
  /** Per group number of two or more, their numbers, sorted, in the first `counts` slots. */
  private readonly lists: (Int32Array | undefined)[] = [];
  /** Per group number, processes counted elsewhere, which name no process (see addCount). */
  private readonly merged: number[] = [];

  /** A finding of group `group` in process `pid` (its run `run`) of the input at `path`. */
  add(group: number, path: string, pid: number | undefined, run?: number): void {
    if (pid === undefined) return;
    const n = this.numberOf(path, processId({ pid, run }));
    if (this.last[group] === n) return;
    this.last[group] = n;
    const count = this.counts[group] ?? 0;
    if (count === 0) this.single[group] = n;
    else if (count === 1) {
      const one = this.single[group] as number;
      if (one === n) return;
      const list = new Int32Array(4);
      list[0] = Math.min(one, n);
      list[1] = Math.max(one, n);
      this.lists[group] = list;
    } else if (!this.insert(group, count, n)) return;
    this.counts[group] = count + 1;
  }

  /** Adds `n` to a group's sorted list of `count`; false when it is there already. */
  private insert(group: number, count: number, n: number): boolean {
    let list = this.lists[group] as Int32Array;
    let at = count;
    if (n <= (list[count - 1] as number)) {
      let lo = 0;
      let hi = count - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((list[mid] as number) < n) lo = mid + 1;
        else hi = mid;
      }
      if (list[lo] === n) return false;
      at = lo;
    }
    if (count === list.length) {
      const grown = new Int32Array(count * 2);
      grown.set(list);
      list = grown;
      this.lists[group] = list;
    }
    list.copyWithin(at + 1, at, count);
    list[at] = n;
    return true;
  }

  /**
   * A group built elsewhere, merged into group `group`: a worker's partial report of other
   * inputs, or the records a report read back does not list (see unlistedParts). Either's
   * processes are none of those this group has counted, so they add up.
   */
  merge(group: number, other: Group): void {
    this.addCount(group, countOf(other));
  }

  /** `count` processes of group `group` that none of those it has counted are. */
  addCount(group: number, count: number): void {
    this.merged[group] = (this.merged[group] ?? 0) + count;
  }

  /** Group `group`'s distinct processes. */
  of(group: number): number {
    return (this.counts[group] ?? 0) + (this.merged[group] ?? 0);
  }

  private numberOf(path: string, id: ProcessId): number {
    let ofPath = this.numbers.get(path);
    if (ofPath === undefined) {
      ofPath = new Map();
      this.numbers.set(path, ofPath);
    }
    let n = ofPath.get(id);
    if (n === undefined) {
      n = this.next;
      this.next += 1;
      ofPath.set(id, n);
    }
    return n;
  }
}

/**
 * A group's distinct processes: its `processCount`, or, in a report written before it was
 * there, its PIDs (all of them below the cap).
 */
export function countOf(group: Group): number {
  return group.processCount ?? group.pids.length;
}

/**
 * Sets a group's `processCount` where `pids` does not say it: past the cap, or where a PID has
 * findings in several inputs or runs. Elsewhere it stays out, as reports had it.
 */
export function setProcessCount(group: Group, count: number, cap: number): void {
  if (count !== group.pids.length || group.pids.length >= cap) group.processCount = count;
  else delete group.processCount;
}
