import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../src/api/parse.js";
import { summarize } from "../../src/api/summarize.js";
import { DEATH_TEST_CHILD, isDeathTestChild } from "../../src/analysis/death-tests.js";
import type { SeverityPolicy } from "../../src/analysis/severity.js";
import { ROOT } from "../helpers/golden.js";

// GoogleTest death tests under Valgrind 3.19 and 3.27: a passing death test's child dies on
// purpose, and its FatalSignal failed `--fail-on error` (campaign cc F1). Real runs:
// test/fixtures/death-tests/README.md.
const DIR = "test/fixtures/death-tests";

/** The logs of a name: a file, or every log of a folder (`vg.%p.log` and the like). */
function logs(name: string): string[] {
  if (/\.(?:txt|xml|log)$/.test(name)) return [`${DIR}/${name}`];
  return readdirSync(join(ROOT, DIR, name)).map((file) => `${DIR}/${name}/${file}`);
}

function report(name: string, failOn: string[] = [], severityPolicy?: SeverityPolicy) {
  const results = logs(name).map((path) =>
    parse(readFileSync(join(ROOT, path), "utf8"), {
      path,
      ...(severityPolicy !== undefined ? { severityPolicy } : {}),
    }),
  );
  return summarize(results, { gate: { failOn, maxBytes: {} } });
}

const severities = (name: string) =>
  report(name).groups.map((g) => [g.kind, g.message.replace(/^.*\((SIG\w+)\)$/, "$1"), g.severity]);

const PASSING = [
  "fast-319.txt",
  "fast-327.txt",
  "fast-319.xml",
  "fast-327.xml",
  "mixed-319.txt",
  "ctest-fixed.log",
  "pid-fixed",
  "ts-319",
  "ts-327",
  "ts-xml-319",
  "ts-xml-327",
];

describe("a GoogleTest death test's child that died as its test expected", () => {
  it("is a note, and the README's gate passes the clean suite", () => {
    for (const name of PASSING) {
      expect(severities(name), name).toEqual([["FatalSignal", "SIGABRT", "note"]]);
      const gated = report(name, ["error", "incomplete"]);
      expect(gated.gate?.failed, name).toBe(false);
      // Listed, and said to be a death test's child, first among its aux lines.
      expect(gated.groups[0]?.aux?.[0]?.message, name).toBe(DEATH_TEST_CHILD);
      const records = gated.errors.filter((e) => e.kind === "FatalSignal");
      expect(
        records.map((e) => [e.severity, e.aux[0]?.message]),
        name,
      ).toEqual([["note", DEATH_TEST_CHILD]]);
    }
  });

  it("is a note for a SIGSEGV too; the invalid write before it stays an error", () => {
    for (const name of ["segv-319.txt", "segv-327.txt", "segv-319.xml", "segv-327.xml"]) {
      expect(severities(name), name).toEqual([
        ["FatalSignal", "SIGSEGV", "note"],
        ["InvalidWrite", "Invalid write of size 4", "error"],
      ]);
    }
  });

  it("is not there when the statement lived: GoogleTest failed the test", () => {
    for (const name of ["survives-319.txt", "survives-327.txt"]) {
      expect(severities(name), name).toEqual([]);
    }
  });

  it("leaves a crash of the test program itself an error", () => {
    for (const name of ["parent-319.txt", "parent-327.txt", "parent-319.xml", "parent-327.xml"]) {
      expect(severities(name), name).toEqual([
        ["FatalSignal", "SIGSEGV", "error"],
        ["FatalSignal", "SIGABRT", "note"],
        ["InvalidWrite", "Invalid write of size 4", "error"],
      ]);
      expect(report(name, ["error"]).gate?.failed, name).toBe(true);
    }
  });

  it("leaves a forked child's crash outside a test framework an error", () => {
    for (const name of ["child-crash-319.txt", "child-crash-327.xml"]) {
      expect(severities(name), name).toEqual([
        ["FatalSignal", "SIGSEGV", "error"],
        ["InvalidWrite", "Invalid write of size 4", "error"],
      ]);
    }
  });

  it("stays a note in a report read back, and a policy for FatalSignal wins", () => {
    const json = JSON.stringify(report("fast-319.txt"));
    const back = summarize([parse(json, { path: "report.json" })]);
    expect(back.groups.map((g) => [g.kind, g.severity])).toEqual([["FatalSignal", "note"]]);
    const policy = report("fast-319.txt", [], { FatalSignal: "error" });
    expect(policy.groups.map((g) => [g.kind, g.severity, g.aux?.[0]?.message])).toEqual([
      ["FatalSignal", "error", undefined],
    ]);
  });
});

describe("isDeathTestChild", () => {
  const frame = (name: string) => ({ function: name });

  it("knows GoogleTest's test machinery and its re-run option", () => {
    expect(
      isDeathTestChild([frame("abort"), frame("Shop_Aborts_Test::TestBody()")], undefined),
    ).toBe(true);
    expect(isDeathTestChild([frame("ns::MatrixTest_Trace_Test<int>::TestBody()")], undefined)).toBe(
      true,
    );
    expect(isDeathTestChild([frame("testing::Test::Run()")], undefined)).toBe(true);
    const handler =
      "void testing::internal::HandleExceptionsInMethodIfSupported<testing::Test, void>(testing::Test*, void (testing::Test::*)(), char const*)";
    expect(isDeathTestChild([frame(handler)], undefined)).toBe(true);
    const command = "./death --gtest_internal_run_death_test=death.cpp|30|1|5";
    expect(isDeathTestChild([frame("abort")], command)).toBe(true);
  });

  it("knows no other crash", () => {
    expect(isDeathTestChild([frame("null_store"), frame("main")], "./child-crash")).toBe(false);
    expect(
      isDeathTestChild([frame("TestBody()"), frame("Catch::RunContext::runTest")], undefined),
    ).toBe(false);
  });
});
