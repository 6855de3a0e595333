import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Report } from "../../src/model/index.js";
import { cli } from "../helpers/cli.js";
import { ROOT } from "../helpers/golden.js";

/** Writes the JSON report of `logs` and returns its path. */
async function shard(logs: readonly string[], name = "shard.json"): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), "leaklog-merge-")), name);
  const { code } = await cli(["summarize", ...logs, "-f", "json", "-o", path]);
  expect(code).toBe(0);
  return path;
}

describe("a report merged again (leaklog summarize shard.json)", () => {
  it("names the tool whose summary alone reports leaks, as the log did", async () => {
    const log = "samples/valgrind/leak_all_summary.txt";
    const direct = await cli(["summarize", log]);
    const merged = await cli(["summarize", await shard([log])]);
    const line = (text: string) => text.split("\n").find((l) => l.includes("no loss records"));
    expect(line(direct.stdout)).toMatch(/^Leaks without loss records: Valgrind's LEAK SUMMARY/);
    expect(line(merged.stdout)).toBe(line(direct.stdout));
    const json = JSON.parse((await cli(["summarize", await shard([log]), "-f", "json"])).stdout);
    expect((json as Report).summaryOnlyLeaks?.map((e) => e.format)).toEqual(["valgrind"]);
  });

  it("keeps two runs of one PID apart: no summary-mismatch from adding them up", async () => {
    // Two runs in fresh containers repeat a PID; merged, both point into one JSON file.
    const dir = mkdtempSync(join(tmpdir(), "leaklog-merge-"));
    const logs = ["a.txt", "b.txt"].map((name) => join(dir, name));
    for (const log of logs) copyFileSync(join(ROOT, "samples/valgrind/leak_definite.txt"), log);
    const merged = JSON.parse((await cli(["summarize", await shard(logs), "-f", "json"])).stdout);
    const codes = (merged as Report).diagnostics.map((d) => d.code);
    expect(codes).toContain("repeated-process");
    expect(codes).not.toContain("summary-mismatch");
  });

  it("keeps the summary-mismatch verdicts of the run that read the log", async () => {
    // ERROR SUMMARY is checked while the log is read: the merge has no error contexts to count.
    const log = "test/fixtures/valgrind/error-counts/leaks_full_minus_err.txt";
    const direct = JSON.parse((await cli(["summarize", log, "-f", "json"])).stdout) as Report;
    const merged = JSON.parse((await cli(["summarize", await shard([log]), "-f", "json"])).stdout);
    const verdicts = (r: Report) =>
      r.diagnostics.filter((d) => d.code === "summary-mismatch").map((d) => d.message);
    expect(verdicts(direct)).toHaveLength(1);
    expect(verdicts(merged as Report)).toEqual(verdicts(direct).map((m) => `${log}:47: ${m}`));
  });

  it("fails the merge (exit 2) for a shard's unusable input, as the shard's own run did", async () => {
    // A shard job keeps its report with `|| true`; the merge is the gate, so a log lost in one
    // shard (empty after a crash) must not pass there.
    const dir = mkdtempSync(join(tmpdir(), "leaklog-merge-"));
    writeFileSync(join(dir, "crashed.log"), "");
    const report = join(dir, "shard.json");
    const log = "samples/valgrind/leak_definite.txt";
    const run = await cli(["summarize", log, join(dir, "crashed.log"), "-f", "json", "-o", report]);
    expect(run.code).toBe(2);
    const merged = await cli(["summarize", report]);
    expect(merged.code).toBe(2);
    expect(merged.stderr).toMatch(/^leaklog: .*shard\.json: .*crashed\.log: empty input: /);
    expect(merged.stdout).toMatch(/definitely-lost {2}\d+ bytes/);
    // With --allow-empty the shard's empty log was a clean run: nothing to fail for.
    await cli([
      "summarize",
      log,
      join(dir, "crashed.log"),
      "--allow-empty",
      "-f",
      "json",
      "-o",
      report,
    ]);
    expect((await cli(["summarize", report])).code).toBe(0);
  });

  it("fails the merge (exit 2) for a damaged report, and keeps the other shards' records", async () => {
    const good = await shard(["samples/valgrind/leak_definite.txt"]);
    const cut = join(mkdtempSync(join(tmpdir(), "leaklog-merge-")), "cut.json");
    writeFileSync(cut, readFileSync(good, "utf8").slice(0, 2000));
    const merged = await cli(["summarize", good, cut]);
    expect(merged.code).toBe(2);
    // At the line of the damage (campaign v18a F4).
    expect(merged.stderr).toMatch(/^leaklog: .*cut\.json:\d+: damaged JSON/);
    expect(merged.stdout).toMatch(/definitely-lost {2}\d+ bytes/);
    expect((await cli(["summarize", good])).code).toBe(0);
  });
});

describe("a minified report (JSON.stringify of the library's report) merged", () => {
  it("reads a one-line report over the 1 MiB line cap whole, records and groups as written", async () => {
    const dir = mkdtempSync(join(tmpdir(), "leaklog-merge-"));
    const pretty = await shard(["samples/valgrind/*.txt", "samples/valgrind-xml/*.xml"]);
    const report = JSON.parse(readFileSync(pretty, "utf8")) as Report;
    // Many shards' worth of the same records: the one line passes 1 MiB.
    const copies = Array.from({ length: 8 }, () => report.leaks).flat();
    const big = { ...report, leaks: copies };
    const minified = join(dir, "minified.json");
    writeFileSync(minified, JSON.stringify(big));
    expect(readFileSync(minified).byteLength).toBeGreaterThan(1 << 20);
    const { code, stdout, stderr } = await cli(["summarize", minified, "-f", "json"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const merged = JSON.parse(stdout) as Report;
    expect(merged.diagnostics.map((d) => d.code)).not.toContain("line-too-long");
    expect(merged.diagnostics.map((d) => d.code)).not.toContain("bad-report");
    expect(merged.leaks.length).toBe(Math.min(copies.length, 10_000));
  });

  it("reads an NDJSON report whose source line lists processes past 1 MiB", async () => {
    // A log of 25,000 processes made a 1.4 MB source line, and its NDJSON could not be merged.
    const dir = mkdtempSync(join(tmpdir(), "leaklog-merge-"));
    const { stdout } = await cli([
      "summarize",
      "samples/valgrind/leak_definite.txt",
      "-f",
      "ndjson",
    ]);
    const lines = stdout.trimEnd().split("\n");
    const at = lines.findIndex((l) => l.startsWith('{"record":"source"'));
    const source = JSON.parse(lines[at] as string) as { processes: { pid: number }[] };
    const extra = Array.from({ length: 80_000 }, (_, i) => ({ pid: 100_000 + i }));
    lines[at] = JSON.stringify({ ...source, processes: [...source.processes, ...extra] });
    expect((lines[at] as string).length).toBeGreaterThan(1 << 20);
    const ndjson = join(dir, "many.ndjson");
    writeFileSync(ndjson, `${lines.join("\n")}\n`);
    const merged = await cli(["summarize", ndjson, "-f", "json"]);
    expect(merged.stderr).toBe("");
    expect(merged.code).toBe(0);
    const report = JSON.parse(merged.stdout) as Report;
    expect(report.leaks.map((l) => l.bytes)).toEqual([7, 48, 100]);
    expect(report.diagnostics.map((d) => d.code)).not.toContain("line-too-long");
  });

  it("keeps the line cap for any other one-line JSON", async () => {
    const dir = mkdtempSync(join(tmpdir(), "leaklog-merge-"));
    const other = join(dir, "other.json");
    writeFileSync(other, JSON.stringify({ schemaVersion: 1, x: "y".repeat(2 << 20) }));
    const { code, stderr } = await cli(["summarize", other]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/not a log leaklog can read/);
  });
});
