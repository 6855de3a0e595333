import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse, parseChunks } from "../../src/api/parse.js";
import { DETECTION_LINES } from "../../src/engine/detect.js";
import { ParseEngine } from "../../src/engine/engine.js";
import { INPUT_FORMATS } from "../../src/formats/index.js";
import type { InputFormat } from "../../src/formats/types.js";
import type { FormatId } from "../../src/model/index.js";
import { cli } from "../helpers/cli.js";

/*
 * Detection went no further than the first 10,000 lines, so a CI job's log whose build printed
 * more before its Valgrind step was "not a log leaklog can read" (campaign bs F1), though
 * `--input-format valgrind` read it. Past a window no format claims, detection slides on: a
 * checker's output found late is read as the forced format reads it, line numbers and all.
 */

const DIR = "test/fixtures/late-start";

function fixture(name: string): string {
  return readFileSync(`${DIR}/${name}`, "utf8");
}

/** `n` lines of a program's output (generated: a committed file would be 250 KB of it). */
function output(n: number, line = (i: number) => `program output line ${i}`): string {
  return Array.from({ length: n }, (_, i) => `${line(i + 1)}\n`).join("");
}

function firstRecordLine(result: ReturnType<typeof parse>): number {
  return Math.min(...[...result.leaks, ...result.errors].map((r) => r.location.line ?? 0));
}

const LATE: readonly [string, FormatId, number][] = [
  ["leak.txt", "valgrind", DETECTION_LINES + 1],
  ["leak.xml", "valgrind-xml", 10_500],
  ["ub.log", "sanitizer", 10_500],
  ["asan-uaf.log", "sanitizer", 3 * DETECTION_LINES],
  // Its first two `==PID==` lines end the first window, which they do not make Valgrind's: the
  // next window keeps them, so the record keeps its headline.
  ["q.txt", "valgrind", DETECTION_LINES - 2],
];

describe("a checker's output after more than a window of other lines", () => {
  it.each(LATE)(
    "%s after more lines than a window is read as when forced: %s",
    (name, format, lines) => {
      const log = output(lines) + fixture(name);
      const auto = parse(log, { path: "job.log" });
      expect(auto.fatal).toBeUndefined();
      expect(auto.source.format).toBe(format);
      expect(auto).toEqual(parse(log, { path: "job.log", inputFormat: format }));
      expect(auto.leaks.length + auto.errors.length).toBeGreaterThan(0);
      expect(firstRecordLine(auto)).toBeGreaterThan(lines);
    },
  );

  it("a GitHub Actions job log whose build printed 12,000 lines before its Valgrind step", () => {
    const stamp = "2024-05-01T12:00:00.1234567Z ";
    const build = output(12_000, (i) => `${stamp}[${i}/12000] Building C object foo/f${i}.c.o`);
    const step = [`##[group]Run valgrind --leak-check=full ./build/tests`]
      .concat(fixture("leak.txt").trimEnd().split("\n"))
      .map((line) => `${stamp}${line}\n`)
      .join("");
    const job = parse(build + step, { path: "job.log" });
    expect(job.fatal).toBeUndefined();
    expect(job.source.format).toBe("valgrind");
    const alone = parse(fixture("leak.txt"));
    expect(job.leaks.map((l) => l.bytes)).toEqual(alone.leaks.map((l) => l.bytes));
    expect(job.errors.map((e) => e.kind)).toEqual(alone.errors.map((e) => e.kind));
    expect(firstRecordLine(job) - firstRecordLine(alone)).toBe(12_001);
  });

  it("streams from standard input in small chunks as the file reads", async () => {
    const log = output(DETECTION_LINES + 1) + fixture("leak.txt");
    const bytes = Buffer.from(log);
    const chunks = Array.from({ length: Math.ceil(bytes.length / 4093) }, (_, i) =>
      bytes.subarray(i * 4093, (i + 1) * 4093),
    );
    expect(await parseChunks(chunks, { path: "-" })).toEqual(parse(log, { path: "-" }));
    const piped = await cli(["summarize", "-", "--fail-on", "error"], chunks);
    const forced = await cli(
      ["summarize", "-", "--input-format", "valgrind", "--fail-on", "error"],
      chunks,
    );
    expect(piped.stderr).toBe("");
    expect(piped.code).toBe(1);
    expect(piped.stdout).toBe(forced.stdout);
  });

  it("takes the byte path for the lines after the window that claimed the log", () => {
    // Two tests under Valgrind: the first is claimed a window after it starts, the second's
    // frame lines are read from the bytes.
    let taken = 0;
    const counting: readonly InputFormat[] = INPUT_FORMATS.map((format) => ({
      ...format,
      createParser: (sink, reuse) => {
        const parser = format.createParser(sink, reuse);
        const asciiLine = parser.asciiLine?.bind(parser);
        if (asciiLine !== undefined) {
          parser.asciiLine = (buf, start, end, lineNo) => {
            const took = asciiLine(buf, start, end, lineNo);
            taken += took;
            return took;
          };
        }
        return parser;
      },
    }));
    const second = fixture("leak.txt").replaceAll("==27811==", "==27812==");
    const log =
      output(DETECTION_LINES + 1) + fixture("leak.txt") + output(DETECTION_LINES) + second;
    const engine = new ParseEngine({ path: "job.log", formats: counting, onEvent: () => {} });
    engine.push(log);
    expect(engine.end().fatal).toBeUndefined();
    expect(taken).toBeGreaterThan(10);
  });
});

describe("an input no format claims", () => {
  it("is refused at its end, having been read whole", () => {
    const engine = new ParseEngine({ path: "out.txt", formats: INPUT_FORMATS, onEvent: () => {} });
    engine.push(output(3 * DETECTION_LINES));
    expect(engine.refused).toBe(false);
    const { fatal } = engine.end();
    expect(fatal?.code).toBe("unknown-format");
    expect(fatal?.message).toMatch(
      /^not a log leaklog can read \(tried .* on the whole input, 30000 lines\)$/,
    );
  });

  it("looks for memleax's output at its start only", () => {
    // memleax's banner starts its output (its README row: later, force --input-format memleax).
    const memleax =
      "== Begin monitoring process 4242...\nCallStack[1]: memory expires with 8 bytes, backtrace:\n";
    expect(parse(output(DETECTION_LINES + 1) + memleax).fatal?.code).toBe("unknown-format");
  });

  it("a profile is still refused on its first window, not read to its end", () => {
    const engine = new ParseEngine({
      path: "massif.out.1",
      formats: INPUT_FORMATS,
      onEvent: () => {},
    });
    engine.push(
      "desc: (none)\ncmd: ./x\ntime_unit: i\n" + output(DETECTION_LINES, () => "#-----------"),
    );
    expect(engine.refused).toBe(true);
    expect(engine.end().fatal?.code).toBe("other-tool");
  });

  it("of blank lines only is an empty input, however long", () => {
    expect(parse("\n".repeat(2 * DETECTION_LINES)).fatal?.code).toBe("empty-input");
  });
});
