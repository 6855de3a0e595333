import { describe, expect, it } from "vitest";
import { parseFile } from "../../src/api/parse.js";
import { summarize } from "../../src/api/summarize.js";

const DIR = "test/fixtures/startup-frames";

/** The fingerprints of a log's groups, sorted. */
async function groupsOf(name: string): Promise<string[]> {
  const report = summarize([await parseFile(`${DIR}/${name}`)]);
  return report.groups.map((g) => g.fingerprint).sort();
}

describe("start-up frames at the bottom of a stack with no main", () => {
  it("a thread's leak fingerprints alike under Valgrind, its --num-callers cut, ASan and LSan", async () => {
    const logs = ["vg", "vg_nc3", "asan", "asan_slow", "lsan"].map((t) => `thread-${t}.txt`);
    const groups = await Promise.all(logs.map(groupsOf));
    expect(groups[0]).toHaveLength(1);
    for (const other of groups.slice(1)) expect(other).toEqual(groups[0]);
  });

  it("a std::thread worker's leak fingerprints alike under Valgrind and ASan", async () => {
    const valgrind = await groupsOf("stdthread-vg.txt");
    expect(valgrind).toHaveLength(1);
    expect(await groupsOf("stdthread-asan.txt")).toEqual(valgrind);
  });

  it("a constructor's and an atexit handler's leaks fingerprint alike under Valgrind and ASan", async () => {
    const valgrind = await groupsOf("ctor-atexit-vg.txt");
    expect(valgrind).toHaveLength(2);
    expect(await groupsOf("ctor-atexit-asan.txt")).toEqual(valgrind);
  });
});
