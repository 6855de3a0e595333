import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../src/api/parse.js";
import { summarize } from "../../src/api/summarize.js";
import { Report } from "../../src/model/index.js";
import { REPORTERS } from "../../src/report/index.js";
import { ROOT } from "../helpers/golden.js";

// Campaign bj F4's logs: a definite leak of 4,503,599,627,370,497 bytes in each (see README.md).
const DIR = join(ROOT, "test", "fixtures", "valgrind", "big-counts");
const parsed = (name: string) => parse(readFileSync(join(DIR, name)), { path: name });
const MAX = Number.MAX_SAFE_INTEGER;

describe("sums past 2^53 - 1", () => {
  const report = summarize([parsed("big1.txt"), parsed("big2.txt")], {
    gate: { failOn: [], maxBytes: { "definitely-lost": 150 } },
  });

  it("are held at 2^53 - 1 in totals and groups, a report the schema accepts", () => {
    expect(report.totals.leaks["definitely-lost"]).toEqual({ bytes: MAX, blocks: 4 });
    const big = report.groups.filter((g) => g.kind === "definitely-lost" && g.bytes === MAX);
    expect(big).toHaveLength(1);
    expect(big[0]).toMatchObject({ directBytes: MAX, blocks: 2, occurrences: 2 });
    // zod's integers are safe ones, as the published schema's `maximum` is.
    const plain: unknown = JSON.parse(JSON.stringify(report));
    expect(Report.parse(plain)).toEqual(plain);
  });

  it("are held in the Markdown totals table too (campaign ch Q11)", () => {
    const markdown = REPORTERS.markdown.render(
      summarize([parsed("big1.txt"), parsed("big2.txt"), parsed("huge.txt")]),
      { color: false, top: 20 },
    );
    const row = markdown.split("\n").find((line) => line.startsWith("| `definitely-lost` |"));
    expect(row).toContain("| 9,007,199,254,740,991 |");
  });

  it("are named in one sum-too-large warning; the byte gate still fails", () => {
    const said = report.diagnostics.filter((d) => d.code === "sum-too-large");
    expect(said).toEqual([
      expect.objectContaining({
        severity: "warning",
        path: "big1.txt",
        message: expect.stringMatching(
          /^sums past 9,007,199,254,740,991 .*: group [0-9a-f]+ \(definitely-lost\) bytes, group [0-9a-f]+ \(definitely-lost\) direct bytes, total definitely-lost bytes$/,
        ),
      }),
    ]);
    expect(report.gate?.failed).toBe(true);
    expect(report.gate?.reasons).toContain(
      "--max-bytes definitely-lost=150: 9,007,199,254,740,991 bytes or more",
    );
  });

  it("leave a sum that fits alone, with no warning", () => {
    const one = summarize([parsed("big1.txt")]);
    expect(one.totals.leaks["definitely-lost"]?.bytes).toBe(4_503_599_627_370_529);
    expect(one.diagnostics.map((d) => d.code)).not.toContain("sum-too-large");
  });
});

describe("a loss record past 2^53", () => {
  it("is not read, and the log is incomplete (campaign bj F4's note)", () => {
    const result = parsed("huge.txt");
    expect(result.leaks.map((l) => l.lossRecord?.index)).toEqual([1, 2, 3, 4]);
    expect(result.source.complete).toBe(false);
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({
        code: "incomplete",
        line: 143,
        pid: 5898,
        message: expect.stringContaining("a loss record was not read (a number past 2^53 - 1"),
      }),
    );
  });
});
