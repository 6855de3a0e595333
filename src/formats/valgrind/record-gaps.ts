/** An incomplete warning's message, and the first line not understood where records were. */
export interface Gap {
  message: string;
  line: number;
  /**
   * The lines not understood were the process's first items: where the log starts cut off
   * (see ProcessState.recordsLost), they are the cut's remains, not a damaged record.
   */
  atStart: boolean;
}

/**
 * Loss record numbers a leak check skipped where the process's lines were not understood: the
 * records damaged there (campaign bi F5: two NUL bytes in `80 bytes in 4 blocks are definitely
 * lost in loss record 1 of 2` left record 2 of 2 alone, and the log read complete).
 *
 * Valgrind numbers the loss records of every kind (mc_leakcheck.c, print_results: `i+1` of
 * all), then prints only the kinds `--show-leak-kinds` shows and leaves out the suppressed ones,
 * so a gap in the numbers is no evidence on its own: a default run lists `1, 4, 5, 6 of 6` (2
 * still reachable, 3 indirectly lost), and `=all` with a suppressed record skips its number too
 * (test/fixtures/valgrind/record-gaps). For a hidden or suppressed record Valgrind prints
 * nothing at all, though: a gap is evidence only when lines of the process that were not
 * understood stand where the missing numbers would have been printed.
 */
export class RecordGaps {
  /** The first line of the items not understood since the last one that was. */
  private damage: number | undefined;
  /** The item being read held something not understood. */
  private itemDamaged = false;
  /** An item of the process was understood (see Gap.atStart). */
  private understood = false;
  /** The damaged stretch began before any item of the process was understood. */
  private damageAtStart = false;
  /** The number of the check's last loss record read (0 before its first). */
  private last = 0;
  /** The line of a damaged loss record header that no gap has told of yet (see damagedRecord). */
  private untold: number | undefined;

  /** A line (or an item) of the process that was not understood. */
  notUnderstood(line: number): void {
    if (this.damage === undefined) {
      this.damage = line;
      this.damageAtStart = !this.understood;
    }
    this.itemDamaged = true;
  }

  /**
   * A loss record header damaged past reading (see isDamagedLossRecord): lines not understood,
   * and a record the log lacks even where no gap in the numbers can show it (the check's only
   * record, or one whose damaged stretch a --gen-suppressions block ends): see untoldRecord.
   */
  damagedRecord(line: number): void {
    this.notUnderstood(line);
    this.untold ??= line;
  }

  /**
   * After each item of the process: one that was understood ends the damaged stretch, and with
   * it any chance of a gap telling of a damaged header in it (see untoldRecord).
   */
  itemDone(pid: number): Gap | undefined {
    const damaged = this.itemDamaged;
    this.itemDamaged = false;
    if (damaged) return undefined;
    this.damage = undefined;
    this.understood = true;
    return this.untoldRecord(pid);
  }

  /** The log's end: a damaged header no gap told of (see untoldRecord). */
  finish(pid: number): Gap | undefined {
    return this.untoldRecord(pid);
  }

  /** A leak check starts: its records are numbered from 1 again. */
  newCheck(): void {
    this.last = 0;
  }

  /**
   * Loss record `index` of `of` was read: the incomplete warning's message when the numbers
   * before it that the check skipped stood where lines were not understood.
   */
  record(pid: number, index: number, of: number): Gap | undefined {
    const first = this.last + 1;
    this.last = index;
    return index > first ? this.missing(pid, first, index - 1, of) : undefined;
  }

  /** The check's listing ended at `of` records: the same for the numbers after its last. */
  end(pid: number, of: number): Gap | undefined {
    return of > this.last ? this.missing(pid, this.last + 1, of, of) : undefined;
  }

  /**
   * A damaged loss record header that no gap told of: the record is lost all the same. Without
   * this, a -q log whose only record was damaged read complete, and lost its leak unsaid (the
   * header was an Unknown error before; campaign v16b Q4).
   */
  private untoldRecord(pid: number): Gap | undefined {
    const line = this.untold;
    if (line === undefined) return undefined;
    this.untold = undefined;
    return {
      message: `PID ${pid}: a loss record's header line is damaged (not understood): the record is lost, and its leak counts only as the LEAK SUMMARY counts it, if the log has one`,
      line,
      atStart: false,
    };
  }

  private missing(pid: number, from: number, to: number, of: number): Gap | undefined {
    const line = this.damage;
    if (line === undefined) return undefined;
    // The damaged stretch holds any damaged header not told of yet: this gap tells of it.
    this.untold = undefined;
    // Only one of several numbers need have been damaged: the rest may be hidden or suppressed.
    // A LEAK SUMMARY after them still counts what they held, as a leak without loss records
    // (campaign bqb F2); a -q log prints none.
    const which =
      from === to
        ? `loss record ${from} of ${of} is missing, and the lines where it was printed were not understood (damaged): its leak counts only as the LEAK SUMMARY counts it, if the log has one`
        : `loss records ${from} to ${to} of ${of} are missing, and the lines where they were printed were not understood (damaged): the leak of one at least counts only as the LEAK SUMMARY counts it, if the log has one (the others may be of kinds --show-leak-kinds hides, or suppressed)`;
    return { message: `PID ${pid}: ${which}`, line, atStart: this.damageAtStart };
  }
}
