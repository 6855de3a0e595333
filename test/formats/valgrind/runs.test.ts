import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseChunks, summarize, type ParseResult } from "../../../src/index.js";
import { REPORTERS } from "../../../src/report/index.js";
import { ROOT } from "../../helpers/golden.js";

// Real runs in which Valgrind speaks for one PID twice; see the README.md.
const DIR = join(ROOT, "test", "fixtures", "valgrind", "runs");
const read = (name: string): ParseResult =>
  parse(readFileSync(join(DIR, name), "utf8"), { path: name });
const warnings = (result: ParseResult) => result.diagnostics.filter((d) => d.severity !== "info");
const leaks = (result: ParseResult) =>
  result.leaks.map((l) => `${l.bytes} ${l.kind} ${l.stack.map((f) => f.function).join("<")}`);
const errors = (result: ParseResult) => result.errors.map((e) => e.kind);

describe("an exec'd program under --trace-children=yes (the PID's second run)", () => {
  for (const name of ["exec.txt", "exec.xml"]) {
    it(`${name}: two process entries, the exec'd one run 2, and nothing missing`, () => {
      const result = read(name);
      const pid = result.source.processes[0]?.pid;
      expect(result.source.processes).toEqual([
        expect.objectContaining({ pid, command: "./ex" }),
        expect.objectContaining({ pid, run: 2, command: "./b" }),
      ]);
      expect(result.source.processes[0]).not.toHaveProperty("run");
      // ERROR SUMMARY counts only b's contexts; the XML's outer document is never closed.
      expect(warnings(result)).toEqual([]);
      expect(result.source.complete).toBe(true);
      expect(errors(result)).toEqual(["InvalidWrite", "UninitCondition"]);
      expect(leaks(result)).toEqual([
        "16 definitely-lost malloc<main",
        "100 definitely-lost malloc<main",
      ]);
    });
  }

  it("exec.txt: the exec'd program's summaries are marked run 2", () => {
    const result = read("exec.txt");
    expect(result.summaries.map((s) => [s.run, s.leakCheck, s.errors?.contexts])).toEqual([
      [2, 1, 3],
    ]);
  });
});

describe("a reused PID (each container's first process is PID 1)", () => {
  it("reused-pid.txt: each run is a process with its own summaries, checked on their own", () => {
    const result = read("reused-pid.txt");
    expect(result.source.processes).toEqual([
      { pid: 1, command: "./a" },
      { pid: 1, run: 2, command: "./b" },
    ]);
    expect(
      result.summaries.map((s) => [s.pid, s.run, s.leakCheck, s.leak?.["definitely-lost"]]),
    ).toEqual([
      [1, undefined, 1, { bytes: 50, blocks: 2 }],
      [1, 2, 2, { bytes: 116, blocks: 2 }],
    ]);
    // Leak checks numbered on: the second run's records are not the first's superseded ones.
    expect(result.leaks.map((l) => [l.run, l.leakCheck, l.superseded])).toEqual([
      [undefined, 1, undefined],
      [undefined, 1, undefined],
      [2, 2, undefined],
      [2, 2, undefined],
    ]);
    expect(result.errors.map((e) => e.run)).toEqual([2]);
    expect(warnings(result)).toEqual([]);
  });

  it("reused-pid.txt: the tools' totals add up both runs' LEAK SUMMARYs", () => {
    const report = summarize([read("reused-pid.txt")]);
    expect(report.diagnostics.filter((d) => d.code === "summary-mismatch")).toEqual([]);
    const text = REPORTERS.text.render(report, { color: false, top: 20 });
    expect(text).toContain("PID 1 ./a, PID 1 (run 2) ./b");
    expect(text).toMatch(
      /definitely-lost +166 bytes in 4 blocks +\(tool's summary: 166 bytes in 4 blocks\)/,
    );
  });

  it("reused-pid.txt: a JUnit suite per run, each with its own findings", () => {
    const report = summarize([read("reused-pid.txt")]);
    const junit = REPORTERS.junit.render(report, { color: false, top: 20 });
    // Named by their commands (a PID, and so a run, says nothing from one job to the next).
    const suites = [...junit.matchAll(/<testsuite name="[^"]*\(([ab])\)" tests="(\d+)"/g)];
    expect(suites.map((m) => [m[1], m[2]])).toEqual([
      ["a", "1"],
      ["b", "2"],
    ]);
    expect(junit).toContain('<property name="run" value="2"/>');
  });

  it("a second run's banner is what starts it: -v's repeated ERROR SUMMARY is no new run", () => {
    // Valgrind before 3.15 printed -v's ERROR SUMMARY twice, with nothing listed between.
    const lines = readFileSync(join(DIR, "reused-pid.txt"), "utf8")
      .replaceAll("Using Valgrind-3.19.0", "Using Valgrind-3.13.0")
      .split("\n");
    lines.splice(5, 0, "--1-- Valgrind options:", "--1--    --leak-check=full", "--1--    -v");
    const summary = lines.findIndex((l) => l.includes("ERROR SUMMARY"));
    const repeated = [...lines.slice(0, summary + 1), lines[summary], ...lines.slice(summary + 1)];
    const result = parse(repeated.join("\n"), { path: "repeated.txt" });
    expect(result.source.processes).toHaveLength(2);
    expect(result.summaries.map((s) => s.run)).toEqual([undefined, 2]);
  });

  it("a 3.19 -v run prints its ERROR SUMMARY once: a clean -q -s run's after it is the next run", () => {
    // Both runs' PIDs set to 1 (two containers): read as one process (campaign v20 Q2).
    const result = read("memcheck-v-then-clean-s.txt");
    expect(result.source.processes.map(({ pid, run }) => [pid, run])).toEqual([
      [1, undefined],
      [1, 2],
    ]);
    expect(result.summaries.map((s) => s.run)).toEqual([undefined, 2]);
    expect(warnings(result)).toEqual([]);
  });

  it("reused-pid.xml: the second document of PID 1 is its run 2, with the text's records", () => {
    const result = read("reused-pid.xml");
    expect(result.source.processes).toEqual([
      expect.objectContaining({ pid: 1, command: "./a" }),
      expect.objectContaining({ pid: 1, run: 2, command: "./b" }),
    ]);
    expect(warnings(result)).toEqual([]);
    expect(result.leaks.map((l) => l.run)).toEqual([undefined, undefined, 2, 2]);
    const text = read("reused-pid.txt");
    expect(leaks(result)).toEqual(leaks(text));
    expect(errors(result)).toEqual(errors(text));
  });
});

// Two -q -s Memcheck runs of PID 1, no banner between (campaign v17 F4; see the README.md).
describe("two -q -s Memcheck runs of one PID, one after the other", () => {
  const MT_MT = "memcheck-s-then-memcheck-s.txt";
  const byRun = (result: ParseResult) => ({
    processes: result.source.processes,
    errors: result.errors.map((e) => [e.kind, e.run, e.thread, e.count, e.inheritedFrom]),
    leaks: result.leaks.map((l) => [l.bytes, l.run]),
    summaries: result.summaries.map((s) => [s.run, s.errors?.contexts]),
  });

  it(`${MT_MT}: the second run is run 2, its -s recap no context the first inherited`, async () => {
    const log = readFileSync(join(DIR, MT_MT), "utf8");
    const chunked = await parseChunks([...log].map((c) => Buffer.from(c)));
    for (const result of [read(MT_MT), chunked]) {
      expect(byRun(result)).toEqual({
        processes: [{ pid: 1 }, { pid: 1, run: 2 }],
        // Its `Thread 2:` header, right after the first run's ERROR SUMMARY, is the error's.
        errors: [
          ["InvalidWrite", undefined, 2, 1, undefined],
          ["InvalidWrite", 2, 2, 1, undefined],
        ],
        leaks: [
          [4, undefined],
          [33, undefined],
          [4, 2],
          [33, 2],
        ],
        summaries: [
          [undefined, 3],
          [2, 3],
        ],
      });
      expect(result.diagnostics).toEqual([]);
      expect(result.source.complete).toBe(true);
    }
    // It was `InvalidWrite (3 occurrences)`, with an `inherited-contexts` info.
    const report = summarize([read(MT_MT)]);
    expect(report.groups.map((g) => [g.kind, g.occurrences])).toContainEqual(["InvalidWrite", 2]);
    expect(report.diagnostics).toEqual([]);
  });

  it.each([
    // The second run's first line is its headline; st.c has no thread but main's.
    ["memcheck-s-mt-then-st.txt", [undefined, 3]],
    // The first run's one ERROR SUMMARY (no error, no recap) is all it printed.
    ["memcheck-s-clean-then-st.txt", [undefined, 0]],
  ])("%s: the run after the ERROR SUMMARY is run 2, on no thread of the first", (name, first) => {
    expect(byRun(read(name))).toEqual({
      processes: [{ pid: 1 }, { pid: 1, run: 2 }],
      errors: [
        ...(first[1] === 3 ? [["InvalidWrite", undefined, 2, 1, undefined]] : []),
        ["InvalidWrite", 2, undefined, 1, undefined],
      ],
      leaks: [
        ...(first[1] === 3
          ? [
              [4, undefined],
              [33, undefined],
            ]
          : []),
        [4, 2],
        [33, 2],
      ],
      summaries: [first, [2, 3]],
    });
    expect(read(name).diagnostics).toEqual([]);
  });

  it.each([
    // The second run's ERROR SUMMARY, the one line a clean -q -s run prints, came after the
    // first's repeated one; each was read as the first run's (campaign v19 Q2).
    [
      "memcheck-s-st-then-clean.txt",
      [
        [undefined, 3],
        [2, 0],
      ],
    ],
    [
      "memcheck-s-clean-then-clean.txt",
      [
        [undefined, 0],
        [2, 0],
      ],
    ],
    // A used suppression listed between two ERROR SUMMARY lines: the second repeats the first.
    [
      "memcheck-s-suppressed-clean-suppressed.txt",
      [
        [undefined, 0],
        [2, 0],
        [3, 0],
      ],
    ],
  ])("%s: a clean run's lone ERROR SUMMARY after the PID's is its next run", (name, summaries) => {
    const result = read(name);
    expect(byRun(result).summaries).toEqual(summaries);
    expect(result.source.processes.map(({ pid, run }) => [pid, run])).toEqual(
      summaries.map(([run]) => [1, run]),
    );
    expect(result.diagnostics).toEqual([]);
  });

  it("a run's own -s recap, whose errors come under their context headers, is no new run", () => {
    const log = readFileSync(join(DIR, MT_MT), "utf8").split("\n").slice(0, 37).join("\n");
    expect(log).toMatch(/ERROR SUMMARY: 3 errors from 3 contexts \(suppressed: 0 from 0\)$/);
    const result = parse(log + "\n");
    expect(result.source.processes).toEqual([{ pid: 1 }]);
    expect(result.errors.map((e) => [e.kind, e.count])).toEqual([["InvalidWrite", 1]]);
  });
});

describe("another Valgrind tool's run under a reused PID", () => {
  for (const name of ["helgrind-then-memcheck.txt", "memcheck-then-helgrind.txt"]) {
    it(`${name}: the Memcheck run is read, the Helgrind run skipped with a warning`, () => {
      const result = read(name);
      expect(result.source.processes.map((p) => p.command)).toEqual(["./b"]);
      expect(errors(result)).toEqual(["UninitCondition"]);
      expect(leaks(result)).toEqual([
        "16 definitely-lost malloc<main",
        "100 definitely-lost malloc<main",
      ]);
      expect(warnings(result).map((d) => [d.code, d.message])).toEqual([
        ["other-tool", "PID 1 runs Helgrind, not Memcheck: its lines are skipped"],
      ]);
    });
  }
});
