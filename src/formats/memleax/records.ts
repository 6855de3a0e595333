import type { Details, Frame } from "../../model/index.js";
import type { ErrorDraft, LeakDraft } from "../types.js";
import type { NullAllocTally, StackTally } from "./run.js";
import type { RawAmount, StatsEntry } from "./visitor.js";

/** Error kind of memleax's `Warning: alloc returns NULL at` (not a Valgrind kind). */
export const ALLOC_NULL_KIND = "AllocReturnsNull";

/**
 * memleax's report counters are C `int`s and wrap to negative values above 2 GiB (§4); a value
 * read as negative is taken modulo 2^32. `wrapped` tells the caller to say so.
 */
export function unwrap(value: number): { value: number; wrapped: boolean } {
  return value < 0 ? { value: value + 2 ** 32, wrapped: true } : { value, wrapped: false };
}

/** Blocks and bytes a stack may still leak, derived from the event stream alone. */
export interface DerivedAmount {
  blocks: number;
  bytes: number;
  /** True when the bytes are a guess: frees do not print sizes, quiet stacks print nothing. */
  estimated: boolean;
}

/**
 * Without the final report, may-leak = expiries - frees after expiry (§2.6). Bytes are exact
 * only when every expiry line was printed and nothing was freed; otherwise the latest size
 * stands for each block still counted (the newest blocks are the ones still alive, corpus 04).
 */
export function deriveFromStream(t: StackTally): DerivedAmount {
  const blocks = Math.max(0, t.expired - t.freesAfterExpiry);
  const unprinted = Math.max(0, t.expired - t.expiryLines);
  if (t.freesAfterExpiry === 0) {
    const bytes = Math.max(0, t.printedBytes + unprinted * t.lastSize);
    return { blocks, bytes, estimated: unprinted > 0 || t.quietFrom !== undefined };
  }
  return { blocks, bytes: Math.max(0, blocks * t.lastSize), estimated: true };
}

function streamDetails(t: StackTally | undefined): Details {
  if (t === undefined) return {};
  const details: Details = {
    firstExpiryLine: t.line,
    expiryLines: t.expiryLines,
    freesAfterExpiryLines: t.freesAfterExpiry,
  };
  if (t.quietFrom !== undefined) details["quietFromLine"] = t.quietFrom;
  return details;
}

function amountDetails(details: Details, prefix: string, amount: RawAmount | undefined): void {
  if (amount === undefined) return;
  details[`${prefix}Blocks`] = unwrap(amount.blocks).value;
  details[`${prefix}Bytes`] = unwrap(amount.bytes).value;
}

/** The report's counters as flat details (counts in blocks, sizes in bytes, times in seconds). */
function statsDetails(s: StatsEntry): Details {
  const details: Details = {};
  amountDetails(details, "expired", s.expired);
  amountDetails(details, "freeExpired", s.freeExpired);
  amountDetails(details, "alloc", s.alloc);
  amountDetails(details, "free", s.free);
  if (s.freedLive !== undefined) {
    details["freedLiveMinSeconds"] = s.freedLive.min;
    details["freedLiveMaxSeconds"] = s.freedLive.max;
    details["freedLiveAverageSeconds"] = s.freedLive.average;
  }
  if (s.unfreedLiveMax !== undefined) details["unfreedLiveMaxSeconds"] = s.unfreedLiveMax;
  return details;
}

function leak(
  amount: { blocks: number; bytes: number },
  stack: Frame[],
  line: number,
  pid: number | undefined,
  details: Details,
): LeakDraft {
  return {
    type: "leak",
    tool: "memleax",
    kind: "possibly-lost", // memleax proves age, not loss
    toolKind: "expired",
    bytes: amount.bytes,
    directBytes: amount.bytes,
    indirectBytes: 0,
    blocks: amount.blocks,
    ...(pid !== undefined ? { pid } : {}),
    stack,
    details,
    line,
  };
}

/**
 * The stack of a report block, which reprints the one its first expiry printed. Where the two
 * differ the log is damaged (a foreign line ends a stack early: found by the fuzz test), so the
 * first expiry's copy wins, unless it is the report's cut short (the log began or was damaged
 * inside it). The report's copy alone serves when the stream printed none.
 */
function reportedStack(report: Frame[], stream: Frame[]): Frame[] {
  if (stream.length === 0) return report;
  const streamCut =
    stream.length < report.length && stream.every((frame, i) => sameFrame(frame, report[i]));
  return streamCut ? report : stream;
}

function sameFrame(a: Frame, b: Frame | undefined): boolean {
  return (
    b !== undefined &&
    a.ip === b.ip &&
    a.function === b.function &&
    a.object === b.object &&
    a.file === b.file &&
    a.line === b.line
  );
}

/** A leak from a report block: may-leak is the truth; the stream adds where it was first seen. */
export function leakFromStats(
  s: StatsEntry,
  tally: StackTally | undefined,
  pid: number | undefined,
): LeakDraft {
  const amount = { blocks: unwrap(s.mayLeak.blocks).value, bytes: unwrap(s.mayLeak.bytes).value };
  const stack = reportedStack(s.stack, tally?.stack ?? []);
  const details: Details = {
    callStack: s.id,
    source: "statistics",
    ...statsDetails(s),
    ...streamDetails(tally),
  };
  return leak(amount, stack, s.line, pid, details);
}

/** A leak derived from the stream when the report is missing (the source is incomplete). */
export function leakFromStream(
  t: StackTally,
  d: DerivedAmount,
  pid: number | undefined,
): LeakDraft {
  const details: Details = {
    callStack: t.id,
    source: "stream",
    expiredBlocks: t.expired,
    ...streamDetails(t),
  };
  if (d.estimated) details["bytesEstimated"] = true;
  return leak(d, t.stack, t.line, pid, details);
}

/** A NULL-allocation warning as an error record; `count` is how often that stack got NULL. */
export function nullAllocError(n: NullAllocTally, pid: number | undefined): ErrorDraft {
  return {
    type: "error",
    tool: "memleax",
    kind: ALLOC_NULL_KIND,
    message: "alloc returns NULL",
    ...(pid !== undefined ? { pid } : {}),
    stack: n.stack,
    aux: [],
    count: n.count,
    line: n.line,
  };
}
