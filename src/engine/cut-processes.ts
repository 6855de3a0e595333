import type { ProcessInfo } from "../model/index.js";

/**
 * The processes whose part of a source is cut (ProcessInfo.incomplete): the PIDs that the
 * reasons it is incomplete named, unless one named none, which leaves every process in doubt.
 */
export class CutProcesses {
  private readonly pids = new Set<number>();
  private whole = false;

  /** A reason the source is incomplete, of process `pid`, or of the whole source. */
  add(pid: number | undefined): void {
    if (pid === undefined) this.whole = true;
    else this.pids.add(pid);
  }

  /**
   * The processes with their marks: set on the cut ones, taken off the others (a report read
   * back brings its own, which its merge does not keep: see replaySources).
   */
  mark(processes: readonly ProcessInfo[]): ProcessInfo[] {
    return processes.map((process) => {
      const cut = !this.whole && this.pids.has(process.pid);
      if ((process.incomplete === true) === cut) return process;
      if (cut) return { ...process, incomplete: true };
      const unmarked = { ...process };
      delete unmarked.incomplete;
      return unmarked;
    });
  }
}
