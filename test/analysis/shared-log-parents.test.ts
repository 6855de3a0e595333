import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, summarize, type Report } from "../../src/index.js";
import { cli } from "../helpers/cli.js";
import { ROOT } from "../helpers/golden.js";

// Real valgrind 3.19 and 3.27 runs of forksys.c under --trace-children=yes with `2> log`, the
// setup that keeps what a program prints before it execs: the parent leaks 100 bytes, forks a
// child that leaks 7 and exits, and runs system("true") after the child ended or before the
// fork (see the fixture's README.md). The traced shell prints a preamble into the shared log.
const DIR = join(ROOT, "test", "fixtures", "valgrind", "fork-leaks");
const read = (name: string): [path: string, text: string] => [
  name,
  readFileSync(join(DIR, name), "utf8"),
];
const summarized = (logs: [string, string][], options = {}): Report =>
  summarize(
    logs.map(([path, text]) => parse(text, { path })),
    options,
  );
const definitelyLost = (report: Report) => report.totals.leaks["definitely-lost"];
const copies = (report: Report) =>
  report.leaks.flatMap((l) => (l.inheritedFrom === undefined ? [] : [[l.pid, l.inheritedFrom]]));
const uncompared = (report: Report) =>
  report.diagnostics.filter((d) => d.code === "inherited-loss-records-uncompared");

/** The program's own leaks: the parent's 100 bytes and the child's 7. */
const OWN = { bytes: 107, blocks: 2 };

describe("a forked child in a log it shares with a shell system() started later", () => {
  // Campaign camp2 F1: the shell's preamble, after the child's lines, made the log one of two
  // preambles, which named no parent: 207 bytes, and a --max-bytes gate of 150 failed.
  it.each([
    ["forksys-after.txt", 10667, 10634],
    ["forksys-after-327.txt", 10706, 10693],
  ])(
    "%s: counts the child's copy once, the parent's being the one preamble before it",
    (name, child, parent) => {
      const report = summarized([read(name)]);
      expect(definitelyLost(report)).toEqual(OWN);
      expect(report.totals.inheritedLeaks).toEqual({
        "definitely-lost": { bytes: 100, blocks: 1 },
      });
      expect(copies(report)).toEqual([[child, expect.objectContaining({ parentPid: parent })]]);
      expect(uncompared(report)).toEqual([]);
    },
  );

  it("passes the gate the program's own bytes pass", async () => {
    const args = ["summarize", join(DIR, "forksys-after.txt"), "--max-bytes"];
    expect((await cli([...args, "definitely-lost=150"])).code).toBe(0);
    expect((await cli([...args, "definitely-lost=100"])).code).toBe(1);
  });

  it("says past --max-records that the log's records were not compared", () => {
    // A log that shows two PIDs' preambles keeps nothing past the cap (see manyProgramInputs).
    const capped = summarized([read("forksys-after.txt")], { maxRecords: 1 });
    expect(definitelyLost(capped)).toEqual({ bytes: 207, blocks: 3 });
    expect(uncompared(capped).map((d) => d.message)).toEqual([
      expect.stringContaining("past --max-records"),
    ]);
  });
});

describe("a forked child after the preambles of more than one process", () => {
  it.each([
    ["forksys-before.txt", 10794],
    ["forksys-before-327.txt", 10843],
  ])("%s: names no parent, and says its copies may count again", (name, child) => {
    // The shell ran before the fork: which process forked the child the log does not say.
    for (const maxRecords of [0, 1]) {
      const report = summarized([read(name)], { maxRecords });
      expect(definitelyLost(report)).toEqual({ bytes: 207, blocks: 3 });
      expect(copies(report)).toEqual([]);
      const [warning, ...more] = uncompared(report);
      expect(more).toEqual([]);
      expect(warning).toMatchObject({ severity: "warning", path: name, pid: child });
      expect(warning?.message).toContain("follows the preambles of more than one process");
    }
  });

  it("matches no process of another run appended to the log, and says so", () => {
    // Two runs in one job log: the first run's child follows its parent's preamble alone; the
    // second's follows three, its parent's and the first run's, of the very same program.
    const [, first] = read("forksys-after.txt");
    const [, second] = read("forksys-after-327.txt");
    const report = summarized([["job.log", first + second]]);
    expect(definitelyLost(report)).toEqual({ bytes: 107 + 207, blocks: 2 + 3 });
    expect(copies(report)).toEqual([[10667, expect.objectContaining({ parentPid: 10634 })]]);
    expect(uncompared(report)).toMatchObject([{ path: "job.log", pid: 10706 }]);
  });

  it("takes no -q run printed before another run's preamble for that run's child", () => {
    // Two runs of leak.c in one job's stderr, the -q one first: its 40 bytes were taken for a
    // copy of the later run's, the log's one preamble (see quiet-mixed/README.md).
    for (const version of ["319", "327"]) {
      const name = `q-then-full-s-${version}.txt`;
      const text = readFileSync(join(DIR, "..", "quiet-mixed", name), "utf8");
      const report = summarized([[name, text]]);
      expect(definitelyLost(report)).toEqual({ bytes: 80, blocks: 2 });
      expect(copies(report)).toEqual([]);
      expect(uncompared(report)).toEqual([]);
    }
  });

  it("says nothing of a log without preambles (-q), where nothing is matched", () => {
    const report = summarized([read("fork-q.txt")]);
    expect(uncompared(report)).toEqual([]);
  });
});
