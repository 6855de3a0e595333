import { describe, expect, it } from "vitest";
import { parseFile, summarize } from "../../src/index.js";

const DIR = "test/fixtures/valgrind/no-leak-check";

async function against(baselineLog: string, log: string) {
  const baseline = summarize([await parseFile(`${DIR}/${baselineLog}`)]);
  return summarize([await parseFile(`${DIR}/${log}`)], { baseline });
}

// Campaign ba: a run that never looked for leaks called every baseline leak fixed.
describe("a run that checked no leaks, against a baseline", () => {
  it("leaves Valgrind's --leak-check=no run's leaks out of the comparison", async () => {
    const report = await against("full.txt", "no-leak-check.txt");
    expect(report.groups.filter((g) => g.baseline === "fixed")).toEqual([]);
    expect(report.groups.map((g) => [g.kind, g.baseline])).toEqual([
      ["InvalidRead", "unchanged"],
      ["UninitCondition", "unchanged"],
    ]);
    const unlisted = report.diagnostics.find((d) => d.code === "baseline-kinds-unlisted");
    expect(unlisted?.message).toBe(
      "2 baseline group(s) of kind definitely-lost not compared: this run did not list leaks of that kind (a log of it ran no leak check: see no-leak-check), so whether they are fixed is unknown",
    );
  });

  it("leaves an ASan run's leaks out when it stopped before LeakSanitizer ran", async () => {
    const report = await against("asan-leaks.txt", "asan-aborted.txt");
    expect(report.groups.map((g) => [g.kind, g.baseline])).toEqual([
      ["heap-buffer-overflow", "new"],
    ]);
  });

  it("still calls a leak fixed when the run looked and found it gone", async () => {
    const baseline = summarize([await parseFile(`${DIR}/asan-leaks.txt`)]);
    const clean = summarize([await parseFile("samples/sanitizer/lsan-basic.log")], { baseline });
    expect(clean.groups.filter((g) => g.baseline === "fixed").length).toBeGreaterThan(0);
  });
});
