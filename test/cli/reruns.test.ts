import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { ROOT } from "../helpers/golden.js";

/** A directory holding one real log, as a CI workspace kept from run to run does. */
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), "leaklog-rerun-"));
  copyFileSync(join(ROOT, "samples/valgrind/leak_definite.txt"), join(dir, "leak_definite.txt"));
  return dir;
}

const definitelyLost = (path: string): number =>
  (
    JSON.parse(readFileSync(path, "utf8")) as {
      totals: { leaks: Record<string, { bytes: number }> };
    }
  ).totals.leaks["definitely-lost"]?.bytes ?? -1;

describe("a glob that matches the command's own files", () => {
  it("does not read the last run's --output again: a re-run gives the same totals", async () => {
    const dir = workspace();
    const report = join(dir, "report.json");
    const outputs: string[] = [];
    for (let run = 0; run < 3; run++) {
      const { code } = await cli(["summarize", `${dir}/*`, "-f", "json", "-o", report]);
      expect(code).toBe(0);
      outputs.push(readFileSync(report, "utf8"));
    }
    expect(definitelyLost(report)).toBe(155);
    expect(new Set(outputs).size).toBe(1);
  });

  it("does not merge the --baseline into the run it is compared with", async () => {
    const dir = workspace();
    const baseline = join(dir, "baseline.json");
    await cli(["summarize", `${dir}/*.txt`, "-f", "json", "-o", baseline]);
    const { code, stdout } = await cli([
      "summarize",
      `${dir}/*`,
      "--baseline",
      baseline,
      "-f",
      "json",
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { sources: unknown[]; groups: { baseline: string }[] };
    expect(report.sources).toHaveLength(1);
    expect(report.groups.map((g) => g.baseline)).toEqual(report.groups.map(() => "unchanged"));
  });

  it("is still 'no files match' when it matches nothing else", async () => {
    const dir = mkdtempSync(join(tmpdir(), "leaklog-rerun-"));
    const report = join(dir, "report.json");
    const log = join(ROOT, "samples/valgrind/leak_definite.txt");
    expect((await cli(["summarize", log, "-f", "json", "-o", report])).code).toBe(0);
    const { code, stderr } = await cli(["summarize", `${dir}/*.json`, "-o", report]);
    expect(code).toBe(2);
    expect(stderr).toBe(`leaklog: ${dir}/*.json: no files match ${dir}/*.json\n`);
  });
});
