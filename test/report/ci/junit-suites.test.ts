import { describe, expect, it } from "vitest";
import { REPORTERS } from "../../../src/report/index.js";
import { CONTEXT, fixtureReportOf } from "./helpers.js";

// Real logs of one program, two runs of a job and a shared log: see the folder's README.
const FOLDER = "junit-suites";

function junitOf(...fixtures: string[]): string {
  return REPORTERS.junit.render(fixtureReportOf(...fixtures), CONTEXT);
}

function suiteNames(...fixtures: string[]): string[] {
  const xml = junitOf(...fixtures.map((f) => `${FOLDER}/${f}`));
  return [...xml.matchAll(/<testsuite name="([^"]*)"/g)].map((m) => m[1] as string);
}

/**
 * What GitLab keys each case by (its suite's name, classname and name, test_case.rb), and its
 * outcome: a failing key the last run lacked is a "new failure" in the merge request.
 */
function caseKeys(xml: string): string[] {
  const keys: string[] = [];
  for (const suite of xml.split("<testsuite ").slice(1)) {
    const name = /^name="([^"]*)"/.exec(suite)?.[1];
    for (const c of suite.matchAll(
      /<testcase classname="([^"]*)" name="([^"]*)"[^>]*>(\n\s*<(failure|error))?/g,
    ))
      keys.push(`${name} | ${c[1]} | ${c[2]} | ${c[4] ?? "pass"}`);
  }
  return keys;
}

/** The suites that hold a process's findings (not the logs' own "readable and complete"). */
const processSuites = (names: string[]): string[] => names.filter((n) => n.includes(" ("));

describe("JUnit suite names", () => {
  it("stay the same from one run of a job to the next, though every PID differs", () => {
    const run1 = suiteNames("run1/vg.1804.log", "run1/vg.1815.log");
    const run2 = suiteNames("run2/vg.1816.log", "run2/vg.1847.log");
    // GitLab keys a case by its suite's name: a PID in it made every known leak a new failure.
    const stable = (names: string[], run: string) =>
      processSuites(names).map((n) => n.replace(run, "runN"));
    expect(stable(run1, "run1")).toEqual([
      "test/fixtures/junit-suites/runN/vg.%p.log (leaky fork)",
      "test/fixtures/junit-suites/runN/vg.%p.log (leaky fork) #2",
    ]);
    expect(stable(run2, "run2")).toEqual(stable(run1, "run1"));
  });

  it("name a log's own suite and case without its PID too, logs alike told apart", () => {
    const keys = (run: string, ...logs: string[]) =>
      caseKeys(junitOf(...logs.map((log) => `${FOLDER}/${run}/${log}`)))
        .filter((key) => key.includes("leaklog.log"))
        .map((key) => key.replaceAll(run, "runN"));
    const log = "test/fixtures/junit-suites/runN/vg.%p.log";
    expect(keys("run1", "vg.1804.log", "vg.1815.log")).toEqual([
      `${log} | leaklog.log | ${log} is readable and complete | pass`,
      `${log} #2 | leaklog.log | ${log} #2 is readable and complete | pass`,
    ]);
    expect(keys("run2", "vg.1816.log", "vg.1847.log")).toEqual(
      keys("run1", "vg.1804.log", "vg.1815.log"),
    );
  });

  it("keep an incomplete log's failing case under one key from run to run", () => {
    // Two runs a CI timeout killed, `--log-file=hang.%p.log`: GitLab showed the case as a new
    // failure in every merge request, Jenkins restarted its history (campaign cf F3).
    const [run1, run2] = ["hang.4635.log", "hang.4696.log"].map((log) =>
      junitOf(`killed-in-ci/${log}`),
    ) as [string, string];
    const log = "test/fixtures/killed-in-ci/hang.%p.log";
    expect(caseKeys(run1)).toEqual([
      `${log} | leaklog.log | ${log} is readable and complete | failure`,
    ]);
    expect(caseKeys(run2)).toEqual(caseKeys(run1));
    // The user still finds the file by its own name: a property, and the failure's message.
    const raw = "test/fixtures/killed-in-ci/hang.4635.log";
    expect(run1).toContain(`<property name="path" value="${raw}"/>`);
    expect(run1).toContain(`<failure message="${raw}: `);
  });

  it("name a shared log's processes by their commands, without a PID", () => {
    const names = processSuites(suiteNames("shared.log"));
    const log = "test/fixtures/junit-suites/shared.log";
    expect(names).toEqual([
      `${log} (leaky alpha)`,
      `${log} (leaky beta)`,
      `${log} (leaky fork)`,
      // The forked child printed no preamble, so no command: its place among the processes.
      `${log} (process 5)`,
    ]);
    expect(names.join("\n")).not.toMatch(/PID|\b2[0-9]{3}\b/);
  });

  it("number a process without a command, and never give two suites one name", () => {
    expect(processSuites(suiteNames("quiet.log"))).toEqual([
      "test/fixtures/junit-suites/quiet.log (process 1)",
    ]);
    const all = suiteNames(
      "run1/vg.1804.log",
      "run1/vg.1815.log",
      "shared.log",
      "quiet.log",
      "run2/vg.1816.log",
    );
    expect(new Set(all).size).toBe(all.length);
  });
});
