import { parentPort, workerData } from "node:worker_threads";
import { openLog, parseStream } from "../api/parse.js";
import { Summarizer } from "../api/summarizer.js";
import type { FormatId } from "../model/index.js";
import { loadSuppressions } from "./load-suppressions.js";
import { addUnusable } from "./unusable.js";

/** A job: one file, summarized on this thread into a partial report. */
export interface WorkerJob {
  index: number;
  path: string;
  absolutePath: string;
}

/** Fixed for the worker's life. */
export interface WorkerSetup {
  inputFormat: FormatId | "auto";
  suppressionFiles: readonly string[];
  maxRecords?: number;
  cwd: string;
}

export type WorkerMessage =
  | { type: "progress"; bytes: number; records: number }
  | { type: "done"; index: number; report: unknown; used: number[]; fatal?: string };

const setup = workerData as WorkerSetup;
const port = parentPort;

// Each worker reads its own suppressions: sets of matchers do not cross threads.
const suppressions = await loadSuppressions(setup.suppressionFiles, {
  cwd: setup.cwd,
  env: {},
  stdin: (async function* () {})(),
  stdout: { write: () => true },
  stderr: { write: () => true },
});

port?.on("message", (job: WorkerJob) => {
  void run(job).catch((error: unknown) => {
    const fatal = `internal error: ${error instanceof Error ? error.message : String(error)}`;
    port.postMessage({
      type: "done",
      index: job.index,
      report: undefined,
      used: [],
      fatal,
    } satisfies WorkerMessage);
  });
});

async function run(job: WorkerJob): Promise<void> {
  const summarizer = new Summarizer({
    suppressions,
    // Unused entries are decided by the main thread, over every file.
    listUnusedSuppressions: false,
    ...(setup.maxRecords !== undefined ? { maxRecords: setup.maxRecords } : {}),
  });
  const opened = await openLog(job.absolutePath, job.path);
  let fatal: string | undefined;
  if ("fatal" in opened) {
    fatal = opened.fatal.message;
    addUnusable(summarizer, job.path, opened.fatal);
  } else {
    try {
      let records = 0;
      for await (const event of parseStream(progressOf(opened.chunks), {
        inputFormat: setup.inputFormat,
        idPrefix: `${job.index}:`,
        path: job.path,
      })) {
        if (event.type === "end") {
          summarizer.source(event.source);
          fatal = event.fatal?.message;
        } else {
          if (event.type === "finding") {
            records += 1;
            if (records % 4096 === 0)
              port?.postMessage({
                type: "progress",
                bytes: 0,
                records: 4096,
              } satisfies WorkerMessage);
          }
          summarizer.event(event);
        }
      }
    } finally {
      await opened.close();
    }
  }
  const report = summarizer.finish();
  const message: WorkerMessage = {
    type: "done",
    index: job.index,
    report,
    used: summarizer.suppressionsUsed(),
    ...(fatal !== undefined ? { fatal } : {}),
  };
  port?.postMessage(message);
}

async function* progressOf(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    port?.postMessage({
      type: "progress",
      bytes: chunk.byteLength,
      records: 0,
    } satisfies WorkerMessage);
    yield chunk;
  }
}
