import type { IToken, TokenType } from "chevrotain";
import { parseUnfreedBody } from "./dump.js";
import { parseBody, TRAP_OUTCOME, type Fields } from "./fields.js";
import { isSpace } from "../chars.js";
import { isLetter } from "./scan.js";
import * as T from "./tokens.js";

/**
 * MEMWATCH's log writer formats into a 2048+8 byte buffer, so a message line is at most about
 * 2056 characters; a TRACE glued in front can double that. Longer lines cannot be a message
 * (only an over-long TRACE, check_trace.log), so no pattern but a suffix test runs on them:
 * this caps the work per line whatever the log holds.
 */
export const MAX_MESSAGE_LINE = 4608;

/** ctime()'s `Sun Nov 22 01:28:25 2026` (memwatch.md 3). */
const CTIME = String.raw`[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}`;

/** Whole-line shapes that are not `KIND: ` messages, tried in order (memwatch.md 2, 3, 5.10). */
const LINE_PATTERNS: readonly { token: TokenType; re: RegExp }[] = [
  // The embedded fork prints `MEMWATCH 2.71 Johan Lindh` with no `=====` (memwatch.md 0).
  {
    token: T.Banner,
    re: /^=* ?MEMWATCH (?<version>\d+\.\d+\S*) (?:Copyright|Johan Lindh)/,
  },
  // The time is C's ctime(): a program's `Stopped at user request` (TRACE) is no footer.
  { token: T.Started, re: new RegExp(`^Started at (?<time>${CTIME})\\s*$`) },
  { token: T.Stopped, re: new RegExp(`^Stopped at (?<time>${CTIME})\\s*$`) },
  { token: T.Modes, re: /^Modes: (?<modes>.*)$/ },
  {
    token: T.Sizes,
    re: /^mwROUNDALLOC==(?<round>\d+) sizeof\(mwData\)==(?<sizeOf>\d+) mwDataSize==(?<dataSize>\d+)/,
  },
  { token: T.Compiled, re: /^Compiled using (?<compiler>.*)$/ },
  { token: T.StatsGlobal, re: /^Memory usage statistics \(global\):\s*$/ },
  { token: T.StatsDetailed, re: /^Memory usage statistics \(detailed\):\s*$/ },
  // ` U)nfreed bytes totals      : 512`; a vendored copy prints `%ldkb` (memwatch.md 0).
  {
    token: T.StatLine,
    re: /^ ?(?<key>[NLTU])\)[^:]{1,40}: *(?<value>\d+) ?(?<unit>[A-Za-z]{0,8})\s*$/,
  },
  { token: T.DetailHeader, re: /^ Module\/Line\s+Number\s/ },
  // Table rows: `%-8d` line numbers under a 2-space indent, modules in a 42-column field.
  {
    token: T.LineRow,
    re: /^ {2}(?<line>\d+) +(?<number>\d+) +(?<largest>\d+) +(?<total>\d+) +(?<unfreed>\d+) *$/,
  },
  {
    token: T.ModuleRow,
    re: /^ (?<module>\S.{41}) (?<number>\d+) +(?<largest>\d+) +(?<total>\d+) +(?<unfreed>\d+) *$/,
  },
  { token: T.Anomalies, re: /^MEMWATCH detected (?<count>\d+) anomalies/ },
  { token: T.StderrNotice, re: /^MEMWATCH: ?(?<text>.*)$/ },
];

const TRACE_OVERFLOW = " [WARNING: OUTPUT BUFFER OVERFLOW - SYSTEM UNSTABLE]";
/**
 * A TRACE() without a newline glues itself in front of the next message (`no newline -> NULL
 * free: <2> ...`, check_trace.log). Only kinds that print `<N>` are looked for inside a line.
 */
const GLUED_EVENT =
  /(?:double-free|WILD free|NULL free|overflow|underflow|realloc|strdup|limit fail|assert trap|verify trap|internal|unfreed|wild pointer|check|relink): <\d/;

/**
 * chevrotain's createTokenInstance, with the payload in the same literal: adding it afterwards
 * grew every token's property store, one allocation per line (profiled).
 */
function token(type: TokenType, text: string, lineNo: number, payload: Fields): IToken {
  return {
    image: text,
    startOffset: 0,
    endOffset: text.length,
    startLine: lineNo,
    endLine: lineNo,
    startColumn: 1,
    endColumn: text.length + 1,
    tokenTypeIdx: type.tokenTypeIdx ?? 0,
    tokenType: type,
    payload,
  };
}

/** The same line as another token type (a Text line found to continue a wrapped dump). */
export function retype(original: IToken, type: TokenType): IToken {
  return token(type, original.image, original.startLine ?? 0, original.payload as Fields);
}

/**
 * The `KIND` of a `KIND: ` line (`/^[A-Za-z][A-Za-z -]{0,14}: /`), or undefined. `:` is not in
 * the class, so the kind is the whole leading run of class characters; scanned by hand because
 * it runs on every line (profiled: the match object was a tenth of the classify time).
 */
function kindOf(text: string): string | undefined {
  if (!isLetter(text.charCodeAt(0))) return undefined;
  let end = 1;
  for (; end < 15; end += 1) {
    const c = text.charCodeAt(end);
    if (!isLetter(c) && c !== 32 && c !== 45) break;
  }
  if (text.charCodeAt(end) !== 58 || text.charCodeAt(end + 1) !== 32) return undefined;
  return text.slice(0, end);
}

/** A `KIND: ` message, or undefined when the line does not start with a known kind. */
function classifyEvent(text: string, lineNo: number): IToken | undefined {
  const kind = kindOf(text);
  const type = kind === undefined ? undefined : T.EVENT_KINDS.get(kind);
  if (kind === undefined || type === undefined) return undefined;
  const body = text.slice(kind.length + 2);
  if (type === T.Unfreed) {
    // Kept even when the body is cut short, so that the mapping can report it.
    return token(T.Unfreed, text, lineNo, parseUnfreedBody(body, kind) ?? { kind });
  }
  if (type === T.AssertTrap || type === T.VerifyTrap) {
    const outcome = TRAP_OUTCOME.exec(body)?.groups;
    if (outcome !== undefined) return token(T.TrapOutcome, text, lineNo, { ...outcome, kind });
  }
  const fields = parseBody(type.name, body);
  fields["kind"] = kind;
  return token(type, text, lineNo, fields);
}

/**
 * Turns one log line (no terminator, CR already stripped) into one token whose payload holds
 * the line's fields, or undefined for a blank line. Unknown text becomes a Text token.
 */
export function classifyLine(text: string, lineNo: number): IToken | undefined {
  // A line that starts with a non-blank is not blank: no trimmed copy for it.
  if (text.length === 0 || (isSpace(text.charCodeAt(0)) && text.trim() === "")) return undefined;
  if (text.length > MAX_MESSAGE_LINE) {
    const type = text.endsWith(TRACE_OVERFLOW) ? T.TraceOverflow : T.Text;
    return token(type, text, lineNo, {});
  }
  const event = classifyEvent(text, lineNo);
  if (event !== undefined) return event;
  for (const { token: type, re } of LINE_PATTERNS) {
    const m = re.exec(text);
    if (m !== null) return token(type, text, lineNo, { ...m.groups });
  }
  if (text.endsWith(TRACE_OVERFLOW)) return token(T.TraceOverflow, text, lineNo, {});
  const glued = GLUED_EVENT.exec(text);
  if (glued !== null && glued.index > 0) {
    const inner = classifyEvent(text.slice(glued.index), lineNo);
    if (inner !== undefined) {
      inner.payload = { ...(inner.payload as Fields), trace: text.slice(0, glued.index) };
      return inner;
    }
  }
  return token(T.Text, text, lineNo, {});
}
