import type { Frame, RegisteredDiagnostic } from "../../model/index.js";
import {
  parseTypedLines,
  templateMatch,
  type SanitizerFileRules,
  type TypedLine,
} from "./sanitizer-lines.js";

export { templateMatch } from "./sanitizer-lines.js";

/**
 * LeakSanitizer suppression files (`LSAN_OPTIONS=suppressions=FILE`): one `leak:PATTERN` per
 * line (see sanitizer-lines.ts); the wording of the rules is in LLVM's LeakSanitizer
 * documentation.
 */

/** One `leak:` entry ("leak" is the only type LeakSanitizer accepts). */
export type LsanSuppression = TypedLine<"leak">;

/** The entries of a file and what was wrong with it (file and line on every problem). */
export interface LsanSuppressionFile {
  suppressions: LsanSuppression[];
  problems: RegisteredDiagnostic[];
}

const LSAN_RULES: SanitizerFileRules<"leak"> = {
  types: ["leak"],
  unknownType: (type) => `unknown suppression type "${type}": LeakSanitizer only reads "leak:"`,
  matchesAll: "every leak",
  tool: "LSan",
};

/**
 * Parses a LeakSanitizer suppression file (see parseTypedLines): every malformed line is an
 * error diagnostic, and the rest of the file is still read.
 */
export function parseLsanSuppressions(text: string, path = "<suppressions>"): LsanSuppressionFile {
  const { entries, problems } = parseTypedLines(text, path, LSAN_RULES);
  return { suppressions: entries, problems };
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
