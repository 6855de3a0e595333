import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, summarize, type Report, type SummarizeOptions } from "../../src/index.js";
import { REPORTERS } from "../../src/report/index.js";
import { ROOT } from "../helpers/golden.js";
import { groupAmounts } from "../helpers/records.js";
import { summarizeLikeWorkers } from "../helpers/workers.js";

// A forked child's copies of its parent's loss records, where the family's logs were summarized
// apart (CI shards of one `%p` run) and their JSON reports are merged: real valgrind 3.19, 3.24
// and 3.27 runs of test/fixtures/valgrind/fork-leaks (see its README.md).
const DIR = join(ROOT, "test", "fixtures", "valgrind", "fork-leaks");
const folder = (name: string): [string, string][] =>
  readdirSync(join(DIR, name))
    .sort()
    .map((file) => [`${name}/${file}`, readFileSync(join(DIR, name, file), "utf8")]);
const summarized = (inputs: readonly [string, string][], options: SummarizeOptions = {}) =>
  summarize(
    inputs.map(([path, text]) => parse(text, { path })),
    options,
  );
/**
 * The logs' JSON report, as `leaklog summarize -f json --max-records 0 -o <log>.json <logs>`
 * writes it (the API lists every record unless given a cap).
 */
const shard = (logs: [string, string][], options: SummarizeOptions = {}) => {
  const [[path] = [""]] = logs;
  const report = summarized(logs, options);
  return [`${path}.json`, REPORTERS.json.render(report, { color: false, top: 20 })] as [
    string,
    string,
  ];
};
const shards = (logs: [string, string][], options?: SummarizeOptions) =>
  logs.map((log) => shard([log], options));

const copies = (report: Report) => report.leaks.filter((l) => l.inheritedFrom !== undefined);
/** Each copy's process, kind, bytes and parent, in PID order (the inputs' order lists them). */
const copied = (report: Report) =>
  copies(report)
    .map((l) => [l.pid, l.kind, l.bytes, l.inheritedFrom?.parentPid].join(" "))
    .sort();
const codes = (report: Report, code: string) => report.diagnostics.filter((d) => d.code === code);
/** What a report counts of leaks: its totals and its groups' amounts and processes. */
const counted = (report: Report) => ({
  leaks: report.totals.leaks,
  inherited: report.totals.inheritedLeaks,
  groups: report.groups.filter((g) => g.type === "leak").map(groupAmounts),
});

const FAMILIES = [
  "death-p",
  "death-px",
  "fork-p",
  "kinds-p",
  ...["3.19", "3.24", "3.27"].flatMap((v) => [`t13/${v}/text`, `t13/${v}/xmlonly`]),
];

describe("a %p run's logs, each summarized apart, merged", () => {
  it.each(FAMILIES)("%s: count what the logs count, in any order", (dir) => {
    const logs = folder(dir);
    const direct = summarized(logs);
    // kinds-p's child has its parent's stack under another kind: no copy, merged or not.
    expect(copies(direct).length > 0).toBe(dir !== "kinds-p");
    for (const order of [shards(logs), shards(logs).reverse()]) {
      const merged = summarized(order);
      expect(counted(merged)).toEqual(counted(direct));
      expect(copied(merged)).toEqual(copied(direct));
      expect(codes(merged, "inherited-loss-records")).toHaveLength(
        codes(direct, "inherited-loss-records").length,
      );
      expect(codes(merged, "inherited-loss-records-uncompared")).toEqual([]);
    }
  });

  it("names the parent's record, at its line in the parent's report", () => {
    const [parent, child] = shards(folder("t13/3.19/text")) as [[string, string], [string, string]];
    const merged = summarized([parent, child]);
    const [copy] = copies(merged);
    expect(copy?.inheritedFrom).toMatchObject({ parentPid: 10105, parentLog: parent[0] });
    const { parentLog, parentLine } = copy?.inheritedFrom ?? {};
    const theirs = merged.leaks.find(
      (l) => l.location.path === parentLog && l.location.line === parentLine,
    );
    expect(theirs?.pid).toBe(10105);
    expect(theirs?.stack).toEqual(copy?.stack);
  });

  it("passes the gate the logs pass: 84 bytes of the program's, 12 of them copies", () => {
    for (const v of ["3.19", "3.24", "3.27"]) {
      const [parent, child] = folder(`t13/${v}/text`) as [[string, string], [string, string]];
      // Reports alone, or a report beside the other process's log.
      for (const inputs of [
        shards([parent, child]),
        [shard([parent]), child],
        [parent, shard([child])],
      ]) {
        const merged = summarized(inputs, {
          gate: { failOn: [], maxBytes: { "definitely-lost": 90 } },
        });
        expect(merged.totals.leaks["definitely-lost"]).toEqual({ bytes: 84, blocks: 3 });
        expect(merged.totals.inheritedLeaks).toEqual({
          "definitely-lost": { bytes: 12, blocks: 1 },
        });
        expect(merged.gate?.failed).toBe(false);
      }
    }
  });

  it("settles alike on workers and past this run's --max-records", () => {
    const reports = shards(folder("death-p"));
    const direct = summarized(folder("death-p"));
    expect(counted(summarizeLikeWorkers(reports))).toEqual(counted(direct));
    for (const maxRecords of [1, 3]) {
      const capped = summarized(reports, { maxRecords });
      expect(counted(capped)).toEqual(counted(direct));
      expect(counted(summarizeLikeWorkers(reports, { maxRecords }))).toEqual(counted(direct));
    }
  });
});

describe("a report that compared some of a family's processes already", () => {
  it("takes none of the copies it lists back twice", () => {
    // The parent's log and its first child's in one report, the other children's in others.
    const [parent, first, ...rest] = folder("death-p") as [[string, string], [string, string]];
    const both = shard([parent, first]);
    const direct = summarized(folder("death-p"));
    for (const inputs of [
      [both, ...shards(rest)],
      [...shards(rest), both],
      [both, ...rest],
    ]) {
      const merged = summarized(inputs);
      expect(counted(merged)).toEqual(counted(direct));
      expect(copies(merged)).toHaveLength(copies(direct).length);
    }
  });
});

describe("a family's report written with --max-records", () => {
  it("says its copies may count again, as it lists too few records to compare", () => {
    const logs = folder("t13/3.19/text");
    for (const capped of [0, 1]) {
      const inputs = logs.map((log, i) => shard([log], i === capped ? { maxRecords: 1 } : {}));
      const merged = summarized(inputs);
      expect(codes(merged, "inherited-loss-records-uncompared").map((d) => d.path)).toEqual([
        inputs[capped]?.[0],
      ]);
    }
  });
});
