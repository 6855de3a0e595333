import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseFile } from "../../src/api/parse.js";
import { summarize } from "../../src/api/summarize.js";
import type { Report } from "../../src/model/index.js";
import { REPORTERS } from "../../src/report/index.js";
import { ROOT } from "../helpers/golden.js";

// An input that could not be read at all is "unusable", never "incomplete", and a run with one
// never reads "Result: passed": the CLI exits 2 for it (campaign r: a PR comment said passed).
const LOG = join(ROOT, "samples/valgrind/leak_definite.txt");
const CUT = join(ROOT, "samples/valgrind/exit_first_error.txt");

async function reportOf(paths: readonly string[]): Promise<Report> {
  const results = await Promise.all(paths.map((p) => parseFile(p)));
  return summarize(results, { gate: { failOn: ["InvalidWrite"] } });
}
const render = (report: Report, format: keyof typeof REPORTERS) =>
  REPORTERS[format].render(report, { color: false, top: 20 });

describe("a run with an input that could not be read", () => {
  it("says so in the text summary's header and result", async () => {
    const text = render(await reportOf([LOG, "no/such.log"]), "text");
    expect(text).toContain("no/such.log  unknown (unusable)");
    expect(text).not.toContain("(incomplete)");
    expect(text).toMatch(/^Result: not passed: 1 input is unusable$/m);
  });

  it("says so in Markdown, HTML and JUnit", async () => {
    const report = await reportOf([LOG, "no/such.log"]);
    const markdown = render(report, "markdown");
    expect(markdown).toContain("**Result: not passed**: 1 input is unusable");
    expect(markdown).toContain("`no/such.log` (unknown) — **unusable**: not read as a log");
    expect(markdown).not.toContain("**Result: passed**");
    const html = render(report, "html");
    expect(html).toContain("Result: not passed: 1 input is unusable");
    // Not in the passed colour either (campaign v16b F3).
    expect(html).toContain('<p class="gate failed" role="status">Result: not passed');
    expect(html).toContain("unusable: not read as a log (see Diagnostics)");
    const junit = render(report, "junit");
    expect(junit).not.toContain("The log is incomplete");
  });

  it("is named apart in the gate's reason too", async () => {
    const results = await Promise.all([CUT, "no/such.log"].map((p) => parseFile(p)));
    const report = summarize(results, { gate: { failOn: ["incomplete"] } });
    expect(report.gate?.reasons).toEqual([
      `--fail-on incomplete: 1 input is unusable (no/such.log); 1 log is incomplete (${CUT})`,
    ]);
  });

  it("tells an unusable input from an incomplete log", async () => {
    const report = await reportOf([CUT, "no/such.log"]);
    const text = render(report, "text");
    expect(text).toMatch(/^Result: not passed: 1 input is unusable and 1 log is incomplete$/m);
    expect(render(report, "markdown")).toContain("— **incomplete**: some findings are missing");
  });

  // Campaign ch Q12: a failed gate's Result block listed its rules alone, and why the run
  // exits 2, not 1, showed only in the source list and Diagnostics.
  it("is named under a failed gate's reasons, as what makes the run exit 2", async () => {
    const gated = async (paths: readonly string[]) =>
      summarize(await Promise.all(paths.map((p) => parseFile(p))), {
        gate: { failOn: ["definitely-lost"] },
      });
    const report = await gated([LOG, "no/such.log"]);
    const text = render(report, "text");
    expect(text.slice(text.indexOf("Result:"))).toMatch(
      /^Result: FAILED\n {2}--fail-on definitely-lost: [^\n]+\n {2}1 input is unusable \(exit 2, not 1\)\n$/,
    );
    expect(render(report, "markdown")).toMatch(
      /^\*\*Result: FAILED\*\*\n\n- `--fail-on definitely-lost: [^\n]+`\n- 1 input is unusable \(exit 2, not 1\)\n\n/m,
    );
    expect(render(report, "html")).toMatch(
      /<strong>Result: FAILED<\/strong><ul><li>--fail-on definitely-lost: [^<]+<\/li><li>1 input is unusable \(exit 2, not 1\)<\/li><\/ul>/,
    );
    const usable = await gated([LOG]);
    expect(usable.gate?.failed).toBe(true);
    for (const format of ["text", "markdown", "html"] as const)
      expect(render(usable, format), format).not.toContain("exit 2");
  });

  it("reads as before when every input was usable", async () => {
    const text = render(await reportOf([CUT]), "text");
    expect(text).toMatch(/^Result: passed, but 1 log is incomplete$/m);
    expect(render(await reportOf([CUT]), "markdown")).toContain(
      "**Result: passed**, but 1 log is incomplete",
    );
  });
});

describe("leaks without loss records in a log known to have lost records", () => {
  const OVERWRITTEN = join(ROOT, "test/fixtures/valgrind/log-file-shared/overwritten-leak/vg.log");

  it("say the log lost them, not that an option would show them", async () => {
    const report = summarize([await parseFile(OVERWRITTEN)]);
    expect(report.sources[0]?.complete).toBe(false);
    for (const format of ["text", "markdown"] as const) {
      const text = render(report, format);
      expect(text, format).toContain("the log is incomplete, and lost them (see Diagnostics)");
      expect(text, format).not.toContain("--show-leak-kinds=all");
    }
  });
});

describe("a merged report whose run had an unusable input", () => {
  it("is an incomplete log, read all the same, and the run is not passed", async () => {
    const shard = JSON.stringify(await reportOf([LOG, "no/such.log"]), null, 2);
    const merged = summarize([parse(shard, { path: "shard1.json" })], {
      gate: { failOn: ["InvalidWrite"] },
    });
    const text = render(merged, "text");
    expect(text).toMatch(/^shard1\.json {2}leaklog-json .*\(incomplete\)$/m);
    expect(text).toMatch(/^Result: not passed: 1 input is unusable and 1 log is incomplete$/m);
    expect(render(merged, "markdown")).toContain("— **incomplete**: some findings are missing");
  });
});
