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

// Campaign ca F5: -O0 calls libstdc++.so's copy-assignment, spelled out with no file.
describe("a leak through std::string's copy-assignment, -O0 against -O2", () => {
  it("has libstdc++.so's operator= at -O0 and the header's inlined one at -O2", async () => {
    const [o0, o2] = [await read("strcopy-O0.txt"), await read("strcopy-O2.txt")];
    const names = (report: typeof o0) =>
      report.groups[0]?.stack.map((f) => `${f.function?.replace(/<.*$/s, "")} ${f.file ?? "-"}`);
    expect(names(o0)).toContain("std::__cxx11::basic_string -");
    expect(names(o2)).toContain("operator= basic_string.h");
    expect(o2.groups[0]?.fingerprint).not.toBe(o0.groups[0]?.fingerprint);
  });

  it.each([
    ["strcopy-O0.txt", "strcopy-O2.txt"],
    ["strcopy-O2.txt", "strcopy-O0.txt"],
  ])("is unchanged against the other build's baseline (%s, then %s)", async (a, b) => {
    expect(await statuses(a, b)).toEqual(["unchanged"]);
  });

  // The same function of the same signature: only libstdc++'s spelled-out frames tell them apart.
  it.each([
    ["strcopy-O0.txt", "strcopy-wide-O2.txt"],
    ["strcopy-wide-O0.txt", "strcopy-O2.txt"],
  ])("is not a std::wstring's copy-assignment leak (%s, then %s)", async (a, b) => {
    expect((await statuses(a, b)).sort()).toEqual(["fixed", "new"]);
  });

  // `Named::operator=(Named const&) (in libnamed.so)`: no file, but no function of libstdc++'s.
  it("is not the leak of a program's own operator=, in a library without debug info", async () => {
    expect((await statuses("strcopy-named-O0.txt", "strcopy-O2.txt")).sort()).toEqual([
      "fixed",
      "new",
    ]);
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
