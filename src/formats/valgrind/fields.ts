import { safeCount } from "../../../grammars/numbers.js";
import type { Frame, LeakKind } from "../../model/index.js";
import { boundedName } from "../bounded-names.js";

/**
 * One frame line: `   at 0xADDR: fn (file:line)`, `fn (in /obj)`, `??? (in /obj)`, `???`,
 * `(below main)`. Function names hold spaces, parentheses and templates
 * (`operator new[](unsigned long)`, `main::{lambda()#1}::operator()() const`), so the location
 * is the LAST parenthesised group, found by matching parentheses from the end. Hand-written:
 * frames are most of a log's lines (profiled: the regex version was a tenth of the parse).
 */
export function parseFrame(body: string): Frame {
  const at = body.indexOf("0x");
  const colon = at === -1 ? -1 : body.indexOf(": ", at);
  if (colon === -1) return {};
  // Built from `{}`, not a literal with fields, so that V8 never pretenures frames (see
  // locationOf in src/engine/source-builder.ts).
  const frame: Frame = {};
  frame.ip = body.slice(at, colon);
  const start = colon + 2;
  let end = body.length;
  while (end > start && body.charCodeAt(end - 1) === 32) end -= 1;
  // Indexes into the body, not substrings: frames are most lines, and each copy is garbage.
  const open = body.charCodeAt(end - 1) === 41 /* ) */ ? matchingOpen(body, start, end) : -1;
  if (open > start) {
    let fnEnd = open;
    while (fnEnd > start && body.charCodeAt(fnEnd - 1) === 32) fnEnd -= 1;
    if (body.startsWith("in ", open + 1)) {
      frame.object = boundedName(body.slice(open + 4, end - 1));
      return withFunction(frame, body.slice(start, fnEnd));
    }
    const lineColon = body.lastIndexOf(":", end - 2);
    if (lineColon > open + 1 && isDigits(body, lineColon + 1, end - 1)) {
      frame.file = boundedName(body.slice(open + 1, lineColon));
      const line = digitsValue(body, lineColon + 1, end - 1);
      // A line number past 2^53 is not one (see grammars/numbers.ts): the frame keeps its file.
      if (Number.isSafeInteger(line)) frame.line = line;
      return withFunction(frame, body.slice(start, fnEnd));
    }
  }
  return withFunction(frame, body.slice(start, end));
}

function digitsValue(text: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i += 1) value = value * 10 + (text.charCodeAt(i) - 48);
  return value;
}

function isDigits(text: string, from: number, to: number): boolean {
  if (from >= to) return false;
  for (let i = from; i < to; i += 1) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function withFunction(frame: Frame, fn: string): Frame {
  // `???` is Valgrind's unknown function; the XML has no <fn> there, so neither do we.
  if (fn !== "" && fn !== "???") frame.function = boundedName(fn);
  return frame;
}

/** Index of the `(` that matches the `)` at `end - 1`, searching back to `start`; or -1. */
function matchingOpen(text: string, start: number, end: number): number {
  let depth = 0;
  for (let i = end - 1; i >= start; i -= 1) {
    const c = text.charCodeAt(i);
    if (c === 41) depth += 1;
    else if (c === 40) {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return -1;
}

const LEAK_KINDS: Readonly<Record<string, LeakKind>> = {
  "definitely lost": "definitely-lost",
  "indirectly lost": "indirectly-lost",
  "possibly lost": "possibly-lost",
  "still reachable": "still-reachable",
  suppressed: "suppressed",
};

/** The common leak kind for Valgrind's words. */
export function leakKindOf(words: string): LeakKind | undefined {
  return LEAK_KINDS[words];
}

export interface LossRecordFields {
  bytes: number;
  directBytes: number;
  indirectBytes: number;
  blocks: number;
  toolKind: string;
  kind: LeakKind;
  index: number;
  of: number;
  /** Printed by a leak check that shows increases (`(+48)`, "new loss record"). */
  delta: boolean;
}

// `160 (32 direct, 128 indirect) bytes in 1 blocks are definitely lost in loss record 8 of 9`
// `48 (+48) bytes in 1 (+1) blocks are definitely lost in new loss record 3 of 5`
const LOSS_RECORD =
  /^([\d,]+)( \([+-][\d,]+\))?(?: \(([\d,]+)(?: \([+-][\d,]+\))? direct, ([\d,]+)(?: \([+-][\d,]+\))? indirect\))? bytes in ([\d,]+)(?: \([+-][\d,]+\))? blocks are (definitely lost|indirectly lost|possibly lost|still reachable) in (new |increased |reduced )?loss record ([\d,]+) of ([\d,]+)/;

/** The loss record's fields; undefined when it is none, or a count is no safe integer. */
export function parseLossRecord(body: string): LossRecordFields | undefined {
  const m = LOSS_RECORD.exec(body);
  if (m === null) return undefined;
  const bytes = safeCount(m[1] as string);
  const hasSplit = m[3] !== undefined;
  const directBytes = hasSplit ? safeCount(m[3] as string) : bytes;
  const indirectBytes = hasSplit ? safeCount(m[4] as string) : 0;
  const blocks = safeCount(m[5] as string);
  const index = safeCount(m[8] as string);
  const of = safeCount(m[9] as string);
  if (
    bytes === undefined ||
    directBytes === undefined ||
    indirectBytes === undefined ||
    blocks === undefined ||
    index === undefined ||
    of === undefined
  )
    return undefined;
  const toolKind = m[6] as string;
  return {
    bytes,
    directBytes,
    indirectBytes,
    blocks,
    toolKind,
    kind: leakKindOf(toolKind) as LeakKind,
    index,
    of,
    delta: m[2] !== undefined || m[7] !== undefined,
  };
}

/** `   definitely lost: 112 (+64) bytes in 2 (+1) blocks` */
const SUMMARY_LINE =
  /^ +(definitely lost|indirectly lost|possibly lost|still reachable|suppressed): ([\d,]+)( \([+-][\d,]+\))? bytes in ([\d,]+)/;

export function parseLeakSummaryLine(
  body: string,
): { kind: LeakKind; bytes: number; blocks: number; delta: boolean } | undefined {
  const m = SUMMARY_LINE.exec(body);
  if (m === null) return undefined;
  const bytes = safeCount(m[2] as string);
  const blocks = safeCount(m[4] as string);
  if (bytes === undefined || blocks === undefined) return undefined;
  return { kind: leakKindOf(m[1] as string) as LeakKind, bytes, blocks, delta: m[3] !== undefined };
}

/**
 * All the numbers of a line, in order (`in use at exit: 4,128 bytes in 2 blocks` -> [4128, 2]);
 * undefined when one is no safe integer, so that the line is not read as a summary.
 */
export function numbersIn(body: string): number[] | undefined {
  const numbers: number[] = [];
  for (const digits of body.match(/\d[\d,]*/g) ?? []) {
    const value = safeCount(digits);
    if (value === undefined) return undefined;
    numbers.push(value);
  }
  return numbers;
}

/** True for an empty or all-blank body (cheaper than trim(), which copies most lines). */
export function isBlank(body: string): boolean {
  for (let i = 0; i < body.length; i += 1) {
    const c = body.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}
