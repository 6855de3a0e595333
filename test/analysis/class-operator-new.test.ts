import { describe, expect, it } from "vitest";
import { parseFile, summarize } from "../../src/index.js";

const DIR = "test/fixtures/valgrind/cpp-inlining";
const read = async (name: string) => summarize([await parseFile(`${DIR}/${name}`)]);

// Campaign bn F1: a class's own operator new, inlined at -O2, is the program's frame.
describe("a class's own operator new, inlined", () => {
  it("is the leak's site, not skipped as the allocator", async () => {
    const report = await read("opnew-O2.txt");
    const sites = report.groups.map((g) =>
      g.stack.slice(0, 2).map((f) => (f.file ? `${f.function} (${f.file}:${f.line})` : f.function)),
    );
    expect(sites).toEqual([
      ["malloc", "operator new (opnew.cpp:3)"],
      ["malloc", "main (opnew.cpp:8)"],
    ]);
    // main's own malloc is a group of its own, not merged with the class allocators' leaks.
    expect(report.groups.map((g) => g.bytes)).toEqual([48, 5]);
  });

  it("is unchanged against the -O0 build, and against ASan, not fixed", async () => {
    const baseline = await read("opnew-O0.txt");
    const o2 = summarize([await parseFile(`${DIR}/opnew-O2.txt`)], { baseline });
    // Fixed baseline groups are groups too: none of the -O0 build's three is called fixed.
    expect(o2.groups.map((g) => g.baseline)).toEqual(["unchanged", "unchanged"]);
    const asan = summarize([await parseFile(`${DIR}/opnew-asan-O2.txt`)], {
      baseline: await read("opnew-O2.txt"),
    });
    expect(asan.groups.map((g) => g.baseline)).toEqual(["unchanged", "unchanged", "unchanged"]);
  });
});
