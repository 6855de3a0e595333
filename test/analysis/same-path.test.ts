import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { parse, parseStream } from "../../src/api/parse.js";
import { summarize } from "../../src/api/summarize.js";
import { Summarizer } from "../../src/api/summarizer.js";
import { DistinctIds, withDistinctIds } from "../../src/api/distinct-ids.js";
import { ROOT } from "../helpers/golden.js";

// Two real logs of PID 1 (fixtures/valgrind/same-path/README.md).
const text = (name: string) =>
  readFileSync(join(ROOT, "test/fixtures/valgrind/same-path", name), "utf8");
const LOGS = [text("pid1-a.txt"), text("pid1-b.txt")];
const warnings = (diagnostics: readonly { severity: string; code: string }[]) =>
  diagnostics.filter((d) => d.severity === "warning").map((d) => d.code);

describe("two sources under one path", () => {
  it("are told apart by summarize(): no false mismatch", () => {
    const report = summarize(LOGS.map((log, i) => parse(log, { idPrefix: `${i}:` })));
    expect(warnings(report.diagnostics)).toEqual([]);
    expect(report.sources.map((s) => s.path)).toEqual(["<text>", "<text> (2)"]);
    const paths = new Set([...report.leaks, ...report.errors].map((f) => f.location.path));
    expect(paths).toEqual(new Set(["<text>", "<text> (2)"]));
  });

  it("get a name no other input has", () => {
    const [a = "", b = ""] = LOGS;
    const report = summarize([
      parse(a, { path: "x", idPrefix: "1:" }),
      parse(b, { path: "x", idPrefix: "2:" }),
      parse(b, { path: "x (2)", idPrefix: "3:" }),
    ]);
    expect(report.sources.map((s) => s.path)).toEqual(["x", "x (3)", "x (2)"]);
    expect(warnings(report.diagnostics)).toEqual(["repeated-process"]);
  });

  it("of one log parsed twice are one process in two inputs, not a damaged log", () => {
    const once = parse(LOGS[0] as string);
    const report = summarize([once, once]);
    expect(warnings(report.diagnostics)).toEqual(["repeated-process"]);
  });

  it("keep their record ids unique: from the second source on, a bare number gets N# (campaign bj Q2)", async () => {
    const [a = "", b = ""] = LOGS;
    const results = [parse(a), parse(b), parse(b, { idPrefix: "x:" }), parse(a)];
    const report = summarize(results);
    const ids = [...report.leaks, ...report.errors].map((f) => f.id);
    expect(ids.length).toBeGreaterThan(8);
    expect(new Set(ids).size).toBe(ids.length);
    // The first keeps its own ids, the second and fourth take `1#` and `3#`, `x:` stays.
    const prefixes = new Set(ids.map((id) => /^(?:\d+#|x:)/.exec(id)?.[0] ?? ""));
    expect(prefixes).toEqual(new Set(["", "1#", "x:", "3#"]));
    // Members name records of the report: each member's id is one record's, at its place.
    const byId = new Map([...report.leaks, ...report.errors].map((f) => [f.id, f]));
    for (const member of report.groups.flatMap((g) => g.members))
      expect(byId.get(member.id)?.location).toMatchObject({ path: member.path, line: member.line });
    // A streaming Summarizer fed the same sources gives the same ids.
    const summarizer = new Summarizer({ inputs: 2 });
    for (const [i, log] of LOGS.entries()) {
      for await (const event of parseStream(Readable.from([log]), { path: `s${i}` }))
        summarizer.event(event);
    }
    const streamed = summarizer.finish();
    const streamedIds = [...streamed.leaks, ...streamed.errors].map((f) => f.id);
    expect(new Set(streamedIds).size).toBe(streamedIds.length);
    expect(streamedIds.some((id) => id.startsWith("1#"))).toBe(true);
  });

  it("keep ids unique beside a caller's prefix and across partial reports (campaign v16b F2)", async () => {
    const [a = "", b = ""] = LOGS;
    const unique = (report: { leaks: { id: string }[]; errors: { id: string }[] }) => {
      const ids = [...report.leaks, ...report.errors].map((f) => f.id);
      return ids.length > 4 && new Set(ids).size === ids.length;
    };
    // A caller's `1:` on the first parse and none on the second: `1:` was given twice.
    expect(unique(summarize([parse(a, { idPrefix: "1:" }), parse(b)]))).toBe(true);
    // One summarizer per thread, each of two sources, merged: each gave its second source's
    // ids a prefix of its own, alike.
    const partial = async (logs: string[]) => {
      const summarizer = new Summarizer({ inputs: logs.length });
      for (const [i, log] of logs.entries()) {
        for await (const event of parseStream(Readable.from([log]), {
          path: `p${i}-${logs.length}`,
        }))
          summarizer.event(event);
      }
      return summarizer.finishPartial();
    };
    const merged = new Summarizer({ inputs: 4 });
    for (const part of [await partial([a, b]), await partial([b, a])]) {
      const copy = JSON.parse(JSON.stringify(part.report)) as typeof part.report;
      merged.partial(copy, part.crossChecked, part.byProcess);
    }
    const report = merged.finish();
    expect(unique(report)).toBe(true);
    const byId = new Map([...report.leaks, ...report.errors].map((f) => [f.id, f]));
    for (const member of report.groups.flatMap((g) => g.members))
      expect(byId.get(member.id)?.location).toMatchObject({ path: member.path, line: member.line });
  });

  it("keep ids unique where a caller's prefix is an automatic one, N# (campaign v17 Q1)", async () => {
    const [a = "", b = ""] = LOGS;
    const idsOf = (report: { leaks: { id: string }[]; errors: { id: string }[] }) =>
      [...report.leaks, ...report.errors].map((f) => f.id);
    const prefixes = (ids: string[]) => new Set(ids.map((id) => id.replace(/\d+$/, "")));
    const cases: [ReturnType<typeof parse>[], string[]][] = [
      // The second source's automatic `1#` was the first's own: the next free N is taken.
      [
        [parse(a, { idPrefix: "1#" }), parse(b)],
        ["1#", "2#"],
      ],
      [
        [parse(a, { idPrefix: "2#" }), parse(b), parse(a)],
        ["2#", "1#", "3#"],
      ],
      // A caller's `1#` after a source that took `1#` itself gets a prefix before it whole.
      [
        [parse(a), parse(b), parse(a, { idPrefix: "1#" })],
        ["", "1#", "2#1#"],
      ],
    ];
    for (const [results, expected] of cases) {
      const report = summarize(results);
      const ids = idsOf(report);
      expect(new Set(ids).size).toBe(ids.length);
      expect(prefixes(ids)).toEqual(new Set(expected));
      const byId = new Map([...report.leaks, ...report.errors].map((f) => [f.id, f]));
      for (const member of report.groups.flatMap((g) => g.members))
        expect(byId.get(member.id)?.location).toMatchObject({ path: member.path });
    }
    // A partial report of two sources (bare ids, then `1#`) after a source of a caller's `x:`:
    // no id of it was listed, and its bare ids took `1#`, its own second source's.
    const worker = new Summarizer({ inputs: 2 });
    for (const [i, log] of LOGS.entries()) {
      for await (const event of parseStream(Readable.from([log]), { path: `w${i}` }))
        worker.event(event);
    }
    const part = worker.finishPartial();
    const merged = new Summarizer({ inputs: 3 });
    for await (const event of parseStream(Readable.from([a]), { idPrefix: "x:" }))
      merged.event(event);
    merged.partial(part.report, part.crossChecked, part.byProcess);
    const ids = idsOf(merged.finish());
    expect(new Set(ids).size).toBe(ids.length);
    expect(prefixes(ids)).toEqual(new Set(["x:", "2#", "1#"]));
  });

  it("take a partial report whose ids stay as they are as it came, uncopied", () => {
    // The CLI's `N:` ids: the main thread merged each worker's report, 139,000 records and
    // members for a 105 MB log, by copying them all (120-360 ms) for no new id.
    const part = new Summarizer({ inputs: 1 });
    for (const finding of [...parse(LOGS[1] as string, { idPrefix: "1:" }).leaks]) {
      part.finding(finding);
    }
    const { report } = part.finishPartial();
    expect(report.leaks.length).toBeGreaterThan(0);
    const ids = new DistinctIds();
    ids.id("0:1", 0);
    const taken = withDistinctIds(report, ids, 1, (id) => id === "0:1");
    expect(taken.report).toBe(report);
    // Bare numbers after the first source are renamed, as before.
    const bare = new Summarizer({ inputs: 1 });
    for (const finding of parse(LOGS[1] as string).leaks) bare.finding(finding);
    const renamed = withDistinctIds(bare.finishPartial().report, new DistinctIds(), 1, () => false);
    expect(renamed.report.leaks.every((leak) => leak.id.startsWith("1#"))).toBe(true);
  });

  it("are warned of by a streaming Summarizer, which cannot rename them", async () => {
    const summarizer = new Summarizer({ inputs: 2 });
    for (const [i, log] of LOGS.entries()) {
      for await (const event of parseStream(Readable.from([log]), { idPrefix: `${i}:` }))
        summarizer.event(event);
    }
    expect(warnings(summarizer.finish().diagnostics)).toContain("duplicate-path");
  });
});
