import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../src/api/parse.js";
import { summarize } from "../../src/api/summarize.js";
import { generateValgrindSuppressions } from "../../src/analysis/suppressions/valgrind-generate.js";
import { parseValgrindSuppressions } from "../../src/analysis/suppressions/valgrind.js";
import type { Report } from "../../src/model/index.js";
import { ROOT } from "../helpers/golden.js";

/*
 * The suppression kinds of Valgrind 3.22+ (BadAlign, BadSize and 3.26's UnsafeZeroSize,
 * SizeMismatch, AlignMismatch, CoreError:FdBadUse), held to what the real Valgrind 3.24 and
 * 3.27 did with the same files (campaign bw F3, F4, F5; the fixtures' README).
 */
const DIR = join(ROOT, "test/fixtures/suppressions/valgrind-3.27");
const read = (file: string) => readFileSync(join(DIR, file), "utf8");
const report = (log: string): Report => summarize([parse(read(log), { path: log })]);

/** The log's report with the file applied, as `summarize --suppressions` does, and the entries. */
function applied(log: string, suppFile: string) {
  const parsed = parseValgrindSuppressions(read(suppFile), suppFile);
  expect(parsed.problems).toEqual([]);
  const applied = summarize([parse(read(log), { path: log })], {
    suppressions: { valgrind: parsed.suppressions, lsan: [] },
  });
  return { report: applied, entryLines: parsed.suppressions.map((s) => s.line) };
}

/** The name lines of the entries a `-s` run says it used (`used_suppression: 2 NAME FILE:14`). */
function usedLines(valgrindLog: string): number[] {
  return [...read(valgrindLog).matchAll(/used_suppression: +\d+ .*:(\d+)$/gm)].map((m) =>
    Number(m[1]),
  );
}

describe("suppression files Valgrind 3.24 and 3.27 generated, applied as they apply them", () => {
  it.each([
    ["align-3.27.xml", "align-gen-3.27.supp", "align-suppd-3.27.txt", 7],
    ["sized2-3.27.xml", "sized2-gen-3.27.supp", "sized2-suppd-3.27.txt", 11],
    ["sized2-3.24.xml", "sized2-gen-3.24.supp", "sized2-suppd-3.24.txt", 11],
    ["fds-yes-3.27.xml", "fds-gen-3.27.supp", "fds-suppd-3.27.txt", 6],
  ])("%s with %s: all errors suppressed, by the entries Valgrind used", (log, supp, run, n) => {
    expect(read(run)).toContain(`(suppressed: ${n} from ${n})`);
    const { report, entryLines } = applied(log, supp);
    expect(report.errors.map((e) => [e.kind, e.suppressed])).toEqual(
      report.errors.map((e) => [e.kind, true]),
    );
    expect(report.errors).toHaveLength(n);
    const used = usedLines(run);
    const unused = report.diagnostics.filter((d) => d.code === "unused-suppression");
    expect(unused.map((d) => d.line)).toEqual(entryLines.filter((line) => !used.includes(line)));
  });

  it("suppresses the text log's records alike", () => {
    const { report } = applied("sized2-3.27.txt", "sized2-gen-3.27.supp");
    // Less the record whose 3.22+ headline the text reader does not know yet (campaign bw F1).
    const known = report.errors.filter((e) => e.kind !== "Unknown");
    expect(known.length).toBeGreaterThanOrEqual(9);
    expect(known.filter((e) => e.suppressed !== true)).toEqual([]);
  });
});

/** A generated file less its entries' names, which hold record ids (`-0:3` from the CLI). */
const unnamed = (supp: string) => supp.replace(/^\{\n.*$/gm, "{");

describe("leaklog suppressions writes the kinds Valgrind 3.22+ reads", () => {
  it.each([
    [
      "sized2-3.27.xml",
      "leaklog-sized2-3.27.supp",
      ["sized2-leaklogsupp-3.27.txt", "sized2-leaklogsupp-3.24.txt"],
    ],
    [
      "align-3.27.xml",
      "leaklog-align-3.27.supp",
      ["align-leaklogsupp-3.27.txt", "align-leaklogsupp-3.24.txt"],
    ],
    ["fds-yes-3.27.xml", "leaklog-fds-yes-3.27.supp", ["fds-leaklogsupp-3.27.txt"]],
  ])("%s: the file Valgrind ran with, which left no error", (log, supp, runs) => {
    const generated = generateValgrindSuppressions(report(log));
    expect(generated).not.toMatch(/^#/m);
    expect(unnamed(generated)).toBe(unnamed(read(supp)));
    for (const run of runs) expect(read(run)).toMatch(/ERROR SUMMARY: 0 errors from 0 contexts/);
  });

  it("names SizeMismatch, AlignMismatch and FdBadUse", () => {
    const kinds = (log: string) =>
      [
        ...generateValgrindSuppressions(report(log)).matchAll(/^ +((?:Memcheck|CoreError):\w+)$/gm),
      ].map((m) => m[1]);
    expect(new Set(kinds("sized2-3.27.xml"))).toEqual(
      new Set([
        "Memcheck:SizeMismatch",
        "Memcheck:AlignMismatch",
        "Memcheck:BadAlign",
        "Memcheck:Free",
      ]),
    );
    expect(kinds("fds-yes-3.27.xml")).toContain("CoreError:FdBadUse");
  });

  it("leaves FdBadUse out of a 3.24 log's file: 3.24 refuses the kind, and the file with it", () => {
    expect(read("fds-suppd-3.24.txt")).toContain("unknown core suppression type");
    const generated = generateValgrindSuppressions(report("fds-yes-3.24.xml"));
    expect(unnamed(generated)).toBe(unnamed(read("leaklog-fds-yes-3.24.supp")));
    expect(generated).not.toMatch(/^ +CoreError:FdBadUse$/m);
    expect(generated).toMatch(
      /^# leaklog-FdBadUse-\w+: Valgrind 3\.24\.0 writes CoreError:FdBadUse but refuses a file that holds it/m,
    );
    // Valgrind 3.24 read it and suppressed the rest: the FdBadUse and two descriptors inherited
    // from the shell are left.
    const run = read("fds-leaklogsupp-3.24.txt");
    expect(run).not.toContain("FATAL");
    expect(run).toContain("ERROR SUMMARY: 3 errors from 3 contexts (suppressed: 5 from 5)");
  });

  it("comments FdBadUse out where the log names no version (-q): 3.24 would refuse the file", () => {
    const generated = generateValgrindSuppressions(report("fdbad-q-3.24.txt"));
    expect(unnamed(generated)).toBe(unnamed(read("leaklog-fdbad-q-3.24.supp")));
    expect(generated).not.toMatch(/^ +CoreError:FdBadUse$/m);
    expect(generated).toMatch(/^# {4}CoreError:FdBadUse$/m);
    expect(parseValgrindSuppressions(generated, "q.supp").suppressions).toEqual([]);
    // campaign v23 F4: written as is, `FATAL: ... unknown core suppression type`.
    expect(read("fdbad-leaklogsupp-q-3.24.txt")).not.toContain("FATAL");
  });
});
