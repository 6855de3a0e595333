import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../src/api/parse.js";
import { ROOT } from "../helpers/golden.js";

const told = (path: string) =>
  parse(readFileSync(join(ROOT, path), "utf8"), { path })
    .diagnostics.filter((d) => d.code === "unnamed-frames")
    .map((d) => [d.severity, d.line]);

describe("stacks known by object names alone (unnamed-frames)", () => {
  it("are told once, at the first record of a stripped program, text and XML", () => {
    // `??? (in /src/vgcorpus/stripped_bin)` in every frame grouped on: its invalid read first.
    expect(told("samples/valgrind/stripped_bin.txt")).toEqual([["info", 7]]);
    expect(told("samples/valgrind-xml/stripped_bin.xml")).toEqual([["info", 38]]);
  });

  it("are not told where a frame names a function or a file, or for a jump to nowhere", () => {
    expect(told("samples/valgrind/leak_indirect.txt")).toEqual([]);
    // `at 0x0: ???` names no object: building with -g would not name it.
    expect(told("samples/valgrind/invalid_jump.txt")).toEqual([]);
    // Unsymbolized sanitizer frames are known by their module offsets.
    expect(told("samples/sanitizer/lsan-symbolize0.log")).toEqual([]);
  });
});
