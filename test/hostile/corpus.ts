import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, parseStream, type ParseResult } from "../../src/api/parse.js";
import { summarize } from "../../src/api/summarize.js";
import type { ErrorRecord, FormatId, LeakRecord } from "../../src/model/index.js";
import { REPORTERS } from "../../src/report/index.js";
import { ROOT, parseSample, sampleFiles } from "../helpers/golden.js";

/** One log the fuzz tests mutate: its bytes and the format it is detected as. */
export interface FuzzSample {
  name: string;
  bytes: Uint8Array;
  format: FormatId;
}

/** Every sample folder and its file endings. */
const FOLDERS: readonly (readonly [string, string])[] = [
  ["valgrind", ".txt"],
  ["valgrind-xml", ".xml"],
  ["memleax", ".log"],
  ["memwatch", ".log"],
  ["sanitizer", ".log"],
];

/**
 * Samples above this size (many_errors.*) cost more per run than they add: the mutations are
 * about structure, which the small samples of the same format have too.
 */
const MAX_SAMPLE_BYTES = 48 << 10;

/**
 * Every sample of every input format, plus a leaklog JSON report and its NDJSON generated here
 * with summarize (the JSON input format has no samples folder: its input is leaklog's own output).
 */
export async function loadCorpus(): Promise<FuzzSample[]> {
  const corpus: FuzzSample[] = [];
  for (const [folder, ext] of FOLDERS) {
    for (const name of sampleFiles(folder, [ext])) {
      const bytes = readFileSync(join(ROOT, "samples", folder, name));
      if (bytes.byteLength > MAX_SAMPLE_BYTES) continue;
      const format = parse(bytes).source.format;
      if (format === "unknown") continue; // memleax's cli-*.log: usage messages, not logs
      corpus.push({ name: `${folder}/${name}`, bytes, format: format as FormatId });
    }
  }
  const report = summarize([
    await parseSample("valgrind", "leak_indirect.txt"),
    await parseSample("sanitizer", "asan-use-after-free.log"),
    await parseSample("memwatch", "classic.log"),
  ]);
  const json = REPORTERS.json.render(report, { color: false, top: 20 });
  corpus.push({
    name: "leaklog-json (generated)",
    bytes: Buffer.from(json),
    format: "leaklog-json",
  });
  const ndjson = REPORTERS.ndjson.render(report, { color: false, top: 20 });
  corpus.push({
    name: "leaklog-ndjson (generated)",
    bytes: Buffer.from(ndjson),
    format: "leaklog-json",
  });
  return corpus;
}

/** What must survive about a record: everything but its id (ids count records). */
export function recordShape(record: LeakRecord | ErrorRecord): unknown {
  return { ...record, id: undefined };
}

/** Leaks and errors of a result, in emission order. */
export function recordsOf(result: ParseResult): (LeakRecord | ErrorRecord)[] {
  return [...result.leaks, ...result.errors];
}

/** A record and how many lines had been pushed when the engine emitted it. */
export interface Emitted {
  record: LeakRecord | ErrorRecord;
  /** Lines pushed when it was emitted; Infinity when only end() emitted it. */
  afterLine: number;
}

/** Feeds a log line by line and notes when each record comes out. */
export async function emissionLines(sample: FuzzSample): Promise<Emitted[]> {
  const lines = splitLines(sample.bytes);
  let pushed = 0;
  const source = (async function* () {
    for (const line of lines) {
      pushed += 1;
      yield line;
    }
    pushed = Infinity;
  })();
  const emitted: Emitted[] = [];
  for await (const event of parseStream(source, { inputFormat: sample.format, path: "x" })) {
    if (event.type === "finding") emitted.push({ record: event.finding, afterLine: pushed });
  }
  return emitted;
}

/** The bytes of each line, terminator included (the last line may have none). */
export function splitLines(bytes: Uint8Array): Uint8Array[] {
  const lines: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i += 1) {
    if (bytes[i] === 10) {
      lines.push(bytes.subarray(start, i + 1));
      start = i + 1;
    }
  }
  if (start < bytes.length) lines.push(bytes.subarray(start));
  return lines;
}

/** Concatenates byte arrays. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  return Buffer.concat(parts);
}
