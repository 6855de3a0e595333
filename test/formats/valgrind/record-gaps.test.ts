import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, type ParseResult } from "../../../src/api/parse.js";
import { summarize } from "../../../src/api/summarize.js";
import { ROOT } from "../../helpers/golden.js";

// Real runs whose loss record numbers skip, and campaign bi's damaged log: see the README.md.
const DIR = join(ROOT, "test", "fixtures", "valgrind", "record-gaps");
const read = (name: string): Buffer => readFileSync(join(DIR, name));

/** The log with two NUL bytes before the kind of loss record `index` (campaign bi F5's damage). */
function damaged(name: string, index: number): Buffer {
  const lines = read(name).toString("latin1").split("\n");
  const at = lines.findIndex((l) => l.includes(` in loss record ${index} of `));
  expect(at, `${name} lists loss record ${index}`).toBeGreaterThanOrEqual(0);
  lines[at] = (lines[at] as string).replace(" are ", " are \0\0");
  return Buffer.from(lines.join("\n"), "latin1");
}

const gapWarnings = (result: ParseResult) =>
  result.diagnostics.filter((d) => d.code === "incomplete" && d.message.includes("loss record"));

describe("loss record numbers with gaps", () => {
  for (const [name, listed] of [
    ["q-default.txt", [1, 4, 5, 6]],
    ["q-all-supp.txt", [1, 2, 3, 4, 5]],
    ["full-all.txt", [1, 2, 3, 4, 5, 6]],
  ] as const) {
    it(`${name}: numbers skipped by --show-leak-kinds or a suppression lose nothing`, () => {
      const result = parse(read(name), { path: name });
      expect(result.leaks.map((l) => l.lossRecord?.index)).toEqual(listed);
      expect(result.source.complete).toBe(true);
      expect(result.source.counters.unrecognizedLines).toBe(0);
      expect(gapWarnings(result)).toEqual([]);
    });
  }

  it("nul2.txt: record 1 of 2 damaged is missing, and the -q log is incomplete (campaign bi F5)", () => {
    const result = parse(read("nul2.txt"), { path: "nul2.txt" });
    expect(result.leaks.map((l) => l.lossRecord?.index)).toEqual([2]);
    expect(result.source.complete).toBe(false);
    expect(gapWarnings(result)).toEqual([
      expect.objectContaining({
        severity: "warning",
        line: 9,
        pid: 13897,
        message: expect.stringMatching(/^PID 13897: loss record 1 of 2 is missing, and the lines/),
      }),
    ]);
    // Both records were printed, so no kind is known hidden.
    expect(result.source.hiddenLeakKinds).toBeUndefined();
    // The damaged header is no --error-markers marker: the log has none (a NUL ends an argument).
    expect(result.diagnostics.map((d) => d.code)).not.toContain("error-markers");
  });

  it("nul2.txt: the damaged header is no memory error, only a line not understood (campaign v16b Q4)", () => {
    const result = parse(read("nul2.txt"), { path: "nul2.txt" });
    // It was an error-severity Unknown group, which failed `--fail-on error` on a damaged line.
    expect(result.errors.map((e) => e.kind)).toEqual(["InvalidRead"]);
    expect(result.source.counters.unrecognizedLines).toBe(1);
    const report = summarize([result], { gate: { failOn: ["Unknown"] } });
    expect(report.gate?.failed).toBe(false);
  });

  for (const [where, from, to] of [
    ["in its amount", "80 bytes", "8\0\0 bytes"],
    ["in its end", "loss record 1 of 2", "loss rec\0\0ord 1 of 2"],
    [
      "as U+FFFD at both ends",
      "80 bytes in 4 blocks are definitely lost in loss record",
      "8\ufffd bytes in 4 blocks are definitely lost in loss rec\ufffdrd",
    ],
  ] as const) {
    it(`nul2.txt's header damaged ${where} instead: the same record lost, no error`, () => {
      const log = read("nul2.txt")
        .toString("latin1")
        .replace("are \0\0definitely", "are definitely");
      const result = parse(Buffer.from(log.replace(from, to), "utf8"), { path: "nul2.txt" });
      expect(result.errors.map((e) => e.kind)).toEqual(["InvalidRead"]);
      expect(gapWarnings(result)).toEqual([
        expect.objectContaining({
          line: 9,
          message: expect.stringContaining("loss record 1 of 2 is missing"),
        }),
      ]);
    });
  }

  it("nul2.txt's error headline damaged instead: still an error, of a kind not known", () => {
    // The block is an error's (aux lines, no loss record shape): an error did happen.
    const log = read("nul2.txt").toString("latin1").replace("are \0\0definitely", "are definitely");
    const result = parse(Buffer.from(log.replace("Invalid read", "Invalid \0\0read"), "latin1"), {
      path: "nul2.txt",
    });
    expect(result.errors.map((e) => [e.kind, e.stack.length, e.aux.length])).toEqual([
      ["Unknown", 2, 1],
    ]);
    expect(result.leaks.map((l) => l.lossRecord?.index)).toEqual([1, 2]);
  });

  it("a -q log whose only loss record is damaged is incomplete, with no gap to show it", () => {
    // q-default.txt's record 6 of 6 alone: a run that leaked one block. It read complete, with
    // the header an Unknown error.
    const lines = read("q-default.txt").toString("latin1").split("\n");
    const only = lines.slice(-6).join("\n");
    expect(only).toMatch(
      /^==\d+== 300 bytes in 1 blocks are definitely lost in loss record 6 of 6\n/,
    );
    const result = parse(Buffer.from(only.replace(" are ", " are \0\0"), "latin1"), { path: "q" });
    expect(result.errors).toEqual([]);
    expect(result.leaks).toEqual([]);
    expect(result.source.complete).toBe(false);
    expect(gapWarnings(result)).toEqual([
      expect.objectContaining({
        line: 1,
        message: expect.stringMatching(/^PID 3486: a loss record's header line is damaged/),
      }),
    ]);
  });

  it("full-all.txt's last record damaged: its LEAK SUMMARY ends the stretch, the record is still lost", () => {
    const log = damaged("full-all.txt", 6);
    const result = parse(log, { path: "full-all.txt" });
    expect(result.errors).toEqual([]);
    expect(result.source.complete).toBe(false);
    expect(gapWarnings(result)).toEqual([
      expect.objectContaining({
        line: 36,
        message: expect.stringContaining("a loss record's header line is damaged"),
      }),
    ]);
  });

  it("nul2.txt: a gate on the known leaks still passes, but `incomplete` fails it", () => {
    const report = summarize([parse(read("nul2.txt"), { path: "nul2.txt" })], {
      gate: { failOn: ["incomplete"] },
    });
    expect(report.gate?.failed).toBe(true);
  });

  for (const { name, index, missing } of [
    // Record 2 (still reachable) of a full log: LEAK SUMMARY's cross-check compares only kinds
    // the log listed, so without the gap nothing would say it was lost.
    { name: "full-all.txt", index: 2, missing: "loss record 2 of 6 is missing" },
    // Record 4 of 1, 4, 5, 6: 2 and 3 are hidden, 4 damaged; which of them is not known.
    { name: "q-default.txt", index: 4, missing: "loss records 2 to 4 of 6 are missing" },
    // The last one: no record after it shows the gap, the end of the listing does.
    { name: "q-default.txt", index: 6, missing: "loss record 6 of 6 is missing" },
    { name: "q-all-supp.txt", index: 5, missing: "loss records 5 to 6 of 6 are missing" },
  ]) {
    it(`${name} with record ${index} damaged: incomplete, "${missing}"`, () => {
      const log = damaged(name, index);
      const result = parse(log, { path: name });
      expect(result.leaks.map((l) => l.lossRecord?.index)).not.toContain(index);
      expect(result.source.complete).toBe(false);
      const line =
        log
          .toString("latin1")
          .split("\n")
          .findIndex((l) => l.includes("\0")) + 1;
      expect(gapWarnings(result)).toEqual([
        expect.objectContaining({ line, message: expect.stringContaining(missing) }),
      ]);
    });
  }

  it("forky.txt's tail -n 69 starts cut inside an error's block: no record is blamed (campaign v16a Q1)", () => {
    // It starts at the invalid read's ` Address 0x... is 0 bytes after a block` line; its
    // record 1 of 2 is the still-reachable block the default --show-leak-kinds hides.
    const forky = readFileSync(join(ROOT, "test/fixtures/valgrind/tail-cut/forky.txt"), "utf8");
    const tail = `${forky.split("\n").slice(0, -1).slice(-69).join("\n")}\n`;
    const result = parse(Buffer.from(tail), { path: "forky.txt" });
    expect(result.source.complete).toBe(false);
    expect(gapWarnings(result)).toEqual([]);
    expect(result.diagnostics.filter((d) => d.code === "incomplete")).toEqual([
      expect.objectContaining({
        line: 1,
        pid: 31866,
        message: expect.stringMatching(/^PID 31866: the log starts inside a record's block/),
      }),
    ]);
  });

  it("a -q log whose first lines are a damaged loss record still blames the record", () => {
    // A whole headline of no known shape, not a block's continuation: damage, not a cut.
    const result = parse(damaged("q-default.txt", 1), { path: "q-default.txt" });
    expect(gapWarnings(result)).toEqual([
      expect.objectContaining({
        line: 1,
        message: expect.stringContaining("loss records 1 to 3 of 6 are missing"),
      }),
    ]);
  });
});
