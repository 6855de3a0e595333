import { describe, expect, it } from "vitest";
import { withoutAllocatorFrames } from "../../src/analysis/allocator-frames.js";
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

  // Campaign bn F3: std::thread's own frames above the trampoline, gone at -O2 or cut.
  it("a std::thread worker's leak fingerprints alike at -O0, at -O2, under --num-callers=6 and ASan", async () => {
    const logs = ["vg_O0", "vg_O2", "vg_O0_nc6", "asan_O0", "asan_O0_slow"];
    const groups = await Promise.all(logs.map((t) => groupsOf(`worker-${t}.txt`)));
    expect(groups[0]).toHaveLength(1);
    for (const other of groups.slice(1)) expect(other).toEqual(groups[0]);
  });

  it("a std::thread's member function is unchanged from -O0 to -O2, a lambda body not", async () => {
    const baseline = summarize([await parseFile(`${DIR}/stdthread-kinds-O0.txt`)]);
    const now = summarize([await parseFile(`${DIR}/stdthread-kinds-O2.txt`)], { baseline });
    const status = (bytes: number) =>
      now.groups.filter((g) => (g.baselineAmounts ?? g).bytes === bytes).map((g) => g.baseline);
    expect(status(15)).toEqual(["unchanged"]);
    // -O2 names the lambda's body `operator()` bare: std::thread's frames, kept, are all that
    // tell it from another functor's or lambda's (campaign v15b F1), so it is new and fixed.
    expect(status(33).sort()).toEqual(["fixed", "new"]);
    // -O2 tail-calls the thread's lambda into std::function's handler: a real change of stack.
    expect(status(44).sort()).toEqual(["fixed", "new"]);
  });

  it("keeps std::__invoke in the middle of a stack, under the thread's own function", async () => {
    const { leaks } = await parseFile(`${DIR}/stdthread-kinds-O0.txt`);
    const leak = leaks.find((r) => r.bytes === 44);
    const names = withoutAllocatorFrames(leak?.stack ?? []).map((f) => f.function);
    expect(names.slice(1, 5).map((n) => n?.replace(/<.*$/s, ""))).toEqual([
      "void std::__invoke_impl",
      "std::enable_if",
      "std::_Function_handler",
      "std::function",
    ]);
    expect(names.at(-1)).toBe("main::{lambda()#3}::operator()() const");
  });
});
