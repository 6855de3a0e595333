import { safeCount, safeInteger } from "../../../grammars/numbers.js";
import { usedSuppressionFields } from "../../../grammars/valgrind/used-suppression-line.js";
import type { UsedSuppression } from "../../model/index.js";
import { processFields } from "../process-fields.js";
import type { ParseSink } from "../types.js";

/**
 * The `used_suppression:` lines of -s and -v (see grammars/valgrind/used-suppression-line.ts):
 * each entry goes to the sink as it is read, summed into the source's (Source.usedSuppressions),
 * and each process that listed any is told at the end of the log (`usedSuppressionsListed`).
 * They name what Valgrind suppressed where its ERROR SUMMARY only counts it: a run that used
 * leak entries alone suppressed no error, and a baseline's error gone from it is fixed
 * (campaign v16b Q2). The text parser dropped them with every other `--PID--` line.
 */
export class UsedSuppressions {
  /** By PID, the runs (see ProcessInfo.run) that listed any. */
  private readonly listed = new Map<number, Set<number | undefined>>();

  constructor(private readonly sink: ParseSink) {}

  /**
   * Reads a `--PID--` line's body of a process Valgrind spoke for (any -v line comes here);
   * whether it was a `used_suppression:` line.
   */
  read(pid: number, run: number | undefined, body: string): boolean {
    const fields = usedSuppressionFields(body);
    if (fields === undefined) return false;
    const count = safeInteger(fields.count);
    if (count === undefined) return true;
    const entry: UsedSuppression = { name: fields.name, count };
    if (fields.file !== undefined) entry.file = fields.file;
    const line = fields.line !== undefined ? safeInteger(fields.line) : undefined;
    if (line !== undefined && line > 0) entry.line = line;
    const bytes = fields.bytes !== undefined ? safeCount(fields.bytes) : undefined;
    const blocks = fields.blocks !== undefined ? safeCount(fields.blocks) : undefined;
    if (bytes !== undefined && blocks !== undefined) entry.leak = { bytes, blocks };
    this.sink.usedSuppressions([entry]);
    let runs = this.listed.get(pid);
    if (runs === undefined) this.listed.set(pid, (runs = new Set()));
    runs.add(run);
    return true;
  }

  /** Tells each process that listed its used suppressions. */
  end(): void {
    for (const [pid, runs] of this.listed) {
      for (const run of runs) {
        this.sink.process({ ...processFields(pid, run), usedSuppressionsListed: true });
      }
    }
  }
}
