import { resolve } from "node:path";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { ProcessFindings } from "../analysis/process-findings.js";
import type { SuppressionUse } from "../analysis/suppressions/suppressor.js";
import type { PartialFacts } from "../api/partial-facts.js";
import type { Summarizer } from "../api/summarizer.js";
import type { Report } from "../model/index.js";
import type { FatalProblem } from "../engine/engine.js";
import { ParseReuse } from "../engine/parse-reuse.js";
import type { CollectOptions } from "./collect.js";
import type { Progress } from "./progress.js";
import type { CliIO } from "./run.js";
import { readInput } from "./read-input.js";
import { partialSummarizer } from "./summarize-source.js";
import { addUnusable } from "./unusable.js";
import type { WorkerJob, WorkerMessage, WorkerSetup } from "./worker.js";

const WORKER_URL = new URL("./worker.js", import.meta.url);

/**
 * Worker threads need the compiled worker script; under a TypeScript test runner there is none,
 * and the CLI then parses on the main thread.
 */
export function workersAvailable(): boolean {
  return import.meta.url.endsWith(".js");
}

interface Context {
  io: CliIO;
  progress: Progress;
  fail: (path: string, fatal: FatalProblem) => void;
}

/** One file's outcome: its partial report, the suppressions it used, why it was unusable. */
interface Partial {
  /** Undefined when a worker failed on the file (then `fatal` says why). */
  report: Report | undefined;
  /** How many of the report's diagnostics, the last ones, are cross-checks (see partial). */
  crossChecked: number;
  byProcess: readonly ProcessFindings[];
  facts: PartialFacts | undefined;
  used: SuppressionUse | undefined;
  fatal?: FatalProblem | undefined;
}

/**
 * Parses files on the main thread and on worker threads (one thread per core, at most one per
 * file), each file into a partial report, and merges the partial reports in input order as they
 * arrive, so that the result equals a sequential run's.
 *
 * The main thread parses too, rather than wait: a worker has to start (load the module graph)
 * and its report has to cross threads. Measured with three 105 MB logs on two cores, when a
 * worker took half a second to start: main thread waiting on two workers 6.6-7.1 s, one thread
 * 5.5 s.
 */
export async function summarizeInWorkers(
  paths: readonly string[],
  sizes: readonly number[],
  options: CollectOptions,
  summarizer: Summarizer,
  { io, progress, fail }: Context,
): Promise<void> {
  const queue = paths.map((path, index): WorkerJob => ({
    index,
    path,
    absolutePath: resolve(io.cwd, path),
  }));
  // Big files first, so that no thread is left with a big file while the others are idle (the
  // merge order stays the input order).
  queue.sort((a, b) => (sizes[b.index] ?? 0) - (sizes[a.index] ?? 0) || a.index - b.index);
  const done = new Map<number, Partial>();
  let nextToMerge = 0;
  const finished = (index: number, partial: Partial): void => {
    done.set(index, partial);
    for (let ready = done.get(nextToMerge); ready !== undefined; ready = done.get(nextToMerge)) {
      done.delete(nextToMerge);
      const path = paths[nextToMerge] as string;
      if (ready.report !== undefined)
        summarizer.partial(ready.report, ready.crossChecked, ready.byProcess, ready.facts);
      else addUnusable(summarizer, path, ready.fatal ?? { code: "unreadable-input", message: "" });
      summarizer.suppressionsUsedElsewhere(ready.used);
      if (ready.fatal !== undefined) fail(path, ready.fatal);
      nextToMerge += 1;
    }
  };
  const threads = Math.min(availableParallelism(), paths.length, 4);
  const setup = workerSetup(options, io);
  await Promise.all([
    drainHere(queue, options, { io, progress }, finished),
    ...Array.from({ length: threads - 1 }, () => drain(queue, setup, progress, finished)),
  ]);
}

function workerSetup(options: CollectOptions, io: CliIO): WorkerSetup {
  return {
    inputFormat: options.inputFormat,
    allowEmpty: options.allowEmpty,
    suppressionFiles: options.suppressionFiles,
    cwd: io.cwd,
    ...(options.fingerprint !== undefined ? { fingerprint: options.fingerprint } : {}),
    ...(options.summarize.maxRecords !== undefined
      ? { maxRecords: options.summarize.maxRecords }
      : {}),
    ...(options.summarize.sites === true ? { sites: true } : {}),
  };
}

/** The main thread's share: jobs from the same queue, each into a summarizer of its own. */
async function drainHere(
  queue: WorkerJob[],
  options: CollectOptions,
  { io, progress }: { io: CliIO; progress: Progress },
  finished: (index: number, partial: Partial) => void,
): Promise<void> {
  const reuse = new ParseReuse();
  for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
    const local = partialSummarizer(options.summarize.suppressions, options.summarize);
    const fatal = await readInput(job.path, job.index, local, { options, io, progress, reuse });
    const { report, crossChecked, byProcess, facts } = local.finishPartial();
    const used = local.suppressionsUsed();
    finished(job.index, { report, crossChecked, byProcess, facts, used, fatal });
  }
}

/** One worker: takes jobs from the shared queue until it is empty. */
function drain(
  queue: WorkerJob[],
  setup: WorkerSetup,
  progress: Progress,
  finished: (index: number, partial: Partial) => void,
): Promise<void> {
  return new Promise((finish, reject) => {
    const worker = new Worker(WORKER_URL, { workerData: setup });
    const next = () => {
      const job = queue.shift();
      if (job === undefined) {
        void worker.terminate().then(() => finish());
        return;
      }
      worker.postMessage(job);
    };
    worker.on("message", (message: WorkerMessage) => {
      if (message.type === "progress") progress.add(message.bytes, message.records);
      else {
        finished(message.index, {
          report: message.report,
          crossChecked: message.crossChecked,
          byProcess: message.byProcess,
          facts: message.facts,
          used: message.used,
          fatal: message.fatal,
        });
        next();
      }
    });
    worker.on("error", reject);
    next();
  });
}
