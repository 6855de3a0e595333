import type { DiagnosticCode, RegisteredDiagnostic } from "../../model/index.js";

/**
 * The suppression files of the sanitizers (`LSAN_OPTIONS=suppressions=FILE`, and TSan's): one
 * `type:PATTERN` per line, `#` comments, blank lines. Parsing and matching follow compiler-rt's
 * sanitizer_suppressions.cpp (SuppressionContext::Parse) and sanitizer_common.cpp
 * (TemplateMatch); each tool accepts its own types and dies on any other.
 */

/** One entry: its type, its template as written after the colon, its 1-based line. */
export interface TypedLine<Type extends string> {
  type: Type;
  /** The template as written after the colon (trailing blanks removed, nothing else). */
  pattern: string;
  line: number;
}

/** What a tool's file may hold, and how its problems are worded. */
export interface SanitizerFileRules<Type extends string> {
  /** The types the tool reads. */
  types: readonly Type[];
  /** The error for an unknown type: `LeakSanitizer only reads "leak:"`. */
  unknownType: (type: string) => string;
  /** What an empty pattern suppresses: `every leak`. */
  matchesAll: string;
  /** The tool's short name, in the leading-blank warning: `LSan`. */
  tool: string;
}

/**
 * Reads a sanitizer suppression file. The sanitizers die on the first malformed line ("failed
 * to parse suppressions"); here every malformed line becomes an error diagnostic and the rest of
 * the file is still read. Entries the tool accepts but that are probably mistakes (an empty
 * pattern suppresses everything of its type; `leak: x` keeps the space) give warnings.
 */
export function parseTypedLines<Type extends string>(
  text: string,
  path: string,
  rules: SanitizerFileRules<Type>,
): { entries: TypedLine<Type>[]; problems: RegisteredDiagnostic[] } {
  const entries: TypedLine<Type>[] = [];
  const problems: RegisteredDiagnostic[] = [];
  const problem = (
    severity: "error" | "warning",
    line: number,
    code: DiagnosticCode,
    message: string,
  ) => problems.push({ severity, code, message, path, line });
  const expected = rules.types.map((t) => `"${t}:PATTERN"`).join(" or ");
  text.split("\n").forEach((raw, index) => {
    const line = index + 1;
    // Leading blanks are skipped, trailing blanks and CR cut, as SuppressionContext::Parse does.
    const entry = withoutTrailingBlanks(raw.replace(/^[ \t]+/, ""));
    if (entry === "" || entry.startsWith("#")) return;
    const colon = entry.indexOf(":");
    if (colon === -1) {
      problem(
        "error",
        line,
        "bad-suppression",
        `expected ${expected}, found ${JSON.stringify(entry)}`,
      );
      return;
    }
    const type = entry.slice(0, colon);
    const pattern = entry.slice(colon + 1);
    if (!(rules.types as readonly string[]).includes(type)) {
      problem("error", line, "bad-suppression", rules.unknownType(type));
      return;
    }
    if (pattern === "")
      problem(
        "warning",
        line,
        "suppression-matches-all",
        `empty pattern: it suppresses ${rules.matchesAll}`,
      );
    else if (/^\s/.test(pattern)) {
      problem(
        "warning",
        line,
        "suppression-leading-space",
        `pattern ${JSON.stringify(pattern)} starts with a blank, which ${rules.tool} keeps`,
      );
    }
    entries.push({ type: type as Type, pattern, line });
  });
  return { entries, problems };
}

/**
 * The type of a file's first entry (`leak`, `race`) and its line; undefined when the file has
 * no entry or its first is no `type:` line (a Valgrind file opens with `{`).
 */
export function firstEntryType(text: string): { type: string; line: number } | undefined {
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i += 1) {
    const line = (lines[i] as string).trim();
    if (line === "" || line.startsWith("#")) continue;
    const type = /^([a-z_]+):/.exec(line)?.[1];
    return type === undefined ? undefined : { type, line: i + 1 };
  }
  return undefined;
}

/**
 * compiler-rt's TemplateMatch: the pattern is a substring to find, `*` matches any run of
 * characters, a leading `^` anchors at the start and a `$` at the end. An empty name never
 * matches; an empty pattern matches every name.
 */
export function templateMatch(pattern: string, name: string | undefined): boolean {
  if (name === undefined || name === "") return false;
  let templ = pattern;
  let start = false;
  if (templ.startsWith("^")) {
    start = true;
    templ = templ.slice(1);
  }
  let str = name;
  let asterisk = false;
  while (templ !== "") {
    if (templ.startsWith("*")) {
      templ = templ.slice(1);
      start = false;
      asterisk = true;
      continue;
    }
    if (templ.startsWith("$")) return str === "" || asterisk;
    if (str === "") return false;
    const end = nextSpecial(templ);
    const piece = templ.slice(0, end);
    const at = str.indexOf(piece);
    if (at === -1 || (start && at !== 0)) return false;
    str = str.slice(at + piece.length);
    templ = templ.slice(end);
    start = false;
    asterisk = false;
  }
  return true;
}

function nextSpecial(templ: string): number {
  const star = templ.indexOf("*");
  const dollar = templ.indexOf("$");
  if (star === -1) return dollar === -1 ? templ.length : dollar;
  return dollar === -1 ? star : Math.min(star, dollar);
}

/**
 * The text without its trailing spaces, TABs and CRs, cut by a loop: `/[ \t\r]+$/` restarts at
 * every blank of a run that ends in something else, time quadratic in a hostile line.
 */
function withoutTrailingBlanks(text: string): string {
  let end = text.length;
  for (let c = text.charCodeAt(end - 1); c === 32 || c === 9 || c === 13;) {
    end -= 1;
    c = text.charCodeAt(end - 1);
  }
  return text.slice(0, end);
}
