import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../src/api/parse.js";
import { summarize } from "../../src/api/summarize.js";
import { fingerprintStack } from "../../src/analysis/fingerprint.js";
import { generateValgrindSuppressions } from "../../src/analysis/suppressions/valgrind-generate.js";
import { ownFrames } from "../../src/analysis/own-frames.js";
import type { Frame } from "../../src/model/index.js";
import { ROOT } from "../helpers/golden.js";

// Real logs: C++ leaks ten library frames deep, -O0 and -O2 (fixtures/valgrind/cpp-inlined).
const report = (name: string) => {
  const path = `test/fixtures/valgrind/cpp-inlined/${name}`;
  return summarize([parse(readFileSync(join(ROOT, path), "utf8"), { path })]);
};

describe("C++ leaks under ten of the library's frames", () => {
  it("stay one group per leak site when the library's frames fill the window", () => {
    for (const name of ["stl-O0.txt", "stl-O2.txt", "stl-O2.xml"]) {
      const groups = report(name).groups;
      expect(groups, name).toHaveLength(20);
      // Each map's 104-byte bucket array, one per function.
      const buckets = groups.filter((g) => g.type === "leak" && g.bytes === 104);
      expect(buckets.map((g) => ownFrames(g.stack)[0]?.function).sort(), name).toEqual([
        "fill_a()",
        "fill_b()",
      ]);
    }
  });

  it("name the program's function first, not an inlined library header", () => {
    const firsts = report("stl-O2.txt").groups.map((g) => ownFrames(g.stack)[0]?.file);
    expect(new Set(firsts)).toEqual(new Set(["stl.cpp"]));
  });

  it("name the program's function, not allocator.h, when C++20 inlines the allocator", () => {
    for (const name of ["cpp20-O0.txt", "cpp20-O0.xml"]) {
      const firsts = report(name).groups.map((g) => ownFrames(g.stack)[0]?.function);
      expect(firsts.sort(), name).toEqual([
        "make_name[abi:cxx11]()",
        "make_name[abi:cxx11]()",
        "make_numbers()",
        "make_numbers()",
      ]);
    }
  });

  it("leave a C program's own allocate (allocator.h) and move (move.h) its own", () => {
    const firsts = report("c-own-headers/vg.txt").groups.map((g) => ownFrames(g.stack)[0]);
    expect(firsts.map((f) => `${f?.function} ${f?.file}`).sort()).toEqual([
      "allocate allocator.h",
      "allocate allocator.h",
      "move move.h",
    ]);
  });

  it("leave a program's own allocator.h its own", () => {
    const library = {
      function: "std::__new_allocator<int>::allocate(unsigned long, void const*)",
      file: "new_allocator.h",
      line: 137,
    };
    const allocate = { function: "allocate", file: "allocator.h", line: 188 };
    const caller = { function: "make()", file: "app.cpp", line: 3 };
    // Without a source tree, allocate() in allocator.h that the library's code calls is the
    // library's, inlined.
    expect(ownFrames([library, allocate, caller])).toEqual([caller]);
    // A C program's own allocate() in its allocator.h calls malloc, not the library (campaign y).
    const malloc = { function: "malloc", object: "/usr/libexec/valgrind/vgpreload.so" };
    const own = { function: "allocate", file: "allocator.h", line: 2 };
    expect(ownFrames([malloc, own, caller])).toEqual([own, caller]);
    // A tree that holds an allocator.h makes it the program's; so does a name of its own.
    const sourceNames = { names: new Set(["allocator.h", "app.cpp"]), complete: true };
    expect(ownFrames([library, allocate, caller], { sourceNames })).toEqual([allocate, caller]);
    const pool = { function: "Pool::allocate(int)", file: "allocator.h", line: 9 };
    expect(ownFrames([library, pool, caller])).toEqual([pool, caller]);
  });

  it("keep the fingerprint of a window that reaches the program's code", () => {
    const frame = (fn: string, file: string): Frame => ({ function: fn, file });
    const library = [
      frame("allocate", "new_allocator.h"),
      frame("std::vector<int, std::allocator<int> >::_M_realloc_insert(int&&)", "vector.tcc"),
    ];
    const short = [...library, frame("fill(std::vector<int>&)", "app.cpp")];
    // The library's frames are hashed as before: the window reaches fill().
    expect(fingerprintStack(short)).not.toBe(fingerprintStack(short.slice(2)));
    const deep = [...library, ...library, ...library, ...library, ...short.slice(2)];
    // Eight of them fill the window: it starts at fill() instead.
    expect(fingerprintStack(deep)).toBe(fingerprintStack(short.slice(2)));
  });
});

describe("Valgrind suppressions for inlined C++ frames", () => {
  const generated = (path: string) =>
    generateValgrindSuppressions(
      summarize([parse(readFileSync(join(ROOT, path), "utf8"), { path })]),
    );

  it("name an inlined frame as printed, the function it is in by its mangled glob", () => {
    const supp = generated("test/fixtures/valgrind/cpp-inlined/stl-O2.txt");
    // `_M_allocate_buckets (hashtable_policy.h:2017)` shares its address with the function
    // it was inlined into, as Valgrind's own blocks name it (`fun:_M_allocate`).
    expect(supp).toContain("   fun:_M_allocate_buckets\n");
    expect(supp).toContain("   fun:_Z*6fill_av\n");
    expect(supp).not.toContain("fun:*9construct*");
  });

  it("keep a recursive call's repeated address a function of its own", () => {
    // thrower(int) (cpp_abort.cpp:10) three times at one address: Valgrind writes
    // `fun:_ZL7throweri` for each.
    const supp = generated("samples/valgrind/cpp_abort.txt");
    expect(supp).toContain("fun:_Z*7throweri");
    expect(supp).not.toContain("fun:thrower(int)");
  });
});
