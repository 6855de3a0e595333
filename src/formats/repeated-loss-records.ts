import type { Frame } from "../model/index.js";
import type { FindingDraft } from "./types.js";

/**
 * What names one of Memcheck's loss records from one leak check to the next: its kind and its
 * allocation stack (mc_leakcheck.c keys a loss record by the two). Its number is no name:
 * records are numbered by size, so a record that grows moves.
 */
export function lossRecordKey(draft: FindingDraft): string {
  return draft.kind + allocationKey(draft.stack);
}

/** What names a loss record's allocation stack (see lossRecordKey), whatever its kind. */
export function allocationKey(stack: readonly Frame[]): string {
  let key = "";
  for (const f of stack) {
    key += `\n${f.ip ?? ""} ${f.function ?? ""} ${f.object ?? ""} ${f.file ?? ""}:${f.line ?? ""}`;
  }
  return key;
}

/**
 * The held records of one process's leak checks since its last full one, by loss record, for a
 * delta check (`VALGRIND_DO_ADDED_LEAK_CHECK`, `..._CHANGED_...`) to supersede the ones it
 * repeats. A delta check prints a grown record with its whole amount (`40 (+20) bytes in 2
 * (+1) blocks`), so the earlier check's record of it is part of that amount: counted too, a
 * harness checking after each test of three that leak 20 bytes at one site totalled 120 bytes
 * against Valgrind's 60 (campaign bo F1). Records the delta check did not repeat still count.
 * Built at the first delta record, from the records held then, so that a log with no delta
 * check makes no keys.
 */
export class RepeatedLossRecords {
  private readonly latest = new Map<string, FindingDraft>();

  constructor(held: Iterable<FindingDraft>) {
    for (const draft of held) this.latest.set(lossRecordKey(draft), draft);
  }

  /**
   * Marks superseded the latest earlier record of `draft`'s loss record, if `stillHeld` says it
   * has not gone out yet (one let out past a cap stays counted), and remembers `draft` in its
   * place for the next delta check.
   */
  repeat(draft: FindingDraft, stillHeld: (earlier: FindingDraft) => boolean = () => true): void {
    const key = lossRecordKey(draft);
    const earlier = this.latest.get(key);
    if (earlier?.type === "leak" && stillHeld(earlier)) earlier.superseded = true;
    // A record that went to nothing (`0 (-116) bytes in 0 (-1) blocks are possibly lost`, a
    // CHANGED check after the test freed the block) says its loss record is gone: no leak of
    // its own. Counted, it was a 0-byte group that failed `--fail-on error` (campaign v15a F2).
    if (draft.type === "leak" && draft.bytes === 0 && draft.blocks === 0) draft.superseded = true;
    this.latest.set(key, draft);
  }
}
