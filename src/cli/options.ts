import { z } from "zod";
import { DEFAULT_FINGERPRINT_OPTIONS } from "../analysis/fingerprint.js";
import { failOnProblem, maxBytesProblem } from "../analysis/gate-rules.js";
import { FormatId } from "../model/index.js";
import { REPORTERS } from "../report/index.js";

const Inputs = z
  .array(z.string())
  .min(1, "no input: give log files, globs, or - for standard input");
const InputFormatChoice = z.union([FormatId, z.literal("auto")]).default("auto");
/** `--allow-empty`: empty logs (clean `valgrind -q` runs, as ctest leaves them) are clean runs. */
const AllowEmpty = z.boolean().default(false);

/** A string that `problem` accepts; its objection is the usage error's message. */
function checked(problem: (value: string) => string | undefined): z.ZodType<string> {
  return z.string().superRefine((value, ctx) => {
    const message = problem(value);
    if (message !== undefined) ctx.addIssue({ code: "custom", message });
  });
}
const FailOn = z.array(checked(failOnProblem)).default([]);

/**
 * A number option as typed, in decimal digits: coercion took `0x2`, `1e1` and an empty value
 * (`--max-records "$N"` unset: every record) as numbers.
 */
function decimal<T extends z.ZodType>(schema: T) {
  // Blanks around it (`wc -l` on macOS pads) and a sign are as a number's.
  return z.preprocess((v) => {
    const text = typeof v === "string" ? v.trim() : undefined;
    return text !== undefined && /^[-+]?\d+$/.test(text) ? Number(text) : v;
  }, schema);
}

/**
 * What a group's stack fingerprint takes in (`--fingerprint-frames`, `--fingerprint-lines`).
 * Baselines and merged reports are re-fingerprinted with the same choice, so they compare.
 */
const Fingerprint = z.object({
  frames: decimal(
    z
      .number("expected a whole number of frames")
      .int("expected a whole number of frames")
      .positive("expected at least 1 frame"),
  ).default(DEFAULT_FINGERPRINT_OPTIONS.frames),
  lines: z.boolean().default(DEFAULT_FINGERPRINT_OPTIONS.lines),
});

/** Records listed of each type by default (`--max-records`): memory stays bounded. */
export const DEFAULT_MAX_RECORDS = 10_000;

/** `summarize` options after validation; defaults live here, not in the code that uses them. */
export const SummarizeOptions = z.object({
  inputs: Inputs,
  format: z.enum(Object.keys(REPORTERS) as [string, ...string[]]).default("text"),
  output: z.string().optional(),
  inputFormat: InputFormatChoice,
  failOn: FailOn,
  maxBytes: z
    .record(
      checked(maxBytesProblem),
      z.number().int("expected a whole number of bytes, at most 9007199254740991").nonnegative(),
    )
    .default({}),
  top: decimal(
    z
      .number("expected a whole number")
      .int("expected a whole number")
      .positive("expected at least 1"),
  ).default(20),
  sourceRoot: z.string().optional(),
  /** `--path-map FROM=TO`: build-machine path prefixes rewritten in frames before reporting. */
  pathMap: z.array(z.object({ from: z.string().min(1), to: z.string() })).default([]),
  /** `--alloc-fn NAME`: the program's own allocation wrappers, shown and placed as the allocator. */
  allocFns: z.array(z.string().min(1, "expected a function name or glob")).default([]),
  /** A previous report (`--format json`) to mark groups new, unchanged or fixed against. */
  baseline: z.string().optional(),
  /** Valgrind or LeakSanitizer suppression files applied to the parsed records. */
  suppressions: z.array(z.string()).default([]),
  /**
   * Records listed in the report's `leaks` and `errors` (each); the rest still count in groups
   * and totals. Bounds memory on gigabyte logs; 0 lists every record.
   */
  maxRecords: decimal(
    z
      .number("expected a whole number")
      .int("expected a whole number")
      .nonnegative("expected 0 (all) or more"),
  ).default(DEFAULT_MAX_RECORDS),
  fingerprint: Fingerprint,
  allowEmpty: AllowEmpty,
  /**
   * `--job-name NAME`: the CI job whose logs these are, for Code Quality (see
   * ReportContext.jobName). Empty is refused: `--job-name "$CI_JOB_NAME"` with the variable
   * unset would quietly let parallel jobs' issues merge again.
   */
  jobName: z.string().min(1, 'empty: give the CI job\'s name (GitLab: "$CI_JOB_NAME")').optional(),
});
export type SummarizeOptions = z.infer<typeof SummarizeOptions>;

/** The usage error of a diff without both inputs, shown as it is (see describeIssue). */
export const DIFF_USAGE = "diff needs two inputs: the old JSON report, then the new report or logs";

/** `diff OLD NEW...`: the old report, the new inputs, and how to print the comparison. */
export const DiffOptions = z.object({
  baseline: z.string(DIFF_USAGE),
  inputs: z.array(z.string()).min(1, DIFF_USAGE),
  format: z.enum(["text", "json"]).default("text"),
  output: z.string().optional(),
  inputFormat: InputFormatChoice,
  failOn: FailOn,
  suppressions: z.array(z.string()).default([]),
  fingerprint: Fingerprint,
  allowEmpty: AllowEmpty,
});
export type DiffOptions = z.infer<typeof DiffOptions>;

/** `suppressions FILES`: which tool's suppression syntax to write. */
export const SuppressionsOptions = z.object({
  inputs: Inputs,
  for: z.enum(["valgrind", "lsan"]).default("valgrind"),
  output: z.string().optional(),
  inputFormat: InputFormatChoice,
  allowEmpty: AllowEmpty,
});
export type SuppressionsOptions = z.infer<typeof SuppressionsOptions>;
