import type { ErrorRecord, LeakRecord, LogLocation, Severity } from "../model/index.js";
import type { ErrorDraft, LeakDraft } from "../formats/types.js";

/** What the engine adds to a draft. */
export interface Stamp {
  id: string;
  fingerprint: string;
  severity: Severity;
  location: LogLocation;
}

// Every field of a draft but `line`, in one fixed order: records built from these lists all
// share a few V8 object shapes. (Deleting `line` from the draft instead turned every record
// into a slow dictionary object: profiled at a sixth of a large parse.) The checks below fail
// to compile when the model gains a field that is not listed, so nothing can be dropped.
const LEAK_FIELDS = [
  "type",
  "tool",
  "kind",
  "toolKind",
  "bytes",
  "directBytes",
  "indirectBytes",
  "blocks",
  "pid",
  "thread",
  "lossRecord",
  "leakCheck",
  "stack",
  "suppression",
  "details",
] as const satisfies readonly (keyof LeakDraft)[];
const ERROR_FIELDS = [
  "type",
  "tool",
  "kind",
  "message",
  "pid",
  "thread",
  "stack",
  "aux",
  "count",
  "suppressed",
  "suppression",
  "details",
] as const satisfies readonly (keyof ErrorDraft)[];

type Unlisted<D, F extends readonly unknown[]> = Exclude<keyof D, F[number] | "line">;
const leakFieldsComplete: [Unlisted<LeakDraft, typeof LEAK_FIELDS>] extends [never] ? true : never =
  true;
const errorFieldsComplete: [Unlisted<ErrorDraft, typeof ERROR_FIELDS>] extends [never]
  ? true
  : never = true;
void leakFieldsComplete;
void errorFieldsComplete;

/** The record a leak draft becomes: its fields, then the engine's stamp. */
export function leakRecord(draft: LeakDraft, stamp: Stamp): LeakRecord {
  return withStamp(copyFields(draft, LEAK_FIELDS), stamp) as LeakRecord;
}

/** The record an error draft becomes (see leakRecord). */
export function errorRecord(draft: ErrorDraft, stamp: Stamp): ErrorRecord {
  return withStamp(copyFields(draft, ERROR_FIELDS), stamp) as ErrorRecord;
}

function copyFields(draft: object, fields: readonly string[]): Record<string, unknown> {
  const source = draft as Record<string, unknown>;
  const record: Record<string, unknown> = {};
  for (const field of fields) {
    const value = source[field];
    if (value !== undefined) record[field] = value;
  }
  return record;
}

function withStamp(record: Record<string, unknown>, stamp: Stamp): Record<string, unknown> {
  record["id"] = stamp.id;
  record["fingerprint"] = stamp.fingerprint;
  record["severity"] = stamp.severity;
  record["location"] = stamp.location;
  return record;
}
