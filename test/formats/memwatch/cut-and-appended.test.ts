import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, type ParseResult } from "../../../src/api/parse.js";
import { ROOT } from "../../helpers/golden.js";

// Campaign bg F5 and F6 (test/fixtures/memwatch-cut).
const fixture = (name: string): string =>
  readFileSync(join(ROOT, "test", "fixtures", "memwatch-cut", name), "utf8");
const sample = (name: string): string =>
  readFileSync(join(ROOT, "samples", "memwatch", name), "utf8");
const asMemwatch = (text: string): ParseResult => parse(text, { inputFormat: "memwatch" });
const withCode = (r: ParseResult, code: string) => r.diagnostics.filter((d) => d.code === code);

describe("memwatch: a last line without its line end is a cut file", () => {
  it("does not take a statistics number cut short as MEMWATCH's total", () => {
    const result = asMemwatch(fixture("statistics-cut.log"));
    expect(result.source.complete).toBe(false);
    expect(withCode(result, "incomplete")).toMatchObject([
      {
        line: 27,
        pid: 1,
        message:
          "session 1 (line 2) ends before its statistics block is complete; the log is cut inside line 27, which has no line end",
      },
    ]);
    // ` U)nfreed bytes totals      : 428` is 4282 cut: no total, so no false mismatch.
    expect(withCode(result, "summary-mismatch")).toEqual([]);
    expect(result.summaries.map((s) => s.leak)).toEqual([undefined]);
    expect(result.leaks.reduce((sum, l) => sum + l.bytes, 0)).toBe(4282);
  });

  it("is cut even when only the line end is missing, since a number may go on", () => {
    const whole = sample("unfreed_sizes.log");
    const result = asMemwatch(whole.slice(0, -1));
    expect(result.source.complete).toBe(false);
    expect(result.summaries.map((s) => s.leak)).toEqual([undefined]);
    const read = asMemwatch(whole);
    expect(read.source.complete).toBe(true);
    expect(read.summaries[0]?.leak?.["definitely-lost"]?.bytes).toBe(4282);
  });

  it("is cut after a whole statistics block too (no MW_STDIO: the anomaly count is last)", () => {
    const whole = sample("classic_no_stdio.log");
    const result = asMemwatch(whole.slice(0, -1));
    expect(result.source.complete).toBe(false);
    const last = whole.slice(0, -1).split("\n").length;
    expect(withCode(result, "incomplete").map((d) => d.message)).toEqual([
      `session 1 (line 2) is not whole; the log is cut inside line ${last}, which has no line end`,
    ]);
    // What was read whole is still checked: U)nfreed bytes was not the cut line.
    expect(result.summaries[0]?.leak?.["definitely-lost"]?.bytes).toBe(512);
  });
});

describe("memwatch: a crashed session, then the next run appended to its log", () => {
  it("puts the crashed session's incomplete warning on its own last line, with its pid", () => {
    const result = asMemwatch(fixture("crash-then-rerun.log"));
    expect(result.source.complete).toBe(false);
    // Line 10 ends session 1, as when crash_truncated.log is read alone; line 19 is run 2's.
    expect(withCode(result, "incomplete")).toMatchObject([{ line: 10, pid: 1 }]);
    expect(withCode(asMemwatch(sample("crash_truncated.log")), "incomplete")).toMatchObject([
      { line: 10, pid: 1 },
    ]);
  });
});
