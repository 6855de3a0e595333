import { describe, expect, it } from "vitest";
import { parseFile, summarize } from "../../src/index.js";

// Real runs of one program under Valgrind and gcc's ASan (test/fixtures/sanitizer/internal-linkage).
const DIR = "test/fixtures/sanitizer/internal-linkage";
const read = (name: string) => parseFile(`${DIR}/${name}`);

describe("a C++ function of internal linkage, which gcc's ASan names bare", () => {
  it("is a group per tool in one report", async () => {
    const report = summarize([await read("valgrind.txt"), await read("asan.txt")]);
    expect(report.groups).toHaveLength(4);
  });

  it("is unchanged against the other tool's baseline, either way (campaign bn Q2)", async () => {
    const valgrind = summarize([await read("valgrind.txt")]);
    const asan = summarize([await read("asan.txt")]);
    const statuses = (baseline: typeof valgrind, run: string) =>
      read(run).then((r) => summarize([r], { baseline }).groups.map((g) => g.baseline));
    expect(await statuses(valgrind, "asan.txt")).toEqual(["unchanged", "unchanged"]);
    expect(await statuses(asan, "valgrind.txt")).toEqual(["unchanged", "unchanged"]);
  });
});
