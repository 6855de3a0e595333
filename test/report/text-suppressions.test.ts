import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

/** Summarizes a sample with the suppressions leaklog generates for it: everything suppressed. */
async function allSuppressed(sample: string, options: string[] = []): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "leaklog-text-supp-"));
  const supp = join(dir, "all.supp");
  writeFileSync(supp, (await cli(["suppressions", sample])).stdout);
  const { code, stdout } = await cli(["summarize", sample, "--suppressions", supp, ...options]);
  expect(code).toBe(0);
  return stdout;
}

describe("the text summary after --suppressions", () => {
  it("says that what is gone was suppressed, not that nothing was found", async () => {
    const text = await allSuppressed("samples/valgrind/use_after_free.txt");
    expect(text).toContain(
      "No leaks or memory errors found outside suppressions (2 groups suppressed).",
    );
    expect(text).toContain("InvalidRead      2 occurrences, all suppressed");
    expect(text).toContain("InvalidWrite     1 occurrence, suppressed");
  });

  it("tells leaks it suppressed from leaks the tool never listed", async () => {
    const text = await allSuppressed("samples/valgrind/leak_definite.txt");
    expect(text).toContain(
      "definitely-lost  none left: 155 bytes in 5 blocks suppressed by --suppressions  (tool's summary: 155 bytes in 5 blocks)",
    );
    expect(text).toContain(
      "suppressed       155 bytes in 5 blocks  (tool's summary: 0 bytes in 0 blocks; 155 bytes of them by --suppressions)",
    );
    expect(text).not.toContain("not listed");
  });
});

describe("the Totals' share of --suppressions", () => {
  // Campaign ch F1: the share was summed from the listed loss records, which stop at
  // --max-records and hold superseded leak checks and forked children's copies, none of which
  // the totals count: the rows contradicted their own numbers.
  const sample = "samples/valgrind/client_requests.txt";
  const definite =
    "definitely-lost  none left: 112 bytes in 2 blocks suppressed by --suppressions  (tool's summary: 112 bytes in 2 blocks)";
  const suppressed =
    "suppressed       128 bytes in 3 blocks  (tool's summary: 0 bytes in 0 blocks; 128 bytes of them by --suppressions)";

  it.each([[[]], [["--max-records", "1"]]])(
    "is what the totals count, not the earlier leak checks' records (%j)",
    async (options) => {
      const text = await allSuppressed(sample, options);
      expect(text).toContain(definite);
      expect(text).toContain(suppressed);
    },
  );

  it("is in the JSON totals by the tool's kind, and read back from a capped report", async () => {
    const dir = mkdtempSync(join(tmpdir(), "leaklog-supp-share-"));
    const supp = join(dir, "all.supp");
    writeFileSync(supp, (await cli(["suppressions", sample])).stdout);
    const shard = join(dir, "shard.json");
    const args = ["summarize", sample, "--suppressions", supp, "--max-records", "1"];
    expect((await cli([...args, "-f", "json", "-o", shard])).code).toBe(0);
    const report = JSON.parse(readFileSync(shard, "utf8")) as { totals: Record<string, unknown> };
    expect(report.totals["suppressedLeaks"]).toEqual({
      "definitely-lost": { bytes: 112, blocks: 2 },
      "still-reachable": { bytes: 16, blocks: 1 },
    });
    const merged = await cli(["summarize", shard]);
    expect(merged.stdout).toContain(definite);
    expect(merged.stdout).toContain(suppressed);
  });

  it("puts a forked child's copies on the row of the kind the tool gave them", async () => {
    const dir = "test/fixtures/suppressed-totals";
    const { stdout } = await cli([
      "summarize",
      join(dir, "fork.log"),
      "--suppressions",
      join(dir, "fork.supp"),
    ]);
    expect(stdout).toContain(
      "definitely-lost  none left: 32 bytes in 1 blocks suppressed by --suppressions  (tool's summary: 64 bytes in 2 blocks; 32 bytes in 1 blocks of them forked children's copies of their parents', counted once)",
    );
    expect(stdout).toContain(
      "suppressed       32 bytes in 1 blocks  (tool's summary: 0 bytes in 0 blocks; 32 bytes of them by --suppressions)",
    );
  });
});

describe("the JSON totals after --suppressions", () => {
  // Campaign s: totals.errors kept counting suppressed errors, and nothing in the totals said
  // so: a CI script reading them failed on errors the run had suppressed.
  it("say how many of each error kind's occurrences were suppressed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "leaklog-json-supp-"));
    const supp = join(dir, "reads.supp");
    const sample = "samples/valgrind/use_after_free.txt";
    const all = (await cli(["suppressions", sample])).stdout;
    // Only the InvalidRead entries: the InvalidWrite stays a finding.
    const reads = all.split(/\n(?=\{)/).filter((entry) => entry.includes("leaklog-InvalidRead"));
    expect(reads.length).toBeGreaterThan(0);
    writeFileSync(supp, `${reads.join("\n")}\n`);
    const run = async (inputs: string[], env?: Record<string, string>) => {
      const args = ["summarize", ...inputs, "--suppressions", supp, "--format", "json"];
      const { code, stdout } = await cli(args, [], { env: env ?? {} });
      expect(code).toBe(0);
      return JSON.parse(stdout) as { totals: Record<string, unknown> };
    };
    const report = await run([sample]);
    expect(report.totals["errors"]).toEqual({ InvalidRead: 2, InvalidWrite: 1 });
    expect(report.totals["suppressedErrors"]).toEqual({ InvalidRead: 2 });
    // The same through worker threads, and read back from the report itself.
    const twice = await run([sample, "samples/valgrind/leak_definite.txt"], {
      LEAKLOG_WORKERS: "1",
    });
    expect(twice.totals["suppressedErrors"]).toEqual({ InvalidRead: 2 });
    const shard = join(dir, "shard.json");
    writeFileSync(shard, JSON.stringify(report, null, 2));
    const merged = await cli(["summarize", shard, "--format", "json"]);
    const back = JSON.parse(merged.stdout) as { totals: Record<string, unknown> };
    expect(back.totals["suppressedErrors"]).toEqual({ InvalidRead: 2 });
    // Without suppressions the field is absent.
    const plain = await cli(["summarize", sample, "--format", "json"]);
    const none = JSON.parse(plain.stdout) as { totals: Record<string, unknown> };
    expect(none.totals).not.toHaveProperty("suppressedErrors");
  });
});

describe("a group only partly suppressed", () => {
  // Campaign v9: fishy's FishyValue group holds two malloc occurrences and two realloc ones;
  // suppressing the malloc ones left the text without a note, and a report written with
  // --max-records lost them from its merged totals (a group is suppressed only when all its
  // records are).
  const logs = ["samples/valgrind/fishy.txt", "samples/valgrind-xml/fishy.xml"];

  async function mallocSuppressions(): Promise<string> {
    const dir = mkdtempSync(join(tmpdir(), "leaklog-part-supp-"));
    const all = (await cli(["suppressions", logs[0] as string])).stdout;
    const malloc = all.split(/\n(?=\{)/).filter((entry) => entry.includes("malloc(size)"));
    expect(malloc).toHaveLength(1);
    writeFileSync(join(dir, "malloc.supp"), `${malloc.join("\n")}\n`);
    return dir;
  }

  it("counts its suppressed occurrences in the text summary as in the JSON totals", async () => {
    const supp = join(await mallocSuppressions(), "malloc.supp");
    const text = await cli(["summarize", ...logs, "--suppressions", supp]);
    expect(text.stdout).toContain("FishyValue       4 occurrences, 2 of them suppressed");
    const json = await cli(["summarize", ...logs, "--suppressions", supp, "-f", "json"]);
    const report = JSON.parse(json.stdout) as { totals: Record<string, unknown> };
    expect(report.totals["suppressedErrors"]).toEqual({ FishyValue: 2 });
  });

  it.each(["0", "1", "2", "3"])(
    "keeps them in a merge of a report written with --max-records %s",
    async (max) => {
      const dir = await mallocSuppressions();
      const shard = join(dir, "shard.json");
      const args = ["--suppressions", join(dir, "malloc.supp"), "--max-records", max];
      const written = await cli(["summarize", ...logs, ...args, "-f", "json", "-o", shard]);
      expect(written.code).toBe(0);
      const merged = await cli(["summarize", shard, "-f", "json"]);
      const report = JSON.parse(merged.stdout) as { totals: Record<string, unknown> };
      expect(report.totals["errors"]).toEqual({ FishyValue: 4 });
      expect(report.totals["suppressedErrors"]).toEqual({ FishyValue: 2 });
    },
  );
});
