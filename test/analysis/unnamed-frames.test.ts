import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../src/api/parse.js";
import { summarize } from "../../src/api/summarize.js";
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

  it("are told once however often a report of them is merged again", () => {
    let text = readFileSync(join(ROOT, "samples/valgrind/stripped_bin.txt"), "utf8");
    for (let merge = 0; merge < 3; merge += 1) {
      const report = summarize([parse(text, { path: `shard${merge}.json` })]);
      expect(report.diagnostics.filter((d) => d.code === "unnamed-frames")).toHaveLength(1);
      text = JSON.stringify(report, null, 2);
    }
  });

  it("are not told where a frame names a function or a file, or for a jump to nowhere", () => {
    expect(told("samples/valgrind/leak_indirect.txt")).toEqual([]);
    // `at 0x0: ???` names no object: building with -g would not name it.
    expect(told("samples/valgrind/invalid_jump.txt")).toEqual([]);
    // Unsymbolized sanitizer frames are known by their module offsets.
    expect(told("samples/sanitizer/lsan-symbolize0.log")).toEqual([]);
  });
});
