import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

// A real `valgrind -q` log: realloc.c leaks in grow (line 3) and twice in main (lines 10, 12).
const LOG = "test/fixtures/valgrind/quiet/realloc-q.txt";

interface Group {
  fingerprint: string;
  bytes: number;
  occurrences: number;
  baseline?: string;
}
async function groupsOf(...extra: string[]): Promise<Group[]> {
  const { code, stdout, stderr } = await cli(["summarize", LOG, "--format", "json", ...extra]);
  expect(stderr).toBe("");
  expect(code).toBe(0);
  return (JSON.parse(stdout) as { groups: Group[] }).groups;
}

describe("--fingerprint-lines and --fingerprint-frames", () => {
  it("keep two leaks of one function apart only when lines count", async () => {
    const byFunction = await groupsOf();
    expect(byFunction.map((g) => [g.bytes, g.occurrences])).toEqual([
      [250, 1],
      [217, 2],
    ]);
    const byLine = await groupsOf("--fingerprint-lines");
    expect(byLine.map((g) => [g.bytes, g.occurrences])).toEqual([
      [250, 1],
      [200, 1],
      [17, 1],
    ]);
  });

  it("compare as many frames as asked", async () => {
    // leak_definite.c leaks through make_buf twice, called from main and from leak_three.
    const count = async (...extra: string[]) => {
      const args = ["summarize", "samples/valgrind/leak_definite.txt", "--format", "json"];
      const { stdout } = await cli([...args, ...extra]);
      return (JSON.parse(stdout) as { groups: unknown[] }).groups.length;
    };
    expect(await count()).toBe(3);
    expect(await count("--fingerprint-frames", "1")).toBe(2);
  });

  it("fingerprint a baseline again with the run's choice, whatever wrote it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "leaklog-fp-"));
    const baseline = join(dir, "old.json");
    writeFileSync(baseline, (await cli(["summarize", LOG, "--format", "json"])).stdout);
    const groups = await groupsOf("--fingerprint-lines", "--baseline", baseline);
    expect(groups.map((g) => g.baseline)).toEqual(["unchanged", "unchanged", "unchanged"]);
    const diff = await cli(["diff", baseline, LOG, "--fingerprint-lines", "--format", "json"]);
    expect(diff.code).toBe(0);
    const counts = (JSON.parse(diff.stdout) as { counts: Record<string, number> }).counts;
    expect(counts).toMatchObject({ new: 0, fixed: 0, unchanged: 3 });
  });

  it.each([
    [["--fingerprint-frames", "0"], "--fingerprint-frames: expected at least 1 frame"],
    [["--fingerprint-frames", "two"], "--fingerprint-frames: expected a whole number of frames"],
    [["--fingerprint-frames", "1.5"], "--fingerprint-frames: expected a whole number of frames"],
  ])("refuse %j in one line, exit 2", async (args, message) => {
    const { code, stderr } = await cli(["summarize", LOG, ...args]);
    expect(code).toBe(2);
    expect(stderr).toBe(`leaklog: ${message}\n`);
  });

  it("are not options of the suppressions command", async () => {
    const { code, stderr } = await cli(["suppressions", LOG, "--fingerprint-lines"]);
    expect(code).toBe(2);
    expect(stderr).toContain("--fingerprint-lines is not an option of suppressions");
  });
});
