import type { ErrorRecord, Group, LeakRecord } from "../../src/model/index.js";

/** Numbers the records made here: each gets its own id and log line. */
let ordinal = 0;

/**
 * A Valgrind leak record (definitely lost, 8 bytes in 1 block, no stack, in `path`), each
 * with its own id and line; `fields` override any of it (`directBytes` follows `bytes`).
 */
export function leakRecord(fields: Partial<LeakRecord> = {}, path = "a.log"): LeakRecord {
  ordinal += 1;
  const kind = fields.kind ?? "definitely-lost";
  const bytes = fields.bytes ?? 8;
  return {
    type: "leak",
    tool: "valgrind",
    kind,
    toolKind: kind.replace("-", " "),
    bytes,
    directBytes: bytes,
    indirectBytes: 0,
    blocks: 1,
    stack: [],
    id: `0:${ordinal}`,
    fingerprint: "0000000000000000",
    severity: "error",
    location: { path, line: ordinal },
    ...fields,
  };
}

/** A Valgrind error record (an invalid read seen once, in `path`); `fields` override. */
export function errorRecord(fields: Partial<ErrorRecord> = {}, path = "b.log"): ErrorRecord {
  ordinal += 1;
  return {
    type: "error",
    tool: "valgrind",
    kind: "InvalidRead",
    message: "Invalid read of size 4",
    count: 1,
    stack: [],
    aux: [],
    id: `0:${ordinal}`,
    fingerprint: "00000000000000bb",
    severity: "error",
    location: { path, line: ordinal },
    ...fields,
  };
}

/** What a leak group counts, whatever records a report lists: its amounts and processes. */
export const groupAmounts = (group: Group) => {
  const { kind, bytes, directBytes, blocks, occurrences, pids, processCount } = group;
  return { kind, bytes, directBytes, blocks, occurrences, pids, processCount };
};
