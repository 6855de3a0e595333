import { describe, expect, it } from "vitest";
import { REPORTERS } from "../../../src/report/index.js";
import { stableCommand } from "../../../src/report/junit/stable-command.js";
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
    // Both are `leaky fork`, a parent and its forked child: told apart by their order.
    const suite = `${log} [leaky fork]`;
    expect(keys("run1", "vg.1804.log", "vg.1815.log")).toEqual([
      `${suite} | leaklog.log | ${suite} is readable and complete | pass`,
      `${suite} #2 | leaklog.log | ${suite} #2 is readable and complete | pass`,
    ]);
    expect(keys("run2", "vg.1816.log", "vg.1847.log")).toEqual(
      keys("run1", "vg.1804.log", "vg.1815.log"),
    );
  });

  it("name each `vg.%p.log` by its program, not by its place in the glob (campaign cg F4)", () => {
    // Every `vg.%p.log` has one stable path: numbered `#2`, `#3` in glob (PID) order, a rerun
    // whose PIDs sort otherwise gave each test's log another test's name.
    const run1 = ["17273", "17326", "17327", "17380", "17396"].map((p) => `args/run1/vg.${p}.log`);
    const run2 = ["17457", "17510", "17526", "17579", "17618"].map((p) => `args/run2/vg.${p}.log`);
    const ownSuites = (names: string[], run: string) =>
      names.filter((n) => !n.includes(" (")).map((n) => n.replace(run, "runN"));
    const first = ownSuites(suiteNames(...run1), "run1");
    expect(first[3]).toBe(
      "test/fixtures/junit-suites/args/runN/vg.%p.log [leaky --gtest_filter=A]",
    );
    // The second run's PIDs in the other order: each log keeps its test's name.
    expect(ownSuites(suiteNames(...[...run2].reverse()), "run2")).toEqual([...first].reverse());
  });

  it("keep an incomplete log's failing case under one key from run to run", () => {
    // Two runs a CI timeout killed, `--log-file=hang.%p.log`: GitLab showed the case as a new
    // failure in every merge request, Jenkins restarted its history (campaign cf F3).
    const [run1, run2] = ["hang.4635.log", "hang.4696.log"].map((log) =>
      junitOf(`killed-in-ci/${log}`),
    ) as [string, string];
    const log = "test/fixtures/killed-in-ci/hang.%p.log [hang]";
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

describe("JUnit suite names of commands with what a rerun changes", () => {
  // Two runs of one job: a test given a fresh `mktemp -d`, `out.$$` (the script's PID, the
  // process's parent) and, run by `exec`, `out.$$` as its own PID; and one test run with two
  // filters. See test/fixtures/junit-suites/README.md.
  const RUNS = {
    run1: ["vg.17273.log", "vg.17326.log", "vg.17327.log", "vg.17380.log", "vg.17396.log"],
    run2: ["vg.17457.log", "vg.17510.log", "vg.17526.log", "vg.17579.log", "vg.17618.log"],
  };
  const junitOfRun = (run: keyof typeof RUNS) =>
    junitOf(...RUNS[run].map((log) => `${FOLDER}/args/${run}/${log}`));

  it("stay the same from run to run, each invocation of a test its own suite", () => {
    // GitLab keys a case by its suite's name: `--workdir /tmp/tmp.KVjJc8k8Rf` made both of the
    // test's findings new failures in every merge request (campaign cf Q9).
    const [run1, run2] = (["run1", "run2"] as const).map((run) =>
      caseKeys(junitOfRun(run))
        .filter((key) => key.includes(" ("))
        .map((key) => key.replaceAll(run, "runN")),
    ) as [string[], string[]];
    const log = "test/fixtures/junit-suites/args/runN/vg.%p.log";
    // One group (each leaks a copy of its first argument), with a case in every process's suite.
    const leak = "definitely-lost | definitely-lost in keep (leaky.c) [id] | failure";
    expect(run1.map((key) => key.replace(/\[[0-9a-f]{8}\]/, "[id]"))).toEqual([
      `${log} (leaky --workdir /tmp/tmp.XXXXXXXXXX) | ${leak}`,
      `${log} (leaky --out out.$PPID) | ${leak}`,
      `${log} (leaky --out out.%p) | ${leak}`,
      `${log} (leaky --gtest_filter=A) | ${leak}`,
      `${log} (leaky --gtest_filter=B) | ${leak}`,
    ]);
    expect(run2).toEqual(run1);
  });

  it("keep the command as Valgrind printed it in the suite's properties", () => {
    const xml = junitOfRun("run1");
    expect(xml).toContain(
      '<property name="command" value="./leaky --workdir /tmp/tmp.QclowyMxsS"/>',
    );
    expect(xml).toContain('<property name="command" value="./leaky --out out.17270"/>');
  });
});

describe("stableCommand", () => {
  const pids = { pid: 23456, ppid: 23400 };

  it("writes the names mktemp makes from its default template as that template", () => {
    // GNU coreutils (10 characters), BusyBox (6), BSD (8); a suffix may follow.
    expect(stableCommand("t --workdir=/tmp/tmp.KVjJc8k8Rf/sub", pids)).toBe(
      "t --workdir=/tmp/tmp.XXXXXXXXXX/sub",
    );
    expect(stableCommand("t /tmp/tmp.mWiLjM /tmp/tmp.0LxWcHvV", pids)).toBe(
      "t /tmp/tmp.XXXXXX /tmp/tmp.XXXXXXXX",
    );
    expect(stableCommand("t --out tmp.Ab3dEf9hIj.json", pids)).toBe("t --out tmp.XXXXXXXXXX.json");
  });

  it("writes the process's PID and its parent's, whole numbers of 4 digits or more", () => {
    expect(stableCommand("t --id 23456 --log out.23400.txt", pids)).toBe(
      "t --id %p --log out.$PPID.txt",
    );
    // Part of a longer number is not the PID; nor is a number in a container's small PIDs.
    expect(stableCommand("t --seed 123456 --port 234000", pids)).toBe(
      "t --seed 123456 --port 234000",
    );
    expect(stableCommand("t -j 8 --size 256", { pid: 8, ppid: 256 })).toBe("t -j 8 --size 256");
  });

  it("keeps what cannot be told from a name someone chose", () => {
    for (const command of [
      "t --config tmp.configured", // a word: no capital or digit
      "t --workdir /tmp/runAb12Cd", // mktemp with a template of the user's own
      "t --workdir /tmp/mytmp.KVjJc8k8Rf", // not mktemp's name: something before `tmp.`
      "t --workdir /tmp/tmp.KVjJc8k8Rf1", // 11 characters
      "t --port 41234 --gtest_filter=Parser.*",
    ])
      expect(stableCommand(command, pids)).toBe(command);
  });
});
