import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parse } from "../../../src/api/parse.js";
import { summarize } from "../../../src/api/summarize.js";
import { REPORTERS } from "../../../src/report/index.js";
import { cutFor, oversizeNotice, WHOLE_REPORT_BYTES } from "../../../src/report/junit/budget.js";
import { cli } from "../../helpers/cli.js";
import { ROOT } from "../../helpers/golden.js";
import { CONTEXT } from "./helpers.js";

// One real run of a test with 400 leaks, 24 frames deep: see test/fixtures/junit-size.
const LOG = gunzipSync(
  readFileSync(join(ROOT, "test/fixtures/junit-size/vg.1878.log.gz")),
).toString("utf8");

/** GitLab refuses a larger JUnit report whole (lib/gitlab/xml_converter.rb MAX_XML_SIZE). */
const GITLAB_MAX_XML_SIZE = 30 * 1024 * 1024;

/** The JUnit report of `jobs` CI jobs that each ran the test, one log each. */
function junitOfJobs(jobs: number): string {
  const results = Array.from({ length: jobs }, (_, k) =>
    parse(LOG, { path: `job-${k + 1}/vg.1878.log`, idPrefix: `${k + 1}:` }),
  );
  // Every process a group has a case in, as the CLI asks for JUnit (its members stop at 20).
  const report = summarize(results, { sites: true });
  return [...(REPORTERS.junit.renderPieces?.(report, CONTEXT) ?? [])].join("");
}

const count = (text: string, what: string) => text.split(what).length - 1;

describe("the JUnit report of a big suite", () => {
  it("stays under GitLab's 30 MiB, every failing case kept, by leaving late stacks out", () => {
    // 80 jobs x 400 leaks: 33.7 MB when every case had its stack, and GitLab read none of it.
    const xml = junitOfJobs(80);
    expect(Buffer.byteLength(xml)).toBeLessThan(GITLAB_MAX_XML_SIZE);
    // No more stacks left out than it takes: the report comes to about its budget.
    expect(Buffer.byteLength(xml)).toBeGreaterThan(WHOLE_REPORT_BYTES * 0.9);
    expect(count(xml, "<testcase ")).toBe(80 * 401);
    expect(count(xml, "<failure ")).toBe(80 * 400);
    expect(xml).toMatch(/^<testsuites name="leaklog" tests="32080" failures="32000" errors="0"/m);
    // The first cases keep their stacks; the rest say where their group's is.
    const shortened = count(xml, "Stack left out");
    expect(shortened).toBeGreaterThan(0);
    expect(shortened).toBeLessThan(32_000 - 400);
    expect(count(xml, "  by level20 (suite.c:23)\n")).toBe(32_000 - shortened);
    expect(xml).toContain(
      `Stack left out to keep this report under GitLab's 30 MiB limit: see this case in suite "job-1/vg.%p.log (suite)"\nreported `,
    );
    // How many, in the first suite, for whoever reads the file.
    const first = xml.slice(0, xml.indexOf("</testsuite>"));
    expect(first).toContain(`<property name="stacksLeftOut" value="${shortened}"/>`);
    expect(first).toContain(
      `<system-out>${shortened} of the 32080 test cases are written without their stack, past this report's first 20 MiB`,
    );
  });

  it("keeps every stack when the report fits", () => {
    const xml = junitOfJobs(2);
    expect(count(xml, "  by level20 (suite.c:23)\n")).toBe(800);
    expect(xml).not.toMatch(/Stack left out|stacksLeftOut/);
  });
});

/**
 * A log of `processes` processes, each only a command and a summary whose leak the log lists no
 * record of (Valgrind's default `--leak-check=summary`): each is a suite of its own with a
 * failing case, some 830 bytes of JUnit from 180 of log, as many stacks as there are none to
 * leave out. The lines are Valgrind 3.19's (test/fixtures/valgrind/pid-named/run1/vg.14433.log).
 */
function summariesLog(processes: number): string {
  const lines: string[] = [];
  for (let pid = 100_000; pid < 100_000 + processes; pid++)
    lines.push(
      `==${pid}== Command: ./leaks`,
      `==${pid}== LEAK SUMMARY:`,
      `==${pid}==    definitely lost: 24 bytes in 1 blocks`,
      `==${pid}== ERROR SUMMARY: 0 errors from 0 contexts (suppressed: 0 from 0)`,
    );
  return `${lines.join("\n")}\n`;
}

describe("a JUnit report over GitLab's 30 MiB even without its stacks", () => {
  it("is written, and said in one line on stderr", async () => {
    // 40,000 test processes: 31.8 MiB of cases that have no stack to leave out. GitLab shows a
    // parse error in place of the report, and leaklog said nothing (campaign cf F4).
    const dir = mkdtempSync(join(tmpdir(), "leaklog-junit-"));
    try {
      const output = join(dir, "junit.xml");
      const args = ["summarize", "-", "-f", "junit", "-o", output];
      const { code, stderr } = await cli(args, [summariesLog(40_000)]);
      const bytes = statSync(output).size;
      expect(bytes).toBeGreaterThan(GITLAB_MAX_XML_SIZE);
      expect(code).toBe(0);
      expect(stderr).toBe(`leaklog: ${output}: ${oversizeNotice(bytes)}\n`);
      expect(stderr).toMatch(/: the JUnit report is 3\d\.\d MiB, over the 30 MiB GitLab reads: /);
      expect(stderr.split("\n")).toHaveLength(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("says nothing of a report GitLab reads", async () => {
    const { stdout, stderr } = await cli(["summarize", "-", "-f", "junit"], [summariesLog(100)]);
    expect(stdout).toContain('tests="101" failures="100"');
    expect(stderr).toBe("");
  });

  it("is said of a report of more than 30 MiB only", () => {
    expect(oversizeNotice(GITLAB_MAX_XML_SIZE)).toBeUndefined();
    expect(oversizeNotice(GITLAB_MAX_XML_SIZE + 1)).toMatch(
      /^the JUnit report is 30\.0 MiB, over the 30 MiB GitLab reads: GitLab will show none of its test cases, only a parse error\. /,
    );
  });
});

describe("cutFor", () => {
  const cases =
    (...sizes: [number, number][]) =>
    () =>
      sizes.map(([whole, short]) => ({ whole, short }));

  it("cuts nothing while everything fits", () => {
    expect(cutFor(10, cases([50, 10], [50, 10]), 110, 200)).toEqual({ from: 2, shortened: 0 });
  });

  it("cuts where the stacks stop fitting beside every case's short form", () => {
    // 40 for the short forms and 10 fixed leave 50: the first stack (40) fits, not the second;
    // the third case has no stack to lose.
    expect(cutFor(10, cases([50, 10], [50, 10], [10, 10], [50, 10]), 100, 200)).toEqual({
      from: 1,
      shortened: 2,
    });
  });

  it("never lets a later, smaller stack in past the cut", () => {
    expect(cutFor(0, cases([10, 5], [100, 5], [6, 5]), 30, 200)).toEqual({
      from: 1,
      shortened: 2,
    });
  });

  it("cuts every stack when the short forms alone are over the budget, not the limit", () => {
    expect(cutFor(0, cases([20, 10], [20, 10]), 15, 25)).toEqual({ from: 0, shortened: 2 });
  });

  it("cuts nothing when even the short forms are over the limit: GitLab reads none of it", () => {
    expect(cutFor(0, cases([20, 10], [20, 10]), 15, 19)).toEqual({ from: 2, shortened: 0 });
  });
});
