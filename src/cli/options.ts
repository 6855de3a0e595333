import { parseArgs } from "node:util";
import { z } from "zod";
import { inputFormatIds } from "../formats/index.js";
import { FormatId } from "../model/index.js";
import { REPORTERS } from "../report/index.js";
import { UsageError } from "./errors.js";

/** `summarize` options after validation; defaults live here, not in the code that uses them. */
export const SummarizeOptions = z.object({
  inputs: z.array(z.string()).min(1, "no input: give log files, globs, or - for standard input"),
  format: z.enum(Object.keys(REPORTERS) as [string, ...string[]]).default("text"),
  output: z.string().optional(),
  inputFormat: z.union([FormatId, z.literal("auto")]).default("auto"),
  failOn: z.array(z.string()).default([]),
  maxBytes: z.record(z.string(), z.number().int().nonnegative()).default({}),
  top: z.coerce.number().int().positive().default(20),
  sourceRoot: z.string().optional(),
});
export type SummarizeOptions = z.infer<typeof SummarizeOptions>;

const ARG_SPEC = {
  format: { type: "string", short: "f" },
  output: { type: "string", short: "o" },
  "input-format": { type: "string" },
  "fail-on": { type: "string", multiple: true },
  "max-bytes": { type: "string", multiple: true },
  top: { type: "string" },
  "source-root": { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "V" },
} as const;

export type ParsedCommandLine =
  | { command: "help" }
  | { command: "version" }
  | { command: "summarize"; options: SummarizeOptions };

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
    throw new UsageError("bad-option", (error as Error).message.split("\n")[0] ?? "bad option");
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { command: "help" };
  if (values.version === true) return { command: "version" };
  const [command, ...inputs] = positionals;
  if (command === undefined) return { command: "help" };
  if (command !== "summarize")
    throw new UsageError("bad-option", `unknown command "${command}" (try --help)`);
  const result = SummarizeOptions.safeParse({
    inputs,
    format: values.format,
    output: values.output,
    inputFormat: values["input-format"],
    failOn: (values["fail-on"] ?? [])
      .flatMap((v) => v.split(","))
      .map((v) => v.trim())
      .filter((v) => v !== ""),
    maxBytes: parseMaxBytes(values["max-bytes"] ?? []),
    top: values.top,
    sourceRoot: values["source-root"],
  });
  if (!result.success) throw new UsageError("bad-option", describeIssue(result.error));
  return { command: "summarize", options: result.data };
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

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return "bad options";
  const option =
    issue.path[0] === "inputs"
      ? ""
      : `--${String(issue.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: `;
  if (issue.code === "invalid_value" || issue.code === "invalid_union") {
    const choices =
      issue.path[0] === "inputFormat" ? ["auto", ...inputFormatIds()] : Object.keys(REPORTERS);
    return `${option}expected one of ${choices.join(", ")}`;
  }
  return `${option}${issue.message}`;
}
