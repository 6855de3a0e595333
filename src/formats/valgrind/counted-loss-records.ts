import type { LeakKind } from "../../model/index.js";

/** Loss records per kind. */
export type RecordsByKind = Map<LeakKind, number>;

/**
 * One process's loss records, by whether its ERROR SUMMARY counts them (see ErrorCounts).
 * Memcheck counts each record of a kind in --errors-for-leak-kinds as one error in one context,
 * at exit and in a check a client request ran (VALGRIND_DO_LEAK_CHECK and the like); a check
 * that a monitor command ran (`leak_check full`, through VALGRIND_MONITOR_COMMAND or vgdb)
 * counts none. Their records look alike: a 30-byte leak, `leak_check full` and the check at
 * exit print the same lines as with VALGRIND_DO_ADDED_LEAK_CHECK for the command, and ERROR
 * SUMMARY says 1 context, then 2 (3.19, 3.24, 3.27). Only the hint after a LEAK SUMMARY that hid
 * reachable blocks tells them apart: the monitor's says to add `reachable any` args to
 * leak_check, a client request's to rerun with --show-leak-kinds=all. Counted as errors, a
 * monitor check's records made a whole log's ERROR SUMMARY look short of contexts, a false
 * "missing or damaged" warning (campaign v22 F7).
 *
 * So a check's records wait for what the log tells of it: its monitor hint drops them. A
 * check before the HEAP SUMMARY that Memcheck prints at exit, without that hint, was run
 * mid-run by a client request or a monitor command: its records may count or not. That lowers
 * the fewest contexts ERROR SUMMARY may count, not the most (every record counted, as a client
 * request's are), so a lost error block still shows, unless a monitor check's record stands in
 * for it and no hint names the check. Records no HEAP SUMMARY followed (the check at exit, every
 * check of a -q run, which prints none) count, as all records did before.
 */
export class CountedLossRecords {
  /** Records that ERROR SUMMARY counts, of the kinds --errors-for-leak-kinds names. */
  private readonly counted: RecordsByKind = new Map();
  /** Records of mid-run checks that a client request (counted) or monitor command ran. */
  private readonly uncertain: RecordsByKind = new Map();
  /** Records of the checks before the current one, not yet placed. */
  private readonly earlier: RecordsByKind = new Map();
  /** Records of the current check (the latest to print one), which its hint may yet place. */
  private readonly current: RecordsByKind = new Map();
  /** The current check's number (1-based ordinal in the process). */
  private currentCheck = 0;
  /** Records of checks that a monitor command ran, which count as no error. */
  private monitor = 0;

  /** A loss record of kind `kind`, printed by leak check number `check`. */
  record(kind: LeakKind, check: number): void {
    if (check !== this.currentCheck) {
      moveAll(this.current, this.earlier);
      this.currentCheck = check;
    }
    add(this.current, kind, 1);
  }

  /**
   * Check `check` closed with the monitor's hint (it follows the check's LEAK SUMMARY, so the
   * check is the current one if it printed any record): its records count as no error.
   */
  monitorCheck(check: number): void {
    if (check !== this.currentCheck) return;
    for (const n of this.current.values()) this.monitor += n;
    this.current.clear();
  }

  /**
   * A -q run's next leak check began (see ProcessState.numberingRestarts): the checks so far
   * ran mid-run, as at the HEAP SUMMARY that -q does not print. Counted, a monitor check's
   * record made a whole `-q -s` log's ERROR SUMMARY look short (campaign v23 F5).
   */
  quietCheckEnded(): void {
    this.exitReached();
  }

  /** The HEAP SUMMARY: the process's checks so far ran mid-run (see the class). */
  exitReached(): void {
    moveAll(this.earlier, this.uncertain);
    moveAll(this.current, this.uncertain);
  }

  /** The records that may count: every record but those of known monitor checks. */
  get mayCount(): number {
    let records = 0;
    for (const tally of [this.counted, this.uncertain, this.earlier, this.current])
      for (const n of tally.values()) records += n;
    return records;
  }

  /**
   * At the process's ERROR SUMMARY: the records it counts (those not yet placed count, see the
   * class), those it may count, and how many it does not; valid until clear().
   */
  settle(): { counted: RecordsByKind; uncertain: RecordsByKind; monitor: number } {
    moveAll(this.earlier, this.counted);
    moveAll(this.current, this.counted);
    return { counted: this.counted, uncertain: this.uncertain, monitor: this.monitor };
  }

  /** The tally starts anew (the process's errors went out). */
  clear(): void {
    for (const tally of [this.counted, this.uncertain, this.earlier, this.current]) tally.clear();
    this.currentCheck = 0;
    this.monitor = 0;
  }
}

function add(records: RecordsByKind, kind: LeakKind, n: number): void {
  records.set(kind, (records.get(kind) ?? 0) + n);
}

/** Adds the records of `from` to `into`, and empties `from`. */
function moveAll(from: RecordsByKind, into: RecordsByKind): void {
  for (const [kind, n] of from) add(into, kind, n);
  from.clear();
}
