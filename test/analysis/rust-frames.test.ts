import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../src/api/parse.js";
import { summarize } from "../../src/api/summarize.js";
import { ownFrames } from "../../src/analysis/own-frames.js";
import { isRustLibraryFrameAt, withoutRustStartup } from "../../src/analysis/rust-frames.js";
import type { Frame } from "../../src/model/index.js";
import { ROOT } from "../helpers/golden.js";

// Real logs: Rust programs' leaks through the standard library (fixtures/valgrind/rust).
const report = (name: string) => {
  const path = `test/fixtures/valgrind/rust/${name}`;
  return summarize([parse(readFileSync(join(ROOT, path), "utf8"), { path })]);
};

/** Each group's first own frame's function, and its blocks. */
const sites = (name: string) =>
  report(name)
    .groups.map((g) => [ownFrames(g.stack)[0]?.function, g.type === "leak" ? g.blocks : 0])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));

describe("a Rust program's leaks", () => {
  it("group by the program's function, not by the library's allocation path", () => {
    expect(sites("sites-debug.txt")).toEqual([
      ["sites::boxed_a", 1],
      ["sites::boxed_b", 1],
      ["sites::main::{{closure}}", 1],
      ["sites::names_a", 1],
      ["sites::names_b", 1],
      ["sites::shared", 1],
    ]);
    // Inlined into hashbrown's functions in a release build: still one group per function.
    expect(sites("sites-release.txt")).toEqual([
      ["sites::names_a", 1],
      ["sites::names_b", 1],
    ]);
  });

  it("give the text and the XML of one build the same groups", () => {
    for (const build of ["sites-debug", "sites-release", "print-release"]) {
      const text = report(`${build}.txt`).groups.map((g) => g.fingerprint);
      const xml = report(`${build}.xml`).groups.map((g) => g.fingerprint);
      expect(text.sort(), build).toEqual(xml.sort());
    }
  });

  it("place a HashMap leaked by a release build at the program's function", () => {
    // hashbrown's `insert`, `find_or_find_insert_index` and an `UnknownInlinedFun`, all inlined
    // into leaky::leak_map, were taken for the program's own frames.
    expect(sites("print-release.txt")).toContainEqual(["leaky::leak_map", 1]);
    expect(sites("print-release.txt").map((s) => s[0])).not.toContain("UnknownInlinedFun");
  });
});

describe("the Rust library's frames", () => {
  const frame = (fn: string, file?: string, ip?: string): Frame => ({
    function: fn,
    ...(file !== undefined ? { file } : {}),
    ...(ip !== undefined ? { ip } : {}),
  });

  it("are told by path, by crate, and by the function an inlined frame is in", () => {
    const stack = [
      frame("alloc", "alloc.rs", "0x1"), // the library's allocation file
      frame("do_alloc<alloc::alloc::Global>", "src/raw/alloc.rs", "0x2"),
      frame("hashbrown::raw::RawTableInner::new_uninitialized", "src/raw/mod.rs", "0x2"),
      frame("<T as alloc::slice::hack::ConvertVec>::to_vec", "slice.rs", "0x3"),
      frame("<my::Thing as core::ops::drop::Drop>::drop", "thing.rs", "0x4"),
      frame("{closure#0}", "main.rs", "0x5"), // the program's closure in the library's code
      frame("core::ops::function::FnOnce::call_once", "function.rs", "0x5"),
      frame("helper", "util.rs", "0x6"), // inlined into the program's function
      frame("my::run", "main.rs", "0x6"),
      frame("push", "library/alloc/src/vec/mod.rs", "0x7"),
      frame("new<app::Cache>", "sync.rs", "0x8"), // Arc::new inlined into the program's function
      frame("lock", "sync.rs", "0x8"), // the program's own sync.rs
      frame("app::cache", "cache.rs", "0x8"),
    ];
    expect(stack.map((_, i) => isRustLibraryFrameAt(stack, i))).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
      true,
      false,
      false,
      true,
      true,
      false,
      false,
    ]);
  });

  it("leave C and C++ stacks alone", () => {
    const stack = [frame("std::vector<int>::push_back", "stl_vector.h"), frame("main", "a.cpp")];
    expect(stack.map((_, i) => isRustLibraryFrameAt(stack, i))).toEqual([false, false]);
    const bare = [frame("leaky"), frame("main")];
    expect(withoutRustStartup(bare)).toBe(bare);
  });

  it("drop the runtime's start-up below the program's main", () => {
    const stack = [
      frame("app::main", "main.rs"),
      frame("core::ops::function::FnOnce::call_once", "library/core/src/ops/function.rs"),
      frame("std::rt::lang_start", "library/std/src/rt.rs"),
      frame("main"),
    ];
    expect(withoutRustStartup(stack).map((f) => f.function)).toEqual(["app::main"]);
  });
});
