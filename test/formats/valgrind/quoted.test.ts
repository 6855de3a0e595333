import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, type ParseResult } from "../../../src/api/parse.js";
import { ROOT } from "../../helpers/golden.js";

/*
 * Valgrind's lines quoted in other text (test/fixtures/valgrind/quoted): pytest's report of a
 * failed test quotes what the test held, and must not make processes of it; a Valgrind line that
 * a program's output really glued is still read.
 */

const fixture = (name: string): string =>
  readFileSync(join(ROOT, "test/fixtures/valgrind/quoted", name), "utf8");

/** Each line with `prefix` before it, as a CI's log keeps it. */
const prefixed = (log: string, prefix: string): string =>
  log
    .split("\n")
    .map((line) => (line === "" ? line : prefix + line))
    .join("\n");

/** The one real process of pytest_assert*.txt: a clean run, glued after `test_valgrind.py `. */
function expectOnlyTheCleanRun(result: ParseResult, pid = 31965): void {
  expect(result.source.processes).toEqual([{ pid, command: "./clean" }]);
  expect(result.errors).toEqual([]);
  expect(result.leaks).toEqual([]);
  expect(result.diagnostics).toEqual([]);
  expect(result.source.complete).toBe(true);
}

describe("a Valgrind line quoted after an escaped line end (pytest's repr)", () => {
  it("is the quoting text's, not a run of its PID", () => {
    const result = parse(fixture("pytest_mix.txt"));
    expect(result.source.processes.filter((p) => p.pid === 16068)).toEqual([
      { pid: 16068, command: "/tmp/camp-bl/src/t_leak" },
    ]);
    const mismatches = result.diagnostics.filter((d) => d.code === "summary-mismatch");
    expect(mismatches.filter((d) => d.pid === 16068)).toEqual([]);
    expect(result.leaks.filter((l) => l.pid === 16068).length).toBeGreaterThan(0);
  });

  it("but for a real line glued after program text that ends in a literal \\n", () => {
    const result = parse(fixture("escaped-output.log"));
    expect(result.errors.map((e) => e.kind)).toEqual(["InvalidRead"]);
    expect(result.diagnostics.map((d) => d.code)).not.toContain("summary-mismatch");
  });
});

describe("Valgrind's lines in pytest's report of a failed test", () => {
  it("after `E` are the assertion message's: no process of their PID (campaign v14 F4)", () => {
    // `E         ==16069== ERROR SUMMARY: ...` opened a -s recap of a PID that only pytest's
    // text holds, never closed: a false incomplete.
    const result = parse(fixture("pytest_mix.txt"));
    expect(result.source.processes).toEqual([{ pid: 16068, command: "/tmp/camp-bl/src/t_leak" }]);
    expect(result.diagnostics).toEqual([]);
    expect(result.source.complete).toBe(true);
  });

  it("make no run of their own, quoted whole after `E`, `>` or in the short summary", () => {
    // test_overrun's message is Valgrind's whole stderr: read as a run, it gave an error and
    // two leaks the log's only real run (test_clean's) does not have; `>` quoted PID 1's summary.
    expectOnlyTheCleanRun(parse(fixture("pytest_assert.txt")));
  });

  it("nor in colour (--color=yes), where the short summary quotes a whole banner line", () => {
    expectOnlyTheCleanRun(parse(fixture("pytest_assert_color.txt")), 1168);
  });

  it("nor behind a CI's prefixes, which still give the real run", () => {
    const log = fixture("pytest_assert.txt");
    for (const prefix of [
      "2024-05-01T12:00:01.1234567Z ",
      "2024-05-01T12:00:01.123456Z 01E ",
      "[2026-11-22T10:00:00.123Z] ",
      "10:00:00  ",
      "#9 0.523 ",
      "tests-1  | ",
    ]) {
      expectOnlyTheCleanRun(parse(prefixed(log, prefix)));
    }
  });
});
