import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../src/api/parse.js";
import { summarize } from "../../src/api/summarize.js";
import { cli } from "../helpers/cli.js";
import { ROOT } from "../helpers/golden.js";

// A real run with LSAN_OPTIONS=max_leaks=2: the two printed leaks are direct (1,300 bytes), the
// SUMMARY counts 1,544 bytes in 6 objects, and the same program with max_leaks=0 shows the 244
// unprinted bytes are 148 direct and 96 indirect. The Totals said the tool's summary counts
// 1,544 bytes definitely lost.
const DIR = "test/fixtures/sanitizer/max-leaks-mixed";
const MIXED = `${DIR}/lsan-max-leaks-mixed.log`;
const ALL = `${DIR}/lsan-max-leaks-mixed.all.log`;
const INDIRECT = "test/fixtures/sanitizer/max-leaks-indirect/lsan-max-leaks-indirect.log";

const report = (path: string) =>
  summarize([parse(readFileSync(join(ROOT, path), "utf8"), { path })]);

describe("the Totals of a log whose max_leaks left leaks of either kind unprinted", () => {
  it("are what the run with every leak printed shows: part direct, part indirect", () => {
    const [summary] = report(MIXED).summaries;
    const all = report(ALL).totals.leaks;
    const printed = report(MIXED).totals.leaks["definitely-lost"];
    expect(summary?.unprintedLeaks).toEqual({
      bytes: 244,
      blocks: 4,
      kinds: ["definitely-lost", "indirectly-lost"],
    });
    expect(all).toEqual({
      "definitely-lost": { bytes: 1448, blocks: 4 },
      "indirectly-lost": { bytes: 96, blocks: 2 },
    });
    expect(printed).toEqual({ bytes: 1300, blocks: 2 });
  });

  it("say the unprinted leaks are direct or indirect in the text, not definitely lost", async () => {
    const { stdout } = await cli(["summarize", MIXED]);
    expect(stdout).toContain(
      [
        "Totals",
        "  definitely-lost    1,300 bytes in 2 blocks  (tool's summary: at least 1,300 bytes in 2 blocks)",
        "  direct or indirect not printed (LeakSanitizer's max_leaks; rerun with LSAN_OPTIONS=max_leaks=0)  (tool's summary: 244 bytes in 4 blocks)",
        "",
      ].join("\n"),
    );
    expect(stdout).not.toContain("1,544");
  });

  it("say the same in the HTML totals and in its table of the tools' summaries", async () => {
    const { stdout } = await cli(["summarize", MIXED, "-f", "html"]);
    expect(stdout).toContain(
      '<th scope="row">definitely-lost</th><td>1,300 bytes in 2 blocks</td><td>at least 1,300 bytes in 2 blocks</td></tr><tr><th scope="row">direct or indirect</th><td><span class="muted">not printed (LeakSanitizer&#39;s max_leaks; rerun with LSAN_OPTIONS=max_leaks=0)</span></td><td>244 bytes in 4 blocks</td></tr>',
    );
    expect(stdout).toContain(
      "<td>definitely-lost: at least 1,300 bytes in 2 blocks<br>direct or indirect, not printed: 244 bytes in 4 blocks</td>",
    );
    expect(stdout).not.toContain("1,544");
  });

  it("keep the JSON as it was: the summary's kinds add up to its SUMMARY, totals are the records'", async () => {
    const json = JSON.parse((await cli(["summarize", MIXED, "-f", "json"])).stdout) as {
      summaries: { leak: unknown }[];
      totals: { leaks: unknown };
    };
    expect(json.summaries[0]?.leak).toEqual({ "definitely-lost": { bytes: 1544, blocks: 6 } });
    expect(json.totals.leaks).toEqual({ "definitely-lost": { bytes: 1300, blocks: 2 } });
  });

  it("count the unprinted leaks after a printed indirect one as the tool's indirect ones", async () => {
    const { stdout } = await cli(["summarize", INDIRECT]);
    expect(stdout).toContain(
      "  indirectly-lost  216 bytes in 3 blocks  (tool's summary: 352 bytes in 5 blocks)\n",
    );
    expect(stdout).not.toContain("direct or indirect");
    expect(stdout).not.toContain("at least");
  });
});
