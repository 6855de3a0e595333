import { resolve } from "node:path";
import { openLog, type OpenedLog } from "../api/parse.js";
import type { Summarizer } from "../api/summarizer.js";
import type { FatalProblem } from "../engine/engine.js";
import type { ParseReuse } from "../engine/parse-reuse.js";
import type { CollectOptions } from "./collect.js";
import { untilInterrupted } from "./interruptible.js";
import type { Progress } from "./progress.js";
import type { CliIO } from "./run.js";
import { summarizeSource } from "./summarize-source.js";

/** What reading an input of the main thread takes besides the input. */
export interface InputContext {
  options: CollectOptions;
  io: CliIO;
  progress: Progress;
  /** Tables shared with the thread's other inputs (see ParseReuse). */
  reuse?: ParseReuse;
}

/**
 * Reads one input of the main thread (a path, or `-` for stdin) into `summarizer`, counting
 * bytes and records for the progress display and stopping when the run is interrupted. Returns
 * why the input was unusable, or undefined. `opening` is the input opened already (see
 * openInput).
 */
export async function readInput(
  path: string,
  index: number,
  into: Summarizer,
  { options, io, progress, reuse }: InputContext,
  opening: Promise<OpenedLog> = openInput(path, io),
): Promise<FatalProblem | undefined> {
  const opened = await opening;
  const counting: OpenedLog =
    "fatal" in opened
      ? opened
      : { chunks: counted(opened.chunks, progress, io.interrupted), close: opened.close };
  return summarizeSource(
    {
      opened: counting,
      path,
      index,
      inputFormat: options.inputFormat,
      allowEmpty: options.allowEmpty,
      fingerprint: options.fingerprint,
      reuse,
    },
    into,
    (event) => {
      if (event.type === "finding") progress.add(0, 1);
      options.onEvent?.(event);
    },
  );
}

/** Opens an input of the main thread: a path, or `-` for stdin. */
export function openInput(path: string, io: CliIO): Promise<OpenedLog> {
  return path === "-"
    ? Promise.resolve({ chunks: standardInput(io), close: async () => undefined })
    : openLog(resolve(io.cwd, path), path);
}

/**
 * Standard input, read as `-`. From a terminal (`leaklog summarize -` typed without a pipe)
 * the read waits for typing: said once, so that the wait is no silent hang.
 */
export function standardInput(io: CliIO): CliIO["stdin"] {
  if (io.stdin.isTTY === true) {
    io.stderr.write(
      "leaklog: reading a log from the terminal: paste it and end with Ctrl-D, or pipe it in (valgrind ./prog 2>&1 | leaklog summarize -)\n",
    );
  }
  return io.stdin;
}

async function* counted(
  chunks: AsyncIterable<Uint8Array | string>,
  progress: Progress,
  interrupted: AbortSignal | undefined,
): AsyncGenerator<Uint8Array | string> {
  const source = interrupted !== undefined ? untilInterrupted(chunks, interrupted) : chunks;
  for await (const chunk of source) {
    progress.add(typeof chunk === "string" ? chunk.length : chunk.byteLength, 0);
    yield chunk;
  }
}
