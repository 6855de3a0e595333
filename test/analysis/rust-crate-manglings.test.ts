import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseInto } from "../../src/api/parse.js";
import { summarize } from "../../src/api/summarize.js";
import { Summarizer } from "../../src/api/summarizer.js";
import { applyValgrindSuppressions } from "../../src/analysis/suppressions/valgrind-apply.js";
import { parseValgrindSuppressions } from "../../src/analysis/suppressions/valgrind.js";
import type { Report } from "../../src/model/index.js";
import { cli } from "../helpers/cli.js";
import { ROOT } from "../helpers/golden.js";
import { summarizeLikeWorkers } from "../helpers/workers.js";

// Campaign aq: a glob spelling one Rust mangling (`fun:_ZN6shapes10forget_vec*`, a
// --gen-suppressions block trimmed of its hash) on a plain path (`shapes::forget_vec`), given
// to the real Valgrind with legacy and v0 builds (fixtures/suppressions/rust-crate-manglings).
const RELATIVE = "test/fixtures/suppressions/rust-crate-manglings";
const DIR = join(ROOT, RELATIVE);
const read = (name: string) => readFileSync(join(DIR, name), "utf8");
const entries = (entry: string) => {
  const parsed = parseValgrindSuppressions(read(`entries/${entry}.supp`), `${entry}.supp`);
  expect(parsed.problems).toEqual([]);
  return { valgrind: parsed.suppressions, lsan: [] };
};

/** What Valgrind suppressed given the entry, per process: its LEAK SUMMARY's `suppressed:` bytes. */
function valgrindSuppressed(run: string): number[] {
  const lines = read(`runs/${run}.txt`).matchAll(/==(\d+)== +suppressed: ([\d,]+) bytes/g);
  return [...lines].map((m) => Number(m[2]?.replaceAll(",", "")));
}

function apply(log: string, entry: string): Report {
  return summarize([parse(read(`${log}.txt`), { path: `${log}.txt` })], {
    suppressions: entries(entry),
  });
}

const suppressedBytes = (report: Report) => report.totals.leaks["suppressed"]?.bytes ?? 0;
const unused = (report: Report) =>
  report.diagnostics.filter((d) => d.code === "unused-suppression").map((d) => d.message);

const ROWS = ["shapes-legacy", "shapes-v0"].flatMap((b) =>
  ["legacy-glob", "v0-glob", "legacy-trimmed", "v0-trimmed"].map((e) => [b, e]),
);

describe("a Rust glob of one mangling, applied by what the crate's frames show", () => {
  it.each(ROWS)("%s with %s: leaklog hides what Valgrind hid", (b, e) => {
    const [valgrind] = valgrindSuppressed(`${b}-${e}`);
    const report = apply(b, e);
    expect(suppressedBytes(report)).toBe(valgrind);
    // Where Valgrind hid nothing, the entry matched nothing: the log said which mangling (the
    // info is of the still-reachable blocks these logs count without listing).
    expect(unused(report)).toHaveLength(valgrind === 0 ? 1 : 0);
    expect(unused(report).join("")).not.toContain("only as the symbol");
  });

  it("suppresses forget_vec's record in its place, counted once, though the closure comes after", () => {
    const report = apply("shapes-legacy", "legacy-glob");
    expect(report.leaks.map((l) => [l.kind, l.bytes])).toEqual([
      ["suppressed", 100],
      ["definitely-lost", 200],
      ["definitely-lost", 288],
    ]);
    expect(report.totals.leaks["definitely-lost"]).toMatchObject({ bytes: 488, blocks: 2 });
    expect(report.totals.leaks["suppressed"]).toMatchObject({ bytes: 100, blocks: 1 });
    expect(report.groups.map((g) => g.members.length).reduce((a, b) => a + b)).toBe(3);
    // Under a cap, the held record keeps the place it was listed in.
    const capped = summarize([parse(read("shapes-legacy.txt"), { path: "shapes-legacy.txt" })], {
      suppressions: entries("legacy-glob"),
      maxRecords: 1,
    });
    expect(capped.leaks.map((l) => [l.kind, l.bytes])).toEqual([["suppressed", 100]]);
    expect(capped.totals.leaks["suppressed"]).toMatchObject({ bytes: 100, blocks: 1 });
  });

  it("decides per process: one log with a legacy build's process and a v0 build's", () => {
    for (const entry of ["legacy-glob", "v0-glob"]) {
      // Valgrind's sh, then the legacy build, then the v0 build; the summaries come in exit order.
      const [legacy, v0] = valgrindSuppressed(`both-${entry}`);
      const report = apply("both", entry);
      const hidden = report.leaks.filter((l) => l.kind === "suppressed");
      expect(hidden.map((l) => l.bytes)).toEqual([100]);
      const command = report.sources[0]?.processes?.find((p) => p.pid === hidden[0]?.pid);
      expect(command?.command).toBe(entry === "legacy-glob" ? "./shapes-legacy" : "./shapes-v0");
      expect([legacy, v0]).toEqual(entry === "legacy-glob" ? [100, 0] : [0, 100]);
    }
  });

  it("decides nothing from std's frames, whose generics the program instantiates legacy", () => {
    for (const b of ["shapes-legacy", "shapes-v0"]) {
      expect(valgrindSuppressed(`${b}-std-legacy-glob`)).toEqual([0]);
      const report = apply(b, "std-legacy-glob");
      expect(suppressedBytes(report)).toBe(0);
      expect(unused(report)).toEqual([
        expect.stringContaining("it would match std::rt::lang_start_internal only as the symbol"),
      ]);
    }
  });

  it("gives the same report however the log is cut into chunks, streamed or whole", async () => {
    const text = read("shapes-v0.txt");
    const whole = apply("shapes-v0", "v0-glob");
    const summarizer = new Summarizer({ suppressions: entries("v0-glob") });
    const chunks = text.match(/[^]{1,97}/g) ?? [];
    const end = await parseInto(chunks, { path: "shapes-v0.txt" }, (e) => summarizer.event(e));
    summarizer.source(end.source);
    expect(summarizer.finish()).toEqual(whole);
  });

  it("settles what it held when no end of the source comes, and in a worker's partial report", () => {
    const options = { suppressions: entries("legacy-glob") };
    const summarizer = new Summarizer(options);
    for (const leak of parse(read("shapes-legacy.txt"), { path: "a.txt" }).leaks)
      summarizer.finding(leak);
    expect(suppressedBytes(summarizer.finish())).toBe(100);
    const logs = [["shapes-legacy.txt", read("shapes-legacy.txt")]] as const;
    expect(suppressedBytes(summarizeLikeWorkers(logs, options))).toBe(100);
  });

  it("applies with the whole results in hand (applyValgrindSuppressions)", () => {
    const result = parse(read("shapes-legacy.txt"), { path: "shapes-legacy.txt" });
    const applied = applyValgrindSuppressions([result], entries("legacy-trimmed").valgrind);
    expect(applied.results[0]?.leaks.map((l) => l.kind)[0]).toBe("suppressed");
    expect(applied.diagnostics).toEqual([]);
  });

  it("the CLI hides forget_vec's leak in each build with both files", async () => {
    const run = await cli([
      "summarize",
      `${RELATIVE}/shapes-legacy.txt`,
      `${RELATIVE}/shapes-v0.txt`,
      "--suppressions",
      `${RELATIVE}/entries/legacy-glob.supp`,
      "--suppressions",
      `${RELATIVE}/entries/v0-trimmed.supp`,
      "-f",
      "json",
    ]);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.totals.leaks["suppressed"]).toMatchObject({ bytes: 200, blocks: 2 });
    expect(report.diagnostics.filter((d) => d.code === "unused-suppression")).toEqual([]);
  });
});
