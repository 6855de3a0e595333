import type { GroupSite } from "../model/index.js";
import { pidAndRun, processId, type ProcessId } from "./process-key.js";

/**
 * The inputs and processes where each group has findings (Group's `sites`), by group number,
 * never capped. Members stop at 20 per group, and a JUnit report built from them alone (a test
 * suite per log and process) showed a leak shared by 2,000 CTest logs in the first 20 and passed
 * the other 1,980. Kept only when asked for: a 1 GB log of 21,000 processes has 1.8 million.
 */
export class GroupSites {
  /**
   * Per group number, per input path, the PIDs (undefined: findings without one), and
   * `PID/run` for a PID's later run (see ProcessInfo.run).
   */
  private readonly byGroup: Map<string, Set<ProcessId>>[] = [];
  /**
   * One frozen site per input and process, which every group with findings there lists: the
   * 1 GB log's 1.8 million sites, an object each, took 86 MB; its 21,000 processes take 1.
   */
  private readonly shared = new Map<string, Map<ProcessId, GroupSite>>();

  add(group: number, path: string, pid: number | undefined, run?: number): void {
    let paths = this.byGroup[group];
    if (paths === undefined) {
      paths = new Map();
      this.byGroup[group] = paths;
    }
    let processes = paths.get(path);
    if (processes === undefined) {
      processes = new Set();
      paths.set(path, processes);
    }
    processes.add(processId({ pid, run }));
  }

  /** Whether the group has findings in the input at `path`. */
  has(group: number, path: string): boolean {
    return this.byGroup[group]?.has(path) === true;
  }

  /** A process that has no finding in the group after all (see Grouper.takeBack). */
  forget(group: number, path: string, pid: number | undefined, run?: number): void {
    const processes = this.byGroup[group]?.get(path);
    processes?.delete(processId({ pid, run }));
    if (processes?.size === 0) this.byGroup[group]?.delete(path);
  }

  /** The group's sites, by input in the order first met, then by process. */
  of(group: number): GroupSite[] {
    const sites: GroupSite[] = [];
    for (const [path, processes] of this.byGroup[group] ?? []) {
      let ofPath = this.shared.get(path);
      if (ofPath === undefined) {
        ofPath = new Map();
        this.shared.set(path, ofPath);
      }
      for (const id of processes) {
        let site = ofPath.get(id);
        if (site === undefined) {
          site = Object.freeze(siteOf(path, id));
          ofPath.set(id, site);
        }
        sites.push(site);
      }
    }
    return sites;
  }
}

function siteOf(path: string, id: ProcessId): GroupSite {
  if (id === undefined) return { path };
  const { pid, run } = pidAndRun(id);
  return run === undefined ? { path, pid } : { path, pid, run };
}
