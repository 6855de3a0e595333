import { parseArgs } from "node:util";
import { z } from "zod";
import { DEFAULT_FINGERPRINT_OPTIONS } from "../analysis/fingerprint.js";
import { failOnProblem, maxBytesProblem } from "../analysis/gate-rules.js";
import { inputFormatIds } from "../formats/index.js";
import { FormatId } from "../model/index.js";
import { REPORTERS } from "../report/index.js";
import { UsageError } from "./errors.js";

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
 * What a group's stack fingerprint takes in (`--fingerprint-frames`, `--fingerprint-lines`).
 * Baselines and merged reports are re-fingerprinted with the same choice, so they compare.
 */
const Fingerprint = z.object({
  frames: z.coerce
    .number("expected a whole number of frames")
    .int("expected a whole number of frames")
    .positive("expected at least 1 frame")
    .default(DEFAULT_FINGERPRINT_OPTIONS.frames),
  lines: z.boolean().default(DEFAULT_FINGERPRINT_OPTIONS.lines),
});

/** `summarize` options after validation; defaults live here, not in the code that uses them. */
export const SummarizeOptions = z.object({
  inputs: Inputs,
  format: z.enum(Object.keys(REPORTERS) as [string, ...string[]]).default("text"),
  output: z.string().optional(),
  inputFormat: InputFormatChoice,
  failOn: FailOn,
  maxBytes: z.record(checked(maxBytesProblem), z.number().int().nonnegative()).default({}),
  top: z.coerce
    .number("expected a whole number")
    .int("expected a whole number")
    .positive("expected at least 1")
    .default(20),
  sourceRoot: z.string().optional(),
  /** `--path-map FROM=TO`: build-machine path prefixes rewritten in frames before reporting. */
  pathMap: z.array(z.object({ from: z.string().min(1), to: z.string() })).default([]),
  /** A previous report (`--format json`) to mark groups new, unchanged or fixed against. */
  baseline: z.string().optional(),
  /** Valgrind or LeakSanitizer suppression files applied to the parsed records. */
  suppressions: z.array(z.string()).default([]),
  /**
   * Records listed in the report's `leaks` and `errors` (each); the rest still count in groups
   * and totals. Bounds memory on gigabyte logs; 0 lists every record.
   */
  maxRecords: z.coerce
    .number("expected a whole number")
    .int("expected a whole number")
    .nonnegative("expected 0 (all) or more")
    .default(10_000),
  fingerprint: Fingerprint,
  allowEmpty: AllowEmpty,
});
export type SummarizeOptions = z.infer<typeof SummarizeOptions>;

const DIFF_USAGE = "diff needs two inputs: the old JSON report, then the new report or logs";

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

/** Every option the CLI parses (also read by the README's test, which keeps the README in step). */
export const ARG_SPEC = {
  format: { type: "string", short: "f" },
  output: { type: "string", short: "o" },
  "input-format": { type: "string" },
  "fail-on": { type: "string", multiple: true },
  "max-bytes": { type: "string", multiple: true },
  top: { type: "string" },
  "source-root": { type: "string" },
  "path-map": { type: "string", multiple: true },
  baseline: { type: "string" },
  suppressions: { type: "string", multiple: true },
  "max-records": { type: "string" },
  "fingerprint-frames": { type: "string" },
  "fingerprint-lines": { type: "boolean" },
  for: { type: "string" },
  "allow-empty": { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "V" },
} as const;

type ArgValues = ReturnType<typeof parseArgs<{ options: typeof ARG_SPEC }>>["values"];

/** Which options each command takes; `help` and `version` go with any. */
export const COMMAND_OPTIONS: Readonly<Record<string, readonly (keyof typeof ARG_SPEC)[]>> = {
  summarize: [
    "format",
    "output",
    "input-format",
    "fail-on",
    "max-bytes",
    "top",
    "source-root",
    "path-map",
    "baseline",
    "suppressions",
    "max-records",
    "fingerprint-frames",
    "fingerprint-lines",
    "allow-empty",
  ],
  diff: [
    "format",
    "output",
    "input-format",
    "fail-on",
    "suppressions",
    "fingerprint-frames",
    "fingerprint-lines",
    "allow-empty",
  ],
  suppressions: ["for", "output", "input-format", "allow-empty"],
};

export type ParsedCommandLine =
  | { command: "help" }
  | { command: "version" }
  | { command: "summarize"; options: SummarizeOptions }
  | { command: "diff"; options: DiffOptions }
  | { command: "suppressions"; options: SuppressionsOptions };

/** argv (without node and the script) -> a validated command. Throws UsageError on misuse. */
export function parseCommandLine(argv: readonly string[]): ParsedCommandLine {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: ARG_SPEC,
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    const first = (error as Error).message.split("\n")[0] ?? "bad option";
    // `--top -1`: parseArgs takes -1 for an option and calls the argument ambiguous.
    const ambiguous = /^Option '(--[\w-]+)[^']*' argument is ambiguous/.exec(first);
    const message =
      ambiguous !== null
        ? `${ambiguous[1]}: a value starting with "-" is given as ${ambiguous[1]}=VALUE`
        : first;
    throw new UsageError("bad-option", message);
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { command: "help" };
  if (values.version === true) return { command: "version" };
  const [command, ...inputs] = positionals;
  if (command === undefined) return { command: "help" };
  const allowed = COMMAND_OPTIONS[command];
  if (allowed === undefined)
    throw new UsageError("bad-option", `unknown command "${command}" (try --help)`);
  for (const name of Object.keys(values)) {
    if (!(allowed as readonly string[]).includes(name))
      throw new UsageError("bad-option", `--${name} is not an option of ${command} (try --help)`);
  }
  if (command === "diff")
    return { command, options: validate(DiffOptions, diffInput(values, inputs)) };
  if (command === "suppressions") {
    const raw = {
      inputs,
      for: values.for,
      output: values.output,
      inputFormat: values["input-format"],
      allowEmpty: values["allow-empty"],
    };
    return { command, options: validate(SuppressionsOptions, raw) };
  }
  return {
    command: "summarize",
    options: validate(SummarizeOptions, summarizeInput(values, inputs)),
  };
}

function summarizeInput(values: ArgValues, inputs: string[]): Record<string, unknown> {
  return {
    inputs,
    format: values.format,
    output: values.output,
    inputFormat: values["input-format"],
    failOn: failOnValues(values["fail-on"], values.baseline !== undefined),
    maxBytes: parseMaxBytes(values["max-bytes"] ?? []),
    top: values.top,
    sourceRoot: values["source-root"],
    pathMap: parsePathMap(values["path-map"] ?? []),
    baseline: values.baseline,
    suppressions: values.suppressions ?? [],
    maxRecords: values["max-records"],
    fingerprint: fingerprintInput(values),
    allowEmpty: values["allow-empty"],
  };
}

function diffInput(values: ArgValues, positionals: string[]): Record<string, unknown> {
  const [baseline, ...inputs] = positionals;
  return {
    baseline,
    inputs,
    format: values.format,
    output: values.output,
    inputFormat: values["input-format"],
    failOn: failOnValues(values["fail-on"], true),
    suppressions: values.suppressions ?? [],
    fingerprint: fingerprintInput(values),
    allowEmpty: values["allow-empty"],
  };
}

function fingerprintInput(values: ArgValues): Record<string, unknown> {
  return { frames: values["fingerprint-frames"], lines: values["fingerprint-lines"] };
}

function validate<T extends z.ZodType>(schema: T, raw: Record<string, unknown>): z.infer<T> {
  const result = schema.safeParse(raw);
  if (!result.success) throw new UsageError("bad-option", describeIssue(result.error));
  return result.data;
}

/**
 * `--fail-on a,b --fail-on c` -> [a, b, c]. A gate that names nothing is refused, as is `new`
 * with nothing to compare against: `--fail-on "$KINDS"` with an empty variable, or a baseline
 * step that did not run, would otherwise turn the gate off without a word.
 */
function failOnValues(values: readonly string[] | undefined, hasBaseline: boolean): string[] {
  if (values === undefined) return [];
  const list = values
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v !== "");
  if (list.length === 0) {
    throw new UsageError(
      "bad-option",
      "--fail-on: no value (give leak kinds, error kinds, severities, any or new)",
    );
  }
  if (list.includes("new") && !hasBaseline) {
    throw new UsageError(
      "bad-option",
      "--fail-on new needs --baseline OLD.json: without one no group is new",
    );
  }
  return list;
}

function parseMaxBytes(values: readonly string[]): Record<string, number> {
  const limits: Record<string, number> = {};
  for (const value of values) {
    const m = /^([\w-]+)=(\d+)$/.exec(value);
    if (m === null)
      throw new UsageError("bad-option", `--max-bytes wants KIND=BYTES, got "${value}"`);
    limits[m[1] as string] = Number(m[2]);
  }
  return limits;
}

function parsePathMap(values: readonly string[]): { from: string; to: string }[] {
  return values.map((value) => {
    // Split at the first `=`: build paths rarely hold one, and TO may then keep any.
    const at = value.indexOf("=");
    if (at <= 0) throw new UsageError("bad-option", `--path-map wants FROM=TO, got "${value}"`);
    return { from: value.slice(0, at), to: value.slice(at + 1) };
  });
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return "bad options";
  // Nested options are flags of their own: fingerprint.frames is --fingerprint-frames.
  const key = issue.path[0] === "fingerprint" ? issue.path.join("-") : String(issue.path[0]);
  if (issue.message === DIFF_USAGE) return issue.message;
  const option =
    key === "inputs" ? "" : `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: `;
  // A record key's own objection (`--max-bytes definately-lost=0`) is nested in the issue.
  if (issue.code === "invalid_key") return `${option}${issue.issues[0]?.message ?? issue.message}`;
  if (issue.code === "invalid_value" || issue.code === "invalid_union") {
    const choices =
      key === "inputFormat"
        ? ["auto", ...inputFormatIds()]
        : "values" in issue
          ? issue.values.map(String)
          : Object.keys(REPORTERS);
    return `${option}expected one of ${choices.join(", ")}`;
  }
  return `${option}${issue.message}`;
}
