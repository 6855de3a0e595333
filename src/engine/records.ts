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
export const LEAK_FIELDS = [
  "type",
  "tool",
  "kind",
  "toolKind",
  "bytes",
  "directBytes",
  "indirectBytes",
  "blocks",
  "pid",
  "run",
  "thread",
  "lossRecord",
  "leakCheck",
  "superseded",
  "stack",
  "suppression",
  "details",
  "inheritedFrom",
] as const satisfies readonly (keyof LeakDraft)[];
export const ERROR_FIELDS = [
  "type",
  "tool",
  "kind",
  "message",
  "pid",
  "run",
  "thread",
  "stack",
  "aux",
  "count",
  "suppressed",
  "suppression",
  "details",
  "inheritedFrom",
] as const satisfies readonly (keyof ErrorDraft)[];

// A draft's severity is the stamp's to give (see severityOf), not copied.
type Unlisted<D, F extends readonly unknown[]> = Exclude<keyof D, F[number] | "line" | "severity">;
const leakFieldsComplete: [Unlisted<LeakDraft, typeof LEAK_FIELDS>] extends [never] ? true : never =
  true;
const errorFieldsComplete: [Unlisted<ErrorDraft, typeof ERROR_FIELDS>] extends [never]
  ? true
  : never = true;
void leakFieldsComplete;
void errorFieldsComplete;

/**
 * The record a leak draft becomes: its fields in LEAK_FIELDS order, then the engine's stamp.
 * Written out field by field rather than looped over LEAK_FIELDS: a loop reads and writes with
 * computed keys, which V8 cannot specialise (profiled: a tenth of a MEMWATCH parse). A test
 * checks that both give the same keys in the same order.
 */
export function leakRecord(d: LeakDraft, stamp: Stamp): LeakRecord {
  const r: Partial<LeakDraft> = {};
  if (d.type !== undefined) r.type = d.type;
  if (d.tool !== undefined) r.tool = d.tool;
  if (d.kind !== undefined) r.kind = d.kind;
  if (d.toolKind !== undefined) r.toolKind = d.toolKind;
  if (d.bytes !== undefined) r.bytes = d.bytes;
  if (d.directBytes !== undefined) r.directBytes = d.directBytes;
  if (d.indirectBytes !== undefined) r.indirectBytes = d.indirectBytes;
  if (d.blocks !== undefined) r.blocks = d.blocks;
  if (d.pid !== undefined) r.pid = d.pid;
  if (d.run !== undefined) r.run = d.run;
  if (d.thread !== undefined) r.thread = d.thread;
  if (d.lossRecord !== undefined) r.lossRecord = d.lossRecord;
  if (d.leakCheck !== undefined) r.leakCheck = d.leakCheck;
  if (d.superseded !== undefined) r.superseded = d.superseded;
  if (d.stack !== undefined) r.stack = d.stack;
  if (d.suppression !== undefined) r.suppression = d.suppression;
  if (d.details !== undefined) r.details = d.details;
  if (d.inheritedFrom !== undefined) r.inheritedFrom = d.inheritedFrom;
  return withStamp(r, stamp) as LeakRecord;
}

/** The record an error draft becomes (see leakRecord; ERROR_FIELDS order). */
export function errorRecord(d: ErrorDraft, stamp: Stamp): ErrorRecord {
  const r: Partial<ErrorDraft> = {};
  if (d.type !== undefined) r.type = d.type;
  if (d.tool !== undefined) r.tool = d.tool;
  if (d.kind !== undefined) r.kind = d.kind;
  if (d.message !== undefined) r.message = d.message;
  if (d.pid !== undefined) r.pid = d.pid;
  if (d.run !== undefined) r.run = d.run;
  if (d.thread !== undefined) r.thread = d.thread;
  if (d.stack !== undefined) r.stack = d.stack;
  if (d.aux !== undefined) r.aux = d.aux;
  if (d.count !== undefined) r.count = d.count;
  if (d.suppressed !== undefined) r.suppressed = d.suppressed;
  if (d.suppression !== undefined) r.suppression = d.suppression;
  if (d.details !== undefined) r.details = d.details;
  if (d.inheritedFrom !== undefined) r.inheritedFrom = d.inheritedFrom;
  return withStamp(r, stamp) as ErrorRecord;
}

function withStamp(record: object, stamp: Stamp): Record<string, unknown> {
  const r = record as Record<string, unknown>;
  r["id"] = stamp.id;
  r["fingerprint"] = stamp.fingerprint;
  r["severity"] = stamp.severity;
  r["location"] = stamp.location;
  return r;
}
