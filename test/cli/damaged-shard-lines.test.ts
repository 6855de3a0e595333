import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Report } from "../../src/model/index.js";
import { cli } from "../helpers/cli.js";
import { ROOT } from "../helpers/golden.js";

// Real shard reports of campaign v16b (see test/fixtures/damaged-report/README.md): a merge with
// a shard read in part exited 2 but said "Result: passed" (F3), one level up the shard was
// called unusable (F3), and a wholly damaged shard's annotations pointed at line 1 (F5).
const DIR = "test/fixtures/damaged-report/shards";
const GOOD = `${DIR}/s1.json`;
const PART = `${DIR}/s2bad.ndjson`;
const CUT = `${DIR}/s3cut.json`;
const GATE = ["--fail-on", "InvalidWrite"];
const NOT_PASSED = "Result: not passed: 1 report entry is damaged and 1 log is incomplete";

/** The text, Markdown and HTML result lines, each as its reader sees it ("" for none). */
async function resultLines(args: readonly string[]): Promise<string[]> {
  const lines: string[] = [];
  for (const format of ["text", "markdown", "html"]) {
    const { code, stdout } = await cli(["summarize", ...args, "-f", format]);
    expect(code, format).toBe(2);
    const line = /^.*Result: [^<\n]*/m.exec(stdout)?.[0] ?? "";
    lines.push(line.replace(/<[^>]*>|\*\*/g, "").trim());
  }
  return lines;
}

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

describe("a merge with a shard report read in part", () => {
  it("is not passed, gated or not, in text, Markdown and HTML: it exits 2", async () => {
    expect(await resultLines([GOOD, PART, ...GATE])).toEqual(Array(3).fill(NOT_PASSED));
    expect(await resultLines([GOOD, PART])).toEqual(Array(3).fill(NOT_PASSED));
    const { stdout } = await cli(["summarize", GOOD, PART]);
    expect(stdout).toMatch(/s2bad\.ndjson {2}leaklog-json 3\.19\.0 .*\(incomplete\)$/m);
    expect(stdout).not.toContain("unusable");
    expect(stdout).not.toContain("Not gated");
  });

  // Campaign ch Q12: under a failed gate, the Result block listed the rules alone.
  it("says under a failed gate's reasons that the damaged entry makes it exit 2", async () => {
    for (const format of ["text", "markdown"]) {
      const { code, stdout } = await cli([
        "summarize",
        GOOD,
        PART,
        "--fail-on",
        "error",
        "-f",
        format,
      ]);
      expect(code, format).toBe(2);
      expect(stdout, format).toContain("Result: FAILED");
      expect(stdout, format).toMatch(/^( {2}|- )1 report entry is damaged \(exit 2, not 1\)$/m);
    }
  });

  it.each(["json", "ndjson"] as const)(
    "one level up (%s), is its incomplete log, not an unusable input",
    async (format) => {
      const level1 = await written(format, [GOOD, PART]);
      for (const gate of [GATE, []]) {
        const { code, stdout } = await cli(["summarize", level1, ...gate]);
        expect(code).toBe(2);
        expect(stdout).toMatch(/level1\.n?d?json {2}leaklog-json .*\(incomplete\)$/m);
        expect(stdout).toMatch(new RegExp(`^${NOT_PASSED}$`, "m"));
        expect(stdout).not.toContain("unusable");
      }
    },
  );

  it("one level up, also from a report written before Diagnostic.readInPart", async () => {
    const { stdout: json } = await cli(["summarize", GOOD, PART, "-f", "json"]);
    const report = JSON.parse(json) as Report;
    const damage = report.diagnostics.find((d) => d.code === "bad-report");
    expect(damage).toMatchObject({ path: PART, line: 3, readInPart: true });
    delete damage?.readInPart;
    const older = fresh("older.json");
    writeFileSync(older, JSON.stringify(report));
    const { stdout } = await cli(["summarize", older, ...GATE]);
    expect(stdout).toMatch(new RegExp(`^${NOT_PASSED}$`, "m"));
  });
});

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
    expect(await run("sarif")).toContain(`"text":"${CUT}:140: ${MESSAGE}"`);
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

  it("is named at its line on stderr, as an input and as a baseline (campaign v18a F4)", async () => {
    const alone = await cli(["summarize", CUT]);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toBe(`leaklog: ${CUT}:140: ${MESSAGE}\n`);
    // On worker threads: the built CLI's (the TypeScript sources have no worker script).
    const threaded = spawnSync(
      process.execPath,
      [join(ROOT, "bin", "leaklog.js"), "summarize", GOOD, CUT],
      {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, LEAKLOG_WORKERS: "1" },
      },
    );
    expect(threaded.status).toBe(2);
    expect(threaded.stderr).toBe(`leaklog: ${CUT}:140: ${MESSAGE}\n`);
    const baseline = await cli(["summarize", "--baseline", CUT, GOOD]);
    expect(baseline.code).toBe(2);
    expect(baseline.stderr).toBe(`leaklog: baseline ${CUT}:140: ${MESSAGE}\n`);
    // A baseline read in part is refused too, at the line of its first damaged entry.
    const part = await cli(["summarize", "--baseline", PART, GOOD]);
    expect(part.stderr).toBe(
      `leaklog: baseline ${PART}:3: not a whole NDJSON record (cut short or damaged): left out\n`,
    );
  });

  it("carried one level up, keeps its line in the message and stays unusable", async () => {
    for (const format of ["json", "ndjson"] as const) {
      const level1 = await written(format, [GOOD, CUT]);
      const { code, stdout, stderr } = await cli(["summarize", level1]);
      expect(code).toBe(2);
      expect(stderr).toBe(`leaklog: ${level1}: ${CUT}:140: ${MESSAGE}\n`);
      expect(stdout).toMatch(/^Result: not passed: 1 input is unusable and 1 log is incomplete$/m);
    }
  });
});
