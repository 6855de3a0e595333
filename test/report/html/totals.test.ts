import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "../../helpers/cli.js";

const TMP = mkdtempSync(join(tmpdir(), "leaklog-html-totals-"));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

/** Real Valgrind 3.19 logs (see its README). */
const FIXTURES = "test/fixtures/suppressed-totals";

/** The page `summarize` writes for the fixtures `logs`, with `options`. */
async function page(logs: readonly string[], options: readonly string[] = []): Promise<string> {
  const out = join(TMP, "report.html");
  const inputs = logs.map((log) => join(FIXTURES, log));
  const { code } = await cli(["summarize", ...inputs, ...options, "-f", "html", "-o", out]);
  expect(code).toBe(0);
  return readFileSync(out, "utf8");
}

/** The rows of the page's totals table. */
function totalsRows(html: string): string[] {
  const table =
    /<caption>leaklog's totals beside the tools' own<\/caption>.*?<tbody>(.*?)<\/tbody>/s;
  return (table.exec(html)?.[1] ?? "").split("<tr>").slice(1);
}

describe("the HTML totals after --suppressions", () => {
  // Campaign ch F2: the table said "not listed" beside the tool's amount of what --suppressions
  // took, and counted suppressed reads as plain occurrences, where the text summary says both.
  it("say what --suppressions took, as the text summary does", async () => {
    const html = await page(["leak.log", "reads.log"], ["--suppressions", `${FIXTURES}/app.supp`]);
    const rows = totalsRows(html);
    expect(rows).toContain(
      '<th scope="row">definitely-lost</th><td><span class="muted">none left: 32 bytes in 1 blocks suppressed by --suppressions</span></td><td>32 bytes in 1 blocks</td></tr>',
    );
    expect(rows).toContain(
      '<th scope="row">suppressed</th><td>32 bytes in 1 blocks</td><td>0 bytes in 0 blocks <span class="muted">(32 bytes of them by --suppressions)</span></td></tr>',
    );
    expect(rows).toContain(
      '<th scope="row">InvalidRead</th><td>10 occurrences, all suppressed</td><td></td></tr>',
    );
    // Nor is it an error-coloured bar.
    expect(html).toMatch(
      /InvalidRead<\/text><rect class="bar tone-none"[^>]*><\/rect><text[^>]*>10, all suppressed</,
    );
  });

  it("note a forked child's copies on the row of the kind the tool gave them", async () => {
    const html = await page(["fork.log"], ["--suppressions", `${FIXTURES}/fork.supp`]);
    const rows = totalsRows(html);
    expect(rows).toContain(
      `<th scope="row">definitely-lost</th><td><span class="muted">none left: 32 bytes in 1 blocks suppressed by --suppressions</span></td><td>64 bytes in 2 blocks <span class="muted">(32 bytes in 1 blocks of them forked children's copies of their parents', counted once)</span></td></tr>`,
    );
    expect(rows).toContain(
      '<th scope="row">suppressed</th><td>32 bytes in 1 blocks</td><td>0 bytes in 0 blocks <span class="muted">(32 bytes of them by --suppressions)</span></td></tr>',
    );
  });
});

describe("the HTML totals beside leaks without loss records", () => {
  // Campaign ch F3: only an empty chart said them, so a run with any memory error and
  // Valgrind's default --leak-check=summary showed them as a "not listed" row, with no advice.
  it("say them, and how to list them, beside other findings too", async () => {
    const html = await page(["suite-summary.log"]);
    expect(html).toContain('<svg class="chart" role="img"');
    expect(html).toContain(
      "<strong>Also leaks without loss records.</strong> Valgrind&#39;s LEAK SUMMARY of 2 processes reports 128 bytes in 6 blocks definitely lost,",
    );
    expect(html).toContain("rerun with --leak-check=full --show-leak-kinds=all");
  });
});
