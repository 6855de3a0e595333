import { describe, expect, it } from "vitest";
import type { Report } from "../../../src/model/index.js";
import { REPORTERS } from "../../../src/report/index.js";
import { CONTEXT, fixtureReportOf, reportOf } from "./helpers.js";

// Runs a CI timeout killed (test/fixtures/killed-in-ci): before Valgrind's leak check, so their
// logs hold the preamble, or the preamble and an Invalid write. The text summary called them
// incomplete, but JUnit passed them, Code Quality gave `[]` and SARIF no result, as for a clean
// run, and GitHub code scanning closed every open alert (campaign bz F1).
const KILLED = [
  "killed-in-ci/hang.4635.log",
  "killed-in-ci/hang.4696.log",
  "killed-in-ci/hang-killed.xml",
  "killed-in-ci/write-hang-killed.txt",
  "killed-in-ci/write-hang-killed.xml",
];

interface Issue {
  check_name: string;
  description: string;
  fingerprint: string;
  severity: string;
  location: { path: string; lines: { begin: number } };
}

interface SarifRun {
  tool: { driver: { rules: { id: string; defaultConfiguration: { level: string } }[] } };
  invocations: {
    executionSuccessful: boolean;
    toolExecutionNotifications?: { level: string; descriptor: { id: string } }[];
  }[];
  results: {
    ruleId: string;
    level: string;
    message: { text: string };
    locations: {
      physicalLocation?: { artifactLocation: { uri: string }; region?: { startLine: number } };
    }[];
    partialFingerprints: Record<string, string>;
  }[];
}

const render = (format: keyof typeof REPORTERS, report: Report) =>
  REPORTERS[format].render(report, CONTEXT);
const issuesOf = (report: Report) => JSON.parse(render("codequality", report)) as Issue[];
const sarifOf = (report: Report) =>
  (JSON.parse(render("sarif", report)) as { runs: SarifRun[] }).runs[0] as SarifRun;

/** The report of one fixture and why its log is incomplete (the `incomplete` warning). */
function killed(fixture: string): { report: Report; reason: { message: string; line: number } } {
  const report = fixtureReportOf(fixture);
  expect(report.sources.map((s) => s.complete)).toEqual([false]);
  const incomplete = report.diagnostics.filter((d) => d.code === "incomplete");
  expect(incomplete).toHaveLength(1);
  const [first] = incomplete as [Report["diagnostics"][number]];
  return { report, reason: { message: first.message, line: first.line ?? 1 } };
}

describe.each(KILLED)("a run CI killed: %s", (fixture) => {
  const path = `test/fixtures/${fixture}`;

  it("fails its log's JUnit case, with the log and the reason as the message", () => {
    const { report, reason } = killed(fixture);
    const junit = render("junit", report);
    const escaped = `${path}: ${reason.message}`
      .replace(/&/g, "&amp;")
      .replace(/'/g, "&apos;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;");
    // Named without the PID that `--log-file=hang.%p.log` put in the log's name, and then by
    // its program, which tells such logs apart.
    const pid = /\.[0-9]+\.log$/;
    const stable = pid.test(path) ? `${path.replace(pid, ".%p.log")} [hang]` : path;
    expect(junit).toContain(
      `<testcase classname="leaklog.log" name="${stable} is readable and complete" time="0">\n      <failure message="${escaped}" type="leaklog.log">The log is incomplete: some findings are missing.`,
    );
    expect(junit).toMatch(/^<testsuites name="leaklog" tests="(\d+)" failures="\1" errors="0"/m);
  });

  it("is a major Code Quality issue at the log", () => {
    const { report, reason } = killed(fixture);
    const issues = issuesOf(report).filter((i) => i.check_name === "leaklog/incomplete");
    expect(issues).toEqual([
      {
        check_name: "leaklog/incomplete",
        description: `incomplete: ${reason.message}`,
        fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/) as unknown,
        severity: "major",
        location: { path, lines: { begin: reason.line } },
      },
    ]);
  });

  it("is a SARIF result at the log, the execution still successful", () => {
    const { report, reason } = killed(fixture);
    const run = sarifOf(report);
    expect(run.invocations[0]?.executionSuccessful).toBe(true);
    expect(run.invocations[0]?.toolExecutionNotifications).toContainEqual(
      expect.objectContaining({ level: "warning", descriptor: { id: "incomplete" } }),
    );
    expect(run.tool.driver.rules).toContainEqual(
      expect.objectContaining({ id: "incomplete", defaultConfiguration: { level: "error" } }),
    );
    const results = run.results.filter((r) => r.ruleId === "incomplete");
    expect(results).toHaveLength(1);
    const [result] = results as [SarifRun["results"][number]];
    expect(result.level).toBe("error");
    expect(result.message.text).toMatch(
      /^The log is incomplete: findings .* not known to be fixed/,
    );
    expect(result.locations[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: path, uriBaseId: "%SRCROOT%" },
      region: { startLine: reason.line },
    });
  });

  it("is an annotation and a Markdown source line, as before", () => {
    const { report, reason } = killed(fixture);
    expect(render("github", report)).toContain(
      `::warning file=${path},line=${reason.line},title=leaklog incomplete::`,
    );
    expect(render("markdown", report)).toMatch(
      / — \*\*incomplete\*\*: some findings are missing$/m,
    );
  });
});

describe("the issue and the result of an incomplete log", () => {
  it("keep their fingerprint from run to run, whatever PID `%p` put in the log's name", () => {
    const [first, second] = ["hang.4635.log", "hang.4696.log"].map((name) => {
      const report = fixtureReportOf(`killed-in-ci/${name}`);
      return {
        issue: issuesOf(report)[0]?.fingerprint,
        result: sarifOf(report).results[0]?.partialFingerprints["leaklogStack/v1"],
      };
    });
    expect(first?.issue).toBeDefined();
    expect(first?.result).toBeDefined();
    expect(second).toEqual(first);
  });

  it("are one per log, told apart when two logs of a run share a name but for the PID", () => {
    const report = fixtureReportOf("killed-in-ci/hang.4635.log", "killed-in-ci/hang.4696.log");
    const issues = issuesOf(report);
    expect(issues.map((i) => i.location.path)).toEqual([
      "test/fixtures/killed-in-ci/hang.4635.log",
      "test/fixtures/killed-in-ci/hang.4696.log",
    ]);
    expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(2);
    const results = sarifOf(report).results;
    expect(new Set(results.map((r) => r.partialFingerprints["leaklogStack/v1"])).size).toBe(2);
  });

  it("are not made for a complete log", async () => {
    const report = await reportOf("valgrind/leak_definite.txt");
    expect(issuesOf(report).map((i) => i.check_name)).not.toContain("leaklog/incomplete");
    const run = sarifOf(report);
    expect(run.results.map((r) => r.ruleId)).not.toContain("incomplete");
    expect(run.tool.driver.rules.map((r) => r.id)).not.toContain("incomplete");
    expect(render("junit", report)).toContain(
      '<testcase classname="leaklog.log" name="samples/valgrind/leak_definite.txt is readable and complete" time="0"/>',
    );
  });
});

// Campaign ch F5: Valgrind 3.19's XML of a `--show-leak-kinds=none` run lists no loss record and
// has no LEAK SUMMARY. `--fail-on error` failed it ("1 log cannot tell"), while JUnit passed it,
// Code Quality gave `[]` and SARIF no result, which closes every open alert as fixed.
describe("a log that cannot tell whether its run leaked", () => {
  const path = "test/fixtures/valgrind-xml/cannot-tell/none-3.19.xml";
  const why =
    "cannot tell whether there are definitely-lost, possibly-lost leaks: the run's --show-leak-kinds left them out of its loss records and no LEAK SUMMARY counts them (rerun with --show-leak-kinds=all)";
  const untold = () => fixtureReportOf("valgrind-xml/cannot-tell/none-3.19.xml");

  it("fails its log's JUnit case, saying what it cannot tell", () => {
    const junit = render("junit", untold());
    expect(junit).toContain(
      `<failure message="${path}: ${why.replace(/'/g, "&apos;")}" type="leaklog.log">The log cannot tell whether the run leaked: leaks may be missing.</failure>`,
    );
    expect(junit).toMatch(/^<testsuites name="leaklog" tests="1" failures="1" errors="0"/m);
  });

  it("is a major Code Quality issue at the log, as an incomplete log is", () => {
    expect(issuesOf(untold())).toEqual([
      {
        check_name: "leaklog/incomplete",
        description: `incomplete: ${why}`,
        fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/) as unknown,
        severity: "major",
        location: { path, lines: { begin: 1 } },
      },
    ]);
  });

  it("is a SARIF result of rule incomplete, so that no alert is closed as fixed", () => {
    const run = sarifOf(untold());
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(["incomplete"]);
    expect(run.results).toHaveLength(1);
    const [result] = run.results as [SarifRun["results"][number]];
    expect([result.ruleId, result.level]).toEqual(["incomplete", "error"]);
    expect(result.message.text).toBe(
      `The log cannot tell whether the run leaked: leaks it would have reported may be missing, so the alerts this analysis closes are not known to be fixed. It ${why}.`,
    );
  });

  it("says so in the HTML report's state of its log, not only 'complete'", () => {
    const escaped = why.replace(/'/g, "&#39;");
    expect(render("html", untold())).toContain(
      `<td>complete, but <strong class="sev-warning">${escaped}</strong></td>`,
    );
  });

  it("is not made of an XML log that hid only kinds that are no error by default", () => {
    // --show-leak-kinds' default: definite and possible leaks are listed, and counted.
    const report = fixtureReportOf("valgrind-xml/hidden-kinds/vg-default.xml");
    expect(report.sources[0]?.hiddenLeakKinds).toEqual(["indirectly-lost", "still-reachable"]);
    expect(issuesOf(report).map((i) => i.check_name)).not.toContain("leaklog/incomplete");
    expect(sarifOf(report).results.map((r) => r.ruleId)).not.toContain("incomplete");
    expect(render("junit", report)).not.toContain('type="leaklog.log"');
  });
});
