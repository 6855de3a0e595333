import { parseInto, type OpenedLog } from "../api/parse.js";
import { Summarizer, type SummarizeOptions } from "../api/summarizer.js";
import type { FingerprintOptions } from "../analysis/fingerprint.js";
import type { SuppressionSet } from "../analysis/suppressions/suppressor.js";
import type { FatalProblem } from "../engine/engine.js";
import type { ParseReuse } from "../engine/parse-reuse.js";
import type { ParseEvent } from "../engine/source-builder.js";
import type { FormatId } from "../model/index.js";
import { addUnusable } from "./unusable.js";

/** One input, opened (or not), and how to parse it. */
export interface SourceJob {
  opened: OpenedLog;
  /** The path as the user gave it; goes into every location. */
  path: string;
  /** Position among the inputs: the record id prefix. */
  index: number;
  inputFormat: FormatId | "auto";
  allowEmpty: boolean;
  /** What stack fingerprints take in; the library's default when absent. */
  fingerprint?: FingerprintOptions | undefined;
  /** Tables shared with this thread's other inputs (see ParseReuse). */
  reuse?: ParseReuse | undefined;
}

/**
 * Parses one input into the summarizer (the main thread's, or a worker's), closing it after.
 * Returns why the input was unusable (at its line, when one shows it), or undefined. `onEvent`
 * sees every event first (progress, live display).
 */
export async function summarizeSource(
  job: SourceJob,
  summarizer: Summarizer,
  onEvent?: (event: ParseEvent) => void,
): Promise<FatalProblem | undefined> {
  const { opened, path } = job;
  if ("fatal" in opened) {
    addUnusable(summarizer, path, opened.fatal);
    return opened.fatal;
  }
  try {
    const options = {
      inputFormat: job.inputFormat,
      idPrefix: `${job.index}:`,
      path,
      allowEmpty: job.allowEmpty,
      ...(job.fingerprint !== undefined ? { fingerprint: job.fingerprint } : {}),
      ...(job.reuse !== undefined ? { reuse: job.reuse } : {}),
    };
    const end = await parseInto(
      opened.chunks,
      options,
      onEvent === undefined
        ? (event) => summarizer.event(event)
        : (event) => {
            onEvent(event);
            summarizer.event(event);
          },
    );
    summarizer.source(end.source);
    return end.fatal;
  } finally {
    await opened.close();
  }
}

/**
 * The summarizer for one file of several parsed in parallel (on a worker or the main thread):
 * its report (`finishPartial`) is merged into the run's later, which decides which suppressions
 * went unused over every file.
 */
export function partialSummarizer(
  suppressions: SuppressionSet | undefined,
  { maxRecords, sites }: Pick<SummarizeOptions, "maxRecords" | "sites">,
): Summarizer {
  return new Summarizer({
    ...(suppressions !== undefined ? { suppressions } : {}),
    ...(maxRecords !== undefined ? { maxRecords } : {}),
    ...(sites === true ? { sites } : {}),
  });
}
