import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../../src/api/parse.js";
import { summarize } from "../../../src/api/summarize.js";
import { incompletePaths, summaryOnlySentence } from "../../../src/report/describe.js";
import { ROOT } from "../../helpers/golden.js";

// A real -s log (fixtures/valgrind/named-threads/README.md), cut as size limits and killed runners cut.
const full = readFileSync(join(ROOT, "test/fixtures/valgrind/named-threads/vg.txt"));

describe("a log cut in its summaries or its -s recap", () => {
  const whole = parse(full, { path: "vg.txt" });

  it("whole, is complete: the write counted twice, as its recap says", () => {
    expect(whole.source.complete).toBe(true);
    expect(whole.errors.map((e) => [e.kind, e.count])).toEqual([["InvalidWrite", 2]]);
    expect(whole.diagnostics).toEqual([]);
  });

  it("cut at any byte from its LEAK SUMMARY to its last line's end, is incomplete and counts no more", () => {
    const from = full.indexOf("LEAK SUMMARY");
    // The last byte is the final line's newline: without it, the line is whole.
    for (let end = from; end < full.length - 1; end += 1) {
      const cut = parse(full.subarray(0, end), { path: "vg.txt" });
      const at = `cut at byte ${end} of ${full.length}`;
      // A cut inside ERROR SUMMARY read as 0 contexts and a complete run; one inside the recap
      // made its cut context a third write "inherited from a parent", and a complete run.
      expect(cut.source.complete, at).toBe(false);
      const writes = cut.errors.filter((e) => e.kind === "InvalidWrite");
      expect(writes.length, at).toBe(1);
      expect(writes[0]?.count, at).toBeLessThanOrEqual(2);
      expect(
        cut.diagnostics.map((d) => d.code),
        at,
      ).not.toContain("inherited-contexts");
    }
  });
});

describe("a log that starts inside a record's stack (campaign bl Q3)", () => {
  const tail = readFileSync(join(ROOT, "test/fixtures/valgrind/tail-cut/tail11.txt"));

  it("is incomplete, and its leaks without records are said lost, not hidden by an option", () => {
    const result = parse(tail, { path: "tail11.txt" });
    expect(result.source.complete).toBe(false);
    expect(result.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ["incomplete", 1],
      ["unrecognized-line", 1],
      ["summary-mismatch", 11],
    ]);
    const report = summarize([result]);
    expect(summaryOnlySentence(report.summaryOnlyLeaks ?? [], incompletePaths(report))).toContain(
      "the log is incomplete, and lost them",
    );
  });

  it("is not incomplete when the stray frames come after the process's first lines", () => {
    const text = tail.toString().replace(/^/, "==17387== Memcheck, a memory error detector\n");
    expect(parse(text, { path: "tail11.txt" }).diagnostics.map((d) => d.code)).not.toContain(
      "incomplete",
    );
  });
});
