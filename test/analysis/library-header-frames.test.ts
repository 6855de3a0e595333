import { describe, expect, it } from "vitest";
import { parseFile, summarize } from "../../src/index.js";

const DIR = "test/fixtures/valgrind/cpp-inlining";
const read = async (name: string) => summarize([await parseFile(`${DIR}/${name}`)]);
const statuses = async (baseline: string, run: string) =>
  summarize([await parseFile(`${DIR}/${run}`)], { baseline: await read(baseline) }).groups.map(
    (g) => g.baseline,
  );

// Campaign bn F4: -O2 inlines libstdc++'s header frames into the program's function.
describe("a leak through std::string's assignment, -O0 against -O2", () => {
  it("has frames of libstdc++'s header at -O2 only, and two fingerprints", async () => {
    const [o0, o2] = [await read("str-O0.txt"), await read("str-O2.txt")];
    expect(o2.groups[0]?.stack.map((f) => f.file)).toContain("basic_string.h");
    expect(o0.groups[0]?.stack.map((f) => f.file)).not.toContain("basic_string.h");
    expect(o2.groups[0]?.fingerprint).not.toBe(o0.groups[0]?.fingerprint);
  });

  it.each([
    ["str-O0.txt", "str-O2.txt"],
    ["str-O0.txt", "str-O2.xml"],
    ["str-O2.txt", "str-O0.txt"],
  ])("is unchanged against the other build's baseline (%s, then %s)", async (a, b) => {
    expect(await statuses(a, b)).toEqual(["unchanged"]);
  });
});

// Campaign v15b F2: the header frames a build spells out must still match.
describe("leaks through different containers in one function", () => {
  it("are new against a baseline of another container's leak, at one -O level or two", async () => {
    expect((await statuses("containers-a-O0.txt", "containers-c-O0.txt")).sort()).toEqual([
      "fixed",
      "new",
    ]);
    expect((await statuses("containers-a-O0.txt", "containers-b-O2.txt")).sort()).toEqual([
      "new",
      "new",
      "unchanged",
    ]);
  });
});
