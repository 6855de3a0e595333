import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { summarize } from "../api/summarize.js";
import { applyPathMap } from "../analysis/paths.js";
import { REPORTERS } from "../report/index.js";
import { VERSION } from "../version.js";
import { UsageError } from "./errors.js";
import { helpText } from "./help.js";
import { diffCommand } from "./diff.js";
import { loadBaseline, loadInputs, loadSuppressions } from "./load.js";
import { parseCommandLine, type SummarizeOptions } from "./options.js";
import { suppressionsCommand } from "./suppressions.js";
import { readOwnSources } from "./sources.js";

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
    if (parsed.command === "diff") return await diffCommand(parsed.options, io);
    if (parsed.command === "suppressions") return await suppressionsCommand(parsed.options, io);
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
  const baseline =
    options.baseline !== undefined ? await loadBaseline(options.baseline, io) : undefined;
  const suppressions = await loadSuppressions(options.suppressions, io);
  const results = await loadInputs(options.inputs, options.inputFormat, io);
  if (results.every((r) => r.fatal !== undefined)) return 2;
  const gated = options.failOn.length > 0 || Object.keys(options.maxBytes).length > 0;
  const summary = summarize(results, {
    ...(gated ? { gate: { failOn: options.failOn, maxBytes: options.maxBytes } } : {}),
    ...(baseline !== undefined ? { baseline } : {}),
    ...(suppressions.length > 0 ? { suppressions } : {}),
  });
  const report = applyPathMap(summary, options.pathMap);
  const toFile = options.output !== undefined;
  const color =
    !toFile &&
    io.stdout.isTTY === true &&
    io.env["NO_COLOR"] === undefined &&
    options.format === "text";
  // Only the HTML report shows source lines; reading them here keeps reporters free of I/O.
  const sources =
    options.format === "html" && options.sourceRoot !== undefined
      ? { sources: await readOwnSources(report, resolve(io.cwd, options.sourceRoot)) }
      : {};
  const text = REPORTERS[options.format as keyof typeof REPORTERS].render(report, {
    color,
    top: options.top,
    ...sourceRootOf(options, io),
    ...sources,
  });
  if (options.output !== undefined) await writeFile(resolve(io.cwd, options.output), text);
  else io.stdout.write(text);
  if (results.some((r) => r.fatal !== undefined)) return 2;
  return report.gate?.failed === true ? 1 : 0;
}

/**
 * The source root for the reporters: `--source-root`, or the working directory for formats that
 * write paths relative to it (SARIF, Code Quality), where no root would mean no locations.
 */
function sourceRootOf(options: SummarizeOptions, io: CliIO): { sourceRoot?: string } {
  const relative = REPORTERS[options.format as keyof typeof REPORTERS].relativePaths === true;
  if (options.sourceRoot !== undefined) return { sourceRoot: resolve(io.cwd, options.sourceRoot) };
  return relative ? { sourceRoot: resolve(io.cwd) } : {};
}
