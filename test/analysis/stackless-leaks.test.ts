import { describe, expect, it } from "vitest";
import { isStacklessLeak } from "../../src/analysis/stackless-leaks.js";
import { parseFile, summarize } from "../../src/index.js";
import { diffCounts } from "../helpers/cli.js";

// Campaign cd Q3, on real runs of one program with and without --keep-stacktraces=none
// (fixtures/valgrind/keep-stacktraces/README.md): Valgrind prints the loss record `at 0x0: ???`
// and puts both definite leaks in it, so a comparison read a new leak and two fixed ones.
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

async function against(baselineLog: string, log: string) {
  const baseline = summarize([await parseFile(baselineLog)]);
  return summarize([await parseFile(log)], { baseline });
}

const statuses = (r: Awaited<ReturnType<typeof report>>) =>
  r.groups.map((g) => [g.kind, g.bytes, g.baseline ?? "none"]);

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

describe("comparing stackless leaks with a baseline", () => {
  it("calls no leak of a stackless kind new, unchanged or fixed, and says why", async () => {
    const r = await against(`${DIR}/stacks-3.19.txt`, `${DIR}/none-3.19.txt`);
    expect(statuses(r)).toEqual([["definitely-lost", 49, "none"]]);
    const warning = r.diagnostics.find((d) => d.code === "baseline-stackless-leaks");
    expect(warning?.message).toBe(
      "1 leak group(s) of this run are neither new nor unchanged, and 2 baseline group(s) not found in this run are not marked fixed: this run's loss records of kind definitely-lost have no allocation stack (see stackless-leaks: Valgrind's --keep-stacktraces=none or =free), so which leaks of that kind are the same is unknown; compare runs made with the default --keep-stacktraces",
    );
    expect(await diffCounts(`${DIR}/stacks-3.19.txt`, `${DIR}/none-3.27.xml`)).toEqual({
      code: 0,
      counts: { new: 0, unchanged: 0, fixed: 0 },
    });
  });

  it("does the like when the baseline kept no stacks, or neither run did", async () => {
    const back = await against(`${DIR}/none-3.19.txt`, `${DIR}/stacks-3.27.txt`);
    expect(statuses(back)).toEqual([
      ["definitely-lost", 33, "none"],
      ["definitely-lost", 16, "none"],
    ]);
    expect(back.diagnostics.find((d) => d.code === "baseline-stackless-leaks")?.message).toMatch(
      /^2 leak group\(s\) of this run are neither new nor unchanged, and 1 baseline group\(s\) not found in this run are not marked fixed: the baseline's loss records/,
    );
    // Two stackless groups share a key and need not hold the same leaks.
    const both = await against(`${DIR}/none-3.19.xml`, `${DIR}/none-3.27.txt`);
    expect(statuses(both)).toEqual([["definitely-lost", 49, "none"]]);
    expect(both.diagnostics.find((d) => d.code === "baseline-stackless-leaks")?.message).toMatch(
      /: both runs' loss records of kind definitely-lost have no allocation stack/,
    );
  });

  it("still tells new and fixed where the other side has no leak of the kind", async () => {
    const clean = "samples/valgrind/clean.txt";
    const added = await against(clean, `${DIR}/none-3.19.txt`);
    expect(statuses(added)).toEqual([["definitely-lost", 49, "new"]]);
    const gone = await against(`${DIR}/none-3.27.xml`, clean);
    expect(statuses(gone)).toEqual([["definitely-lost", 0, "fixed"]]);
    for (const r of [added, gone])
      expect(r.diagnostics.map((d) => d.code)).not.toContain("baseline-stackless-leaks");
  });
});
