import type { Group } from "../model/index.js";
import { grown } from "./group-tallies.js";
import { IntSet } from "./int-set.js";
import { processId, type ProcessId } from "./process-key.js";

/**
 * How many distinct processes each group has findings in (Group's `processCount`), by group
 * number. Group's `pids` stop at 50, so a group of 55 processes was said to be of "50 or more"
 * (campaign bqa Q2), and they name a PID once however many inputs and runs it has, where the
 * rest of the report (sources, sites, cross-checks) keeps one process per input, PID and run.
 *
 * It runs for every finding and keeps every group's processes, so it is built to cost little
 * of either. Each process gets a number in the order first met. A log's processes mostly come
 * one after another: while a process's findings come without another's between them, a group
 * whose last process is not this one is new to it, so only each group's last process is kept.
 * The groups each process has are kept in one typed array, a run per process, and read back
 * into a set (IntSet) only when the process comes back after another's findings (interleaved
 * stderr: the bench logs interleave pairs of processes). A sorted typed array per group made
 * summarizing the 110 MB bench log about 8% slower (the many small arrays' upkeep, not the
 * sorting); this costs about half that.
 */
export class GroupProcesses {
  /** Per input path, a number for each process (see processId). */
  private readonly numbers = new Map<string, Map<ProcessId, number>>();
  /** The process of the last finding added, and its number; -1 before the first. */
  private currentPath: string | undefined;
  private currentPid: number | undefined;
  private currentRun: number | undefined;
  private current = -1;
  /** Per process number, where its run of groups starts and ends in `groupsSeen`. */
  private runStarts = new Int32Array(64);
  private runEnds = new Int32Array(64);
  private groupsSeen = new Int32Array(1024);
  private groupsSeenLength = 0;
  /** Per process number that came back after another's findings, every group it has. */
  private readonly resumed = new Map<number, IntSet>();
  /** Per group number, the last process added, -1 for none. */
  private last = new Int32Array(64).fill(-1);
  /** Per group number, its distinct processes counted so far. */
  private counts = new Int32Array(64);
  /** Per group number, processes counted elsewhere, which name no process (see addCount). */
  private merged = new Int32Array(64);
  private groupCount = 0;
  private processCount = 0;

  /** A finding of group `group` in process `pid` (its run `run`) of the input at `path`. */
  add(group: number, path: string, pid: number | undefined, run?: number): void {
    if (pid === undefined) return;
    if (pid !== this.currentPid || run !== this.currentRun || path !== this.currentPath)
      this.enter(path, pid, run);
    this.room(group);
    const n = this.current;
    if (this.last[group] === n) return;
    this.last[group] = n;
    const groups = this.resumed.get(n);
    if (groups === undefined) this.append(n, group);
    else if (!groups.add(group)) return;
    this.counts[group] = (this.counts[group] as number) + 1;
  }

  /**
   * Makes a process the current one. A process met before comes back after another's findings:
   * `last` no longer tells which groups it has, so they are read back into a Set.
   */
  private enter(path: string, pid: number, run: number | undefined): void {
    this.currentPath = path;
    this.currentPid = pid;
    this.currentRun = run;
    let ofPath = this.numbers.get(path);
    if (ofPath === undefined) {
      ofPath = new Map();
      this.numbers.set(path, ofPath);
    }
    const id = processId({ pid, run });
    const n = ofPath.get(id);
    if (n === undefined) {
      this.current = this.newProcess();
      ofPath.set(id, this.current);
    } else if (n !== this.current) {
      this.current = n;
      if (!this.resumed.has(n)) {
        const groups = this.groupsSeen.subarray(this.runStarts[n], this.runEnds[n]);
        this.resumed.set(n, new IntSet(groups));
      }
    }
  }

  /** A number for a process met for the first time, its run of groups starting here. */
  private newProcess(): number {
    const n = this.processCount;
    this.processCount += 1;
    if (n === this.runStarts.length) {
      this.runStarts = grown(new Int32Array(n * 2), this.runStarts);
      this.runEnds = grown(new Int32Array(n * 2), this.runEnds);
    }
    this.runStarts[n] = this.groupsSeenLength;
    this.runEnds[n] = this.groupsSeenLength;
    return n;
  }

  /** Adds a group to the run of process `n`, the last run in `groupsSeen`. */
  private append(n: number, group: number): void {
    const at = this.groupsSeenLength;
    if (at === this.groupsSeen.length)
      this.groupsSeen = grown(new Int32Array(at * 2), this.groupsSeen);
    this.groupsSeen[at] = group;
    this.groupsSeenLength = at + 1;
    this.runEnds[n] = at + 1;
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
    this.room(group);
    this.merged[group] = (this.merged[group] as number) + count;
  }

  /** `count` of the processes group `group` counted have no finding in it after all. */
  forget(group: number, count: number): void {
    this.room(group);
    this.merged[group] = (this.merged[group] as number) - count;
  }

  /** Group `group`'s distinct processes. */
  of(group: number): number {
    if (group >= this.groupCount) return 0;
    return (this.counts[group] as number) + (this.merged[group] as number);
  }

  /** Makes the per-group columns reach group `group`. */
  private room(group: number): void {
    if (group < this.groupCount) return;
    if (group >= this.counts.length) {
      const size = Math.max(group + 1, this.counts.length * 2);
      this.last = grown(new Int32Array(size).fill(-1), this.last);
      this.counts = grown(new Int32Array(size), this.counts);
      this.merged = grown(new Int32Array(size), this.merged);
    }
    this.groupCount = group + 1;
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
