import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { VERSION } from "../../../src/version.js";
import { cli } from "../../helpers/cli.js";

const TMP = mkdtempSync(join(tmpdir(), "leaklog-html-header-"));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

/** The page's headline paragraph, under its h1. */
function headline(html: string): string {
  return (
    /<header><h1>leaklog report<\/h1><p class="muted">(.*?)<\/p><\/header>/.exec(html)?.[1] ?? ""
  );
}

// Campaign ch Q5: the header counted every group of the table, fixed and suppressed ones too,
// where the text summary lists the others and says those apart.
describe("the HTML header", () => {
  it("counts the groups the text summary lists, and the baseline's apart", async () => {
    const before = await cli([
      "summarize",
      "samples/memleax/02-multi-stacks-malloc-calloc-realloc.log",
      "-f",
      "json",
    ]);
    const baseline = join(TMP, "base.json");
    writeFileSync(baseline, before.stdout);
    const log = "samples/memleax/01-single-stack-sigint.log";
    const args = ["summarize", log, "--baseline", baseline];
    const html = (await cli([...args, "-f", "html"])).stdout;
    const text = (await cli(args)).stdout;
    const compared = "1 new, 0 unchanged, 3 fixed (3 leaks of 3,204 bytes in 40 blocks)";
    expect(text).toContain(`Baseline\n  ${compared}\n`);
    expect(headline(html)).toBe(
      `${log} · 1 group (<span class="sev-error">1 error</span>) · baseline: ${compared} · leaklog ${VERSION}`,
    );
  });

  it("says the suppressed groups apart, as the text summary does", async () => {
    const dir = "test/fixtures/suppressed-totals";
    const args = [
      "summarize",
      `${dir}/leak.log`,
      `${dir}/reads.log`,
      "--suppressions",
      `${dir}/app.supp`,
    ];
    const html = (await cli([...args, "-f", "html"])).stdout;
    const text = (await cli(args)).stdout;
    expect(text).toContain("found outside suppressions (2 groups suppressed).");
    expect(headline(html)).toBe(
      `${dir}/leak.log and 1 more · 0 groups · 2 groups suppressed · leaklog ${VERSION}`,
    );
  });
});
