import type { Frame, LogLocation, Severity } from "../model/index.js";
import { isHex } from "../../grammars/chars.js";
import { severityRank } from "./severity.js";

/*
 * Which of its records a group shows: its stack, an error's headline and aux lines, and the log
 * line the CI formats point at when no frame is in the program's own code. It was the first
 * record to come, so the same logs in another order, or a rerun whose PIDs crossed a digit
 * boundary (a glob sorts `vg.100054.log` before `vg.99999.log`), moved the SARIF result and the
 * Code Quality issue between lib.c:15 and lib.c:14, and headed a SIGTERM and a SIGSEGV at one
 * place as either (campaign cg F3). Now it is the least record in one total order, whatever
 * the order they came in:
 *   1. the most severe (a SIGSEGV before a harness's SIGTERM, see severityOf);
 *   2. its stack's frames' lines, innermost first (integers: compared before any string), then
 *      their files, functions, objects and offsets;
 *   3. an error's headline, then its aux lines and their stacks, each with its addresses left
 *      out (`0x4a41044`);
 *   4. where it was logged: the log's path, then the line.
 * Addresses (frames' `ip`, `0x...` in text) and PIDs take no part: they change from run to
 * run, and the place a group is shown at must not.
 */

/** What a group shows of a record, and what a record offers to be shown. */
export interface Shown {
  type: "leak" | "error";
  severity: Severity;
  stack: readonly Frame[];
  /** An error's headline; a leak group's is its amounts, which no record has. */
  message?: string | undefined;
  aux?: readonly { message: string; stack?: readonly Frame[] | undefined }[] | undefined;
}

/**
 * Orders two records (or a record and what a group shows) of one group by steps 1 to 3 above:
 * negative when `a` comes first. Cheap where they are alike, the common case: one frozen stack
 * array of a parser (see SharedStacks) or one interned string is one reference.
 */
export function compareShown(a: Shown, b: Shown): number {
  return severityRank(b.severity) - severityRank(a.severity) || compareShownContent(a, b);
}

/** compareShown without the severity: what a report shows of each. */
export function compareShownContent(a: Shown, b: Shown): number {
  const order = compareStacks(a.stack, b.stack);
  if (order !== 0 || a.type === "leak") return order;
  return compareMasked(a.message ?? "", b.message ?? "") || compareAux(a.aux ?? [], b.aux ?? []);
}

/** Step 4: where two records were logged, by path, then line. */
export function compareLogLocations(a: LogLocation, b: LogLocation): number {
  return compareLogPlaces(a.path, a.line, b.path, b.line);
}

/**
 * compareLogLocations of places held in columns (see GroupShown), which it compares for each
 * record that joins a group: no object is made for them.
 */
export function compareLogPlaces(
  aPath: string,
  aLine: number,
  bPath: string,
  bLine: number,
): number {
  return compareText(aPath, bPath) || aLine - bLine;
}

/** Stacks by their frames' lines, then by their frames' names (see the order above). */
function compareStacks(a: readonly Frame[], b: readonly Frame[]): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i += 1) {
    const order = lineOf(a[i] as Frame) - lineOf(b[i] as Frame);
    if (order !== 0) return order;
  }
  if (a.length !== b.length) return b.length - a.length;
  for (let i = 0; i < n; i += 1) {
    const x = a[i] as Frame;
    const y = b[i] as Frame;
    if (x === y) continue;
    const order =
      compareText(x.file, y.file) ||
      compareText(x.function, y.function) ||
      compareText(x.object, y.object) ||
      compareText(x.offset, y.offset) ||
      compareText(x.dir, y.dir);
    if (order !== 0) return order;
  }
  return 0;
}

/** A frame without a line before one at line 0. */
function lineOf(frame: Frame): number {
  return frame.line ?? -1;
}

function compareAux(a: NonNullable<Shown["aux"]>, b: NonNullable<Shown["aux"]>): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i += 1) {
    const x = a[i] as NonNullable<Shown["aux"]>[number];
    const y = b[i] as NonNullable<Shown["aux"]>[number];
    const order =
      compareMasked(x.message, y.message) || compareStacks(x.stack ?? [], y.stack ?? []);
    if (order !== 0) return order;
  }
  return a.length - b.length;
}

/** By UTF-16 code units, the same on every machine (localeCompare is not); absent first. */
function compareText(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a < b ? -1 : 1;
}

const ZERO = 0x30;
const X = 0x78;

/**
 * Two texts by their code units with each address, `0x` and its hex digits, read as `0x`
 * alone: `Address 0x4a41044 is 4 bytes inside a block of size 5 alloc'd` is one text in every
 * process. No string is made: this runs for records that join a group, millions in a big log,
 * and only where the two texts differ at all.
 */
export function compareMasked(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    // Both at an address: what follows it is compared next (addresses are tokens that start
    // where both texts do, so this orders the texts as if they were written without them).
    if (addressAt(a, i) && addressAt(b, j)) {
      i = afterHex(a, i + 2);
      j = afterHex(b, j + 2);
      continue;
    }
    const order = a.charCodeAt(i) - b.charCodeAt(j);
    if (order !== 0) return order;
    i += 1;
    j += 1;
  }
  return a.length - i - (b.length - j);
}

function addressAt(text: string, at: number): boolean {
  return text.charCodeAt(at) === ZERO && text.charCodeAt(at + 1) === X;
}

function afterHex(text: string, from: number): number {
  let at = from;
  while (at < text.length && isHex(text.charCodeAt(at))) at += 1;
  return at;
}
