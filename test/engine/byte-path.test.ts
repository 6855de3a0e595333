import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import fg from "fast-glob";
import { describe, expect, it } from "vitest";
import { ParseEngine } from "../../src/engine/engine.js";
import { LineSplitter } from "../../src/engine/line-splitter.js";
import type { ParseEvent } from "../../src/engine/source-builder.js";
import { INPUT_FORMATS } from "../../src/formats/index.js";
import type { InputFormat } from "../../src/formats/types.js";
import { ROOT } from "../helpers/golden.js";
import { mutate, mutationArb } from "../hostile/mutations.js";

/*
 * Parsers may take lines from the log's bytes before any string is made (LineParser.asciiLine:
 * Valgrind text frame lines, Valgrind XML frame blocks, MEMWATCH unfreed lines, memleax's stream
 * lines). That path must give what reading every line as text gives: each sample and fixture of
 * those formats is read both ways and compared, event for event, whole and in chunks that cut
 * frame blocks and lines.
 */

/** The registry with every byte path taken away: each line is read as text. */
const TEXT_ONLY: readonly InputFormat[] = INPUT_FORMATS.map((format) => ({
  ...format,
  createParser: (sink) => {
    const parser = format.createParser(sink);
    return {
      line: (text, lineNo) => parser.line(text, lineNo),
      // A last line without its line end is a cut log to MEMWATCH and memleax.
      end: (endedMidLine) => parser.end(endedMidLine),
    };
  },
}));

function events(
  bytes: Uint8Array,
  formats: readonly InputFormat[],
  chunkSize = bytes.length,
): string {
  const seen: ParseEvent[] = [];
  const engine = new ParseEngine({ path: "log", formats, onEvent: (e) => seen.push(e) });
  for (let at = 0; at < bytes.length; at += chunkSize)
    engine.push(bytes.subarray(at, at + chunkSize));
  engine.end();
  // JSON: a shared stack is frozen and a text one is not; their contents must be equal.
  return JSON.stringify(seen);
}

const FILES = fg
  .sync(
    [
      "samples/valgrind/**/*.txt",
      "test/fixtures/valgrind/**/*.{txt,log}",
      "samples/valgrind-xml/**/*.xml",
      "test/fixtures/valgrind-xml/**/*.xml",
      "samples/memwatch/**/*.log",
      "test/fixtures/memwatch*/**/*.log",
      "samples/memleax/**/*.log",
      "test/fixtures/memleax*/**/*.log",
    ],
    { cwd: ROOT },
  )
  .sort();

describe("the byte path reads as the text path", () => {
  it("covers the Valgrind text and XML, MEMWATCH and memleax samples and fixtures", () => {
    expect(FILES.filter((f) => f.endsWith(".xml")).length).toBeGreaterThan(40);
    expect(FILES.filter((f) => f.includes("/valgrind/")).length).toBeGreaterThan(60);
    expect(FILES.filter((f) => f.includes("/memwatch")).length).toBeGreaterThanOrEqual(20);
    expect(FILES.filter((f) => f.includes("/memleax")).length).toBeGreaterThanOrEqual(26);
  });

  it.each(FILES)("%s", (file) => {
    const bytes = readFileSync(join(ROOT, file));
    const asText = events(bytes, TEXT_ONLY);
    expect(events(bytes, INPUT_FORMATS)).toBe(asText);
    // Chunks of 1 KiB cut frame blocks and lines, which are then read as text.
    expect(events(bytes, INPUT_FORMATS, 1024)).toBe(asText);
  });
});

describe("the byte path on mutated logs", () => {
  // The samples with the most frames or unfreed lines, mutated (bytes flipped, lines cut,
  // duplicated, shuffled, CRLF): frame blocks and lines broken in every way, read both ways.
  const samples = [
    "samples/valgrind/many_errors.txt",
    "samples/valgrind-xml/many_errors.xml",
    "samples/memwatch/many_allocs.log",
    "samples/memleax/22-sigkill-truncated.log",
  ].map((file) => readFileSync(join(ROOT, file)));

  it("reads as the text path", () => {
    fc.assert(
      fc.property(
        fc.nat({ max: samples.length - 1 }),
        fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
        (pick, mutations) => {
          const bytes = mutate(samples[pick] as Buffer, mutations);
          expect(events(bytes, INPUT_FORMATS)).toBe(events(bytes, TEXT_ONLY));
        },
      ),
      { seed: 20_261_203, numRuns: Number(process.env["LEAKLOG_FUZZ_RUNS"] ?? 100) },
    );
  }, 600_000);
});

describe("LineSplitter's byte path", () => {
  it("skips the lines a parser took with its first, and numbers the rest on", () => {
    const seen: string[] = [];
    const splitter = new LineSplitter((text, lineNo) => seen.push(`${lineNo}:${text}`), 1 << 16);
    splitter.asciiLine = (buf, start, end, lineNo) => {
      const text = buf.toString("latin1", start, end);
      if (text !== "take 3") return 0;
      seen.push(`${lineNo}:took 3`);
      return 3;
    };
    splitter.push(Buffer.from("a\ntake 3\nb\nc\nd\ntake 3\ne\nf\ng\n", "latin1"));
    splitter.push(Buffer.from("h\ncaf\u00e9\ntake 3\n", "utf8")); // not ASCII: all as text
    splitter.end();
    expect(seen).toEqual([
      "1:a",
      "2:took 3",
      "5:d",
      "6:took 3",
      "9:g",
      "10:h",
      "11:caf\u00e9",
      "12:take 3",
    ]);
    expect(splitter.lines).toBe(12);
  });
});
