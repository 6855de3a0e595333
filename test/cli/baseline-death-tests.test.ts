import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/model/index.js";
import { cli } from "../helpers/cli.js";
import { ROOT } from "../helpers/golden.js";

// A GoogleTest death test's forked child dies on purpose while its parent runs on: against a
// baseline, its death left out every group of its log as unreached, "0 fixed" after both faults
// were fixed (campaign cc F2). Real runs: test/fixtures/death-tests/README.md.
const DIR = "test/fixtures/death-tests";
const dir = mkdtempSync(join(tmpdir(), "leaklog-death-"));

interface DiffJson {
  counts: { new: number; unchanged: number; fixed: number };
  fixed: { kind: string }[];
  warnings: Diagnostic[];
}

async function jsonDiff(baseline: string, inputs: string[], cwd = ROOT): Promise<DiffJson> {
  const { stdout } = await cli(["diff", baseline, ...inputs, "-f", "json"], [], { cwd });
  return JSON.parse(stdout) as DiffJson;
}

const died = (diff: DiffJson) => diff.warnings.filter((w) => w.code === "baseline-process-died");

describe("baseline groups of a log where a death test's child died", () => {
  it("are fixed when fixed: the child stopped neither its parent nor another process", async () => {
    // Text and XML, 3.19 and 3.27, and `ctest -V`, whose two tests are processes of their own:
    // the SIGABRT's stack stops short of main, and the baseline's child died so too.
    for (const [base, now] of [
      ["faulty-319.txt", "fast-319.txt"],
      ["faulty-327.txt", "fast-327.txt"],
      ["faulty-319.xml", "fast-319.xml"],
      ["faulty-327.xml", "fast-327.xml"],
      ["ctest-faulty.log", "ctest-fixed.log"],
    ]) {
      const diff = await jsonDiff(`${DIR}/${base}`, [`${DIR}/${now}`]);
      expect(diff.counts, now).toEqual({ new: 0, unchanged: 1, fixed: 2 });
      expect(diff.fixed.map((g) => g.kind).sort(), now).toEqual(["InvalidRead", "definitely-lost"]);
      expect(died(diff), now).toEqual([]);
    }
  });

  it("are fixed when the child wrote a log of its own (vg.%p.log), from a report", async () => {
    const report = join(dir, "pid-faulty.json");
    const cwd = join(ROOT, DIR);
    const { code } = await cli(["summarize", "pid-faulty/*.log", "-f", "json", "-o", report], [], {
      cwd,
    });
    expect(code).toBe(0);
    const diff = await jsonDiff(report, ["pid-fixed/*.log"], cwd);
    expect(diff.counts).toEqual({ new: 0, unchanged: 1, fixed: 2 });
    expect(died(diff)).toEqual([]);
  });

  it("are not fixed when the test program itself crashed before their tests", async () => {
    for (const [base, now] of [
      ["faulty-319.txt", "parent-319.txt"],
      ["faulty-327.xml", "parent-327.xml"],
    ]) {
      const diff = await jsonDiff(`${DIR}/${base}`, [`${DIR}/${now}`]);
      expect(diff.counts.fixed, now).toBe(0);
      expect(
        died(diff).map((w) => w.message.replace(/PID \d+/, "PID N")),
        now,
      ).toEqual([
        expect.stringMatching(
          /^2 baseline group\(s\) not found in this run are not marked fixed: PID N (?:\(run 2\) )?died of signal 11 \(SIGSEGV\) at line \d+, in \(anonymous namespace\)::null_store\(\) \(death\.cpp:22\), /,
        ),
      ]);
    }
  });

  it("are not fixed when the baseline's run shows no child that died so", async () => {
    // Which of the baseline's processes the child that died now was, nothing tells.
    const diff = await jsonDiff(`${DIR}/faulty-nodeath-319.txt`, [`${DIR}/fast-319.txt`]);
    expect(diff.counts).toEqual({ new: 1, unchanged: 0, fixed: 0 });
    expect(died(diff).map((w) => w.message)).toEqual([
      expect.stringContaining("; the baseline's run did not die so"),
    ]);
  });
});
