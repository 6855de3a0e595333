import { describe, expect, it } from "vitest";
import { parse } from "../../../src/api/parse.js";
import { summarize } from "../../../src/api/summarize.js";
import type { Report } from "../../../src/model/index.js";
import { REPORTERS } from "../../../src/report/index.js";
import { parseSample } from "../../helpers/golden.js";

const render = (format: "json" | "ndjson", report: Report): string =>
  REPORTERS[format].render(report, { color: false, top: 20 });

/** What a merge keeps of a report: everything but where its records sit in the input file. */
function merged(report: Report): unknown {
  const records = [...report.leaks, ...report.errors].map((r) => ({
    ...r,
    location: undefined,
    id: undefined,
  }));
  const groups = report.groups.map((g) => ({ ...g, members: g.members.length }));
  const codes = report.diagnostics.map((d) => d.code);
  return { records, groups, summaries: report.summaries.length, totals: report.totals, codes };
}

async function shardReport(maxRecords?: number): Promise<Report> {
  const a = await parseSample("valgrind", "fork_single.txt");
  const b = await parseSample("memwatch", "classic.log");
  return summarize([a, b], maxRecords !== undefined ? { maxRecords } : {});
}

describe("leaklog's NDJSON as input", () => {
  it("merges as the JSON of the same report does, capped records included", async () => {
    for (const cap of [undefined, 2]) {
      const report = await shardReport(cap);
      const fromJson = summarize([parse(render("json", report), { path: "r.json" })]);
      const fromNdjson = summarize([parse(render("ndjson", report), { path: "r.ndjson" })]);
      expect(fromNdjson.sources[0]?.format).toBe("leaklog-json");
      expect(fromNdjson.sources[0]?.complete).toBe(true);
      expect(merged(fromNdjson)).toEqual(merged(fromJson));
    }
  });

  it("writes recordsOmitted on its end line, so a capped stream says so", async () => {
    const lines = render("ndjson", await shardReport(2))
      .trimEnd()
      .split("\n");
    const end = JSON.parse(lines.at(-1) as string) as { record: string; recordsOmitted?: unknown };
    expect(end.record).toBe("end");
    expect(end.recordsOmitted).toEqual({ leaks: expect.any(Number), errors: expect.any(Number) });
  });

  it("points each record at its own line", async () => {
    const text = render("ndjson", await shardReport());
    const result = parse(text, { path: "r.ndjson" });
    const lines = text.split("\n");
    for (const record of [...result.leaks, ...result.errors]) {
      const line = lines[record.location.line - 1] as string;
      expect(line).toContain(`"id":${JSON.stringify(record.details?.["origin.id"])}`);
    }
  });

  it("keeps the records before a cut, and says the stream was cut short", async () => {
    const report = await shardReport();
    const lines = render("ndjson", report).split("\n");
    const firstGroup = lines.findIndex((l) => l.startsWith('{"record":"group"'));
    // Cut in the middle of the first group line: every record line before it is whole.
    const cut = [...lines.slice(0, firstGroup), (lines[firstGroup] as string).slice(0, 40)];
    const result = parse(cut.join("\n"), { path: "cut.ndjson" });
    expect(result.leaks.length + result.errors.length).toBe(
      report.leaks.length + report.errors.length,
    );
    expect(result.source.complete).toBe(false);
    const said = result.diagnostics.map((d) => [d.code, d.line, d.message]);
    expect(said).toContainEqual([
      "bad-report",
      firstGroup + 1,
      "not a whole NDJSON record (cut short or damaged): left out",
    ]);
    expect(said).toContainEqual([
      "incomplete",
      undefined,
      "the NDJSON report has no end line: it was cut short",
    ]);
  });

  it("leaves out a line that is no record of its, said with its line, and skips live lines", async () => {
    const lines = render("ndjson", await shardReport()).split("\n");
    const live = '{"record":"live","code":"memleax-expired","message":"m","path":"-","line":1}';
    const text = [live, lines[0], '{"record":"weird"}', ...lines.slice(1)].join("\n");
    const result = parse(text, { path: "odd.ndjson" });
    expect(result.diagnostics.filter((d) => d.code === "bad-report")).toEqual([
      expect.objectContaining({
        line: 3,
        message: `"weird" is not one of the records leaklog's NDJSON holds: left out`,
      }),
    ]);
    expect(result.leaks.length).toBeGreaterThan(0);
    expect(result.diagnostics.find((d) => d.code === "incomplete")?.message).toBe(
      "the NDJSON report has 1 damaged line, left out (see bad-report)",
    );
  });
});
