import { isDigit } from "../../../grammars/chars.js";

/** What the prefix of one text-log line says. */
export interface PrefixedLine {
  /** `=` for normal messages, `-` for `-v` debug lines, `*` for client messages. */
  marker: "=" | "-" | "*";
  pid: number;
  /** The text after the prefix and its one separating space. */
  body: string;
}

/** A Valgrind prefix found inside a line, after text that is not Valgrind's. */
export interface GluedPrefix {
  /** 0-based offset of the prefix in the line. */
  at: number;
  prefixed: PrefixedLine;
}

const MARKERS = new Set(["=", "-", "*"]);
const MARKER_PAIRS = ["==", "--", "**"] as const;
// A line of `==1== 1 ==1== 1 ...` (hostile input) would otherwise classify every candidate's
// body to the line's end; real glued lines hold one prefix, rarely after one program `==N==`.
const MAX_GLUED_CANDIDATES = 4;

/**
 * Splits `==PID== body`, `--PID-- body`, `**PID** body` and the `--time-stamp=yes` form
 * `==DD:HH:MM:SS.mmm PID== body`, read from `start` (0: the line's start). Returns undefined
 * for lines without a prefix there (the program's own output, suppression blocks).
 * Hand-written rather than a regex: it runs on every line.
 */
export function splitPrefix(line: string, start = 0): PrefixedLine | undefined {
  const c = line[start];
  if (c === undefined || !MARKERS.has(c) || line[start + 1] !== c) return undefined;
  const i = start + 2;

  let digitsStart = i;
  // --time-stamp=yes: `==00:00:00:11.837 6857== `
  if (line.charCodeAt(i + 2) === 58 /* : */) {
    const space = line.indexOf(" ", i);
    if (space === -1 || space > i + 20) return undefined;
    digitsStart = space + 1;
  }
  let j = digitsStart;
  while (j < line.length && isDigit(line.charCodeAt(j))) j += 1;
  if (j === digitsStart || j - digitsStart > 10) return undefined;
  if (line[j] !== c || line[j + 1] !== c) return undefined;
  // Valgrind writes a space after its prefix; `==1234==ERROR: AddressSanitizer: ...` is a
  // sanitizer's line (one log can hold both), to be read as that, not as a Valgrind line.
  let bodyStart = j + 2;
  if (bodyStart < line.length && line.charCodeAt(bodyStart) !== 32) return undefined;
  if (bodyStart < line.length) bodyStart += 1;
  const pid = Number(line.slice(digitsStart, j));
  return { marker: c as PrefixedLine["marker"], pid, body: line.slice(bodyStart) };
}

/**
 * The first prefix inside `line` (from offset `from` on) that is followed by a space or the
 * line's end and that `accept` takes; undefined if there is none. A program's `printf` without
 * a newline glues Valgrind's next line to its own text (`progress 0...==15189== Invalid write`),
 * and an exec'd child reopening the log cuts its parent's line (`   at 0==12899== `). Only
 * for lines whose start is not a Valgrind line: a few indexOf calls, no regex.
 */
export function findGluedPrefix(
  line: string,
  from: number,
  accept: (prefixed: PrefixedLine) => boolean,
): GluedPrefix | undefined {
  let found: GluedPrefix | undefined;
  let candidates = 0;
  for (const pair of MARKER_PAIRS) {
    let at = line.indexOf(pair, from);
    while (at !== -1 && (found === undefined || at < found.at)) {
      const prefixed = splitPrefix(line, at);
      if (prefixed !== undefined && endsWithSeparator(line, prefixed)) {
        if (accept(prefixed)) {
          found = { at, prefixed };
          break;
        }
        candidates += 1;
        if (candidates >= MAX_GLUED_CANDIDATES) return found;
      }
      at = line.indexOf(pair, at + 1);
    }
  }
  return found;
}

/**
 * The Valgrind line that starts right after a Valgrind prefix cut before its end: `==26350=`
 * then `==26268== ` (a child reopening a shared --log-file wrote over the log, and another
 * process's line went over the cut). Program output does not print a bare cut prefix.
 */
export function prefixCutByLine(line: string): GluedPrefix | undefined {
  const marker = line[0];
  if (marker === undefined || !MARKERS.has(marker) || line[1] !== marker) return undefined;
  let i = 2;
  while (i < line.length && isDigit(line.charCodeAt(i))) i += 1;
  if (i === 2) return undefined;
  for (let at = i; at <= i + 2; at += 1) {
    if (at > i && line[at - 1] !== marker) break;
    const prefixed = splitPrefix(line, at);
    if (prefixed !== undefined && endsWithSeparator(line, prefixed)) return { at, prefixed };
  }
  return undefined;
}

/** `==PID== body` or `==PID==` at the line's end, not `==PID==body` (`a ==1==b` in output). */
function endsWithSeparator(line: string, prefixed: PrefixedLine): boolean {
  const body = prefixed.body.length;
  return body === 0 || line.charCodeAt(line.length - body - 1) === 32;
}
