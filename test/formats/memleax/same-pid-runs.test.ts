import { describe, expect, it } from "vitest";
import { parse, type ParseResult } from "../../../src/api/parse.js";
import { summarize } from "../../../src/api/summarize.js";
import { sampleText } from "./helpers.js";

// `memleax -e 30 $(pidof server) >> leaks.log`, run twice against one daemon (campaign bg F4).
const SINGLE = sampleText("01-single-stack-sigint.log");
const MULTI = sampleText("02-multi-stacks-malloc-calloc-realloc.log").replace(
  "== Begin monitoring process 11644...",
  "== Begin monitoring process 11641...",
);
const asMemleax = (text: string): ParseResult =>
  parse(text, { inputFormat: "memleax", path: "leaks.log" });
const mismatches = (r: { diagnostics: readonly { code: string }[] }): unknown[] =>
  r.diagnostics.filter((d) => d.code === "summary-mismatch");

describe("memleax: two monitoring runs of one PID in one log", () => {
  it("makes the second banner the PID's next run, with its own records and report", () => {
    const result = asMemleax(SINGLE + SINGLE);
    expect(result.source.complete).toBe(true);
    expect(result.source.processes).toEqual([{ pid: 11641 }, { pid: 11641, run: 2 }]);
    expect(result.leaks.map((l) => [l.run, l.leakCheck])).toEqual([
      [undefined, undefined],
      [2, 2],
    ]);
    expect(result.summaries.map((s) => [s.run, s.leakCheck])).toEqual([
      [undefined, undefined],
      [2, 2],
    ]);
  });

  it("checks each run's report against its own records: no false summary-mismatch", () => {
    for (const text of [SINGLE + SINGLE, SINGLE + MULTI]) {
      const report = summarize([asMemleax(text)]);
      expect(mismatches(report)).toEqual([]);
    }
  });
});
