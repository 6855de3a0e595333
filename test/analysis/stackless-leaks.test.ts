import { describe, expect, it } from "vitest";
import { isStacklessLeak } from "../../src/analysis/stackless-leaks.js";
import { parseFile, summarize } from "../../src/index.js";

// Campaign cd Q3, on real runs of one program with and without --keep-stacktraces=none
// (fixtures/valgrind/keep-stacktraces/README.md): Valgrind prints the loss record `at 0x0: ???`
// and puts both definite leaks in it, with no word that they cannot be told apart.
const DIR = "test/fixtures/valgrind/keep-stacktraces";
const STACKLESS = [
  "none-3.19.txt",
  "free-3.19.txt",
  "none-3.19.xml",
  "none-3.27.txt",
  "none-3.27.xml",
];

async function report(log: string) {
  return summarize([await parseFile(`${DIR}/${log}`)]);
}

describe("leaks whose loss records have no allocation stack", () => {
  it("knows `0x0: ???` alone from a stack that merely starts there", () => {
    expect(isStacklessLeak([{ ip: "0x0" }])).toBe(true);
    expect(isStacklessLeak([{ ip: "0x00000000" }])).toBe(true);
    // A jump to nowhere (invalid_jump.txt) has its caller under it; `???` alone is code unloaded.
    expect(isStacklessLeak([{ ip: "0x0" }, { ip: "0x109150", function: "main" }])).toBe(false);
    expect(isStacklessLeak([{ ip: "0x51EB150" }])).toBe(false);
    expect(isStacklessLeak([])).toBe(false);
  });

  it.each(STACKLESS)("%s: warns once that its leaks cannot be told apart", async (log) => {
    const r = await report(log);
    expect(r.diagnostics.map((d) => [d.severity, d.code])).toEqual([
      ["warning", "stackless-leaks"],
    ]);
    expect(r.diagnostics[0]?.line).toBe(r.leaks[0]?.location.line);
    expect(r.groups.map((g) => [g.kind, g.bytes, g.blocks])).toEqual([["definitely-lost", 49, 2]]);
  });

  it("says nothing of a run that kept its stacks", async () => {
    for (const log of ["stacks-3.19.txt", "stacks-3.27.txt"])
      expect((await report(log)).diagnostics, log).toEqual([]);
  });
});
