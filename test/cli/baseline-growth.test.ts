import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseFile } from "../../src/api/parse.js";
import { summarize } from "../../src/api/summarize.js";
import type { Group, Report } from "../../src/model/index.js";
import { pageData } from "../../src/report/html/data.js";
import { REPORTERS } from "../../src/report/index.js";
import { cli } from "../helpers/cli.js";

// Campaign bn Q3: a leak made once per loop iteration, run with 1 and with 3 iterations. Its
// group was "unchanged" and nothing said it went from 32 bytes in 1 block to 96 in 3.
const DIR = "test/fixtures/valgrind/grown-leak";
const ONCE = `${DIR}/grow1.txt`;
const THRICE = `${DIR}/grow3.txt`;

async function compared(): Promise<Report> {
  const baseline = summarize([await parseFile(ONCE)]);
  return summarize([await parseFile(THRICE)], { baseline });
}

const at = (group: Group) => group.stack[1]?.function;

describe("an unchanged group that grew since the baseline", () => {
  it("carries the baseline's amounts; one that did not grow carries none", async () => {
    const report = await compared();
    const byName = Object.fromEntries(report.groups.map((g) => [at(g), g]));
    expect(byName["make_entry"]).toMatchObject({
      baseline: "unchanged",
      bytes: 96,
      blocks: 3,
      baselineAmounts: { bytes: 32, directBytes: 32, blocks: 1, occurrences: 1 },
    });
    expect(byName["make_config"]?.baseline).toBe("unchanged");
    expect(byName["make_config"]).not.toHaveProperty("baselineAmounts");
    // The other way round it shrank: the amounts are there, but nothing says it grew.
    const shrunk = summarize([await parseFile(ONCE)], {
      baseline: summarize([await parseFile(THRICE)]),
    });
    const entry = shrunk.groups.find((g) => at(g) === "make_entry");
    expect(entry?.baselineAmounts).toMatchObject({ bytes: 96, blocks: 3 });
    expect(REPORTERS.text.render(shrunk, { color: false, top: 20 })).not.toContain("grew");
  });

  it("is listed by diff with how it grew, and passes --fail-on new", async () => {
    const { code, stdout } = await cli(["diff", ONCE, THRICE, "--fail-on", "new"]);
    expect(code).toBe(0);
    expect(stdout).toContain("\n0 new, 0 fixed, 2 unchanged (1 grew)\n");
    expect(stdout).toContain(
      "\nGrew (1)\n  definitely-lost  96 bytes in 3 blocks  at make_entry (grow.c:5)\n      by main (grow.c:10)\n      grew: 32 -> 96 bytes, 1 -> 3 blocks\n",
    );
    expect(stdout).not.toContain("make_config");
    const json = JSON.parse((await cli(["diff", ONCE, THRICE, "-f", "json"])).stdout) as {
      unchanged: Group[];
    };
    expect(json.unchanged.map((g) => [at(g), g.baselineAmounts?.bytes])).toEqual([
      ["make_entry", 32],
      ["make_config", undefined],
    ]);
  });

  it("says so in the text and Markdown summaries", async () => {
    const text = (await cli(["summarize", THRICE, "--baseline", ONCE])).stdout;
    expect(text).toContain(
      "  (1 occurrence) [unchanged]\n        at make_entry (grow.c:5)\n        by main (grow.c:10)\n        grew: 32 -> 96 bytes, 1 -> 3 blocks\n",
    );
    expect(text).toContain("Baseline\n  0 new, 2 unchanged (1 grew), 0 fixed\n");
    const markdown = (await cli(["summarize", THRICE, "--baseline", ONCE, "-f", "markdown"]))
      .stdout;
    expect(markdown).toContain("**Against the baseline:** 0 new, 2 unchanged (1 grew), 0 fixed.");
    expect(markdown).toContain(
      "96 bytes in 3 blocks (1 occurrence, unchanged, grew: 32 -> 96 bytes, 1 -> 3 blocks)",
    );
  });

  it("counts what it holds now in totals, SARIF and the HTML page", async () => {
    const report = await compared();
    expect(report.totals.leaks["definitely-lost"]).toEqual({ bytes: 112, blocks: 4 });
    const context = { color: false, top: 20 };
    const sarif = JSON.parse(REPORTERS.sarif.render(report, context)) as {
      runs: { results: { baselineState?: string }[] }[];
    };
    expect(sarif.runs[0]?.results.map((r) => r.baselineState)).toEqual(["unchanged", "unchanged"]);
    const rows = pageData(report, context).groups;
    expect(rows.map((row) => [row.bytes, row.blocks])).toEqual([
      [96, 3],
      [16, 1],
    ]);
  });
});

// Campaign cb1 Q8: a text log without -s prints each error context once, so its count of 1 is
// no count. Against the XML (or the -s log) of the same run, an invalid write made 3 times
// "grew" from 1 to 3 occurrences. See test/fixtures/valgrind/kinds-and-errors.
describe("an error whose count one side does not know", () => {
  const KINDS = "test/fixtures/valgrind/kinds-and-errors";
  const write = (groups: readonly Group[]) => groups.find((g) => g.kind === "InvalidWrite");

  it("neither grows nor shrinks by occurrences, whichever side it is", async () => {
    const text = summarize([await parseFile(`${KINDS}/leaks-full.txt`)]);
    expect(write(text.groups)).toMatchObject({ occurrences: 1, countsUnknown: true });
    for (const known of ["leaks-full.xml", "leaks-full-s.txt"]) {
      const run = summarize([await parseFile(`${KINDS}/${known}`)]);
      expect(write(run.groups)).toMatchObject({ occurrences: 3 });
      expect(write(run.groups)).not.toHaveProperty("countsUnknown");
      for (const [now, before] of [
        [known, "leaks-full.txt"],
        ["leaks-full.txt", known],
        [known, "leaks-q.txt"],
      ]) {
        const compared = summarize([await parseFile(`${KINDS}/${now}`)], {
          baseline: summarize([await parseFile(`${KINDS}/${before}`)]),
        });
        expect(write(compared.groups), `${before} -> ${now}`).toMatchObject({
          baseline: "unchanged",
        });
        expect(write(compared.groups), `${before} -> ${now}`).not.toHaveProperty("baselineAmounts");
      }
    }
  });

  it("is no growth in diff, from the text log's JSON report as from the log", async () => {
    const baseline = join(mkdtempSync(join(tmpdir(), "leaklog-uncounted-")), "full.json");
    await cli(["summarize", `${KINDS}/leaks-full.txt`, "-f", "json", "-o", baseline]);
    const { code, stdout } = await cli(["diff", baseline, `${KINDS}/leaks-full.xml`]);
    expect(code).toBe(0);
    expect(stdout).toContain("\n0 new, 0 fixed, 6 unchanged\n");
    const direct = await cli(["diff", `${KINDS}/leaks-full.txt`, `${KINDS}/leaks-full-s.txt`]);
    expect(direct.stdout).toContain("\n0 new, 0 fixed, 6 unchanged\n");
    expect(direct.stdout).not.toContain("Grew");
  });
});
