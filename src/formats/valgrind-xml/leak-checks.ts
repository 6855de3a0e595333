import type { LossRecordRef } from "../../model/index.js";

/**
 * Where one leak check's records end and the next one's begin in a document. Protocol 4 (3.19)
 * prints no `<leak_summary>`, and a client-requested check prints only its records
 * (clientreq.xml), so the boundaries are read from the records: memcheck prints a check's
 * records at once, in rising loss-record order, all `of` the same total. A record starts a
 * new check when anything else came between it and the record before, or when its numbering
 * does not follow on. Two checks printed back to back whose numbers happen to follow on read
 * as one: their records are then counted as before.
 */
export class LeakCheckBoundaries {
  private last: LossRecordRef | undefined;
  private inCheck = false;

  /** A record that is not a loss record (an error, a client message, a status, a summary). */
  other(): void {
    this.inCheck = false;
    this.last = undefined;
  }

  /** Whether the loss record `ref` starts a new leak check. */
  starts(ref: LossRecordRef | undefined): boolean {
    const last = this.last;
    const starts =
      !this.inCheck ||
      (ref !== undefined && last !== undefined && (ref.of !== last.of || ref.index <= last.index));
    this.inCheck = true;
    // A record whose sentence could not be read leaves the numbering to the one before it.
    if (ref !== undefined) this.last = ref;
    return starts;
  }
}
