import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "leaklog-accounting-"));

/** A baseline written by `summarize --format json` from `log`. */
async function baselineOf(log: string): Promise<string> {
  const path = join(dir, `${log.replace(/\W/g, "_")}.json`);
  const { code } = await cli(["summarize", log, "--format", "json", "-o", path]);
  expect(code).toBe(0);
  return path;
}

interface Diff {
  counts: { new: number; unchanged: number; fixed: number };
  warnings: { code: string; message: string; path: string }[];
}

async function jsonDiff(baseline: string, ...inputs: string[]): Promise<Diff> {
  const { code, stdout } = await cli(["diff", baseline, ...inputs, "-f", "json"]);
  expect(code).toBe(0);
  return JSON.parse(stdout) as Diff;
}

// Campaign bqa F1: Valgrind rerun with the suppressions leaklog wrote for one loss record of 3
// blocks and an invalid read. `suppressed: 2 from 2` is one per record, not per block: taking
// the 3 blocks off left no room for the invalid read, which was called fixed.
describe("a baseline compared with a run whose checker suppressed loss records and errors", () => {
  const fixtures = "test/fixtures/baseline-suppressed-records";

  it.each(["supp.log", "supp-s.log"])("%s: calls neither fixed, and says why", async (log) => {
    const diff = await jsonDiff(await baselineOf(`${fixtures}/base.log`), `${fixtures}/${log}`);
    expect(diff.counts).toEqual({ new: 0, unchanged: 0, fixed: 0 });
    expect(diff.warnings.map((w) => w.code)).toEqual(["baseline-run-suppressed"]);
    expect(diff.warnings[0]?.message).toMatch(/^2 baseline group\(s\) not found/);
  });
});

// Campaign bqa F5: a run killed in the stack of a loss record that starts a baseline group's.
describe("baseline-run-incomplete's count", () => {
  const fixtures = "test/fixtures/baseline-cut-count";

  it("leaves out the baseline group the cut record was found as", async () => {
    const base = await baselineOf(`${fixtures}/full.log`);
    const diff = await jsonDiff(base, `${fixtures}/cut.log`);
    expect(diff.counts).toEqual({ new: 0, unchanged: 3, fixed: 0 });
    const incomplete = diff.warnings.filter((w) => w.code === "baseline-run-incomplete");
    // 4 baseline groups: 3 unchanged, and the 5th loss record's, which the cut log lacks.
    expect(incomplete.map((w) => w.message)).toEqual([
      expect.stringMatching(/^1 baseline group\(s\) not found in this run/),
    ]);
    // It is the run's log that is incomplete: the baseline's path read as the baseline's own
    // warning (campaign camp-ctest Q4).
    expect(incomplete.map((w) => w.path)).toEqual([`${fixtures}/cut.log`]);
  });
});

// Review: with two incomplete logs, the warning for records cut short named the first one,
// a log of nothing but Valgrind's preamble, not the log the cut record is in.
describe("baseline-run-incomplete for records the log was cut in", () => {
  it("names the log of the cut records, not the first incomplete one", async () => {
    const sample = "samples/valgrind/leak_definite.txt";
    const lines = readFileSync(sample, "utf8").split("\n");
    const preambleOnly = join(dir, "a.log");
    const cut = join(dir, "b.log");
    writeFileSync(
      preambleOnly,
      `${lines
        .slice(0, 6)
        .join("\n")
        .replaceAll(/==\d+==/g, "==111==")}\n`,
    );
    // Cut inside the first loss record's stack, before a frame of the program's.
    writeFileSync(cut, `${lines.slice(0, 23).join("\n")}\n`);
    const diff = await jsonDiff(await baselineOf(sample), preambleOnly, cut);
    const recordsCut = diff.warnings.filter((w) => /records the log was cut in/.test(w.message));
    expect(recordsCut.map((w) => w.path)).toEqual([cut]);
  });

  it("names each log that cut records, one warning each", async () => {
    const logs = ["leak_definite.txt", "leak_indirect.txt"].map(
      (name) => `samples/valgrind/${name}`,
    );
    const baseline = join(dir, "two.json");
    expect((await cli(["summarize", ...logs, "-f", "json", "-o", baseline])).code).toBe(0);
    // Each cut just after a loss record's allocator frame, before a frame of the program's.
    const cuts = logs.map((log, i) => {
      const lines = readFileSync(log, "utf8").split("\n");
      const cut = join(dir, `cut-${i}.log`);
      writeFileSync(cut, `${lines.slice(0, i === 0 ? 23 : 13).join("\n")}\n`);
      return cut;
    });
    const diff = await jsonDiff(baseline, ...cuts);
    const recordsCut = diff.warnings.filter((w) => /records the log was cut in/.test(w.message));
    expect(recordsCut.map((w) => [w.path, w.message.split(" ")[0]])).toEqual([
      [cuts[0], "1"],
      [cuts[1], "1"],
    ]);
  });
});
