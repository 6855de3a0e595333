import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../src/api/parse.js";
import { ROOT } from "../helpers/golden.js";

// A real `ctest -V` run of a Valgrind test and an ASan test (fixtures/ctest-verbose/README.md).
const CTEST = readFileSync(join(ROOT, "test/fixtures/ctest-verbose/ctest-v.log"), "utf8");
const findings = (text: string) => {
  const r = parse(text, { path: "ctest.log" });
  return {
    leaks: r.leaks.map((l) => [l.kind, l.bytes, l.pid]),
    errors: r.errors.map((e) => [e.kind, e.pid]),
  };
};

describe("ctest -V output, a test's number before each line of its output", () => {
  it("reads the tests' Valgrind and sanitizer reports", () => {
    const r = parse(CTEST, { path: "ctest.log" });
    expect(r.source.format).toBe("valgrind");
    expect(r.leaks.map((l) => [l.kind, l.bytes, l.pid])).toEqual([["definitely-lost", 112, 1200]]);
    expect(r.errors.map((e) => [e.kind, e.pid])).toEqual([["heap-buffer-overflow", 1201]]);
    expect(r.summaries.some((s) => s.leak?.["indirectly-lost"]?.bytes === 96)).toBe(true);
    expect(r.source.counters.unrecognizedLines).toBe(0);
  });

  it("after a report without numbers, as a job log that runs a test and then ctest -V", () => {
    const plain = readFileSync(join(ROOT, "samples/sanitizer/asan-use-after-free.log"), "utf8");
    const both = findings(`${plain}${CTEST}`);
    expect(both.errors.map(([kind]) => kind)).toEqual([
      "heap-use-after-free",
      "heap-buffer-overflow",
    ]);
  });

  it("leaves numbered program lines alone until CTest's `Test command:` line", () => {
    const r = parse(`1: ==12== is no Valgrind line here\n${CTEST}`, { path: "ctest.log" });
    expect(r.leaks).toHaveLength(1);
    expect(r.source.counters.programLines).toBeGreaterThan(0);
  });
});
