import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../../src/api/parse.js";
import { ROOT } from "../../helpers/golden.js";

// Real ASan logs of programs that switch stacks (fixtures/sanitizer/warnings/README.md).
const parsed = (name: string) => {
  const path = `test/fixtures/sanitizer/warnings/${name}`;
  return parse(readFileSync(join(ROOT, path), "utf8"), { path });
};

describe("AddressSanitizer's warnings that its reports may be false", () => {
  it("tell makecontext/swapcontext, and keep the report after it", () => {
    const report = parsed("ctx.log");
    expect(report.diagnostics.map((d) => [d.severity, d.code, d.line, d.pid])).toEqual([
      ["warning", "sanitizer-warning", 1, 21264],
      ["info", "no-leak-check", 3, 21264],
    ]);
    expect(report.diagnostics[0]?.message).toBe(
      "process 21264: AddressSanitizer does not fully support makecontext/swapcontext, which the program called: its reports may include false positives",
    );
    expect(report.errors.map((e) => e.kind)).toEqual(["heap-buffer-overflow"]);
  });

  it("tell an ignored __asan_handle_no_return, whose next lines are the runtime's", () => {
    const report = parsed("noret.log");
    expect(report.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ["sanitizer-warning", 1],
      ["sanitizer-warning", 2],
    ]);
    expect(report.diagnostics[1]?.message).toContain("false positive reports may follow");
    // Its two unprefixed lines are no program output: the log has none.
    expect(report.source.counters.programLines).toBe(0);
    expect(report.leaks.map((l) => [l.kind, l.bytes])).toEqual([["definitely-lost", 32]]);
  });
});
