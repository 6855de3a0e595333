import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, type ParseResult } from "../../src/api/parse.js";
import { INPUT_FORMATS } from "../../src/formats/index.js";
import { splitPrefix } from "../../src/formats/valgrind/prefix.js";
import { ROOT } from "../helpers/golden.js";

/*
 * A CI job's log holds every step's output: a Valgrind step and a sanitizer step in one file.
 * Whichever format is detected, the lines its parser calls the program's go to the other's.
 */
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");
const VALGRIND = read("samples/valgrind/leak_definite.txt");
const ASAN = read("samples/sanitizer/asan-use-after-free.log");
const TSAN = read("test/fixtures/sanitizer/tsan/heap.log");
const HELGRIND = read("test/fixtures/valgrind/other-tools/helgrind.txt");

/** What each finding is, without where in the log it was. */
const findings = (result: ParseResult) => [
  ...result.leaks.map((l) => [l.tool, l.kind, l.bytes, l.stack.map((f) => f.function)]),
  ...result.errors.map((e) => [e.tool, e.kind, e.message, e.stack.map((f) => f.function)]),
];
const alone = (text: string) => findings(parse(text, { path: "log" }));

describe("one log with a Valgrind step's and a sanitizer step's output", () => {
  it("reads both when Valgrind's comes first", () => {
    const result = parse(VALGRIND + ASAN + TSAN, { path: "job.log" });
    expect(result.source.format).toBe("valgrind");
    expect(findings(result).sort()).toEqual(
      [...alone(VALGRIND), ...alone(ASAN), ...alone(TSAN)].sort(),
    );
    expect(result.diagnostics.filter((d) => d.severity !== "info")).toEqual([]);
    expect(result.source.processes.map((p) => p.pid)).toEqual([20767, 6597, 3906]);
    // Each keeps its own lines: the ASan report starts where it does in the job's log.
    const asanStart = VALGRIND.split("\n").length - 1 + 1;
    const uaf = result.errors.find((e) => e.tool === "asan");
    expect(uaf?.location.line).toBe(
      asanStart + ASAN.split("\n").findIndex((l) => l.includes("ERROR: AddressSanitizer")),
    );
    expect(result.summaries.map((s) => s.pid)).toEqual([20767, 3906]);
  });

  it("reads both when the sanitizer's comes first", () => {
    const result = parse(ASAN + VALGRIND, { path: "job.log" });
    expect(result.source.format).toBe("sanitizer");
    expect(findings(result).sort()).toEqual([...alone(ASAN), ...alone(VALGRIND)].sort());
    expect(result.diagnostics.filter((d) => d.severity !== "info")).toEqual([]);
    // Valgrind's LEAK SUMMARY is its summary, checked against its loss records.
    expect(result.summaries.find((s) => s.pid === 20767)?.leak?.["definitely-lost"]).toEqual({
      bytes: 155,
      blocks: 5,
    });
  });

  it("gives each process one run, though Valgrind tells its facts a line at a time", () => {
    // Valgrind's parser announces its PID, then its command, then its parent: each announcement
    // once made the next look like a second run (a phantom `PID 20767 (run 2)`).
    const first = parse(ASAN + VALGRIND, { path: "job.log" });
    expect(first.source.processes).toEqual([
      { pid: 6597 },
      { pid: 20767, command: "./leak_definite", ppid: 20766 },
    ]);
    // ASan's recover mode reports one process several times.
    const recover = read("samples/sanitizer/asan-recover-multi.log");
    const second = parse(VALGRIND + recover, { path: "job.log" });
    expect(second.source.processes).toEqual([
      { pid: 20767, command: "./leak_definite", ppid: 20766 },
      { pid: 6697 },
    ]);
  });

  it("refuses a forced format when only the other format's parser read the log", () => {
    for (const [text, format] of [
      [VALGRIND, "sanitizer"],
      [ASAN, "valgrind"],
    ] as const) {
      const result = parse(text, { path: "log", inputFormat: format });
      expect(result.fatal?.code).toBe("wrong-format");
      expect(result.fatal?.message).toContain(`no line of this input is ${format} output`);
    }
    // A log that holds both formats is either's, when forced.
    for (const format of ["sanitizer", "valgrind"] as const)
      expect(parse(ASAN + VALGRIND, { path: "log", inputFormat: format }).fatal).toBeUndefined();
  });

  it("lets another Valgrind tool's output be a warning, not the whole log's verdict", () => {
    const result = parse(ASAN + HELGRIND, { path: "job.log" });
    expect(result.source.format).toBe("sanitizer");
    expect(findings(result)).toEqual(alone(ASAN));
    expect(result.diagnostics.map((d) => [d.severity, d.code])).toContainEqual([
      "warning",
      "other-tool",
    ]);
  });

  it("hands lines to the sanitizer's parser from its first line on, none before", () => {
    const sanitizer = INPUT_FORMATS.find((f) => f.id === "sanitizer");
    const starts = (line: string) => sanitizer?.startsIn?.(line);
    // A Valgrind log's own program output never reaches it (it cost 5% and 15 MiB at 1 GB).
    expect(starts("test output: case 10000 step 0 ok")).toBe(false);
    expect(starts("=".repeat(65))).toBe(false);
    for (const line of [
      "==6597==ERROR: AddressSanitizer: heap-use-after-free on address 0x602000000018",
      "WARNING: ThreadSanitizer: data race (pid=3906)",
      "AddressSanitizer:DEADLYSIGNAL",
      "u.c:3:43: runtime error: shift exponent 41 is too large for 32-bit type 'int'",
      "==13523==ASan runtime does not come first in initial library list; you should either link",
    ])
      expect(starts(line), line).toBe(true);
  });

  it("tells Valgrind's prefix from a sanitizer's: Valgrind writes a space after it", () => {
    expect(splitPrefix("==7== Invalid read of size 4")?.body).toBe("Invalid read of size 4");
    expect(splitPrefix("==7==")?.body).toBe("");
    expect(splitPrefix("==7==ERROR: AddressSanitizer: heap-use-after-free")).toBeUndefined();
    expect(splitPrefix("==7==ABORTING")).toBeUndefined();
  });
});
