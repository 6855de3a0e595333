import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, type ParseResult } from "../../../src/index.js";
import { parseSample, ROOT, sampleFiles } from "../../helpers/golden.js";

// Real runs with --error-markers; see the README.md.
const DIR = join(ROOT, "test", "fixtures", "valgrind", "error-markers");
const CASES = [
  { name: "both-s.txt", begin: "ERRBEGIN", end: "ERREND" },
  { name: "begin-threads.txt", begin: "BEGIN", end: undefined },
  { name: "end-indirect.txt", begin: undefined, end: "END" },
  // 3.23+ glues a descriptor error's END (and the next BEGIN) to its block (campaign v24 F3).
  { name: "dcm-markers-3.27.txt", begin: "BEGIN", end: "END" },
  { name: "dcm-markers-q-3.24.txt", begin: "BEGIN", end: "END" },
  { name: "mix-endonly-3.27.txt", begin: undefined, end: "END" },
];
const PREFIX = /^==\d+== /;

/** The records as they would compare across two logs: no ids, no lines. */
const records = (result: ParseResult) =>
  [...result.leaks, ...result.errors].map(({ id: _id, location: _at, ...rest }) => rest);

describe("Valgrind's --error-markers lines", () => {
  for (const { name, begin, end } of CASES) {
    const text = readFileSync(join(DIR, name), "utf8");
    const markers = new Set([begin, end].filter((m) => m !== undefined));
    const isMarker = (line: string) => markers.has(line.replace(PREFIX, ""));

    it(`${name}: the records of the same log without its marker lines, none unrecognized`, () => {
      const marked = parse(text, { path: name });
      const plain = parse(
        text
          .split("\n")
          .filter((l) => !isMarker(l))
          .join("\n"),
        { path: name },
      );
      expect(text.split("\n").filter(isMarker).length).toBeGreaterThan(2);
      expect(marked.source.counters.unrecognizedLines).toBe(0);
      expect(records(marked)).toEqual(records(plain));
      expect(marked.summaries.map(({ line: _line, ...s }) => s)).toEqual(
        plain.summaries.map(({ line: _line, ...s }) => s),
      );
      expect(marked.diagnostics.filter((d) => d.code !== "error-markers")).toEqual(
        plain.diagnostics.map((d) => expect.objectContaining({ code: d.code, message: d.message })),
      );
    });

    it(`${name}: each marker told of once, as the marker it is, at its first line`, () => {
      const told = parse(text, { path: name }).diagnostics.filter(
        (d) => d.code === "error-markers",
      );
      const lines = text.split("\n");
      const expected = [
        ...(begin !== undefined ? [{ text: begin, which: "begin" }] : []),
        ...(end !== undefined ? [{ text: end, which: "end" }] : []),
      ].map(({ text: marker, which }) => ({
        severity: "info",
        line: lines.findIndex((l) => l.replace(PREFIX, "") === marker) + 1,
        message: expect.stringContaining(`"${marker}" read as Valgrind's ${which} marker`),
      }));
      expect(told).toEqual(expected.map((e) => expect.objectContaining(e)));
    });
  }

  it("takes no line for a marker in the samples, which ran without them", async () => {
    for (const name of sampleFiles("valgrind", [".txt"])) {
      const result = await parseSample("valgrind", name);
      expect(
        result.diagnostics.map((d) => d.code),
        name,
      ).not.toContain("error-markers");
    }
  });
});
