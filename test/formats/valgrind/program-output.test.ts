import { describe, expect, it } from "vitest";
import { parse } from "../../../src/api/parse.js";
import type { ParseSink } from "../../../src/formats/types.js";
import { ValgrindTextParser } from "../../../src/formats/valgrind/text-parser.js";

/*
 * Fragments of Valgrind 3.19 logs of programs whose output shares the log (`2>&1`), trimmed:
 * what the program printed must stay program output, and Valgrind's lines must all be read.
 */

/** The program lines and unrecognized lines the text parser gives for `lines`. */
function sinkOf(lines: readonly string[]): { program: string[]; unrecognized: string[] } {
  const program: string[] = [];
  const unrecognized: string[] = [];
  const ignore = (): void => undefined;
  const sink: ParseSink = {
    finding: ignore,
    summary: ignore,
    diagnostic: ignore,
    process: ignore,
    toolVersion: ignore,
    incomplete: ignore,
    programLine: (line, text) => program.push(`${line}:${text}`),
    unrecognized: (line, text) => unrecognized.push(`${line}:${text}`),
  };
  const parser = new ValgrindTextParser(sink);
  lines.forEach((text, i) => parser.line(text, i + 1));
  parser.end();
  return { program, unrecognized };
}

const text = (lines: readonly string[]): string => lines.join("\n") + "\n";

// jsonout_2to1.txt: the program prints JSON on stderr right after an error's closing line,
// where --gen-suppressions would put its block.
const JSONOUT = [
  "==17515== Memcheck, a memory error detector",
  "==17515== ",
  "==17515== Invalid write of size 1",
  "==17515==    at 0x109167: main (jsonout.c:4)",
  "==17515== ",
  "{",
  '   "status": "ok",',
  '   "count": 3',
  "}",
  "==17515== ",
  "==17515== ERROR SUMMARY: 1 errors from 1 contexts (suppressed: 0 from 0)",
];

// A Param error of a --gen-suppressions=all run made here (write(1, malloc(8), 8)): the block
// has the syscall argument line between its kind line and its frames.
const PARAM_GENSUPP = [
  "==25655== Memcheck, a memory error detector",
  "==25655== ",
  "==25655== Syscall param write(buf) points to uninitialised byte(s)",
  "==25655==    at 0x4954350: write (write.c:26)",
  "==25655==    by 0x109184: main (param.c:5)",
  "==25655== ",
  "{",
  "   <insert_a_suppression_name_here>",
  "   Memcheck:Param",
  "   write(buf)",
  "   fun:write",
  "   fun:main",
  "}",
  "==25655== ERROR SUMMARY: 1 errors from 1 contexts (suppressed: 0 from 0)",
];

describe("a { ... } block after a finding", () => {
  it("is the finding's suppression only in the shape --gen-suppressions writes", () => {
    const param = parse(text(PARAM_GENSUPP));
    expect(param.errors[0]?.suppression).toBe(PARAM_GENSUPP.slice(6, 13).join("\n"));
    expect(param.source.counters.programLines).toBe(0);
  });

  it("is program output, every line of it, when it is the program's JSON", () => {
    const result = parse(text(JSONOUT));
    expect(result.errors.map((e) => e.suppression)).toEqual([undefined]);
    expect(sinkOf(JSONOUT).program).toEqual(JSONOUT.slice(5, 9).map((t, i) => `${i + 6}:${t}`));
  });

  it("gives a block's lines back when a later line breaks the shape, and reads that line", () => {
    const lines = [
      ...PARAM_GENSUPP.slice(0, 11),
      "{", // a line no suppression has: the block so far is output, this one may open a block
      ...PARAM_GENSUPP.slice(7, 13),
    ];
    const result = parse(text(lines));
    expect(result.errors[0]?.suppression).toBe(["{", ...PARAM_GENSUPP.slice(7, 13)].join("\n"));
    expect(sinkOf(lines).program).toEqual(
      PARAM_GENSUPP.slice(6, 11).map((t, i) => `${i + 7}:${t}`),
    );
  });

  it("is program output when longer than any suppression", () => {
    const frames = Array.from({ length: 600 }, (_, i) => `   fun:f${i}`);
    const lines = [...PARAM_GENSUPP.slice(0, 10), ...frames, "}"];
    const result = parse(text(lines));
    expect(result.errors[0]?.suppression).toBeUndefined();
    expect(result.source.counters.programLines).toBe(4 + frames.length + 1);
  });
});
