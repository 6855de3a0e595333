import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { incompleteProcesses } from "../../src/analysis/input-states.js";
import { parse } from "../../src/api/parse.js";
import { summarize } from "../../src/api/summarize.js";
import type { Report, Source } from "../../src/model/index.js";
import { incompleteProcessesOf, summaryOnlySentence } from "../../src/report/describe.js";
import { REPORTERS } from "../../src/report/index.js";
import { ROOT } from "../helpers/golden.js";

/** A fixture log, read. */
const parsed = (path: string) => parse(readFileSync(join(ROOT, path)), { path });

/** The report of a fixture log, gated on `any`. */
const reportOf = (path: string): Report => summarize([parsed(path)], { gate: { failOn: ["any"] } });

/** The gate's reasons about leaks without loss records. */
const unlistedReasons = (report: Report): string[] =>
  (report.gate?.reasons ?? []).filter((r) => r.includes("with no loss records"));

/** Each summary-only entry's own sentence, as SARIF gives it, by PID. */
function sentencesByPid(report: Report): Map<number | undefined, string> {
  const cut = incompleteProcessesOf(report);
  return new Map(
    (report.summaryOnlyLeaks ?? []).map((e) => [e.pid, summaryOnlySentence([e], cut)] as const),
  );
}

const LOST = "the log is incomplete, and lost them";

// Campaign v18a Q2: the loss records of a whole process were said lost with the log because another
// process of the same log was cut.
describe("leaks without loss records are lost with the log only when their process is cut", () => {
  it("a whole process's record printed under a cut process's prefix is missing or damaged", () => {
    // PID 20553 has its LEAK SUMMARY and ERROR SUMMARY; its record 7 of 7 came under PID
    // 20554's prefix, and PID 20554 alone is cut.
    const report = reportOf("test/fixtures/suppressions/cpp/instantiations/gen_cpp_2pid.txt");
    expect(report.sources[0]?.complete).toBe(false);
    expect(report.sources[0]?.processes.map((p) => [p.pid, p.incomplete])).toEqual([
      [20553, undefined],
      [20554, true],
    ]);
    expect(unlistedReasons(report)).toEqual([
      "--fail-on any: Valgrind's LEAK SUMMARY reports 28 bytes in 1 blocks definitely lost with no loss records (their loss records are missing or damaged in the log)",
    ]);
    const text = REPORTERS.text.render(report, { color: false, top: 20 });
    expect(text).toContain(
      "but the log has no loss records for them: they are missing or damaged in the log (see Diagnostics)",
    );
    expect(text).not.toContain(LOST);
  });

  it("a whole process's hidden kinds keep their advice beside a process cut after its LEAK SUMMARY", () => {
    // Two runs' logs joined with cat, the second cut with head -c (concatenated-cut/README.md).
    const report = reportOf("test/fixtures/valgrind/concatenated-cut/whole-then-cut.txt");
    const sentences = sentencesByPid(report);
    expect(sentences.get(6773)).toContain(": rerun with --show-leak-kinds=all to see where");
    // The cut process keeps the words of a cut log.
    expect(sentences.get(6790)).toContain(LOST);
    // Together, not every process lost them: the option would show the whole one's.
    expect(unlistedReasons(report)).toEqual([
      "--fail-on any: Valgrind's LEAK SUMMARY of 2 processes reports 80 bytes in 2 blocks possibly lost with no loss records (run with --show-leak-kinds=all for stacks)",
    ]);
    const sarif = REPORTERS.sarif.render(report, { color: false, top: 20 });
    expect(sarif.split(LOST).length - 1).toBe(1);
  });

  it("a whole process after a process cut inside a record keeps its advice", () => {
    const report = reportOf("test/fixtures/valgrind/concatenated-cut/cut-then-whole.txt");
    expect(report.sources[0]?.processes.map((p) => [p.pid, p.incomplete])).toEqual([
      [6790, true],
      [6773, undefined],
    ]);
    expect(unlistedReasons(report)).toEqual([
      "--fail-on any: Valgrind's LEAK SUMMARY reports 40 bytes in 1 blocks possibly lost with no loss records (run with --show-leak-kinds=all for stacks)",
    ]);
  });

  it.each([
    // PID 26349's part starts inside a record's stack; a traced child wrote over the log.
    "test/fixtures/valgrind/log-file-shared/make-test/shared.txt",
    // PID 5898, the log's one process, has a loss record leaklog could not read.
    "test/fixtures/valgrind/big-counts/huge.txt",
  ])("the records of a process that is itself cut stay lost with the log (%s)", (path) => {
    const report = reportOf(path);
    expect(unlistedReasons(report)).toEqual([
      expect.stringMatching(/\(the log is incomplete, and lost them\)$/),
    ]);
    expect([...sentencesByPid(report).values()].every((s) => s.includes(LOST))).toBe(true);
  });

  it("a merge of the shard's JSON report keeps which process was cut (campaign v20 F2)", () => {
    // The merge is where shard reports are gated: read back without the diagnostics' PIDs, it
    // said every process of the cut log had lost its missing loss records with the log.
    const path = "test/fixtures/suppressions/cpp/instantiations/gen_cpp_2pid.txt";
    const json = REPORTERS.json.render(reportOf(path), { color: false, top: 20 });
    const merged = summarize([parse(json, { path: "shard.json" })], { gate: { failOn: ["any"] } });
    expect(merged.sources[0]?.processes.map((p) => [p.pid, p.incomplete])).toEqual([
      [20553, undefined],
      [20554, true],
    ]);
    expect(unlistedReasons(merged)).toEqual([
      "--fail-on any: Valgrind's LEAK SUMMARY reports 28 bytes in 1 blocks definitely lost with no loss records (their loss records are missing or damaged in the log)",
    ]);
  });
});

describe("incompleteProcesses", () => {
  const source = (complete: boolean, marked: number[]): Source => ({
    path: "a.log",
    format: "valgrind",
    processes: [1, 2].map((pid) => ({
      pid,
      ...(marked.includes(pid) ? { incomplete: true } : {}),
    })),
    complete,
    counters: { lines: 1, bytes: 1, records: 0, programLines: 0, unrecognizedLines: 0 },
  });

  it("takes every process of an incomplete log that marks none, and only the marked ones else", () => {
    const whole = incompleteProcesses([source(false, [])]);
    expect([whole({ path: "a.log", pid: 1 }), whole({ path: "a.log", pid: 2 })]).toEqual([
      true,
      true,
    ]);
    const one = incompleteProcesses([source(false, [2])]);
    expect([one({ path: "a.log", pid: 1 }), one({ path: "a.log", pid: 2 })]).toEqual([false, true]);
    expect(one({ path: "b.log", pid: 2 })).toBe(false);
    expect(incompleteProcesses([source(true, [])])({ path: "a.log", pid: 1 })).toBe(false);
  });

  it("is left whole by a reason that names no process, as a report written before the marks", () => {
    const first = summarize([
      parsed("test/fixtures/suppressions/cpp/instantiations/gen_cpp_2pid.txt"),
    ]);
    // A report written before ProcessInfo.incomplete: no marks, no PIDs on its diagnostics.
    const old = JSON.parse(JSON.stringify(first)) as Report;
    for (const source of old.sources) for (const p of source.processes) delete p.incomplete;
    for (const d of old.diagnostics) delete d.pid;
    const merged = summarize([parse(JSON.stringify(old), { path: "report.json" })]);
    expect(merged.sources[0]?.complete).toBe(false);
    expect(merged.sources[0]?.processes.some((p) => p.incomplete === true)).toBe(false);
  });
});
