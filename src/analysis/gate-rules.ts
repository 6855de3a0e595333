import { KNOWN_ERROR_KINDS } from "../model/index.js";
import { RECORD_LEAK_KINDS } from "./memcheck-kinds.js";

/** The severities a `--fail-on` rule may name (`none` marks findings no rule fails on). */
export const GATE_SEVERITIES = ["error", "warning", "note"] as const;

/**
 * The leak kinds a rule may name. `suppressed` is none of them: every rule leaves suppressed
 * findings out (that is what suppressing means), so `--fail-on suppressed` and `--max-bytes
 * suppressed=0` were taken and could never fail, a gate silently off.
 */
const LEAK_KINDS: readonly string[] = RECORD_LEAK_KINDS;
const SUPPRESSED =
  '"suppressed" cannot be gated: suppressed findings are left out of every rule (remove the suppression to gate on its findings)';
const FAIL_ON_WORDS: readonly string[] = [
  ...LEAK_KINDS,
  ...GATE_SEVERITIES,
  "any",
  "new",
  "incomplete",
  ...KNOWN_ERROR_KINDS,
];

/**
 * Why a `--fail-on` value matches nothing leaklog can report, or undefined when it is valid.
 * Unknown values are refused, not ignored: `--fail-on definately-lost` once printed "Result:
 * passed" over a log with a definite leak, turning the CI gate off without a word.
 */
export function failOnProblem(rule: string): string | undefined {
  if (rule === "suppressed") return SUPPRESSED;
  if (FAIL_ON_WORDS.includes(rule)) return undefined;
  return (
    `unknown value "${rule}"${didYouMean(rule, FAIL_ON_WORDS)}; expected a leak kind ` +
    `(${LEAK_KINDS.join(", ")}), a severity (${GATE_SEVERITIES.join(", ")}), any, new, incomplete, ` +
    // All ~120 error kinds would bury the line; the README's list is kept whole by a test.
    `or an error kind such as InvalidRead, Race or heap-use-after-free (the README lists them)`
  );
}

/**
 * Throws a RangeError naming the first rule of a library caller's gate that could never match
 * or that makes no sense (the CLI refuses the same rules with a usage message): a gate that
 * silently passes is worse than none.
 */
export function checkGateRules(
  rules: { failOn: readonly string[]; maxBytes?: Readonly<Record<string, number>> },
  hasBaseline: boolean,
): void {
  // A plain-JS caller's `failOn: "any"` iterated as letters, and a missing maxBytes threw a
  // TypeError from deep inside. failOn is required (README: "maxBytes may be left out"), so a
  // caller who wants byte limits alone is told of `[]` (campaign bs Q2).
  if (!Array.isArray(rules.failOn)) {
    throw new RangeError(
      'gate.failOn: an array of rules, such as ["definitely-lost"], or [] for a gate on maxBytes alone',
    );
  }
  const maxBytes: unknown = rules.maxBytes ?? {};
  if (typeof maxBytes !== "object" || maxBytes === null || Array.isArray(maxBytes)) {
    throw new RangeError(
      'gate.maxBytes: an object of byte limits, such as { "definitely-lost": 0 }',
    );
  }
  for (const rule of rules.failOn) {
    const problem = failOnProblem(rule);
    if (problem !== undefined) throw new RangeError(`gate.failOn: ${problem}`);
    if (rule === "new" && !hasBaseline) {
      throw new RangeError('gate.failOn: "new" needs a baseline: without one no group is new');
    }
  }
  for (const [kind, limit] of Object.entries(maxBytes)) {
    const problem = maxBytesProblem(kind);
    if (problem !== undefined) throw new RangeError(`gate.maxBytes: ${problem}`);
    if (!Number.isInteger(limit) || limit < 0) {
      throw new RangeError(`gate.maxBytes: ${kind} needs a whole number of bytes, 0 or more`);
    }
  }
}

/** Why a `--max-bytes` kind is not a leak kind a gate can limit, or undefined when it is one. */
export function maxBytesProblem(kind: string): string | undefined {
  if (kind === "suppressed") return SUPPRESSED;
  if (LEAK_KINDS.includes(kind)) return undefined;
  return `unknown leak kind "${kind}"${didYouMean(kind, LEAK_KINDS)}; expected one of ${LEAK_KINDS.join(", ")}`;
}

/**
 * ` (did you mean InvalidWrite?)` for a case slip or a typo of a letter or two, else "". Short
 * values allow fewer edits, so that `ab` is not taken for `any`.
 */
export function didYouMean(value: string, words: readonly string[]): string {
  const lower = value.toLowerCase();
  const edits = Math.min(2, Math.floor(value.length / 4));
  const near =
    words.find((w) => w.toLowerCase() === lower) ??
    words.find((w) => editDistance(w.toLowerCase(), lower) <= edits);
  return near !== undefined ? ` (did you mean ${near}?)` : "";
}

/** Levenshtein distance; the words are short and few, so the plain two-row table is enough. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(
        substitution,
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}
