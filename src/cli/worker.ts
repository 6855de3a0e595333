import { parentPort, workerData } from "node:worker_threads";
import { openLog, type OpenedLog } from "../api/parse.js";
import type { FingerprintOptions } from "../analysis/fingerprint.js";
import type { ProcessFindings } from "../analysis/process-findings.js";
import type { SuppressionUse } from "../analysis/suppressions/suppressor.js";
import type { PartialFacts } from "../api/partial-facts.js";
import type { FatalProblem } from "../engine/engine.js";
import { ParseReuse } from "../engine/parse-reuse.js";
import type { FormatId, Report } from "../model/index.js";
import { loadSuppressions } from "./load-suppressions.js";
import { partialSummarizer, summarizeSource } from "./summarize-source.js";

/** A job: one file, summarized on this thread into a partial report. */
export interface WorkerJob {
  index: number;
  path: string;
  absolutePath: string;
}

/** Fixed for the worker's life. */
export interface WorkerSetup {
  inputFormat: FormatId | "auto";
  allowEmpty: boolean;
  suppressionFiles: readonly string[];
  maxRecords?: number;
  /** Groups list their sites (see SummarizeOptions). */
  sites?: boolean;
  fingerprint?: FingerprintOptions;
  cwd: string;
}

export type WorkerMessage =
  | { type: "progress"; bytes: number; records: number }
  | {
      type: "done";
      index: number;
      /** The partial report, cloned by postMessage (see run). */
      report: Report | undefined;
      /** How many of the report's diagnostics, the last ones, are cross-checks. */
      crossChecked: number;
      /** What each process counted (see Summarizer.partial). */
      byProcess: ProcessFindings[];
      /** What the report does not list that the run's summary needs (see PartialFacts). */
      facts: PartialFacts | undefined;
      used: SuppressionUse | undefined;
      fatal?: FatalProblem;
    };

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
    const fatal: FatalProblem = {
      code: "unreadable-input",
      message: `internal error: ${error instanceof Error ? error.message : String(error)}`,
    };
    port.postMessage({
      type: "done",
      index: job.index,
      report: undefined,
      crossChecked: 0,
      byProcess: [],
      facts: undefined,
      used: undefined,
      fatal,
    } satisfies WorkerMessage);
  });
});

/** This thread's tables, shared by its jobs (see ParseReuse). */
const reuse = new ParseReuse();

async function run(job: WorkerJob): Promise<void> {
  const summarizer = partialSummarizer(suppressions, setup);
  const opened = await openLog(job.absolutePath, job.path);
  const watched: OpenedLog =
    "fatal" in opened ? opened : { chunks: progressOf(opened.chunks), close: opened.close };
  let records = 0;
  const fatal = await summarizeSource(
    {
      opened: watched,
      path: job.path,
      index: job.index,
      inputFormat: setup.inputFormat,
      allowEmpty: setup.allowEmpty,
      fingerprint: setup.fingerprint,
      reuse,
    },
    summarizer,
    (event) => {
      if (event.type !== "finding" || ++records % 4096 !== 0) return;
      port?.postMessage({ type: "progress", bytes: 0, records: 4096 } satisfies WorkerMessage);
    },
  );
  // Sent as objects for postMessage to clone, not as JSON text: the clone keeps the records' and
  // groups' shared stacks shared (a 105 MB log's report is 18 MB cloned against 39 MB of JSON)
  // and the main thread, which merges every report, reads it in half the time. Measured on that
  // report on 2026-12-07 (four runs at a load of 5-7): v8.serialize 130-210 ms and
  // v8.deserialize 180-260 ms, against JSON.stringify 230-390 ms and JSON.parse 330-610 ms.
  const { report, crossChecked, byProcess, facts } = summarizer.finishPartial();
  port?.postMessage({
    type: "done",
    index: job.index,
    report,
    crossChecked,
    byProcess,
    facts,
    used: summarizer.suppressionsUsed(),
    ...(fatal !== undefined ? { fatal } : {}),
  } satisfies WorkerMessage);
}

async function* progressOf(
  chunks: AsyncIterable<Uint8Array | string>,
): AsyncGenerator<Uint8Array | string> {
  for await (const chunk of chunks) {
    port?.postMessage({
      type: "progress",
      bytes: typeof chunk === "string" ? chunk.length : chunk.byteLength,
      records: 0,
    } satisfies WorkerMessage);
    yield chunk;
  }
}
