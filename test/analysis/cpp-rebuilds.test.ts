import { describe, expect, it } from "vitest";
import { stableName } from "../../src/analysis/compiler-names.js";
import { isCppLibraryFunction, isRuntimeFrame } from "../../src/analysis/runtime-frames.js";
import { parseFile, summarize } from "../../src/index.js";

const DIR = "test/fixtures/valgrind/cpp-rebuilds";

/** The baseline statuses of `log`'s groups against `baselineLog`'s report, sorted. */
async function statuses(baselineLog: string, log: string): Promise<(string | undefined)[]> {
  const baseline = summarize([await parseFile(`${DIR}/${baselineLog}`)]);
  const now = summarize([await parseFile(`${DIR}/${log}`)], { baseline });
  return now.groups.map((g) => g.baseline).sort();
}

// Campaign bn F2: gcc names a file's static initialiser after the file's first global symbol.
describe("a static initialiser's leak after an unrelated function is renamed", () => {
  it.each([
    ["init-vg_a.txt", "init-vg_b.txt"],
    ["init-vg_a.xml", "init-vg_b.xml"],
    ["init-asan_a.txt", "init-asan_b.txt"],
  ])("is unchanged: %s against %s", async (a, b) => {
    expect(await statuses(a, b)).toEqual(["unchanged"]);
  });

  it("is unchanged with an init_priority and under -fno-use-cxa-atexit (`_GLOBAL__sub_D.00200_`)", async () => {
    expect(await statuses("prio-a.txt", "prio-b.txt")).toEqual([
      "unchanged",
      "unchanged",
      "unchanged",
    ]);
  });

  it("keeps a prioritised initialiser's frame as the program's", () => {
    const frame = { function: "_GLOBAL__sub_I.00200__Z10read_flagsi", file: "prio.cpp", line: 6 };
    expect(isRuntimeFrame(frame)).toBe(false);
  });

  it("hashes every form of gcc's initialiser name without its made-up part", () => {
    for (const name of [
      "_GLOBAL__sub_I__Z11parse_flagsi",
      "_GLOBAL__sub_I.00200__Z11parse_flagsi",
      "_GLOBAL__sub_I_00200_0__Z11parse_flagsi",
      "_GLOBAL__sub_I_65535_0_main",
      "_GLOBAL__sub_I_init.cpp",
      "_sub_I_65535_0.0",
    ]) {
      expect(stableName(name)).toBe("_GLOBAL__sub_I");
    }
    expect(stableName("_GLOBAL__sub_D.00200__Z10read_flagsi")).toBe("_GLOBAL__sub_D");
    // A program's own names that only look alike stay as they are.
    expect(stableName("_GLOBAL__sub_Iterate")).toBe("_GLOBAL__sub_Iterate");
    expect(stableName("_sub_I_helper")).toBe("_sub_I_helper");
  });
});

// Campaign bn F5: gcc numbers a function's lambdas of one signature, and its unnamed types.
describe("a lambda's or unnamed type's leak after an unrelated one is added above it", () => {
  it.each([
    ["lambda-a.txt", "lambda-b.txt", 1],
    ["unnamed-a.txt", "unnamed-b.txt", 2],
  ])("is unchanged: %s against %s", async (a, b, count) => {
    expect(await statuses(a, b)).toEqual(Array(count).fill("unchanged"));
  });

  it("hashes the names without gcc's numbers, nested ones too", () => {
    expect(stableName("main::{lambda(int)#2}::operator()(int) const")).toBe(
      "main::{lambda(int)}::operator()(int) const",
    );
    expect(stableName("main::{unnamed type#12}::make(int)")).toBe(
      "main::{unnamed type}::make(int)",
    );
    expect(stableName("void f<main::{lambda(main::{lambda()#1}&)#2}>(main::{lambda()#3}&&)")).toBe(
      "void f<main::{lambda(main::{lambda()}&)}>(main::{lambda()}&&)",
    );
    // Parameter numbers do not move with unrelated edits.
    expect(stableName("f(int)::{default arg#1}::operator()() const")).toBe(
      "f(int)::{default arg#1}::operator()() const",
    );
  });
});

// Campaign bn F6: static libstdc++'s functions have the program's object, whatever its name.
describe("a leak through static libstdc++, or a statically linked program renamed", () => {
  it.each([
    ["str-shared.txt", "str-static.txt"],
    ["str-static.txt", "str-static-renamed.txt"],
  ])("is unchanged: %s against %s", async (a, b) => {
    // The static program's still-reachable pool of libstdc++ is not listed (default kinds).
    expect(await statuses(a, b)).toEqual(["unchanged"]);
  });

  it("names the C++ library's functions, demangled or not, and no program's", () => {
    for (const name of [
      "std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >::_M_mutate(unsigned long, unsigned long, char const*, unsigned long)",
      "void std::vector<int, std::allocator<int> >::_M_realloc_insert<int>(int&&)",
      "__gnu_cxx::__verbose_terminate_handler()",
      "__cxa_allocate_exception",
      "_ZNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE9_M_mutateEmmPKcm",
      "_ZNKSt5ctypeIcE8do_widenEc",
    ]) {
      expect(isCppLibraryFunction(name)).toBe(true);
    }
    for (const name of ["main", "app::make(int)", "_ZN3app4makeEi", "stdx::f()", "(below main)"]) {
      expect(isCppLibraryFunction(name)).toBe(false);
    }
  });
});

// Campaign v15b F1: at -O2 a functor's or lambda's thread body is a bare `operator()`.
describe("std::thread bodies that are functors or lambdas, inlined", () => {
  it("stay a group each: std::thread's frames are all that names them", async () => {
    const report = summarize([await parseFile(`${DIR}/threads-b-O2.txt`)]);
    expect(report.groups.map((g) => g.bytes)).toEqual([64, 40, 32, 24]);
  });

  it("show the two new leaks new against the build without them", async () => {
    expect(await statuses("threads-a-O2.txt", "threads-b-O2.txt")).toEqual([
      "new",
      "new",
      "unchanged",
      "unchanged",
    ]);
  });
});

// Campaign v15b F3: without -g, the initialiser's symbol is all that names its file.
describe("static initialisers of two files, built without -g", () => {
  it("stay two groups: a new file's static-init leak is new", async () => {
    expect(await statuses("sinit-one-nog.txt", "sinit-two-nog.txt")).toEqual(["new", "unchanged"]);
  });
});
