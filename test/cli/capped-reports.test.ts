import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

/*
 * A JSON report written with --max-records (10,000 of each by default) lists only some of its
 * records; its groups are all there. Found by an audit: the 105 MB bench log compared "652
 * new" against its own baseline, and a capped shard merged into wrong totals silently.
 */
const LOG = "samples/valgrind/leak_definite.txt";

async function cappedReport(): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), "leaklog-capped-")), "cap1.json");
  const { code } = await cli(["summarize", LOG, "-f", "json", "--max-records", "1", "-o", path]);
  expect(code).toBe(0);
  return path;
}

describe("a report that left records out", () => {
  it("is a whole baseline: the log it came from has no new group", async () => {
    const baseline = await cappedReport();
    const diff = await cli(["diff", baseline, LOG, "--fail-on", "new", "-f", "json"]);
    expect(diff.code).toBe(0);
    expect((JSON.parse(diff.stdout) as { counts: object }).counts).toEqual({
      new: 0,
      fixed: 0,
      unchanged: 3,
    });
    const run = await cli(["summarize", LOG, "--baseline", baseline, "--fail-on", "new"]);
    expect(run.code).toBe(0);
  });

  it("is still fingerprinted again with the run's options", async () => {
    const baseline = await cappedReport();
    const diff = await cli(["diff", baseline, LOG, "--fingerprint-frames", "1", "-f", "json"]);
    expect((JSON.parse(diff.stdout) as { counts: { new: number } }).counts.new).toBe(0);
  });

  it("says, when merged, that its totals miss what it left out", async () => {
    const merged = await cli(["summarize", await cappedReport(), "-f", "json"]);
    const report = JSON.parse(merged.stdout) as {
      sources: { complete: boolean }[];
      diagnostics: { code: string; message: string }[];
    };
    expect(report.sources[0]?.complete).toBe(false);
    const warning = report.diagnostics.find((d) => d.code === "report-records-omitted");
    expect(warning?.message).toContain("the report lists 1 of its records and leaves out 2");
  });
});
