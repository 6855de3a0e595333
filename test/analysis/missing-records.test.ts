import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../src/api/parse.js";
import { summarize } from "../../src/api/summarize.js";
import type { Report } from "../../src/model/index.js";
import { incompleteProcessesOf, summaryOnlySentence } from "../../src/report/describe.js";
import { REPORTERS } from "../../src/report/index.js";
import { ROOT } from "../helpers/golden.js";

// Campaign bqb F2: a whole real log (fixtures/valgrind/tail-cut/README.md) whose LEAK SUMMARY
// says `definitely lost: 56 bytes in 3 blocks`, over loss records of 8, 16 and 32 direct bytes.
const dir = join(ROOT, "test/fixtures/valgrind/tail-cut");
const lines = readFileSync(join(dir, "leak3.txt"), "utf8").split("\n").slice(0, -1);
/** `tail -n n` of the log, as a job log's last lines keep it. */
const tail = (n: number): string => `${lines.slice(-n).join("\n")}\n`;
const gate = { failOn: [], maxBytes: { "definitely-lost": 40 } };

/** Direct bytes definitely lost the gate counts: in groups and beyond the records. */
function definitelyLost(report: Report): number {
  const listed = report.groups
    .filter((g) => g.kind === "definitely-lost")
    .reduce((sum, g) => sum + g.directBytes, 0);
  const beyond = (report.summaryOnlyLeaks ?? []).reduce(
    (sum, e) => sum + (e.leak["definitely-lost"]?.bytes ?? 0),
    0,
  );
  return listed + beyond;
}

describe("loss records missing from a check that listed some (campaign bqb F2)", () => {
  it("tail -n 20 keeps one record of 32 bytes: the other 24 count, and --max-bytes 40 fails", () => {
    const rules = { ...gate, failOn: ["error"] };
    const report = summarize([parse(tail(20), { path: "tail20.txt" })], { gate: rules });
    expect(report.summaryOnlyLeaks).toEqual([
      expect.objectContaining({
        pid: 14827,
        leak: { "definitely-lost": { bytes: 24, blocks: 2 } },
        recordsMissing: true,
      }),
    ]);
    expect(report.gate?.reasons).toEqual([
      "--fail-on error: 1 group (64 bytes definitely-lost)",
      // No rerun with an option would list them: the run did, and the cut took them.
      "--fail-on error: Valgrind's LEAK SUMMARY reports 24 bytes in 2 blocks definitely lost with no loss records (the log is incomplete, and lost them)",
      "--max-bytes definitely-lost=40: 56 bytes (24 of them only in Valgrind's LEAK SUMMARY, with no loss records)",
    ]);
    // The log was cut at its start: no option would list them again.
    expect(
      summaryOnlySentence(report.summaryOnlyLeaks ?? [], incompleteProcessesOf(report)),
    ).toContain("the log is incomplete, and lost them");
    // A case of its own: a process can also have kinds its check hid, in the other one.
    const junit = REPORTERS.junit.render(report, { color: false, top: 20 });
    expect(junit).toContain('name="leaks whose loss records are missing"');
  });

  it("counts the summary's 56 bytes however much of the log a tail kept, from its LEAK SUMMARY on", () => {
    const from = lines.findIndex((line) => line.endsWith("LEAK SUMMARY:"));
    for (let n = lines.length - from; n <= lines.length; n += 1) {
      const report = summarize([parse(tail(n), { path: "leak3.txt" })], { gate });
      expect(definitelyLost(report), `tail -n ${n}`).toBe(56);
      expect(report.gate?.failed, `tail -n ${n}`).toBe(true);
    }
  });

  it("in a complete log, the records are said missing or damaged, with no option to rerun with", () => {
    // Loss record 2 of 5 taken out whole: a skipped number alone is no loss (record-gaps.ts).
    const start = lines.findIndex((line) => line.includes("loss record 2 of 5"));
    const text = `${[...lines.slice(0, start), ...lines.slice(start + 5)].join("\n")}\n`;
    const report = summarize([parse(text, { path: "cut.txt" })], { gate });
    expect(report.sources[0]?.complete).toBe(true);
    expect(report.summaryOnlyLeaks?.map((e) => e.leak)).toEqual([
      { "definitely-lost": { bytes: 16, blocks: 1 } },
    ]);
    const sentence = summaryOnlySentence(
      report.summaryOnlyLeaks ?? [],
      incompleteProcessesOf(report),
    );
    expect(sentence).toMatch(/: they are missing or damaged in the log \(see Diagnostics\)$/);
    expect(report.gate?.failed).toBe(true);
  });

  it("is counted alike from leaklog's own report of the log, whose summaries are not checked again", () => {
    const first = summarize([parse(tail(20), { path: "tail20.txt" })], { maxRecords: 0 });
    const again = summarize([parse(JSON.stringify(first), { path: "report.json" })], { gate });
    expect(again.summaryOnlyLeaks?.map((e) => [e.leak, e.recordsMissing])).toEqual([
      [{ "definitely-lost": { bytes: 24, blocks: 2 } }, true],
    ]);
    expect(definitelyLost(again)).toBe(56);
  });

  // grown_killed.txt's last check is a delta one: its record of 60 (+20) bytes against its
  // summary's 90 read as 30 bytes missing.
  it.each(["grown_killed.txt", "kindchg_killed.txt", "added.txt", "grown.txt", "harness.txt"])(
    "a delta check's records, which fall short of its summary by design, lack nothing (%s)",
    (name) => {
      const path = join(ROOT, "test/fixtures/valgrind/delta-checks", name);
      const report = summarize([parse(readFileSync(path), { path: name })]);
      expect(report.summaryOnlyLeaks?.filter((e) => e.recordsMissing === true) ?? []).toEqual([]);
    },
  );

  it("a whole log's records lack nothing", () => {
    const report = summarize([parse(tail(lines.length), { path: "leak3.txt" })], { gate });
    expect(report.summaryOnlyLeaks).toBeUndefined();
    expect(definitelyLost(report)).toBe(56);
  });
});

// Campaign camp-ctest F4: a run with --show-leak-kinds=all whose log lost its only record, a
// still reachable one, was told to rerun with --show-leak-kinds=all.
describe("a still reachable record lost with a cut log (campaign camp-ctest F4)", () => {
  const read = (name: string, n?: number): Report => {
    const text = readFileSync(join(dir, name), "utf8");
    const kept = n === undefined ? text : `${text.split("\n").slice(0, -1).slice(-n).join("\n")}\n`;
    return summarize([parse(kept, { path: name })], {
      gate: { failOn: [], maxBytes: { "still-reachable": 0 } },
    });
  };

  it.each([
    ["reach-all.txt", 11],
    ["ctest-overwritten.txt", undefined],
  ])("%s: the run showed them, so they were lost, not hidden", (name, n) => {
    const report = read(name, n);
    expect(report.unshownLeaks).toBeUndefined();
    expect(report.summaryOnlyLeaks).toEqual([
      expect.objectContaining({
        leak: { "still-reachable": { bytes: 26, blocks: 1 } },
        recordsMissing: true,
      }),
    ]);
    const sentence = summaryOnlySentence(
      report.summaryOnlyLeaks ?? [],
      incompleteProcessesOf(report),
    );
    expect(sentence).toContain("the log is incomplete, and lost them");
    for (const id of ["text", "markdown", "html", "json"] as const) {
      const out = REPORTERS[id].render(report, { color: false, top: 20 });
      expect(out, id).not.toContain("show-leak-kinds=all");
    }
    expect(report.gate?.failed).toBe(true);
  });

  it("a default run's cut log is still told to rerun with --show-leak-kinds=all", () => {
    const report = read("reach-default.txt", 11);
    expect(report.sources[0]?.complete).toBe(false);
    expect(report.summaryOnlyLeaks).toBeUndefined();
    expect(report.unshownLeaks).toEqual([
      expect.objectContaining({ leak: { "still-reachable": { bytes: 26, blocks: 1 } } }),
    ]);
    expect(report.gate?.reasons).toEqual([
      "--max-bytes still-reachable=0: 26 bytes (26 of them not shown as loss records: rerun with --show-leak-kinds=all for stacks)",
    ]);
  });

  it("a whole log lists the record it showed and lacks nothing", () => {
    const report = read("reach-all.txt");
    expect(report.summaryOnlyLeaks).toBeUndefined();
    expect(report.unshownLeaks).toBeUndefined();
    expect(report.summaries.some((s) => s.shownUnlisted !== undefined)).toBe(false);
  });
});
