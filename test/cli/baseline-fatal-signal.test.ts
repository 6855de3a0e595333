import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Report, type Diagnostic } from "../../src/model/index.js";
import { cli } from "../helpers/cli.js";
import { ROOT } from "../helpers/golden.js";

// A process that died of a fatal signal never ran what came after, and Valgrind still printed
// its whole report: against a baseline of a run that went on, those groups were "fixed"
// (campaign by F3). See test/fixtures/baseline-fatal-signal/README.md.
const DIR = "test/fixtures/baseline-fatal-signal";
const CJSON = `${DIR}/cjson`;
const dir = mkdtempSync(join(tmpdir(), "leaklog-fatal-"));

async function jsonReport(name: string, inputs: string[], cwd = ROOT): Promise<string> {
  const path = join(dir, name);
  const { code } = await cli(["summarize", ...inputs, "-f", "json", "-o", path], [], { cwd });
  expect(code).toBe(0);
  return path;
}

interface DiffJson {
  counts: { new: number; unchanged: number; fixed: number };
  fixed: { kind: string; stack: { function?: string }[] }[];
  warnings: Diagnostic[];
}

async function jsonDiff(baseline: string, inputs: string[], cwd = ROOT): Promise<DiffJson> {
  const { stdout } = await cli(["diff", baseline, ...inputs, "-f", "json"], [], { cwd });
  return JSON.parse(stdout) as DiffJson;
}

const codes = (diff: DiffJson) => diff.warnings.map((w) => w.code);

describe("baseline groups a process that died of a fatal signal never reached", () => {
  it("are not fixed: cJSON's stack overflow before a later test's four bugs", async () => {
    const base = await jsonReport("cjson-base.json", [`${CJSON}/base.log.gz`]);
    const deep = `${CJSON}/deep.log.gz`;
    const summary = await cli(["summarize", deep, "--baseline", base]);
    expect(summary.stdout).toContain("\nBaseline\n  7 new, 2 unchanged, 0 fixed\n");
    expect(summary.stdout).toContain(
      `warning ${deep}:37: 4 baseline group(s) not found in this run are not marked fixed: PID 26067 died of signal 11 (SIGSEGV) at line 37, in malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so), and never ran what came after, which may hold them; the baseline's run did not die so [baseline-process-died]`,
    );
    const text = await cli(["diff", base, deep, "--fail-on", "new"]);
    expect(text.stdout).toContain("\n7 new, 0 fixed, 2 unchanged\n");
    expect(text.stdout).not.toContain("Fixed");
    expect(text.stdout).not.toContain("cJSON_SetValuestring");
    // The gate is as before: the FatalSignal is new.
    expect(text.code).toBe(1);
    expect(text.stdout).toContain("--fail-on new: 7 groups (first: FatalSignal)");
    const json = await cli(["summarize", deep, "--baseline", base, "-f", "json"]);
    const report = Report.parse(JSON.parse(json.stdout));
    expect(report.groups.filter((g) => g.baseline === "fixed")).toEqual([]);
    expect(report.diagnostics.find((d) => d.code === "baseline-process-died")).toMatchObject({
      severity: "warning",
      path: deep,
      line: 37,
      pid: 26067,
    });
  });

  it("are not fixed in cJSON's XML either", async () => {
    const base = await jsonReport("cjson-xml-base.json", [`${CJSON}/base.xml.gz`]);
    const diff = await jsonDiff(base, [`${CJSON}/deep.xml.gz`]);
    expect(diff.counts).toEqual({ new: 7, unchanged: 2, fixed: 0 });
    expect(codes(diff)).toEqual(["baseline-process-died"]);
    expect(diff.warnings[0]?.message).toMatch(
      /^4 baseline group\(s\) .* PID 902 died of signal 11 \(SIGSEGV\) at line 217, in malloc /,
    );
  });

  it("are not fixed, text or XML, and name the frame the signal was raised in", async () => {
    for (const [base, now] of [
      ["base/steps.log", "now/steps.log"],
      ["base.xml", "segv.xml"],
    ]) {
      const diff = await jsonDiff(`${DIR}/${base}`, [`${DIR}/${now}`]);
      expect(diff.counts, now).toEqual({ new: 2, unchanged: 1, fixed: 0 });
      expect(codes(diff), now).toEqual(["baseline-process-died"]);
      expect(diff.warnings[0]?.message, now).toContain(
        "2 baseline group(s) not found in this run are not marked fixed: PID ",
      );
      expect(diff.warnings[0]?.message, now).toContain(" died of signal 11 (SIGSEGV) at line ");
      expect(diff.warnings[0]?.message, now).toContain(", in null_store (steps.c:21), ");
    }
  });

  it("are those of its own log: another log's fix is fixed", async () => {
    // Two runs of both programs in folders laid out alike, as a CI workspace is: the same paths.
    const base = await jsonReport(
      "two-logs.json",
      ["steps.log", "other.log"],
      join(ROOT, DIR, "base"),
    );
    const now = join(ROOT, DIR, "now");
    const diff = await jsonDiff(base, ["steps.log", "other.log"], now);
    expect(diff.counts).toEqual({ new: 2, unchanged: 1, fixed: 1 });
    expect(diff.fixed.map((g) => [g.kind, g.stack[0]?.function])).toEqual([
      ["InvalidRead", "check_name"],
    ]);
    expect(codes(diff)).toEqual(["baseline-process-died"]);
    expect(diff.warnings[0]).toMatchObject({ path: "steps.log", line: 22, pid: 2555 });
    expect(diff.warnings[0]?.message).toMatch(/^2 baseline group\(s\) /);
  });

  it("are compared when the baseline's run died the same way at the same place", async () => {
    // Both died at null_store < step_two < main: what the baseline's run reached before that
    // point and this one did not is fixed, from a log, a report, or the XML of the same crash.
    const report = await jsonReport("segv.json", [`${DIR}/now/steps.log`]);
    for (const base of [`${DIR}/now/steps.log`, report]) {
      const diff = await jsonDiff(base, [`${DIR}/segv-fixed.log`]);
      expect(diff.counts).toEqual({ new: 0, unchanged: 2, fixed: 1 });
      expect(diff.fixed.map((g) => g.stack[0]?.function)).toEqual(["step_one"]);
      expect(diff.warnings).toEqual([]);
    }
    const text = await cli(["diff", `${DIR}/now/steps.log`, `${DIR}/segv-fixed.log`]);
    expect(text.stdout).toContain("\nFixed (1): 1 error\n");
    const xml = await jsonDiff(`${DIR}/now/steps.log`, [`${DIR}/segv.xml`]);
    expect(xml.counts).toEqual({ new: 0, unchanged: 3, fixed: 0 });
    expect(xml.warnings).toEqual([]);
  });

  it("are not fixed when the same stack overflow's one frame does not say where", async () => {
    // Valgrind prints a stack overflow's innermost frame alone, `recurse`: the baseline's run
    // overflowed after step three, this one before it, and both are one FatalSignal group.
    const diff = await jsonDiff(`${DIR}/overflow-late.log`, [`${DIR}/overflow.log`]);
    expect(diff.counts).toEqual({ new: 0, unchanged: 2, fixed: 0 });
    expect(codes(diff)).toEqual(["baseline-process-died"]);
    expect(diff.warnings[0]?.message).toContain(
      "died of signal 11 (SIGSEGV) at line 17, in recurse (steps.c:13), and never ran what came after, which may hold them; the baseline's run died so too, but this stack does not reach main",
    );
  });
});

// AddressSanitizer ends the program at its first error (ABORTING), and at a deadly signal
// whatever its options: a run stopped at step two's new error never reached step three's, which
// was "fixed". See test/fixtures/baseline-fatal-signal/asan/README.md.
const ASAN = `${DIR}/asan`;

describe("baseline groups a sanitizer's abort kept its process from reaching", () => {
  it("are not fixed, and the warning names the error that ended the process", async () => {
    const report = await jsonReport("asan-fixed.json", [`${ASAN}/fixed.log`]);
    for (const [now, pid, line, place] of [
      ["segv.log", 23939, 3, "its SEGV error (ABORTING) at line 3, in null_store ("],
      [
        "overrun.log",
        23940,
        2,
        "its heap-buffer-overflow error (ABORTING) at line 2, in overrun (",
      ],
    ] as const) {
      for (const base of [`${ASAN}/fixed.log`, report]) {
        const diff = await jsonDiff(base, [`${ASAN}/${now}`]);
        expect(diff.counts, now).toEqual({ new: 1, unchanged: 0, fixed: 0 });
        expect(codes(diff), now).toEqual(["baseline-process-died"]);
        expect(diff.warnings[0], now).toMatchObject({ path: `${ASAN}/${now}`, line, pid });
        expect(diff.warnings[0]?.message, now).toContain(
          `1 baseline group(s) not found in this run are not marked fixed: PID ${pid} was stopped at ${place}`,
        );
        expect(diff.warnings[0]?.message, now).toContain(
          "and never ran what came after, which may hold them; the baseline's run did not die so",
        );
      }
    }
    const text = await cli(["diff", `${ASAN}/fixed.log`, `${ASAN}/segv.log`]);
    expect(text.stdout).toContain("\n1 new, 0 fixed, 0 unchanged\n");
    expect(text.stdout).not.toContain("step_three");
  });

  it("are not fixed when the run got past them either: a stop does not say where they were", async () => {
    // Step one's read is fixed in segv.log, but a process stopped at step two may have taken
    // another way: leaklog cannot tell its stop from one before step one.
    const diff = await jsonDiff(`${ASAN}/base.log`, [`${ASAN}/segv.log`]);
    expect(diff.counts).toEqual({ new: 1, unchanged: 0, fixed: 0 });
    expect(codes(diff)).toEqual(["baseline-process-died"]);
  });

  it("are compared when the baseline's run stopped at the same error at the same place", async () => {
    // Built with -fsanitize-recover=address and run with halt_on_error=0, the program went on
    // past step one's read; both runs died at the SEGV of null_store < step_two < main.
    const diff = await jsonDiff(`${ASAN}/recover/segv.log`, [`${ASAN}/recover/segv-fixed.log`]);
    expect(diff.counts).toEqual({ new: 0, unchanged: 1, fixed: 1 });
    expect(diff.fixed.map((g) => g.stack[0]?.function)).toEqual(["step_one"]);
    expect(diff.warnings).toEqual([]);
  });

  it("are compared when the sanitizer went on past every error (halt_on_error=0)", async () => {
    const diff = await jsonDiff(`${ASAN}/recover/base.log`, [`${ASAN}/recover/overrun.log`]);
    expect(diff.counts).toEqual({ new: 1, unchanged: 1, fixed: 1 });
    expect(diff.fixed.map((g) => g.stack[0]?.function)).toEqual(["step_one"]);
    expect(diff.warnings).toEqual([]);
    const json = await cli(["summarize", `${ASAN}/recover/overrun.log`, "-f", "json"]);
    const report = Report.parse(JSON.parse(json.stdout));
    expect(report.groups.map((g) => g.aborted)).toEqual([undefined, undefined]);
    // A group of a run that stopped says so; fixed, it has no processes to say it of.
    const stopped = await jsonDiff(`${ASAN}/recover/segv.log`, [`${ASAN}/recover/base.log`]);
    expect(stopped.fixed.map((g) => [g.kind, "aborted" in g])).toEqual([["SEGV", false]]);
  });
});
