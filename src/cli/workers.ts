import { resolve } from "node:path";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { Summarizer } from "../api/summarizer.js";
import type { Report } from "../model/index.js";
import type { CollectOptions } from "./collect.js";
import type { Progress } from "./progress.js";
import type { CliIO } from "./run.js";
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
  fail: (path: string, message: string) => void;
}

/**
 * Parses files on a pool of worker threads (one per core, at most one per file), each file into
 * a partial report, and merges the partial reports in input order so that the result equals a
 * sequential run's.
 */
export async function summarizeInWorkers(
  paths: readonly string[],
  options: CollectOptions,
  summarizer: Summarizer,
  { io, progress, fail }: Context,
): Promise<void> {
  const setup: WorkerSetup = {
    inputFormat: options.inputFormat,
    suppressionFiles: options.suppressionFiles,
    cwd: io.cwd,
    ...(options.summarize.maxRecords !== undefined
      ? { maxRecords: options.summarize.maxRecords }
      : {}),
  };
  const results = new Map<number, Extract<WorkerMessage, { type: "done" }>>();
  const queue = paths.map((path, index): WorkerJob => ({
    index,
    path,
    absolutePath: resolve(io.cwd, path),
  }));
  const count = Math.min(availableParallelism(), paths.length, 4);
  await Promise.all(Array.from({ length: count }, () => drain(queue, setup, results, progress)));
  for (const [index, path] of paths.entries()) {
    const done = results.get(index);
    if (done === undefined) continue;
    // Our own worker's output: validated where it was made; parsing again would reorder keys.
    if (done.report !== undefined) summarizer.partial(done.report as Report);
    else
      addUnusable(summarizer, path, {
        code: "unreadable-input",
        message: done.fatal ?? "not read",
      });
    summarizer.suppressionsUsedElsewhere(done.used);
    if (done.fatal !== undefined) fail(path, done.fatal);
  }
}

/** One worker: takes jobs from the shared queue until it is empty. */
function drain(
  queue: WorkerJob[],
  setup: WorkerSetup,
  results: Map<number, Extract<WorkerMessage, { type: "done" }>>,
  progress: Progress,
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
        results.set(message.index, message);
        next();
      }
    });
    worker.on("error", reject);
    next();
  });
}
