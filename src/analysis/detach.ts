import type { Frame, LossRecordRef } from "../model/index.js";
import { fnv1a64 } from "./fingerprint.js";
import { isSharedStack } from "./shared-stack.js";

/**
 * Deep copies of plain JSON data (a record, a stack), made when the summary keeps it for the
 * rest of the run.
 *
 * Why copies: V8 pretenures an allocation site (allocates its objects straight in old space) once
 * most of its objects survive a young-generation collection, and never changes its mind. While
 * the summary kept the parser's own objects (the first --max-records records, each group's first
 * stack, each member's loss record), the parser's frame, location and loss-record literals were
 * pretenured in the first second, and from then on every frame of the log was born in old space
 * and died there. Profiled on a 105 MB Valgrind log: GC was a quarter of `summarize` and peak
 * RSS 550 MiB. Copies made here come from this class's own sites, which may be pretenured:
 * their objects do live long.
 *
 * Why interned strings: a kept record's function and file names are slices of the log line they
 * came from, and V8 keeps the whole line alive behind each slice; the same names, files, objects
 * and addresses also repeat in every record of a stack. A heap snapshot after summarizing the
 * 105 MB log held 727,000 strings (30 MB) of which 250,000 were distinct, and whole frame lines.
 * Each distinct value is kept once, as a flat string of its own.
 *
 * Why shared stacks: the records kept and the groups repeat the same few thousand stacks (a
 * group's stack is one of its records'). Each distinct stack is copied once and that copy is
 * shared by every record and group that has an equal one. Valgrind prints one call site at one
 * address in every process of a binary, so most kept records share their group's stack; the
 * bench generator gives every frame a random address, and even there the live heap at the end
 * of summarizing the 1 GB log went from 84.7 to 80.4 MiB (each group shares with its shown
 * record). Nothing in leaklog changes a record or a group's stack after it is made.
 */
export class Detacher {
  private readonly strings = new Map<string, string>();
  private readonly lossRecords = new Map<string, LossRecordRef>();
  /** Distinct stacks by a hash of their addresses (equality is checked, never assumed). */
  private readonly stacks = new Map<string, Frame[]>();

  copy<T>(value: T): T {
    return this.copyValue(value, "") as T;
  }

  private copyValue(value: unknown, key: string): unknown {
    // Record ids are unique: interning them would only fill the table.
    if (typeof value === "string") return key === "id" ? value : this.intern(value);
    if (typeof value !== "object" || value === null) return value;
    if (key === "stack" && Array.isArray(value)) return this.stack(value as Frame[]);
    if (Array.isArray(value)) {
      const items: unknown[] = [];
      for (const item of value as unknown[]) items.push(this.copyValue(item, key));
      return items;
    }
    const source = value as Record<string, unknown>;
    const object: Record<string, unknown> = {};
    // Own keys in their order: the JSON output must not change.
    for (const name of Object.keys(source)) object[name] = this.copyValue(source[name], name);
    return object;
  }

  /** A copy of a stack, shared by every equal stack copied before or after. */
  stack(frames: readonly Frame[]): Frame[] {
    // A frozen stack is a parser's own shared one (see SharedStacks): its frames and strings
    // were made once for the whole log and are kept already, so the stack is kept as it is.
    if (isSharedStack(frames)) return frames as Frame[];
    // Addresses tell stacks apart nearly always and are short: hashing each stack's whole JSON
    // cost a third of detaching on the XML bench log, whose frames carry directories and
    // objects. Stacks that share addresses but differ elsewhere are told apart below.
    const key = fnv1a64(frames.map((f) => f.ip ?? f.function ?? f.object ?? "").join("\n"));
    const known = this.stacks.get(key);
    if (known !== undefined && sameFrames(known, frames)) return known;
    const copy = frames.map((frame) => this.copyValue(frame, "") as Frame);
    if (known === undefined && this.stacks.size < MAX_INTERNED) this.stacks.set(key, copy);
    return copy;
  }

  /**
   * A copy of a loss-record reference shared by every equal one: group members hold one each
   * (20 per group), and the same `N of M` pairs recur in every process of a test suite.
   */
  lossRecord(ref: LossRecordRef): LossRecordRef {
    const key = `${ref.index}:${ref.of}`;
    const known = this.lossRecords.get(key);
    if (known !== undefined) return known;
    const copy = this.copy(ref);
    if (this.lossRecords.size < MAX_INTERNED) this.lossRecords.set(key, copy);
    return copy;
  }

  /** The one copy kept of `text` (a flat copy: a slice of a log line keeps the whole line). */
  intern(text: string): string {
    if (text.length > MAX_INTERNED_LENGTH) return flatCopy(text);
    const known = this.strings.get(text);
    if (known !== undefined) return known;
    const flat = flatCopy(text);
    if (this.strings.size < MAX_INTERNED) this.strings.set(flat, flat);
    return flat;
  }
}

// Names, files, addresses and headlines are short; a long text is a message, rarely repeated.
const MAX_INTERNED_LENGTH = 512;
// Bounds each table on a log with unbounded distinct values (they hold distinct values only).
const MAX_INTERNED = 1 << 18;

/** Equal stacks: the same frames with the same fields, in the same key order (JSON output). */
function sameFrames(a: readonly Frame[], b: readonly Frame[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i] as Record<string, unknown>;
    const y = b[i] as Record<string, unknown>;
    const keys = Object.keys(x);
    const otherKeys = Object.keys(y);
    if (keys.length !== otherKeys.length) return false;
    for (let k = 0; k < keys.length; k += 1) {
      const name = keys[k] as string;
      if (name !== otherKeys[k] || x[name] !== y[name]) return false;
    }
  }
  return true;
}

/** A copy that owns its characters: a slice of a log line would keep the whole line alive. */
export function flatCopy(text: string): string {
  return text.length < 13 ? text : (JSON.parse(JSON.stringify(text)) as string);
}
