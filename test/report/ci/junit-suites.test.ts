import { describe, expect, it } from "vitest";
import { REPORTERS } from "../../../src/report/index.js";
import { CONTEXT, fixtureReportOf } from "./helpers.js";

// Real logs of one program, two runs of a job and a shared log: see the folder's README.
const FOLDER = "junit-suites";

function suiteNames(...fixtures: string[]): string[] {
  const xml = REPORTERS.junit.render(
    fixtureReportOf(...fixtures.map((f) => `${FOLDER}/${f}`)),
    CONTEXT,
  );
  return [...xml.matchAll(/<testsuite name="([^"]*)"/g)].map((m) => m[1] as string);
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
    // The log's own suite is the file it is: the user finds it by that name.
    expect(run1).toContain("test/fixtures/junit-suites/run1/vg.1804.log");
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
