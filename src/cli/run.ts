import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parseChunks, parseFile, type ParseResult } from "../api/parse.js";
import { summarize } from "../api/summarize.js";
import { REPORTERS } from "../report/index.js";
import { VERSION } from "../version.js";
import { UsageError } from "./errors.js";
import { helpText } from "./help.js";
import { expandInputs } from "./inputs.js";
import { parseCommandLine, type SummarizeOptions } from "./options.js";

/** The outside world the CLI talks to; tests pass their own. */
export interface CliIO {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
  stdin: AsyncIterable<Uint8Array | string>;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

/** Runs one command line and returns the exit code. The only place that writes. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  try {
    const parsed = parseCommandLine(argv);
    if (parsed.command === "help") {
      io.stdout.write(helpText());
      return 0;
    }
    if (parsed.command === "version") {
      io.stdout.write(`${VERSION}\n`);
      return 0;
    }
    return await summarizeCommand(parsed.options, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`leaklog: ${error.message}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`leaklog: internal error: ${message}\n`);
    return 2;
  }
}

async function summarizeCommand(options: SummarizeOptions, io: CliIO): Promise<number> {
  const paths = await expandInputs(options.inputs);
  const results: ParseResult[] = [];
  for (const [index, path] of paths.entries()) {
    const parseOptions = { inputFormat: options.inputFormat, idPrefix: `${index}:` };
    const result =
      path === "-"
        ? await parseChunks(io.stdin, { ...parseOptions, path: "-" })
        : await parseFile(resolve(io.cwd, path), { ...parseOptions, path });
    if (result.fatal !== undefined) io.stderr.write(`leaklog: ${path}: ${result.fatal.message}\n`);
    results.push(result);
  }
  if (results.every((r) => r.fatal !== undefined)) return 2;
  const gated = options.failOn.length > 0 || Object.keys(options.maxBytes).length > 0;
  const report = summarize(results, {
    ...(gated ? { gate: { failOn: options.failOn, maxBytes: options.maxBytes } } : {}),
  });
  const toFile = options.output !== undefined;
  const color =
    !toFile &&
    io.stdout.isTTY === true &&
    io.env["NO_COLOR"] === undefined &&
    options.format === "text";
  const text = REPORTERS[options.format as keyof typeof REPORTERS].render(report, {
    color,
    top: options.top,
    ...(options.sourceRoot !== undefined
      ? { sourceRoot: resolve(io.cwd, options.sourceRoot) }
      : {}),
  });
  if (options.output !== undefined) await writeFile(resolve(io.cwd, options.output), text);
  else io.stdout.write(text);
  if (results.some((r) => r.fatal !== undefined)) return 2;
  return report.gate?.failed === true ? 1 : 0;
}
