/**
 * Field extraction for MEMWATCH message bodies (the text after `KIND: `). Syntax only: every
 * value stays a string, named after memwatch.md's grammar. Every expression is anchored and has
 * at most one unbounded wildcard, so matching stays linear in the line length.
 */

import { digitsEnd } from "./scan.js";

/** Named fields of one line; absent when the line does not show them. */
export type Fields = Readonly<Record<string, string | undefined>>;

/**
 * `<N> ` at the start of a body (`^<(\d{1,20})> `): MEMWATCH's operation counter (or an
 * allocation number). Returns the index after the space, or -1.
 */
function counterEnd(body: string): number {
  if (body.charCodeAt(0) !== 60) return -1;
  const end = digitsEnd(body, 1);
  if (end === 1 || end > 21 || body.charCodeAt(end) !== 62 || body.charCodeAt(end + 1) !== 32)
    return -1;
  return end + 2;
}

/** Where the parts of `[<N> ]FILE(LINE)SEP DETAIL` are in a body (see siteBounds). */
export interface SiteBounds {
  /** Index after `<N> `, or 0 when there is no counter (`counter` is then false). */
  start: number;
  counter: boolean;
  /** Index of the `(` before LINE, and of the `)` after it. */
  open: number;
  close: number;
  sep: string;
  /** Index where DETAIL starts. */
  detail: number;
}

/**
 * The end of `FILE(LINE)`: FILE may hold `(`, `)` and spaces (memwatch.md 4, pitfall 7), so the
 * site ends at the first `(digits)` followed by the separator (`, `, `: ` for `internal: ...
 * pointer ... is invalid`, ` ` for `relink:`/`autocheck:`) or by the end of the line. This is
 * `/\((-?\d{1,10})\)(, |: | |$)/g` from `from`, scanned by hand (see scan.ts). -1: none.
 */
function siteEnd(body: string, from: number): number {
  for (let at = body.indexOf("(", from); at >= 0; at = body.indexOf("(", at + 1)) {
    const digits = body.charCodeAt(at + 1) === 45 ? at + 2 : at + 1;
    const close = digitsEnd(body, digits);
    if (close > digits && close - digits <= 10 && body.charCodeAt(close) === 41) {
      const next = body.charCodeAt(close + 1);
      if (next === 32 || close + 1 === body.length) return at;
      if ((next === 44 || next === 58) && body.charCodeAt(close + 2) === 32) return at;
    }
  }
  return -1;
}

/**
 * Finds `[<N> ]FILE(LINE)SEP DETAIL` in a body without cutting it up (unfreed lines are most
 * of a big log); undefined when the body has no site. Without `<N>` a body like
 * `mwFreeUp(12) reported success` would pass for a site, so only `mark:` may omit it.
 */
export function siteBounds(body: string, requireCounter = true): SiteBounds | undefined {
  const counter = counterEnd(body);
  if (counter < 0 && requireCounter) return undefined;
  const start = counter < 0 ? 0 : counter;
  const open = siteEnd(body, start);
  if (open < 0 || open === start) return undefined;
  const close = body.indexOf(")", open);
  const next = body.charCodeAt(close + 1);
  const sep = next === 32 ? " " : next === 44 ? ", " : next === 58 ? ": " : "";
  return { start, counter: counter >= 0, open, close, sep, detail: close + 1 + sep.length };
}

/** Splits `[<N> ]FILE(LINE)SEP DETAIL` into strings (see siteBounds). */
export function splitSite(body: string, requireCounter = true): Record<string, string> | undefined {
  const b = siteBounds(body, requireCounter);
  if (b === undefined) return undefined;
  const fields: Record<string, string> = {
    file: body.slice(b.start, b.open),
    line: body.slice(b.open + 1, b.close),
    sep: b.sep,
    detail: body.slice(b.detail),
  };
  if (b.counter) fields["n"] = body.slice(1, b.start - 2);
  return fields;
}

const FREED_FROM = /^(?<address>\S+) was freed from (?<prevFile>.*)\((?<prevLine>-?\d+)\)$/;
const UNKNOWN_POINTER = /^unknown pointer (?<address>\S+)$/;
const ALLOCD_AT =
  /^(?<size>\d+) bytes alloc'd at <(?<allocN>\d+)> (?<allocFile>.*)\((?<allocLine>-?\d+)\)$/;

/**
 * Kinds whose body is `[<N> ]FILE(LINE)SEP DETAIL`, with the detail shapes tried in order (the
 * first match adds its named groups; an unknown detail is kept as `detail`). memwatch.md 5.
 */
export const SITED_SHAPES: Readonly<Record<string, readonly RegExp[]>> = {
  DoubleFree: [FREED_FROM],
  WildFree: [UNKNOWN_POINTER],
  NullFree: [/^NULL pointer free'd$/],
  Overflow: [ALLOCD_AT],
  Underflow: [ALLOCD_AT],
  Realloc: [FREED_FROM, UNKNOWN_POINTER],
  Strdup: [/^strdup\(NULL\) called$/],
  LimitFail: [/^(?<wanted>\d+) wanted (?<available>\d+) available$/],
  Fail: [/^(?<wanted>\d+) wanted (?<allocated>\d+) allocated$/],
  AssertTrap: [/^(?<expr>.*)$/],
  VerifyTrap: [/^(?<expr>.*)$/],
  Check: [/^checking (?<tests>.*)$/, /^(?<complete>complete); no errors$/],
  Autocheck: [],
  Internal: [/MW-(?<address>[0-9A-Fa-fXx]+)/],
  Relink: [],
  Mark: [],
};

/** Body shapes that come before the site split (they hold a file(line) elsewhere). */
export const EARLY_SHAPES: Readonly<Record<string, readonly RegExp[]>> = {
  WildPointer: [
    /^<(?<allocN>\d+)> NoMansLand (?<address>\S+) alloc'd at (?<allocFile>.*)\((?<allocLine>-?\d+)\)$/,
    /^<(?<n>\d+)> (?<memType>\S+) memory hit at (?<address>\S+)$/,
  ],
  // Marks left at exit: `mark: ADDR: DESC called from FILE(LINE)[, ...]` (memwatch.md 5.7).
  Mark: [/^(?<address>(?:0[xX])?[0-9A-Fa-f]+|\(nil\)): (?<marks>.*)$/],
};

/** `assert trap: <N> AUTO IGNORED - execution continues` and friends (memwatch.md 5.5). */
export const TRAP_OUTCOME = /^<(?<n>\d+)> (?<outcome>AUTO IGNORED|IGNORED|RETRY) - (?<text>.*)$/;

/** A shape compiled for speed: named groups turned positional, with their names in order. */
interface Shape {
  re: RegExp;
  names: readonly string[];
}

const NAMED_GROUP = /\(\?<([A-Za-z_$][\w$]*)>/g;

/**
 * Reading `groups` builds a dictionary object per match, and spreading it was most of the time
 * of an event line (profiled), so the groups are made positional once and copied by index.
 */
function compile(re: RegExp): Shape {
  const names = [...re.source.matchAll(NAMED_GROUP)].map((m) => m[1] ?? "");
  return { re: new RegExp(re.source.replace(NAMED_GROUP, "("), re.flags), names };
}

function compileAll(table: Readonly<Record<string, readonly RegExp[]>>): Map<string, Shape[]> {
  return new Map(Object.entries(table).map(([kind, list]) => [kind, list.map(compile)]));
}

const SITED = compileAll(SITED_SHAPES);
const EARLY = compileAll(EARLY_SHAPES);

/**
 * The shape's groups added to `into`, or undefined when it does not match. A shape without
 * named groups never counts as a match (it adds nothing; the next shape is tried).
 */
function applyShape(
  shape: Shape,
  text: string,
  into: Record<string, string | undefined>,
): Record<string, string | undefined> | undefined {
  if (shape.names.length === 0) return undefined;
  const m = shape.re.exec(text);
  if (m === null) return undefined;
  shape.names.forEach((name, i) => (into[name] = m[i + 1]));
  return into;
}

/** Applies a kind's shapes to a body: the site and the first matching shape's groups. */
export function parseBody(kind: string, body: string): Record<string, string | undefined> {
  for (const shape of EARLY.get(kind) ?? []) {
    const fields = applyShape(shape, body, {});
    if (fields !== undefined) return fields;
  }
  const shapes = SITED.get(kind);
  const site = shapes === undefined ? undefined : splitSite(body, kind !== "Mark");
  if (shapes === undefined || site === undefined) return { text: body };
  const detail = site["detail"] ?? "";
  for (const shape of shapes) if (applyShape(shape, detail, site) !== undefined) break;
  return site;
}
