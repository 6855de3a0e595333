import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

/*
 * leak_all_fullonly.txt: `--leak-check=full` with Valgrind's default --show-leak-kinds
 * (definite, possible). Its LEAK SUMMARY counts 48 bytes indirectly lost and 200 bytes still
 * reachable that no loss record shows. A rule that names such a kind counts them.
 */
const LOG = "samples/valgrind/leak_all_fullonly.txt";

async function gate(...args: string[]): Promise<{ code: number; reasons: string[] }> {
  const { code, stdout } = await cli(["summarize", LOG, "-f", "json", ...args]);
  const report = JSON.parse(stdout) as { gate?: { reasons: string[] } };
  return { code, reasons: report.gate?.reasons ?? [] };
}

describe("leak kinds a full leak check did not show", () => {
  it("are listed in the report as unshownLeaks", async () => {
    const { stdout } = await cli(["summarize", LOG, "-f", "json"]);
    const report = JSON.parse(stdout) as { unshownLeaks?: { leak: object }[] };
    expect(report.unshownLeaks?.map((e) => e.leak)).toEqual([
      { "indirectly-lost": { bytes: 48, blocks: 3 }, "still-reachable": { bytes: 200, blocks: 1 } },
    ]);
  });

  it("fail a --fail-on or --max-bytes rule that names the kind", async () => {
    expect(await gate("--fail-on", "still-reachable")).toEqual({
      code: 1,
      reasons: [
        "--fail-on still-reachable: Valgrind's LEAK SUMMARY reports 200 bytes in 1 blocks still reachable, not shown as loss records: rerun with --show-leak-kinds=all for stacks",
      ],
    });
    const limit = await gate("--max-bytes", "indirectly-lost=47");
    expect(limit.code).toBe(1);
    expect(limit.reasons).toEqual([
      "--max-bytes indirectly-lost=47: 48 bytes (48 of them not shown as loss records: rerun with --show-leak-kinds=all for stacks)",
    ]);
    expect((await gate("--max-bytes", "indirectly-lost=48")).code).toBe(0);
  });

  it("are left out of rules that do not name them: any, severities", async () => {
    for (const rule of ["any", "warning", "note"]) {
      const { reasons } = await gate("--fail-on", rule);
      expect(reasons.join("\n")).not.toContain("not shown as loss records");
    }
  });

  it("are found again in a merged JSON report", async () => {
    const dir = mkdtempSync(join(tmpdir(), "leaklog-unshown-"));
    const shard = join(dir, "shard.json");
    writeFileSync(shard, (await cli(["summarize", LOG, "-f", "json"])).stdout);
    const merged = await cli(["summarize", shard, "--fail-on", "still-reachable"]);
    expect(merged.code).toBe(1);
    expect(merged.stdout).toContain(
      "200 bytes in 1 blocks still reachable, not shown as loss records",
    );
  });
});
