import { resolve } from "node:path";
import type { OwnCode } from "../analysis/own-frames.js";
import { applyPathMap } from "../analysis/paths.js";
import { ambiguousSourceFiles } from "../analysis/source-files.js";
import type { Diagnostic, Report } from "../model/index.js";
import { REPORTERS, type Reporter, type ReportContext } from "../report/index.js";
import { VERSION } from "../version.js";
import { UsageError } from "./errors.js";
import { helpText } from "./help.js";
import { diffCommand } from "./diff.js";
import { collect } from "./collect.js";
import { liveDisplay } from "./live.js";
import { loadBaseline } from "./load.js";
import { loadSuppressions } from "./load-suppressions.js";
import { checkOutputPath, checkSourceRoot } from "./path-checks.js";
import { parseCommandLine } from "./command-line.js";
import type { SummarizeOptions } from "./options.js";
import { suppressionsCommand } from "./suppressions.js";
import { sourceNamesFor } from "./source-names.js";
import { aliasesOf } from "./root-aliases.js";
import { readOwnSources } from "./sources.js";
import { counted, piecesOf, writeText } from "./write-text.js";
import { OutputError, writeOutput } from "./write-output.js";
import { wantsColour } from "./terminal.js";
import { hasSuppressions } from "../analysis/suppressions/suppressor.js";

/** The outside world the CLI talks to; tests pass their own. */
export interface CliIO {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  stdin: AsyncIterable<Uint8Array | string> & { isTTY?: boolean };
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Aborted on Ctrl-C: reading stops and the summary of what was read is printed. */
  interrupted?: AbortSignal;
}

/** Runs one command line and returns the exit code. The only place that writes. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  try {
    const parsed = parseCommandLine(argv);
    if (parsed.command === "help") {
      io.stdout.write(helpText());
      return 0;
    }
    if (parsed.command === "usage") {
      io.stderr.write(helpText());
      return 2;
    }
    if (parsed.command === "version") {
      io.stdout.write(`${VERSION}\n`);
      return 0;
    }
    if (parsed.command === "diff") return await diffCommand(parsed.options, io);
    if (parsed.command === "suppressions") return await suppressionsCommand(parsed.options, io);
    return await summarizeCommand(parsed.options, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof OutputError) {
      io.stderr.write(`leaklog: ${error.message}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`leaklog: internal error: ${message}\n`);
    return 2;
  }
}

async function summarizeCommand(options: SummarizeOptions, io: CliIO): Promise<number> {
  await checkOutputPath(options.output, options.inputs, io.cwd);
  if (options.sourceRoot !== undefined) await checkSourceRoot(options.sourceRoot, io.cwd);
  const baseline =
    options.baseline !== undefined
      ? await loadBaseline(options.baseline, io, options.fingerprint, options.allowEmpty)
      : undefined;
  const suppressions = await loadSuppressions(options.suppressions, io);
  const gated = options.failOn.length > 0 || Object.keys(options.maxBytes).length > 0;
  const live = liveDisplay(options, io);
  const collected = await collect(
    {
      inputs: options.inputs,
      notInputs: [options.output, options.baseline],
      inputFormat: options.inputFormat,
      allowEmpty: options.allowEmpty,
      fingerprint: options.fingerprint,
      suppressionFiles: options.suppressions,
      summarize: {
        ...(gated ? { gate: { failOn: options.failOn, maxBytes: options.maxBytes } } : {}),
        ...(baseline !== undefined ? { baseline } : {}),
        ...(hasSuppressions(suppressions) ? { suppressions } : {}),
        ...(options.maxRecords > 0 ? { maxRecords: options.maxRecords } : {}),
        // JUnit's test suites are per log and per process: every group names them all.
        ...(options.format === "junit" ? { sites: true } : {}),
      },
      ...(live !== undefined ? { onEvent: live } : {}),
    },
    io,
  );
  // With no usable input the text summary has nothing to say that stderr did not; a report
  // file (or a machine format) is still written, saying why, so that a CI step that uploads it
  // finds it (SARIF executionSuccessful: false, JUnit's error case).
  const nothingUsable = collected.unusable === collected.inputs;
  if (nothingUsable && options.output === undefined && options.format === "text") return 2;
  const mapped = applyPathMap(collected.report, options.pathMap);
  const toFile = options.output !== undefined;
  const color = !toFile && wantsColour(io.stdout, io.env) && options.format === "text";
  const ownCode = await ownCodeOf(mapped, options, io);
  // Said once in the report, not silently: a frame's file that is one of several of its name.
  const report = withDiagnostics(mapped, ambiguousSourceFiles(mapped, ownCode));
  // Only the HTML report shows source lines; reading them here keeps reporters free of I/O.
  const sources =
    options.format === "html" && options.sourceRoot !== undefined
      ? {
          sources: await readOwnSources(report, resolve(io.cwd, options.sourceRoot), ownCode),
        }
      : {};
  const reporter: Reporter = REPORTERS[options.format as keyof typeof REPORTERS];
  const context = {
    color,
    top: options.top,
    workingDirectory: resolve(io.cwd),
    ...ownCode,
    ...sources,
    ...(options.jobName !== undefined ? { jobName: options.jobName } : {}),
  };
  await writeReport(reporter, { report, context }, options.output, io);
  if (collected.unusable + collected.unusableInReports > 0) return 2;
  return report.gate?.failed === true ? 1 : 0;
}

/**
 * Writes the report to `output` (standard output when undefined), then says on stderr, in one
 * line, what its format says of its size (see Reporter.sizeNotice): a notice inside a file that
 * its consumer refuses whole is read by no one. The bytes are counted as they are written.
 */
async function writeReport(
  reporter: Reporter,
  { report, context }: { report: Report; context: ReportContext },
  output: string | undefined,
  io: CliIO,
): Promise<void> {
  const rendered =
    reporter.renderPieces !== undefined
      ? reporter.renderPieces(report, context)
      : piecesOf(reporter.render(report, context));
  const written = { bytes: 0 };
  const pieces = reporter.sizeNotice !== undefined ? counted(rendered, written) : rendered;
  if (output !== undefined) await writeOutput(output, io.cwd, pieces);
  else writeText(io.stdout, pieces);
  const notice = reporter.sizeNotice?.(written.bytes);
  if (notice !== undefined)
    io.stderr.write(`leaklog: ${output !== undefined ? `${output}: ` : ""}${notice}\n`);
}

/**
 * What tells the reporters the program's own frames. The source root is `--source-root`, or the
 * working directory for formats that write paths relative to it (SARIF, Code Quality), where no
 * root would mean no locations. Only an explicit `--source-root` is walked for its file names:
 * the working directory may be any tree (a home directory, a folder of downloaded logs), and
 * names found there would prove little.
 */
async function ownCodeOf(report: Report, options: SummarizeOptions, io: CliIO): Promise<OwnCode> {
  const allocFns = options.allocFns.length > 0 ? { allocFns: options.allocFns } : {};
  const given = options.sourceRoot;
  const relative = REPORTERS[options.format as keyof typeof REPORTERS].relativePaths === true;
  if (given === undefined && !relative) return allocFns;
  const sourceRoot = resolve(io.cwd, given ?? ".");
  const sourceNames = given !== undefined ? await sourceNamesFor(report, sourceRoot) : undefined;
  const rootAliases = await aliasesOf(sourceRoot, io);
  return {
    sourceRoot,
    ...allocFns,
    ...(sourceNames !== undefined ? { sourceNames } : {}),
    ...(rootAliases.length > 0 ? { rootAliases } : {}),
  };
}

/** The report with diagnostics the CLI found after parsing appended (itself when none). */
function withDiagnostics(report: Report, diagnostics: readonly Diagnostic[]): Report {
  return diagnostics.length > 0
    ? { ...report, diagnostics: [...report.diagnostics, ...diagnostics] }
    : report;
}
