import type { Finding } from "../model/index.js";
import { appendAll } from "../lists.js";
import type { CountedLeak } from "./counted-leaks.js";

/**
 * What one process of one input counted, in a form that does not depend on the findings'
 * order: how many, and two independent 32-bit sums of a hash of each one's group (type, kind,
 * stack fingerprint) and loss record number. Two processes with the same findings have the same
 * sums; two with others, the same sums by chance about once in 2^63. Plain data: a worker thread
 * sends its inputs' to the main thread.
 */
export interface ProcessFindings {
  path: string;
  pid: number;
  count: number;
  sum1: number;
  sum2: number;
}

/**
 * The findings of each process of each input, as ProcessFindings, counted as they go by (the
 * ones the Grouper counts), for the check of processes repeated across inputs (see
 * repeatedProcesses). Exact whatever the log's size: group members, which it once compared, stop
 * at 20 per group, so that in a run of many inputs a process's findings were compared in part
 * (2,000 copies of one log gave three warnings naming 5 or 10 of them, each with a different
 * count of "the same" findings), and two processes that differ only past the cap looked alike.
 */
export class FindingsByProcess {
  private readonly byPath = new Map<string, Map<number, ProcessFindings>>();
  /** Inputs that hold findings not seen here (a merged report's unlisted records). */
  private readonly partial = new Set<string>();
  /** Two hashes of each group's type, kind and stack, by group number; 0: not made yet. */
  private groupHashes = new Uint32Array(256);
  /** The process of the last finding: the next one is often of the same. */
  private last: ProcessFindings | undefined;

  /** A finding that the Grouper counted in group number `group` (see Grouper.add), or -1. */
  add(finding: Finding, group: number): void {
    const pid = finding.pid;
    if (group < 0 || pid === undefined) return;
    const path = finding.location.path;
    let process = this.last;
    if (process === undefined || process.pid !== pid || process.path !== path) {
      process = this.processOf(path, pid);
      this.last = process;
    }
    if (2 * group >= this.groupHashes.length) this.grow(group);
    let stack1 = this.groupHashes[2 * group] as number;
    if (stack1 === 0) stack1 = this.hashGroup(finding, group);
    const stack2 = this.groupHashes[2 * group + 1] as number;
    const record = Math.imul((finding.type === "leak" ? finding.lossRecord?.index : 0) ?? 0, PHI);
    process.count += 1;
    process.sum1 = (process.sum1 + mix(stack1 ^ record)) >>> 0;
    process.sum2 = (process.sum2 + mix(stack2 + record)) >>> 0;
  }

  /**
   * Takes back a loss record that add counted in group `group` and that turned out to be a
   * forked child's copy of its parent's (see Grouper.takeBack).
   */
  takeBack(leak: CountedLeak, group: number): void {
    if (group < 0) return;
    const process = this.processOf(leak.path, leak.pid);
    if (2 * group >= this.groupHashes.length) this.grow(group);
    let stack1 = this.groupHashes[2 * group] as number;
    if (stack1 === 0) stack1 = this.hashGroup({ type: "leak", ...leak }, group);
    const stack2 = this.groupHashes[2 * group + 1] as number;
    const record = Math.imul(leak.lossRecord?.index ?? 0, PHI);
    process.count -= 1;
    process.sum1 = (process.sum1 - mix(stack1 ^ record)) >>> 0;
    process.sum2 = (process.sum2 - mix(stack2 + record)) >>> 0;
  }

  /** Adds what another summarizer counted (a worker's, see Summarizer.partial). */
  merge(counted: readonly ProcessFindings[]): void {
    for (const entry of counted) {
      const known = this.processOf(entry.path, entry.pid);
      known.count += entry.count;
      known.sum1 = (known.sum1 + entry.sum1) >>> 0;
      known.sum2 = (known.sum2 + entry.sum2) >>> 0;
    }
  }

  /** The input at `path` holds findings this never sees: its processes are not compared. */
  unknown(path: string): void {
    this.partial.add(path);
  }

  /** Every process's findings, by input in the order first met, then by process. */
  all(): ProcessFindings[] {
    const all: ProcessFindings[] = [];
    for (const [path, processes] of this.byPath) {
      if (!this.partial.has(path)) appendAll(all, processes.values());
    }
    return all;
  }

  private processOf(path: string, pid: number): ProcessFindings {
    let processes = this.byPath.get(path);
    if (processes === undefined) {
      processes = new Map();
      this.byPath.set(path, processes);
    }
    let process = processes.get(pid);
    if (process === undefined) {
      process = { path, pid, count: 0, sum1: 0, sum2: 0 };
      processes.set(pid, process);
    }
    return process;
  }

  /**
   * Two independent hashes (FNV-1a with two primes, finalised) of the group's kind and stack
   * fingerprint, which tell groups apart in any summarizer, whatever their numbers there; the
   * first is odd, so that 0 means not made yet.
   */
  private hashGroup(
    finding: Pick<Finding, "type" | "kind" | "fingerprint">,
    group: number,
  ): number {
    const key = `${finding.type}\u0000${finding.kind}\u0000${finding.fingerprint}`;
    let h1 = 0x811c9dc5;
    let h2 = 0x2545f491;
    for (let i = 0; i < key.length; i += 1) {
      const c = key.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x0100019d);
    }
    const first = (mix(h1) | 1) >>> 0;
    this.groupHashes[2 * group] = first;
    this.groupHashes[2 * group + 1] = mix(h2);
    return first;
  }

  private grow(group: number): void {
    const grown = new Uint32Array(Math.max(this.groupHashes.length * 2, 2 * group + 2));
    grown.set(this.groupHashes);
    this.groupHashes = grown;
  }
}

const PHI = 0x9e3779b1;

/** Murmur3's finaliser: every input bit moves every output bit. */
function mix(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
