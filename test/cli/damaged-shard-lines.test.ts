import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Report } from "../../src/model/index.js";
import { cli } from "../helpers/cli.js";

// Real shard reports of campaign v16b (see test/fixtures/damaged-report/README.md): a wholly
// damaged shard's annotations pointed at line 1 (F5).
const DIR = "test/fixtures/damaged-report/shards";
const GOOD = `${DIR}/s1.json`;
const CUT = `${DIR}/s3cut.json`;

/** A fresh directory's path for `name`. */
function fresh(name: string): string {
  return join(mkdtempSync(join(tmpdir(), "leaklog-shard-lines-")), name);
}

/** The report the CLI writes of `inputs` in `format`, to a file; its path. */
async function written(format: "json" | "ndjson", inputs: readonly string[]): Promise<string> {
  const path = fresh(`level1.${format}`);
  const { code } = await cli(["summarize", ...inputs, "-f", format, "-o", path]);
  expect(code).toBe(2);
  return path;
}

describe("a wholly damaged shard report", () => {
  const MESSAGE = "damaged JSON: Expected double-quoted property name in JSON at position 3000";

  it("is an error at its damaged line, which the message does not repeat", async () => {
    const { code, stdout } = await cli(["summarize", GOOD, CUT, "-f", "json"]);
    expect(code).toBe(2);
    const report = JSON.parse(stdout) as Report;
    expect(report.diagnostics).toContainEqual({
      severity: "error",
      code: "bad-report",
      message: MESSAGE,
      path: CUT,
      line: 140,
    });
  });

  it("is annotated at that line by GitHub, Code Quality, SARIF and JUnit", async () => {
    const run = async (format: string) =>
      (await cli(["summarize", GOOD, CUT, "-f", format])).stdout;
    expect(await run("github")).toContain(
      `::error file=${CUT},line=140,title=leaklog bad-report::${MESSAGE}\n`,
    );
    const issues = JSON.parse(await run("codequality")) as {
      check_name: string;
      description: string;
      location: { lines: { begin: number } };
    }[];
    const issue = issues.find((i) => i.check_name === "leaklog/bad-report");
    expect(issue?.location.lines.begin).toBe(140);
    expect(issue?.description).toBe(`bad-report: ${MESSAGE}`);
    expect(await run("sarif")).toContain(`"text": "${CUT}:140: ${MESSAGE}"`);
    expect(await run("junit")).toContain(`error at line 140: ${MESSAGE} [bad-report]`);
  });

  it("outside the working directory, says its line once in Code Quality", async () => {
    const outside = fresh("s3cut.json");
    copyFileSync(CUT, outside);
    const { stdout } = await cli(["summarize", GOOD, outside, "-f", "codequality"]);
    const issues = JSON.parse(stdout) as { description: string }[];
    expect(issues.map((i) => i.description)).toContain(
      `bad-report: ${MESSAGE} (line 140 of ${outside}, outside the working directory)`,
    );
  });

  it("carried one level up, keeps its line in the message and stays unusable", async () => {
    for (const format of ["json", "ndjson"] as const) {
      const level1 = await written(format, [GOOD, CUT]);
      const { code, stdout, stderr } = await cli([
        "summarize",
        level1,
        "--fail-on",
        "InvalidWrite",
      ]);
      expect(code).toBe(2);
      expect(stderr).toBe(`leaklog: ${level1}: ${CUT}:140: ${MESSAGE}\n`);
      expect(stdout).toMatch(/^Result: not passed: 1 input is unusable and 1 log is incomplete$/m);
    }
  });
});
