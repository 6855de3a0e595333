import { describe, expect, it } from "vitest";
import { summarize } from "../../src/api/summarize.js";
import { isAllocatorFrame } from "../../src/analysis/allocator-frames.js";
import { ownFrames } from "../../src/analysis/own-frames.js";
import { isRustLibraryFrame } from "../../src/analysis/rust-frames.js";
import { parseFixture } from "../helpers/golden.js";

// Campaign br F4: `#[global_allocator]` and Rust 1.9x's `__rustc` shims (fixtures/valgrind/rust).
const report = (name: string) => summarize([parseFixture(`test/fixtures/valgrind/rust/${name}`)]);

/** Each group's first own frame, as `function file:line`, sorted. */
const places = (name: string) =>
  report(name)
    .groups.map((g) => ownFrames(g.stack)[0])
    .map((f) => `${f?.function} ${f?.file}:${f?.line}`)
    .sort();

const fingerprints = (name: string) =>
  report(name)
    .groups.map((g) => `${g.kind} ${g.fingerprint}`)
    .sort();

describe("a Rust program's global allocator", () => {
  it("is skipped like malloc: each leak is at the program's allocation", () => {
    const system = ["prog::leak_a prog.rs:8", "prog::leak_b prog.rs:14"];
    expect(places("global-system-debug.txt")).toEqual(system);
    expect(places("global-system-debug.xml")).toEqual(system);
    const counting = ["prog::leak_a prog.rs:23", "prog::leak_b prog.rs:29"];
    expect(places("global-counting-debug.txt")).toEqual(counting);
    expect(places("global-counting-debug.xml")).toEqual(counting);
  });

  it("does not change the leaks' fingerprints", () => {
    const system = fingerprints("global-system-debug.txt");
    expect(fingerprints("global-system-debug.xml")).toEqual(system);
    expect(fingerprints("global-counting-debug.txt")).toEqual(system);
    expect(fingerprints("global-counting-debug.xml")).toEqual(system);
  });

  it("is told by the shims' names, old and new, and by a GlobalAlloc impl", () => {
    const allocator = (fn: string) => isAllocatorFrame({ function: fn, file: "prog.rs" });
    expect(allocator("__rust_alloc")).toBe(true);
    expect(allocator("__rustc::__rust_alloc")).toBe(true);
    expect(allocator("__rustc::__rust_realloc")).toBe(true);
    expect(allocator("<prog::Counting as core::alloc::global::GlobalAlloc>::alloc_zeroed")).toBe(
      true,
    );
    expect(allocator("__rustc::rust_begin_unwind")).toBe(false);
    expect(allocator("<prog::Counting as core::alloc::global::GlobalAlloc>::dealloc")).toBe(false);
    expect(allocator("<prog::Counting as prog::Pool>::alloc")).toBe(false);
  });
});

describe("Rust's panic shims", () => {
  it("are the library's: a panic=abort run's text and XML fingerprint the abort alike", () => {
    const frame = { function: "__rustc::rust_begin_unwind", file: "panicking.rs", line: 689 };
    expect(isRustLibraryFrame(frame)).toBe(true);
    const signal = (name: string) =>
      report(name).groups.find((g) => g.kind === "FatalSignal")?.fingerprint;
    expect(signal("panic-abort.txt")).toBeDefined();
    expect(signal("panic-abort.txt")).toBe(signal("panic-abort.xml"));
  });
});
