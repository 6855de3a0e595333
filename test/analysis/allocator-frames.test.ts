import { describe, expect, it } from "vitest";
import { isAllocatorFrame } from "../../src/analysis/allocator-frames.js";
import { summarize } from "../../src/api/summarize.js";
import { parseFixture } from "../helpers/golden.js";

describe("allocator frames", () => {
  it("include macOS's zone allocator, which Valgrind replaces (public log 26)", () => {
    const object = "/usr/local/libexec/valgrind/vgpreload_memcheck-amd64-darwin.so";
    expect(isAllocatorFrame({ function: "malloc_zone_malloc", object })).toBe(true);
    expect(isAllocatorFrame({ function: "malloc_zone_calloc", object })).toBe(true);
    expect(isAllocatorFrame({ function: "malloc_zone_statistics" })).toBe(false);
  });

  it("include every global operator new and delete as --demangle=no names them", () => {
    const object = "/usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so";
    for (const fn of ["_ZdlPvm", "_ZdaPv", "_ZnwmSt11align_val_t", "_ZnamRKSt9nothrow_t"])
      expect(isAllocatorFrame({ function: fn, object }), fn).toBe(true);
    // A class's own operator new, and a function of the program called dl.
    expect(isAllocatorFrame({ function: "_ZN1AnwEm", file: "a.cpp" })).toBe(false);
    expect(isAllocatorFrame({ function: "_Z2dlv", file: "a.cpp" })).toBe(false);
  });

  it("fingerprint --demangle=no's bugs alike under Valgrind 3.19 and 3.27 (campaign cd F1)", () => {
    const groups = (log: string) =>
      summarize([parseFixture(`test/fixtures/valgrind/demangle-no/${log}`)]).groups;
    const old = groups("v319.txt");
    const current = new Set(groups("v327.txt").map((g) => g.fingerprint));
    // The mismatched and invalid delete, the aligned and the nothrow new's leaks.
    expect(old.map((g) => g.kind).sort()).toEqual([
      "InvalidFree",
      "MismatchedFree",
      "definitely-lost",
      "definitely-lost",
    ]);
    expect(old.filter((g) => !current.has(g.fingerprint))).toEqual([]);
  });
});
