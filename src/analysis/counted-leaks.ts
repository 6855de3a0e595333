import type { LeakKind, LeakRecord, LossRecordRef } from "../model/index.js";
import { fnv1a64 } from "./fingerprint.js";
import { ownBytes } from "./suppressed-indirect.js";
import { kindBeforeSuppressions } from "./totals.js";

/**
 * A loss record of a process, as the comparison of a forked child's records with its parent's
 * takes it (see InheritedLossRecords): its process, line, amounts and stack key, and, for a
 * record counted before every input was in, what taking it back out of its group and totals
 * takes. A whole record holds its stack, frames and words; this holds none of them, so that the
 * records counted past --max-records can be kept (campaign cg F2): about 230 bytes each, its id
 * included, with the strings that repeat (paths, fingerprints, stack keys) shared. Every field
 * is always there, `undefined` where it has no value: one shape, where optional ones made
 * objects of many. Plain data: a worker thread sends its own (see PartialFacts).
 */
export interface CountedLeak {
  id: string;
  path: string;
  pid: number;
  run: number | undefined;
  /** 1-based line of the record in its log. */
  line: number;
  kind: LeakKind;
  /** The kind the tool gave it, where --suppressions moved it to `suppressed` (see Totals). */
  toolKind: string | undefined;
  fingerprint: string;
  /** See recordKey; undefined for a record that no other can be a copy of. */
  key: string | undefined;
  bytes: number;
  directBytes: number;
  indirectBytes: number;
  blocks: number;
  /** The bytes of a suppressed indirectly lost record, which SuppressedIndirect sets apart. */
  own: number;
  /** Its `lossRecord`, shared (see countedLeak), as its group member and FindingsByProcess have it. */
  lossRecord: LossRecordRef | undefined;
  /** Its index in the report's leaks, when it is listed. */
  listed: number | undefined;
}

/**
 * The one copy kept of what many records have alike (see countedLeak): the Summarizer's
 * Detacher, whose tables its listed records and groups share too.
 */
export interface Shared {
  intern: (text: string) => string;
  lossRecord: (ref: LossRecordRef) => LossRecordRef;
}

const UNSHARED: Shared = { intern: (text) => text, lossRecord: (ref) => ref };

/**
 * What a loss record is compared as, or undefined for a record of no process (MEMWATCH,
 * memleax): a forked child's is never one. Only Valgrind's records get a stack key (see
 * recordKey): only Valgrind's logs name processes' parents.
 */
export function countedLeak(
  leak: LeakRecord,
  listed: number | undefined,
  shared: Shared = UNSHARED,
): CountedLeak | undefined {
  const { pid, location, kind } = leak;
  if (pid === undefined) return undefined;
  const key = leak.tool === "valgrind" ? recordKey(leak) : undefined;
  return {
    id: leak.id,
    path: location.path,
    pid,
    run: leak.run,
    line: location.line,
    kind,
    toolKind: kindBeforeSuppressions(leak),
    fingerprint: shared.intern(leak.fingerprint),
    key: key !== undefined ? shared.intern(key) : undefined,
    bytes: leak.bytes,
    directBytes: leak.directBytes,
    indirectBytes: leak.indirectBytes,
    blocks: leak.blocks,
    own: ownBytes(leak),
    lossRecord: leak.lossRecord !== undefined ? shared.lossRecord(leak.lossRecord) : undefined,
    listed,
  };
}

/**
 * A loss record's kind and its allocation stack as printed, frame for frame, addresses
 * included, hashed (a parent's records are kept by it: a whole stack's text is a kilobyte):
 * Valgrind makes one loss record per kind and stack, and a forked child's stack of an inherited
 * block is its parent's to the byte. Fingerprints are looser (function names, a window of
 * frames): two call sites of one function in `main` share one. Undefined when a frame has no
 * address (a record that did not come from a Valgrind log as printed).
 */
function recordKey(leak: LeakRecord): string | undefined {
  if (leak.stack.length === 0) return undefined;
  // The tool's kind: --suppressions makes a parent's definitely lost record and its child's
  // still reachable one of the same stack both `suppressed`, and they are no copies.
  const parts: string[] = [kindBeforeSuppressions(leak) ?? leak.kind];
  for (const frame of leak.stack) {
    if (frame.ip === undefined) return undefined;
    const { ip, function: fn, file, line, object } = frame;
    parts.push(`${ip} ${fn ?? ""} ${file ?? ""}:${line ?? ""} ${object ?? ""}`);
  }
  return fnv1a64(parts.join("\n"));
}
