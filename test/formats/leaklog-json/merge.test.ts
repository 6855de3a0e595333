import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseChunks } from "../../../src/api/parse.js";
import { summarize } from "../../../src/api/summarize.js";
import { leaklogJsonFormat } from "../../../src/formats/leaklog-json/index.js";
import type { Group, Report } from "../../../src/model/index.js";
import { REPORTERS } from "../../../src/report/index.js";
import { parseSample, ROOT } from "../../helpers/golden.js";

const json = (report: Report): string => REPORTERS.json.render(report, { color: false, top: 20 });
const shape = (groups: readonly Group[]) =>
  groups.map((g) => [g.type, g.kind, g.fingerprint, g.bytes, g.blocks, g.occurrences]);

describe("leaklog-json input (merging reports)", () => {
  it("is detected from the head of a report, and only of a report", async () => {
    const report = summarize([await parseSample("valgrind", "leak_definite.txt")]);
    expect(leaklogJsonFormat.detect(json(report).split("\n").slice(0, 5))).toBe(1);
    expect(leaklogJsonFormat.detect([JSON.stringify(report)])).toBe(1);
    expect(leaklogJsonFormat.detect(['{"name": "x"}'])).toBe(0);
    expect(leaklogJsonFormat.detect(["==1== Memcheck, a memory error detector"])).toBe(0);
  });

  it("merges shard reports into the groups the logs give directly", async () => {
    const a = await parseSample("valgrind", "leak_definite.txt");
    const b = await parseSample("valgrind", "leak_indirect.txt");
    const direct = summarize([a, b, a]);
    const shards = [summarize([a]), summarize([b]), summarize([a])].map((r, i) =>
      parse(json(r), { path: `shard-${i}.json`, idPrefix: `${i}:` }),
    );
    expect(shards.map((s) => s.source.format)).toEqual([
      "leaklog-json",
      "leaklog-json",
      "leaklog-json",
    ]);
    const merged = summarize(shards);
    expect(shape(merged.groups)).toEqual(shape(direct.groups));
    expect(merged.totals).toEqual(direct.totals);
    // Summaries re-emitted, so the cross-check still runs and agrees.
    expect(merged.summaries).toHaveLength(direct.summaries.length);
    expect(merged.diagnostics.filter((d) => d.code === "summary-mismatch")).toEqual([]);
    expect(merged.sources[0]?.toolVersion).toBe("3.19.0");
  });

  it("puts the summaries at the JSON file, without the log's line (campaign bj)", async () => {
    const log = await parseSample("valgrind", "leak_all_summary.txt");
    const report = summarize([log]);
    expect(report.summaryOnlyLeaks?.[0]?.line).toBeGreaterThan(0);
    const merged = summarize([parse(json(report), { path: "shard.json" })]);
    const places = [...merged.summaries, ...(merged.summaryOnlyLeaks ?? [])].map((s) => [
      s.path,
      s.line,
    ]);
    expect(places.length).toBeGreaterThan(1);
    for (const place of places) expect(place).toEqual(["shard.json", undefined]);
  });

  it("keeps where each record came from in details, and points location into the JSON", async () => {
    const a = await parseSample("valgrind", "leak_definite.txt");
    const text = json(summarize([a]));
    const shard = parse(text, { path: "shard.json" });
    const leak = shard.leaks[0]!;
    expect(leak.details).toMatchObject({
      "origin.path": a.leaks[0]!.location.path,
      "origin.line": a.leaks[0]!.location.line,
      "origin.id": a.leaks[0]!.id,
    });
    expect(leak.location.path).toBe("shard.json");
    expect(text.split("\n")[leak.location.line - 1]).toContain(`"id": "${a.leaks[0]!.id}"`);
    expect(leak.fingerprint).toBe(a.leaks[0]!.fingerprint);
    // A second merge keeps the first origin.
    const again = parse(json(summarize([shard])), { path: "merged.json" });
    expect(again.leaks[0]?.details?.["origin.path"]).toBe(a.leaks[0]!.location.path);
  });

  it("gives the same result however the report is chunked", async () => {
    const text = json(summarize([await parseSample("valgrind", "leak_indirect.txt")]));
    const whole = parse(text, { path: "r.json" });
    const pieces = [...text].reduce<string[]>((acc, c, i) => {
      if (i % 97 === 0) acc.push("");
      acc[acc.length - 1] += c;
      return acc;
    }, []);
    const chunked = await parseChunks(pieces, { path: "r.json" });
    expect(chunked.leaks).toEqual(whole.leaks);
  });

  // Campaign camp2 Q9: refused as "not a leaklog report at schemaVersion", which hid why.
  it("says that a newer leaklog wrote a report of a later schema version", async () => {
    const report = summarize([await parseSample("valgrind", "leak_definite.txt")]);
    const newer = { ...report, schemaVersion: 2 };
    const ndjson = REPORTERS.ndjson.render(report, { color: false, top: 20 });
    for (const text of [
      JSON.stringify(newer, null, 2),
      ndjson.replace('"schemaVersion":1', '"schemaVersion":2'),
    ]) {
      const read = parse(text, { path: "new.json" });
      expect(read.fatal).toEqual({
        code: "bad-report",
        message: "written by a newer leaklog (schema version 2; this one reads 1)",
      });
    }
  });

  it("reports a damaged report with a clear diagnostic, not an exception", async () => {
    const text = json(summarize([await parseSample("valgrind", "leak_definite.txt")]));
    const cut = parse(text.slice(0, 600), { path: "cut.json" });
    expect(cut.leaks).toEqual([]);
    expect(cut.source.complete).toBe(false);
    expect(cut.diagnostics[0]).toMatchObject({
      severity: "error",
      code: "bad-report",
      path: "cut.json",
    });
    expect(cut.diagnostics[0]?.message).toMatch(/damaged JSON/);
    const wrong = parse(text.replace('"bytes": 100', '"bytes": "lots"'), { path: "w.json" });
    expect(wrong.diagnostics[0]?.message).toMatch(
      /^leaks\.\d+ is not a valid record at bytes: .*; left out$/,
    );
  });

  // Campaign camp-ctest Q7: a log made incomplete by a `log-overwritten` warning, which names
  // no process, got "was incomplete in the merged report" read back, where a cut one did not.
  it("says nothing new of a log incomplete for a reason other than `incomplete`", () => {
    const name = "ctest-overwritten.txt";
    const text = readFileSync(join(ROOT, "test/fixtures/valgrind/tail-cut", name));
    const first = summarize([parse(text, { path: name })]);
    const again = summarize([parse(json(first), { path: "report.json" })]);
    const codes = (r: Report) => r.diagnostics.map((d) => d.code);
    expect(codes(first)).toEqual(expect.arrayContaining(["log-overwritten", "incomplete"]));
    expect(again.diagnostics.map((d) => d.message)).not.toContainEqual(
      expect.stringContaining("in the merged report"),
    );
    expect(codes(again).sort()).toEqual(codes(first).sort());
    expect(again.sources.map((s) => s.complete)).toEqual([false]);
  });
});
