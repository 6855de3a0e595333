import { parseArgs } from "node:util";
import type { z } from "zod";
import { inputFormatIds } from "../formats/index.js";
import { REPORTERS } from "../report/index.js";
import { UsageError } from "./errors.js";
import { DIFF_USAGE, DiffOptions, SummarizeOptions, SuppressionsOptions } from "./options.js";

/*
 * argv -> a validated command: which options exist and which command takes which, read with
 * parseArgs, then checked against the schemas of options.ts; misuse throws a UsageError.
 */

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
  "alloc-fn": { type: "string", multiple: true },
  baseline: { type: "string" },
  suppressions: { type: "string", multiple: true },
  "max-records": { type: "string" },
  "fingerprint-frames": { type: "string" },
  "fingerprint-lines": { type: "boolean" },
  for: { type: "string" },
  "allow-empty": { type: "boolean" },
  "job-name": { type: "string" },
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
    "alloc-fn",
    "baseline",
    "suppressions",
    "max-records",
    "fingerprint-frames",
    "fingerprint-lines",
    "allow-empty",
    "job-name",
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
  | { command: "usage" }
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
  // No command at all is a script's mistake (an empty variable): usage on stderr, exit 2.
  if (command === undefined) return { command: "usage" };
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
      output: outputOf(values),
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
    output: outputOf(values),
    inputFormat: values["input-format"],
    failOn: failOnValues(values["fail-on"], values.baseline !== undefined),
    maxBytes: parseMaxBytes(values["max-bytes"] ?? []),
    top: values.top,
    sourceRoot: values["source-root"],
    pathMap: parsePathMap(values["path-map"] ?? []),
    allocFns: values["alloc-fn"] ?? [],
    baseline: values.baseline,
    suppressions: values.suppressions ?? [],
    maxRecords: values["max-records"],
    fingerprint: fingerprintInput(values),
    allowEmpty: values["allow-empty"],
    jobName: values["job-name"],
  };
}

function diffInput(values: ArgValues, positionals: string[]): Record<string, unknown> {
  const [baseline, ...inputs] = positionals;
  return {
    baseline,
    inputs,
    format: values.format,
    output: outputOf(values),
    inputFormat: values["input-format"],
    failOn: failOnValues(values["fail-on"], true),
    suppressions: values.suppressions ?? [],
    fingerprint: fingerprintInput(values),
    allowEmpty: values["allow-empty"],
  };
}

/** `--output -` is standard output, as `-` is standard input among the inputs. */
function outputOf(values: ArgValues): string | undefined {
  return values.output === "-" ? undefined : values.output;
}

function fingerprintInput(values: ArgValues): Record<string, unknown> {
  return { frames: values["fingerprint-frames"], lines: values["fingerprint-lines"] };
}

function validate<T extends z.ZodType>(schema: T, raw: Record<string, unknown>): z.infer<T> {
  const result = schema.safeParse(raw);
  if (!result.success) throw new UsageError("bad-option", describeIssue(result.error, raw));
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
    const [kind, bytes] = [m[1] as string, Number(m[2])];
    // A CI template's limit and a looser one added later: the last silently turned it off.
    const earlier = limits[kind];
    if (earlier !== undefined && earlier !== bytes) {
      throw new UsageError(
        "bad-option",
        `--max-bytes ${kind} given twice (${earlier} and ${bytes}): give each kind one limit`,
      );
    }
    limits[kind] = bytes;
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

function describeIssue(error: z.ZodError, raw: Record<string, unknown>): string {
  // An option's own objection first: in `--format a.txt` the missing input is the symptom.
  const issue = error.issues.find((i) => i.path[0] !== "inputs") ?? error.issues[0];
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
    // The value as given, so that a typo in a CI variable shows.
    const given = issue.path.reduce<unknown>(
      (at, step) => (at as Record<PropertyKey, unknown> | undefined)?.[step],
      raw,
    );
    const what = typeof given === "string" ? `"${given}" is no choice; ` : "";
    return `${option}${what}expected one of ${choices.join(", ")}`;
  }
  return `${option}${issue.message}`;
}
