import { describe, expect, it } from "vitest";
import { parseFile, summarize } from "../../src/index.js";

const DIR = "test/fixtures/valgrind/below-main";

// Campaign bd: `--show-below-main=yes` prints `__libc_start_main@@GLIBC_2.34` under `main`.
describe("frames below main", () => {
  it("are left out of a stack's fingerprint however a tool or option shows them", async () => {
    const logs = ["default.txt", "below.txt", "below.xml", "asan.txt"];
    const results = await Promise.all(logs.map((log) => parseFile(`${DIR}/${log}`)));
    const below = results[1]?.leaks[0]?.stack.map((f) => f.function);
    expect(below).toContain("__libc_start_main@@GLIBC_2.34");
    const report = summarize(results);
    expect(report.groups.map((g) => [g.kind, g.occurrences, g.bytes])).toEqual([
      ["definitely-lost", 4, 160],
    ]);
  });
});
