import type { LeakRecord } from "../model/index.js";
import { processKey } from "./process-key.js";

/**
 * What a suppressed leak adds to its group's bytes, so that the group counts each block once.
 *
 * Valgrind counts a definitely lost block with the blocks only it points to (`56 (24 direct,
 * 32 indirect) bytes in 1 blocks`), and, with --show-leak-kinds=all, lists those blocks again
 * as indirectly lost records of their own. Their kinds keep the two in groups of their own, as
 * Valgrind's LEAK SUMMARY keeps them in rows of their own. A suppression makes both kind
 * `suppressed`, and an entry for each (leaklog's own `suppressions`, from a log of a node and
 * its child allocated on one line) joined them in one group of one stack: 88 bytes for
 * Valgrind's 56, the child counted in its parent's 56 and again on its own (campaign cb1 Q9).
 *
 * No record says which blocks its indirect bytes are. A group is one allocation stack, and a
 * parent's indirect blocks of the same stack are the nodes of a list or a tree it heads: so,
 * within a group and a process (no process points to another's blocks), the group's
 * indirectly lost records are taken to be its records' indirect bytes, as far as both go.
 * Groups that are not suppressed hold one kind, and a record adds its bytes as it is.
 */
export class SuppressedIndirect {
  /**
   * Per group and process: the indirect bytes of its records (`pointed`), and the bytes of its
   * indirectly lost records (`own`). Only records with either are kept: few are suppressed.
   */
  private readonly sums = new Map<string, { pointed: number; own: number }>();

  /** The bytes `leak` adds to group `group` (any key that tells the groups apart). */
  bytesAdded(group: number | string, leak: LeakRecord): number {
    if (leak.kind !== "suppressed") return leak.bytes;
    const own = ownBytes(leak);
    if (own === 0 && leak.indirectBytes === 0) return leak.bytes;
    const key = `${group}\u0000${processOf(leak)}`;
    const sum = this.sums.get(key) ?? { pointed: 0, own: 0 };
    const twiceBefore = countedTwice(sum.pointed, sum.own);
    sum.pointed += leak.indirectBytes;
    sum.own += own;
    this.sums.set(key, sum);
    // At most the record's own bytes: each sum grew by no more than them.
    return leak.bytes - (countedTwice(sum.pointed, sum.own) - twiceBefore);
  }
}

/**
 * The bytes of a suppressed indirectly lost record, which a suppressed group sets apart (see
 * SuppressedIndirect); 0 for any other record.
 */
export function ownBytes(leak: Pick<LeakRecord, "kind" | "details" | "directBytes">): number {
  const indirect =
    leak.kind === "suppressed" && leak.details?.["suppressedKind"] === "indirectly-lost";
  return indirect ? leak.directBytes : 0;
}

/**
 * Of a process's records in a suppressed group, the bytes counted twice: the indirect bytes of
 * its records (`pointed`) that its indirectly lost records (their `own` bytes) list again, as far
 * as both go. The group adds its records' bytes less these.
 */
export function countedTwice(pointed: number, own: number): number {
  return Math.min(pointed, own);
}

/**
 * The process a record is of. A record read back from a JSON report is at the report's path and
 * keeps its log's in `details["origin.path"]`: the log tells the report's processes apart as its
 * run did, and the report tells apart two runs' logs of one path and PID (each CI shard's
 * `vg.1.log`, its container's PID 1). Keyed by the log alone, two such shard reports merged took
 * one's indirectly lost bytes for the other's indirect bytes, and their group fell short
 * (test/fixtures/suppressed-indirect-shards).
 */
function processOf(leak: LeakRecord): string {
  const { location, pid, run } = leak;
  const origin = leak.details?.["origin.path"];
  const path = typeof origin === "string" ? `${location.path}\u0000${origin}` : location.path;
  return processKey({ path, pid, run });
}
