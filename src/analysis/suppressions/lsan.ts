import type { DiagnosticCode, Frame, RegisteredDiagnostic } from "../../model/index.js";

/**
 * LeakSanitizer suppression files (`LSAN_OPTIONS=suppressions=FILE`): one `leak:PATTERN` per
 * line, `#` comments, blank lines. Parsing and matching follow compiler-rt's
 * sanitizer_suppressions.cpp (SuppressionContext::Parse) and sanitizer_common.cpp
 * (TemplateMatch); the wording of the rules is in LLVM's LeakSanitizer documentation.
 */

/** One `leak:` entry. */
export interface LsanSuppression {
  /** Always "leak": the only type LeakSanitizer accepts. */
  type: "leak";
  /** The template as written after `leak:` (trailing blanks removed, nothing else). */
  pattern: string;
  /** 1-based line in the suppression file. */
  line: number;
}

/** The entries of a file and what was wrong with it (file and line on every problem). */
export interface LsanSuppressionFile {
  suppressions: LsanSuppression[];
  problems: RegisteredDiagnostic[];
}

/**
 * Parses a LeakSanitizer suppression file. LSan itself dies on the first malformed line
 * ("failed to parse suppressions"); here every malformed line becomes an error diagnostic and
 * the rest of the file is still read. Entries that LSan accepts but that are probably mistakes
 * (an empty pattern suppresses every leak; `leak: x` keeps the space) give warnings.
 */
export function parseLsanSuppressions(text: string, path = "<suppressions>"): LsanSuppressionFile {
  const out: LsanSuppressionFile = { suppressions: [], problems: [] };
  const problem = (
    severity: "error" | "warning",
    line: number,
    code: DiagnosticCode,
    message: string,
  ) => out.problems.push({ severity, code, message, path, line });
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
        `expected "leak:PATTERN", found ${JSON.stringify(entry)}`,
      );
      return;
    }
    const type = entry.slice(0, colon);
    const pattern = entry.slice(colon + 1);
    if (type !== "leak") {
      problem(
        "error",
        line,
        "bad-suppression",
        `unknown suppression type "${type}": LeakSanitizer only reads "leak:"`,
      );
      return;
    }
    if (pattern === "")
      problem(
        "warning",
        line,
        "suppression-matches-all",
        "empty pattern: it suppresses every leak",
      );
    else if (/^\s/.test(pattern)) {
      problem(
        "warning",
        line,
        "suppression-leading-space",
        `pattern ${JSON.stringify(pattern)} starts with a blank, which LSan keeps`,
      );
    }
    out.suppressions.push({ type: "leak", pattern, line });
  });
  return out;
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

/** A leak (or anything with a stack) as the matcher needs it. */
export interface StackHolder {
  stack: readonly Frame[];
}

/**
 * True when `pattern` suppresses the leak under LSan's rules: for every frame of the allocation
 * stack, the frame's module, then its function and source file are matched with templateMatch.
 * Only modules printed in the log are known (`(module+0xOFF)` frames); a symbolized frame's
 * module is not, so a module pattern can miss leaks that LSan itself would suppress.
 */
export function matchesLsanSuppression(pattern: string, record: StackHolder): boolean {
  return record.stack.some((frame) => frameMatches(pattern, frame));
}

/**
 * The first suppression that matches the leak, in LSan's order (GetSuppressionForAddr): frame by
 * frame, the module against every entry first, then the function, then the file.
 */
export function findLsanSuppression(
  suppressions: readonly LsanSuppression[],
  record: StackHolder,
): LsanSuppression | undefined {
  for (const frame of record.stack) {
    for (const name of [frame.object, frame.function, frame.file]) {
      const found = suppressions.find((s) => templateMatch(s.pattern, name));
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function frameMatches(pattern: string, frame: Frame): boolean {
  return (
    templateMatch(pattern, frame.object) ||
    templateMatch(pattern, frame.function) ||
    templateMatch(pattern, frame.file)
  );
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
