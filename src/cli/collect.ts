import { stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import type { FingerprintOptions } from "../analysis/fingerprint.js";
import type { OpenedLog } from "../api/parse.js";
import { Summarizer, type SummarizeOptions } from "../api/summarizer.js";
import { ParseReuse } from "../engine/parse-reuse.js";
import type { FatalProblem } from "../engine/engine.js";
import type { ParseEvent } from "../engine/source-builder.js";
import type { FormatId, Report } from "../model/index.js";
import { problemLine } from "./errors.js";
import { expandInputs } from "./inputs.js";
import { mergedUnusable } from "./merged-unusable.js";
import { Progress } from "./progress.js";
import { openInput, readInput } from "./read-input.js";
import type { CliIO } from "./run.js";
import { addUnusable } from "./unusable.js";
import { summarizeInWorkers, workersAvailable } from "./workers.js";

/** What the summarize-like commands read, and how. */
export interface CollectOptions {
  inputs: readonly string[];
  /** Files no glob of `inputs` takes: the command's report and baseline (see expandInputs). */
  notInputs: readonly (string | undefined)[];
  inputFormat: FormatId | "auto";
  /** Empty inputs are clean runs (`--allow-empty`), not unusable ones. */
  allowEmpty: boolean;
  /** What stack fingerprints take in (`--fingerprint-*`). */
  fingerprint?: FingerprintOptions;
  summarize: SummarizeOptions;
  /** Suppression files, for worker threads to load themselves. */
  suppressionFiles: readonly string[];
  /** Sees every event as it is parsed (the live display of a memleax pipe). */
  onEvent?: (event: ParseEvent) => void;
}

export interface Collected {
  report: Report;
  /** Inputs that could not be used at all. */
  unusable: number;
  /** Inputs of merged leaklog reports that their own run could not use (see mergedUnusable). */
  unusableInReports: number;
  inputs: number;
}

/*
 * Threads pay off only when the files other than the largest (the work other threads can take off
 * the main thread) are big enough to outweigh a worker's start (0.3 s loading the modules), the
 * transfer and merge of its partial report (18 MB cloned for a 105 MB log), what one thread gains
 * on its later files (warm code and parse tables), and the threads sharing two cores with both
 * heaps' garbage collector threads (each parsed at two thirds of its speed alone). Measured on this
 * project's 2-core machine on copies of the bench logs (2026-12-07, alternating runs, other
 * processes idle), threads against one thread: 2 x 105 MB 4.8-6.2 s against 5.0-6.9 s at 1.7x the
 * peak memory; 3 x 105 MB 7.4-8.1 s against 7.5-8.4 s; 4 x 105 MB 8.4-10.0 s against 8.3-12.0 s at
 * 2.2x the memory; 2 x 315 MB 9.3-13.6 s against 12.2-17.3 s (medians 10.9 and 14.1 s) at 1.8x.
 * Threads took 20-50% more CPU time in each, and with other processes busy they lost: 2 x 105 MB
 * 14-26 s against 8-15 s.
 */
const PARALLEL_MIN_BYTES = 256 << 20;

/**
 * Reads every input as a stream into one Summarizer, so memory follows distinct stacks, not log
 * sizes. Several large files are parsed on the main thread and worker threads, one file per
 * thread at a time, and merged in input order (the report is the same as a sequential run's).
 * Unusable inputs are reported on stderr, one line each.
 */
export async function collect(options: CollectOptions, io: CliIO): Promise<Collected> {
  const { paths, problems } = await expandInputs(options.inputs, io.cwd, options.notInputs);
  const inputs = problems.length + paths.length;
  const summarizer = new Summarizer({ ...options.summarize, inputs });
  const progress = new Progress(io.stderr, io.env);
  let unusable = 0;
  const failed = new Set<string>();
  const fail = (path: string, fatal: FatalProblem) => {
    unusable += 1;
    failed.add(path);
    // On a terminal the progress line is erased first: the message ran on after it.
    progress.done();
    io.stderr.write(problemLine(path, fatal.message, fatal.line));
  };
  for (const { path, fatal } of problems) {
    addUnusable(summarizer, path, fatal);
    fail(path, fatal);
  }
  const sizes = await sizesIfParallel(paths, io);
  if (sizes !== undefined) {
    await summarizeInWorkers(paths, sizes, options, summarizer, { io, progress, fail });
  } else {
    await collectInTurn(paths, options, summarizer, { io, progress, fail });
  }
  progress.done();
  const report = summarizer.finish();
  // An input that was itself unusable said so above: its report's errors (a damaged JSON
  // forced as leaklog-json) would say it again.
  const inReports = mergedUnusable(report).filter((u) => !failed.has(u.path));
  for (const { path, message } of inReports) io.stderr.write(problemLine(path, message));
  return { report, unusable, unusableInReports: inReports.length, inputs };
}

interface Context {
  io: CliIO;
  progress: Progress;
  fail: (path: string, fatal: FatalProblem) => void;
}

/**
 * Reads the inputs one after the other on this thread, each opened while the one before is
 * parsed: a small file is read whole as it opens (see openLog), so its waits for the disk
 * overlap that parse. Reading 10,000 small logs one at a time, the main thread was idle for a
 * fifth of the run.
 */
async function collectInTurn(
  paths: readonly string[],
  options: CollectOptions,
  summarizer: Summarizer,
  { io, progress, fail }: Context,
): Promise<void> {
  const open = (index: number): Promise<OpenedLog> | undefined => {
    const path = paths[index];
    return path !== undefined ? openInput(path, io) : undefined;
  };
  const context = { options, io, progress, reuse: new ParseReuse() };
  let next = open(0);
  for (const [index, path] of paths.entries()) {
    const opening = next ?? openInput(path, io);
    next = open(index + 1);
    const fatal = await readInput(path, index, summarizer, context, opening);
    if (fatal !== undefined) fail(path, fatal);
  }
}

/**
 * The inputs' sizes in bytes when several files have real work to share between threads; else
 * undefined. LEAKLOG_WORKERS=0 turns threads off, LEAKLOG_WORKERS=1 turns them on whatever the
 * size (tests use both to compare the results).
 */
async function sizesIfParallel(paths: readonly string[], io: CliIO): Promise<number[] | undefined> {
  if (paths.length < 2 || paths.includes("-") || !workersAvailable()) return undefined;
  const setting = io.env["LEAKLOG_WORKERS"];
  if (setting === "0" || (setting !== "1" && availableParallelism() < 2)) return undefined;
  const sizes = await Promise.all(
    paths.map((path) =>
      stat(resolve(io.cwd, path)).then(
        (s) => (s.isFile() ? s.size : 0),
        () => 0,
      ),
    ),
  );
  return setting === "1" || threadsPayOff(sizes) ? sizes : undefined;
}

/** Whether files of these sizes are worth worker threads (see PARALLEL_MIN_BYTES). */
export function threadsPayOff(sizes: readonly number[]): boolean {
  const beyondLargest = sizes.reduce((sum, size) => sum + size, 0) - Math.max(0, ...sizes);
  return beyondLargest >= PARALLEL_MIN_BYTES;
}
