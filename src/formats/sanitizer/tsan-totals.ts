import { safeInteger } from "../../../grammars/numbers.js";
import type { BlockLine } from "../../../grammars/sanitizer/parser.js";
import type { ParseSink } from "../types.js";
import { processFields } from "../process-fields.js";

/**
 * ThreadSanitizer's own count, `ThreadSanitizer: reported N warnings`, printed at exit after
 * its process's reports (none when it printed none, or halted at the first with
 * `halt_on_error=1`): checked against the reports read, and kept as the process's summary.
 */
export class TsanTotals {
  /** Reports read per process since its last total. */
  private readonly reports = new Map<number, number>();
  private lastPid: number | undefined;
  /** The last report's run of its PID (see ProcessRuns). */
  private lastRun: number | undefined;

  constructor(private readonly sink: ParseSink) {}

  reported(pid: number, run: number | undefined): void {
    this.reports.set(pid, (this.reports.get(pid) ?? 0) + 1);
    this.lastPid = pid;
    this.lastRun = run;
  }

  /** The total line: it names no process, so it is the last report's process's. */
  total(line: BlockLine): void {
    const warnings = safeInteger(line.groups[0] ?? "");
    if (warnings === undefined) return this.sink.unrecognized(line.lineNo, line.body);
    const pid = this.lastPid;
    const read = pid !== undefined ? (this.reports.get(pid) ?? 0) : 0;
    if (pid !== undefined) this.reports.delete(pid);
    const run = this.lastRun;
    this.sink.summary({
      ...processFields(pid, run),
      line: line.lineNo,
      errors: { errors: warnings, contexts: warnings },
    });
    if (read === warnings) return;
    const whose = pid !== undefined ? ` (process ${pid})` : "";
    this.sink.diagnostic({
      severity: "warning",
      code: "summary-mismatch",
      message: `ThreadSanitizer reported ${warnings} warnings${whose}, but ${read} of its reports were read here: the log lost reports, or holds some twice`,
      line: line.lineNo,
      ...(pid !== undefined ? { pid } : {}),
    });
  }
}
