import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, type ParseResult } from "../../../src/api/parse.js";
import { ROOT } from "../../helpers/golden.js";

// Campaign bg F6 (test/fixtures/memwatch-cut).
const fixture = (name: string): string =>
  readFileSync(join(ROOT, "test", "fixtures", "memwatch-cut", name), "utf8");
const sample = (name: string): string =>
  readFileSync(join(ROOT, "samples", "memwatch", name), "utf8");
const asMemwatch = (text: string): ParseResult => parse(text, { inputFormat: "memwatch" });
const withCode = (r: ParseResult, code: string) => r.diagnostics.filter((d) => d.code === code);

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
