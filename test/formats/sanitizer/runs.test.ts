import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, summarize } from "../../../src/index.js";
import { REPORTERS } from "../../../src/report/index.js";
import { ROOT } from "../../helpers/golden.js";

// Three real processes, each PID 1 of its own namespace, in one log; see the README.md.
const DIR = join(ROOT, "test", "fixtures", "sanitizer", "runs");
const text = readFileSync(join(DIR, "three-runs.txt"), "utf8");
const parsedFixture = (name: string) =>
  parse(readFileSync(join(DIR, name), "utf8"), { path: name });

describe("sanitizer reports of a reused PID", () => {
  it("make a process per run: a report after a leak report is the next process's", () => {
    const result = parse(text, { path: "three-runs.txt" });
    expect(result.source.format).toBe("sanitizer");
    expect(result.source.processes).toEqual([{ pid: 1 }, { pid: 1, run: 2 }, { pid: 1, run: 3 }]);
    // The second process's three ASan errors are its own, before its leak report.
    expect(result.errors.map((e) => e.kind)).toEqual([
      "heap-buffer-overflow",
      "heap-use-after-free",
      "stack-buffer-overflow",
    ]);
    expect(result.summaries.map((s) => [s.run, s.leakCheck, s.leak?.["definitely-lost"]])).toEqual([
      [undefined, undefined, { bytes: 30, blocks: 2 }],
      [2, 2, { bytes: 41, blocks: 2 }],
      [3, 3, { bytes: 7, blocks: 1 }],
    ]);
    expect(result.leaks.map((l) => l.leakCheck)).toEqual([undefined, undefined, 2, 2, 3]);
    expect(result.diagnostics.filter((d) => d.severity !== "info")).toEqual([]);
  });

  it("cross-check each leak report on its own, and add up all three in the totals", () => {
    const report = summarize([parse(text, { path: "three-runs.txt" })]);
    expect(report.diagnostics.filter((d) => d.code === "summary-mismatch")).toEqual([]);
    const summary = REPORTERS.text.render(report, { color: false, top: 20 });
    expect(summary).toMatch(
      /definitely-lost +78 bytes in 5 blocks +\(tool's summary: 78 bytes in 5 blocks\)/,
    );
  });
});

describe("Valgrind's and ASan's processes under one PID in one log", () => {
  for (const name of ["valgrind-and-asan.txt", "asan-and-valgrind.txt"]) {
    it(`${name}: four processes, runs 1 to 4 in the order they ran, each checked on its own`, () => {
      const result = parsedFixture(name);
      const valgrindFirst = name.startsWith("valgrind");
      const commands = valgrindFirst
        ? ["./definite", undefined, "./uninit", undefined]
        : [undefined, "./definite", undefined, "./uninit"];
      expect(result.source.processes).toEqual(
        commands.map((command, i) => ({
          pid: 1,
          ...(i > 0 ? { run: i + 1 } : {}),
          ...(command !== undefined ? { command } : {}),
        })),
      );
      const bytes = valgrindFirst ? [50, 30, 116, 7] : [30, 50, 7, 116];
      expect(
        result.summaries.flatMap((s) =>
          s.leak ? [[s.run, s.leak["definitely-lost"]?.bytes]] : [],
        ),
      ).toEqual(bytes.map((b, i) => [i > 0 ? i + 1 : undefined, b]));
      // Each record is its run's: the tool tells which parser read it.
      for (const leak of result.leaks) {
        const run = leak.run ?? 1;
        const valgrindRun = valgrindFirst ? run % 2 === 1 : run % 2 === 0;
        expect(leak.tool === "valgrind", `${leak.location.line}`).toBe(valgrindRun);
      }
      const report = summarize([result]);
      expect(report.diagnostics.filter((d) => d.severity !== "info")).toEqual([]);
      expect(REPORTERS.text.render(report, { color: false, top: 20 })).toMatch(
        /definitely-lost +203 bytes in 7 blocks +\(tool's summary: 203 bytes in 7 blocks\)/,
      );
    });
  }
});

describe("a deadly signal's report of a reused PID", () => {
  it("segv-two-runs.txt: a report after the PID's SEGV report is the next process's", () => {
    const result = parsedFixture("segv-two-runs.txt");
    expect(result.source.processes).toEqual([{ pid: 1 }, { pid: 1, run: 2 }]);
    expect(result.errors.map((e) => [e.kind, e.run])).toEqual([
      ["SEGV", undefined],
      ["SEGV", 2],
    ]);
  });

  it("three-runs.txt: recoverable ASan errors end no run (the log does not say they halted)", () => {
    const result = parse(text, { path: "three-runs.txt" });
    expect(result.errors.map((e) => e.run)).toEqual([2, 2, 2]);
  });
});

describe("ThreadSanitizer reports of a reused PID", () => {
  it("tsan-two-runs.txt: a report after the PID's total is the next process's", () => {
    const result = parsedFixture("tsan-two-runs.txt");
    expect(result.source.processes).toEqual([{ pid: 1 }, { pid: 1, run: 2 }]);
    expect(result.errors.map((e) => [e.kind, e.run])).toEqual([
      ["data-race", undefined],
      ["data-race", 2],
    ]);
    expect(result.summaries.map((s) => [s.run, s.errors?.errors])).toEqual([
      [undefined, 1],
      [2, 1],
    ]);
    expect(result.diagnostics.filter((d) => d.severity !== "info")).toEqual([]);
  });
});
