/**
 * Field extraction for MEMWATCH message bodies (the text after `KIND: `). Syntax only: every
 * value stays a string, named after memwatch.md's grammar. Every expression is anchored and has
 * at most one unbounded wildcard, so matching stays linear in the line length.
 */

/** Named fields of one line; absent when the line does not show them. */
export type Fields = Readonly<Record<string, string | undefined>>;

/** `<N> ` at the start of a body: MEMWATCH's operation counter (or an allocation number). */
const COUNTER = /^<(\d{1,20})> /;

/**
 * The end of `FILE(LINE)`: FILE may hold `(`, `)` and spaces (memwatch.md 4, pitfall 7), so the
 * site ends at the first `(digits)` followed by the separator (`, `, `: ` for `internal: ...
 * pointer ... is invalid`, ` ` for `relink:`/`autocheck:`) or by the end of the line.
 */
const SITE_END = /\((-?\d{1,10})\)(, |: | |$)/g;

/**
 * Splits `[<N> ]FILE(LINE)SEP DETAIL`; undefined when the body has no site. Without `<N>` a body
 * like `mwFreeUp(12) reported success` would pass for a site, so only `mark:` may omit it.
 */
export function splitSite(body: string, requireCounter = true): Record<string, string> | undefined {
  const counter = COUNTER.exec(body);
  if (counter === null && requireCounter) return undefined;
  const start = counter === null ? 0 : counter[0].length;
  SITE_END.lastIndex = start;
  const end = SITE_END.exec(body);
  if (end === null || end.index === start) return undefined;
  const fields: Record<string, string> = {
    file: body.slice(start, end.index),
    line: end[1] ?? "",
    sep: end[2] ?? "",
    detail: body.slice(end.index + end[0].length),
  };
  if (counter !== null) fields["n"] = counter[1] ?? "";
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

/** Applies a kind's shapes to a body; undefined when nothing matched. */
export function parseBody(kind: string, body: string): Fields | undefined {
  for (const re of EARLY_SHAPES[kind] ?? []) {
    const m = re.exec(body);
    if (m?.groups !== undefined) return { ...m.groups };
  }
  const shape = SITED_SHAPES[kind];
  const site = shape === undefined ? undefined : splitSite(body, kind !== "Mark");
  if (shape === undefined || site === undefined) return { text: body };
  for (const re of shape) {
    const m = re.exec(site["detail"] ?? "");
    if (m?.groups !== undefined) return { ...site, ...m.groups };
  }
  return site;
}
