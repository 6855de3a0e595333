import { describe, expect, it } from "vitest";
import { summarize } from "../../src/api/summarize.js";
import { ownFrames } from "../../src/analysis/own-frames.js";
import { isRustLibraryFrameAt } from "../../src/analysis/rust-frames.js";
import type { Frame } from "../../src/model/index.js";
import { parseFixture } from "../helpers/golden.js";

// Campaign br F2: a crate's own `alloc.rs` and `sync.rs` (test/fixtures/valgrind/rust/userfiles).
const report = (name: string) => summarize([parseFixture(`test/fixtures/valgrind/rust/${name}`)]);

/** Each group's first own frame, as `function file:line`, sorted. */
const places = (name: string) =>
  report(name)
    .groups.map((g) => ownFrames(g.stack)[0])
    .map((f) => `${f?.function} ${f?.file}:${f?.line}`)
    .sort();

describe("a crate's own alloc.rs and sync.rs", () => {
  it("keep their leaks apart in a release build, text and XML, as in a debug build", () => {
    const release = ["make_buffer alloc.rs:3", "make_table alloc.rs:9", "new sync.rs:8"];
    expect(places("userfiles-release.txt")).toEqual(release);
    expect(places("userfiles-release.xml")).toEqual(release);
    expect(places("userfiles-debug.txt")).toEqual([
      "main::alloc::make_buffer alloc.rs:3",
      "main::alloc::make_table alloc.rs:9",
      "main::sync::Pool::new sync.rs:8",
    ]);
    const fingerprints = (name: string) => report(name).groups.map((g) => g.fingerprint);
    expect(fingerprints("userfiles-release.txt").sort()).toEqual(
      fingerprints("userfiles-release.xml").sort(),
    );
  });
});

// Campaign v18b F5: -O0 names them `pool::alloc::allocate` and `pool::sync::Pool::new`, -O2
// inlines them as bare `allocate` and `new`, names the library's own files define too.
describe("a crate's own alloc.rs and sync.rs against a baseline of its other build", () => {
  const statuses = (baseline: string, run: string) =>
    summarize([parseFixture(`test/fixtures/valgrind/rust/${run}`)], {
      baseline: report(baseline),
    }).groups.map((g) => g.baseline);

  it.each([
    ["cargo-pool-debug.txt", "cargo-pool-release.txt"],
    ["cargo-pool-debug.txt", "cargo-pool-release.xml"],
    ["cargo-pool-release.txt", "cargo-pool-debug.txt"],
    ["userfiles-debug.txt", "userfiles-release.txt"],
    ["userfiles-release.xml", "userfiles-debug.txt"],
  ])("is unchanged: %s against %s", (baseline, run) => {
    expect(statuses(baseline, run)).toEqual(["unchanged", "unchanged", "unchanged"]);
  });
});

describe("a frame in a file named like the library's allocation files", () => {
  const frame = (fn: string, file: string, ip: string, dir?: string): Frame => ({
    function: fn,
    file,
    ip,
    ...(dir !== undefined ? { dir } : {}),
  });
  const library = (stack: Frame[]) => stack.map((_, i) => isRustLibraryFrameAt(stack, i));

  it("is the library's by a name the library's file defines, where nothing else tells", () => {
    // Public log 10 (an older rustc): the library's inlined frames have bare file names.
    const stack = [
      frame("allocate", "alloc.rs", "0x1"),
      frame("exchange_malloc", "alloc.rs", "0x1"),
      frame("new<alloc::sync::ArcInner<app::Cache>>", "boxed.rs", "0x1"),
      frame("new<app::Cache>", "sync.rs", "0x1"),
      frame("make_arena", "alloc.rs", "0x1"), // no function of the library's alloc.rs
      frame("app::run", "main.rs", "0x1"),
    ];
    expect(library(stack)).toEqual([true, true, true, true, false, false]);
    // And so is what was inlined into such a function (public log 10).
    const rdl = [
      frame("aligned_malloc", "unix.rs", "0x2"),
      frame("__rdl_alloc", "alloc.rs", "0x2"),
    ];
    expect(library(rdl)).toEqual([true, true]);
  });

  it("is the program's over frames spelled by the library's path, or in a directory of its own", () => {
    const text = [
      frame("from_elem<u32>", "library/alloc/src/vec/mod.rs", "0x1"),
      frame("new", "sync.rs", "0x1"),
      frame("main::main", "main.rs", "0x1"),
    ];
    expect(library(text)).toEqual([true, false, false]);
    const xml = [
      frame("alloc", "alloc.rs", "0x1", "/src/app/src"),
      frame("app::main", "main.rs", "0x1", "/src/app/src"),
    ];
    expect(library(xml)).toEqual([false, false]);
    // Still the library's when its own path says so, in XML as in text.
    const rustc = [frame("alloc", "alloc.rs", "0x1", "/rustc/0123abcd/library/alloc/src")];
    expect(library(rustc)).toEqual([true]);
  });
});
