import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expandInputs } from "../../src/cli/inputs.js";
import type { Group, Report, SummaryOnlyLeak } from "../../src/model/index.js";
import { cli } from "../helpers/cli.js";
import { ROOT } from "../helpers/golden.js";

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

  it("merges into the groups and totals of the logs themselves, without false mismatches", async () => {
    const { paths: logs } = await expandInputs(["samples/valgrind/*.txt"], ROOT);
    const shard = join(mkdtempSync(join(tmpdir(), "leaklog-capped-")), "all3.json");
    await cli(["summarize", ...logs, "-f", "json", "--max-records", "3", "-o", shard]);
    const direct = JSON.parse((await cli(["summarize", ...logs, "-f", "json"])).stdout) as Report;
    const merged = JSON.parse((await cli(["summarize", shard, "-f", "json"])).stdout) as Report;
    expect(merged.leaks.length + merged.errors.length).toBe(6);
    expect(merged.groups.map(amounts)).toEqual(direct.groups.map(amounts));
    expect(merged.totals).toEqual(direct.totals);
    expect(merged.recordsOmitted).toEqual({
      leaks: direct.leaks.length - 3,
      errors: direct.errors.length - 3,
    });
    expect(merged.summaryOnlyLeaks?.map(whatLeaked)).toEqual(
      direct.summaryOnlyLeaks?.map(whatLeaked),
    );
    expect(merged.unshownLeaks?.map(whatLeaked)).toEqual(direct.unshownLeaks?.map(whatLeaked));
    // The shard's records were cut, not the tools' summaries: the run that saw them all checked.
    const mismatches = (r: Report) => r.diagnostics.filter((d) => d.code === "summary-mismatch");
    expect(mismatches(merged).map((d) => d.message)).toEqual(
      mismatches(direct).map((d) => `${d.path}:${d.line}: ${d.message}`),
    );
    const omitted = merged.diagnostics.find((d) => d.code === "report-records-omitted");
    expect(omitted).toMatchObject({ severity: "info" });
    expect(omitted?.message).toContain("the report lists 6 of its records and leaves out");
  });

  it("is complete when merged, though its records are not all listed", async () => {
    const merged = await cli(["summarize", await cappedReport(), "-f", "json"]);
    const report = JSON.parse(merged.stdout) as Report;
    expect(report.sources[0]?.complete).toBe(true);
    expect(report.groups.map((g) => g.occurrences)).toEqual([1, 1, 1]);
    expect(report.groups.flatMap((g) => g.members)).toHaveLength(1);
    expect(report.groups.map((g) => g.membersOmitted ?? 0).sort()).toEqual([0, 1, 1]);
  });

  it("says that this run's suppressions cannot reach the records it does not list", async () => {
    const supp = join(mkdtempSync(join(tmpdir(), "leaklog-capped-")), "make_buf.supp");
    writeFileSync(supp, "{\n   make_buf\n   Memcheck:Leak\n   ...\n   fun:make_buf\n}\n");
    const merged = await cli([
      "summarize",
      await cappedReport(),
      "--suppressions",
      supp,
      "-f",
      "json",
    ]);
    const report = JSON.parse(merged.stdout) as Report;
    expect(report.diagnostics.map((d) => d.code)).toContain("unlisted-unsuppressed");
  });

  // Campaign ch F6: the gate failed on 3 groups, JUnit had a case for 1 (the listed one's).
  it("gives its groups of unlisted records a JUnit case in its own suite, which says so", async () => {
    const capped = await cappedReport();
    const junit = await cli(["summarize", capped, "-f", "junit"]);
    expect(junit.stdout).toContain('<testsuites name="leaklog" tests="4" failures="3"');
    const ownSuite = junit.stdout.slice(0, junit.stdout.indexOf("</testsuite>"));
    const unlisted = "reported here in records the report read back does not list (--max-records)";
    expect(ownSuite.split(unlisted)).toHaveLength(3);
    const gate = await cli(["summarize", capped, "--fail-on", "error"]);
    expect(gate.stdout).toContain("--fail-on error: 3 groups");
  });
});

/** What a group counts, whatever lists its members. */
const amounts = (g: Group) => [
  g.type,
  g.kind,
  g.fingerprint,
  g.severity,
  g.bytes,
  g.directBytes,
  g.blocks,
  g.occurrences,
  g.members.length + (g.membersOmitted ?? 0),
  g.pids,
];

const whatLeaked = (e: SummaryOnlyLeak) => [e.pid, e.format, e.leakCheck, e.leak];
