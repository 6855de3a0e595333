import { open, type FileHandle } from "node:fs/promises";
import type { Readable } from "node:stream";
import type { FingerprintOptions } from "../analysis/fingerprint.js";
import type { SeverityPolicy } from "../analysis/severity.js";
import { ParseEngine, type FatalProblem } from "../engine/engine.js";
import { checkParseOptions, fingerprintOptions } from "./parse-options.js";
import type { ParseReuse } from "../engine/parse-reuse.js";
import { DecodedInput, pushDecoded } from "./decoded-input.js";
import type { ParseEvent, ParsedReportPart } from "../engine/source-builder.js";
import { INPUT_FORMATS } from "../formats/index.js";
import type {
  Diagnostic,
  ErrorRecord,
  FormatId,
  LeakRecord,
  Source,
  ToolSummary,
} from "../model/index.js";
import { describeFsError, directoryGiven } from "./fs-errors.js";

/** Options shared by parse, parseFile and parseStream. */
export interface ParseOptions {
  /** Path recorded in locations; defaults to the file's path, `-` for streams, `<text>` for text. */
  path?: string;
  /** Input format, or "auto" (default) to detect it from the lines (see DetectionWindow). */
  inputFormat?: FormatId | "auto";
  /** Record id prefix, to keep ids unique when several sources are parsed in one run. */
  idPrefix?: string;
  /** Longest line parsed as-is; longer lines are cut with a diagnostic (default 1 MiB). */
  maxLineLength?: number;
  /** How stacks are fingerprinted; a field left out takes its default (8 frames, no lines). */
  fingerprint?: Partial<FingerprintOptions>;
  severityPolicy?: SeverityPolicy;
  /**
   * Read an empty input (what `valgrind -q` writes for a clean run) as a clean source with an
   * `empty-input` info diagnostic, instead of an unusable one (`fatal`). Default false.
   */
  allowEmpty?: boolean;
  /**
   * Tables to share with the other parses of a run (frame lines, stacks, fingerprints): many
   * logs of the same programs parse faster. See ParseReuse.
   */
  reuse?: ParseReuse;
}

/** Everything one source yields. */
export interface ParseResult {
  source: Source;
  leaks: LeakRecord[];
  errors: ErrorRecord[];
  summaries: ToolSummary[];
  diagnostics: Diagnostic[];
  /**
   * A leaklog JSON report's checked summaries, summary-only leaks and unlisted records, which
   * `summarize` takes as they are (see the leaklog-json format); absent for logs.
   */
  reportPart?: ParsedReportPart;
  /** Set when the input was unusable (empty, binary, unknown format, unreadable). */
  fatal?: FatalProblem;
}

/** A parse event, or the end of the source with its description. */
export type StreamEvent = ParseEvent | { type: "end"; source: Source; fatal?: FatalProblem };

function createEngine(
  options: ParseOptions,
  defaultPath: string,
  onEvent: (e: ParseEvent) => void,
) {
  checkParseOptions(options);
  return new ParseEngine({
    path: options.path ?? defaultPath,
    formats: INPUT_FORMATS,
    format: options.inputFormat ?? "auto",
    idPrefix: options.idPrefix ?? "",
    onEvent,
    ...(options.maxLineLength !== undefined ? { maxLineLength: options.maxLineLength } : {}),
    ...(options.fingerprint !== undefined
      ? { fingerprint: fingerprintOptions(options.fingerprint) }
      : {}),
    severityPolicy: options.severityPolicy,
    ...(options.allowEmpty === true ? { allowEmpty: true } : {}),
    ...(options.reuse !== undefined ? { reuse: options.reuse } : {}),
  });
}

/** Collects events into a ParseResult. */
class Collector {
  readonly leaks: LeakRecord[] = [];
  readonly errors: ErrorRecord[] = [];
  readonly summaries: ToolSummary[] = [];
  readonly diagnostics: Diagnostic[] = [];
  private reportPart: ParsedReportPart | undefined;

  readonly onEvent = (event: ParseEvent): void => {
    if (event.type === "finding") {
      if (event.finding.type === "leak") this.leaks.push(event.finding);
      else this.errors.push(event.finding);
    } else if (event.type === "summary") this.summaries.push(event.summary);
    else if (event.type === "report-part") this.reportPart = event.part;
    else if (event.type === "diagnostic") this.diagnostics.push(event.diagnostic);
    // A preamble: the source's processes, at the end, tell it.
  };

  result(end: { source: Source; fatal?: FatalProblem }): ParseResult {
    return {
      source: end.source,
      leaks: this.leaks,
      errors: this.errors,
      summaries: this.summaries,
      diagnostics: this.diagnostics,
      ...(this.reportPart !== undefined ? { reportPart: this.reportPart } : {}),
      ...(end.fatal !== undefined ? { fatal: end.fatal } : {}),
    };
  }
}

/** Parses a whole log held in memory. */
export function parse(text: string | Uint8Array, options: ParseOptions = {}): ParseResult {
  if (typeof text !== "string" && !(text instanceof Uint8Array)) {
    throw new TypeError("parse: the log must be a string or bytes (a Buffer, a Uint8Array)");
  }
  const collector = new Collector();
  const engine = createEngine(options, "<text>", collector.onEvent);
  pushDecoded(engine, text);
  return collector.result(engine.end());
}

/** Parses any chunk sequence (a Node stream, a generator of Buffers). */
export async function parseChunks(
  chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  options: ParseOptions = {},
): Promise<ParseResult> {
  const collector = new Collector();
  return collector.result(await parseInto(chunks, options, collector.onEvent));
}

/**
 * Parses a chunk sequence and calls `onEvent` with every event as it is known, returning the
 * end; for consumers that need no records kept (a streaming summary). The callback costs
 * nothing per event, where parseStream's async iteration costs a promise turn per event:
 * measured at about 5% of summarizing the 105 MB bench log.
 */
export async function parseInto(
  chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  options: ParseOptions,
  onEvent: (event: ParseEvent) => void,
): Promise<{ source: Source; fatal?: FatalProblem }> {
  const engine = createEngine(options, "-", onEvent);
  const input = new DecodedInput(chunks);
  for await (const chunk of input.chunks) {
    engine.push(chunk);
    if (engine.refused) break;
  }
  input.settle(engine);
  return engine.end();
}

/** An opened log file, or why it cannot be read. */
export type OpenedLog = ReadableLog | { fatal: FatalProblem };

/** A log file's chunks, and what to call once done with them. */
interface ReadableLog {
  chunks: AsyncIterable<Uint8Array | string>;
  close(): Promise<void>;
}

/**
 * Opens a log file for streaming. A missing file, a directory or a permission problem is a
 * FatalProblem, not an exception: the caller reports it and goes on with the other inputs.
 */
export async function openLog(path: string, shownAs = path): Promise<OpenedLog> {
  let handle;
  try {
    handle = await open(path, "r");
    const stats = await handle.stat();
    if (stats.isDirectory()) {
      await handle.close();
      return { fatal: unreadableProblem(shownAs, directoryGiven(shownAs)) };
    }
    if (!stats.isFile()) return streamFrom(handle);
    if (stats.size < MAX_READ) return await readSmallFile(handle, stats.size);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    return { fatal: unreadableProblem(shownAs, describeFsError(error)) };
  }
  return streamFrom(handle, 0);
}

/**
 * A file smaller than one read, read whole now and closed: a CTest run leaves a small log per
 * test, and a stream's reads (the data, then the end) and the promise turns around them were
 * each a wait. One byte more than its size is asked for, to see that it ends there; a file that
 * grew in the meantime is streamed on from that point.
 */
async function readSmallFile(handle: FileHandle, size: number): Promise<OpenedLog> {
  const buffer = Buffer.allocUnsafe(size + 1);
  const { bytesRead } = await handle.read(buffer, 0, size + 1, 0);
  if (bytesRead <= size) {
    await handle.close();
    return { chunks: chunksOf(buffer.subarray(0, bytesRead)), close: async () => undefined };
  }
  const rest = streamFrom(handle, bytesRead);
  return { chunks: chunksOf(buffer, rest.chunks), close: rest.close };
}

/**
 * The file's chunks from `start`; without one, from where the handle stands: a named pipe
 * (`<(zcat vg.log.gz)`, a mkfifo) cannot be read at a position (ESPIPE ended the run).
 */
function streamFrom(handle: FileHandle, start?: number): ReadableLog {
  return {
    chunks: handle.createReadStream({
      ...(start !== undefined ? { start } : {}),
      highWaterMark: MAX_READ,
      autoClose: false,
    }),
    close: () => handle.close().catch(() => undefined),
  };
}

/** The chunk, if not empty, then the rest's. */
async function* chunksOf(
  first: Uint8Array,
  rest?: AsyncIterable<Uint8Array | string>,
): AsyncGenerator<Uint8Array | string> {
  if (first.length > 0) yield first;
  if (rest !== undefined) yield* rest;
}

/**
 * 256 KiB reads: fewer, larger chunks cost less per byte in the stream and the line splitter.
 * Measured against 64 KiB (`measure.js summarize`, CPU user time, medians of alternated runs on
 * the 105 MB bench logs): Valgrind text 5.34 -> 4.92 s, XML 5.99 -> 5.52 s, MEMWATCH 4.95 ->
 * 4.46 s, memleax 2.14 -> 1.94 s, peak RSS +0-4 MiB (the 1 GB text log peaked at 185 MiB).
 * 1 MiB raised peak RSS more.
 */
const MAX_READ = 1 << 18;

/**
 * Parses a log file as a stream. An unreadable file (missing, a directory, no permission) gives
 * a result with `fatal` set rather than an exception.
 */
export async function parseFile(path: string, options: ParseOptions = {}): Promise<ParseResult> {
  // Misuse is thrown, not made the file's problem (see checkParseOptions).
  checkParseOptions(options);
  if (typeof path !== "string") throw new TypeError("parseFile: the path must be a string");
  const withPath = { ...options, path: options.path ?? path };
  const opened = await openLog(path, withPath.path);
  if ("fatal" in opened) return unreadable(withPath.path, opened.fatal);
  try {
    return await parseChunks(opened.chunks, withPath);
  } catch (error) {
    return unreadable(withPath.path, unreadableProblem(withPath.path, describeFsError(error)));
  } finally {
    await opened.close();
  }
}

/**
 * Parses a stream and yields each finding, summary and diagnostic as soon as it is known (a
 * Valgrind error once its count is: at its process's ERROR SUMMARY or `<errorcounts>`), then an
 * `end` event; memory stays independent of the log's size.
 */
export async function* parseStream(
  readable: Readable | AsyncIterable<Uint8Array | string>,
  options: ParseOptions = {},
): AsyncGenerator<StreamEvent> {
  // Events of one chunk are collected and handed out in order; the array is swapped, not
  // shifted, because one 1 MiB chunk of a Valgrind log yields thousands of events.
  let queue: ParseEvent[] = [];
  const engine = createEngine(options, "-", (e) => queue.push(e));
  const input = new DecodedInput(readable as AsyncIterable<Uint8Array | string>);
  for await (const chunk of input.chunks) {
    engine.push(chunk);
    const ready = queue;
    queue = [];
    yield* ready;
    if (engine.refused) break;
  }
  input.settle(engine);
  const end = engine.end();
  yield* queue;
  yield { type: "end", ...end };
}

function unreadableProblem(path: string, why: string): FatalProblem {
  return { code: "unreadable-input", message: `cannot read ${path}: ${why}` };
}

/** The ParseResult of a source that could not be read at all. */
export function unreadable(path: string, fatal: FatalProblem): ParseResult {
  return {
    source: {
      path,
      format: "unknown",
      processes: [],
      complete: false,
      counters: { lines: 0, bytes: 0, records: 0, programLines: 0, unrecognizedLines: 0 },
    },
    leaks: [],
    errors: [],
    summaries: [],
    diagnostics: [{ severity: "error", code: fatal.code, message: fatal.message, path }],
    fatal,
  };
}
