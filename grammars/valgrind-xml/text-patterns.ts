import { safeCount } from "../numbers.js";

/**
 * The sentences inside Valgrind's XML whose parts carry meaning: the `<text>` of a leak's
 * `<xwhat>` and the preamble's version line. Named patterns, one job each; numbers may carry
 * thousands commas (`4,128`, and protocol 6 summary numbers).
 */

/** Longest text any pattern here is run on: keeps every regex linear on hostile input. */
export const MAX_PATTERN_INPUT = 4096;

const NUM = String.raw`(\d[\d,]*)`;
/** A client-request leak check's delta, ` (+64)` (memcheck/mc_leakcheck.c, `--leak-check` deltas). */
const DELTA = String.raw`(?: \([+-]\d[\d,]*\))?`;

/**
 * `B[ (+d)][ (D[ (+d)] direct, I[ (+d)] indirect)] bytes in N[ (+d)] blocks are KIND in
 * [new |increased |decreased ]loss record I of T` (mc_leakcheck.c, print_results()).
 */
export const LEAK_TEXT = new RegExp(
  String.raw`^${NUM}${DELTA}(?: \(${NUM}${DELTA} direct, ${NUM}${DELTA} indirect\))? bytes in ` +
    String.raw`${NUM}${DELTA} blocks? are (.+?) in (?:new |increased |decreased )?loss record ` +
    String.raw`${NUM} of ${NUM}`,
);

/** `Using Valgrind-3.19.0 and LibVEX; ...` (also `3.18.1-42b08ed5bd-20211015`, `3.10.0.SVN`). */
export const VERSION_LINE = /Using Valgrind-(\S+?) and LibVEX/;

/** `Command: ./prog args` */
export const COMMAND_LINE = /^Command: (.*)$/;

/** A decimal count, with or without thousands commas; undefined when it is not one. */
export function parseCount(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (trimmed.length > 0 && trimmed.length <= 15 && allDigits(trimmed)) return Number(trimmed);
  return /^\d[\d,]*$/.test(trimmed) ? safeCount(trimmed) : undefined;
}

/** `150 (+50)`: a delta check's whole amount and its change (see parseSummaryCount). */
const SUMMARY_DELTA = /^(\d[\d,]*) \([+-]\d[\d,]*\)$/;

/**
 * A protocol 6 `<leak_summary>` count: `150`, or a delta leak check's `150 (+50)` and `0 (-50)`
 * (VALGRIND_DO_ADDED/CHANGED_LEAK_CHECK; mc_leakcheck.c prints the whole amount, then its change),
 * read as the text log's `150 (+50) bytes` is: the whole amount. Undefined when it is neither.
 */
export function parseSummaryCount(text: string | undefined): number | undefined {
  const plain = parseCount(text);
  if (plain !== undefined || text === undefined) return plain;
  const whole = SUMMARY_DELTA.exec(text.trim().slice(0, MAX_PATTERN_INPUT))?.[1];
  return whole !== undefined ? safeCount(whole) : undefined;
}

/** Plain digits, the common case (`<line>`, `<tid>`): read without the regexes (profiled). */
function allDigits(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** The parts of a leak sentence. */
export interface LeakText {
  bytes: number;
  direct?: number;
  indirect?: number;
  blocks: number;
  /** As printed: `definitely lost`, `indirectly lost`, ... */
  kindWords: string;
  lossRecord: { index: number; of: number };
  /** The sentence carries ` (+d)` deltas: a client-requested ADDED or CHANGED leak check's. */
  delta: boolean;
}

/**
 * Reads a leak's `<text>`; undefined when it is not the loss-record sentence, or when one of
 * its counts is no safe integer (grammars/numbers.ts): a count past 2^53 is not read as 0.
 */
export function parseLeakText(text: string): LeakText | undefined {
  const m = LEAK_TEXT.exec(text.slice(0, MAX_PATTERN_INPUT));
  if (m === null) return undefined;
  const [, bytes, direct, indirect, blocks, kindWords, index, of] = m;
  const counts = [bytes, blocks, index, of, ...(direct !== undefined ? [direct, indirect] : [])];
  if (counts.some((count) => safeCount(count ?? "") === undefined)) return undefined;
  const n = (s: string | undefined) => safeCount(s ?? "") as number;
  return {
    bytes: n(bytes),
    ...(direct !== undefined ? { direct: n(direct), indirect: n(indirect) } : {}),
    blocks: n(blocks),
    kindWords: kindWords ?? "",
    lossRecord: { index: n(index), of: n(of) },
    delta: m[0].includes(" (+") || m[0].includes(" (-"),
  };
}
