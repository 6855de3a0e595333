import type { SanitizerReport } from "./splitter.js";

/**
 * Each PID's runs in a log (see ProcessInfo.run). LeakSanitizer checks for leaks as its process
 * exits, ThreadSanitizer prints its total (`reported N warnings`) then, and a deadly signal's
 * report (after `AddressSanitizer:DEADLYSIGNAL`: SEGV, stack overflow) ends its process, so a
 * report of a PID after one of those is a new process under the same PID: containers run their
 * first process as PID 1, and a job log of several `docker run`s repeats `==1==`
 * (test/fixtures/sanitizer/runs). Each leak report's records and SUMMARY are then a check of
 * their own, cross-checked on their own. Any other ASan error report ends its process too unless
 * the program was built to recover (-fsanitize-recover=address), which the log does not say: it
 * ends no run here.
 */
export class ProcessRuns {
  /** The PID's current run, from its second on. */
  private readonly runs = new Map<number, number>();
  /** PIDs whose current run has ended (see above): their next report starts a new run. */
  private readonly exited = new Set<number>();
  /** The PID of the last ThreadSanitizer report: its total names none (see TsanTotals). */
  private lastTsan: number | undefined;

  /** A report of `pid` starts: its run, undefined for the PID's first. */
  report(pid: number, kind: SanitizerReport["kind"], deadly = false): number | undefined {
    let run = this.runs.get(pid);
    if (this.exited.delete(pid)) {
      run = (run ?? 1) + 1;
      this.runs.set(pid, run);
    }
    if (kind === "leak" || deadly) this.exited.add(pid);
    if (kind === "tsan") this.lastTsan = pid;
    return run;
  }

  /** ThreadSanitizer's total: the last TSan report's process has exited. */
  tsanTotal(): void {
    if (this.lastTsan !== undefined) this.exited.add(this.lastTsan);
    this.lastTsan = undefined;
  }
}
