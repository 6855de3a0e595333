import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../src/index.js";
import { Report } from "../../src/model/index.js";
import { runCli } from "../../src/cli/run.js";
import { cli } from "../helpers/cli.js";
import { ROOT } from "../helpers/golden.js";

/** What `ctest -T memcheck` left: two clean tests' empty `-q` logs and one leaking test's. */
const CTEST_LOGS = "test/fixtures/valgrind/ctest/MemoryChecker.*.log";

describe("--allow-empty: the empty logs of clean valgrind -q runs", () => {
  it("without it, an empty log is unusable input and says how to read it as clean", async () => {
    const { code, stderr } = await cli(["summarize", CTEST_LOGS]);
    expect(code).toBe(2);
    const lines = stderr.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^leaklog: .*MemoryChecker\.1\.log: empty input: /);
    expect(lines[0]).toContain("--allow-empty reads such logs as clean runs");
  });

  it("with it, empty logs are clean runs named in the header and the exit code is the gate's", async () => {
    const { code, stdout, stderr } = await cli(["summarize", CTEST_LOGS, "--allow-empty"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("MemoryChecker.1.log  empty log\n");
    expect(stdout).toContain("MemoryChecker.3.log  empty log\n");
    expect(stdout).toMatch(/definitely-lost {2}30 bytes in 2 blocks/);
    const gated = await cli([
      "summarize",
      CTEST_LOGS,
      "--allow-empty",
      "--fail-on",
      "definitely-lost",
    ]);
    expect(gated.code).toBe(1);
  });

  it("keeps the empty log in the JSON report: a complete source and an info diagnostic", async () => {
    const { stdout } = await cli(["summarize", CTEST_LOGS, "--allow-empty", "-f", "json"]);
    const report = Report.parse(JSON.parse(stdout));
    const empty = report.sources.find((s) => s.path.endsWith("MemoryChecker.1.log"));
    expect(empty).toMatchObject({ format: "unknown", complete: true, processes: [] });
    const notes = report.diagnostics.filter((d) => d.code === "empty-input");
    expect(notes.map((d) => [d.severity, d.path.slice(-19)])).toEqual([
      ["info", "MemoryChecker.1.log"],
      ["info", "MemoryChecker.3.log"],
    ]);
  });

  it("tells a pipe of standard input that lacked 2>&1 how to carry the checker's output", async () => {
    const hint = "write to standard error, which a pipe carries only with 2>&1";
    // `valgrind ./prog | leaklog summarize -`: the program's output only, or nothing at all.
    const programOnly = await cli(["summarize", "-"], ["hello from the program\n"]);
    expect(programOnly.code).toBe(2);
    expect(programOnly.stderr).toMatch(/^leaklog: -: not a log leaklog can read .*2>&1 \| leaklog/);
    expect(programOnly.stderr).toContain(hint);
    const nothing = await cli(["summarize", "-"], []);
    expect(nothing.stderr).toMatch(/^leaklog: -: empty input: .*2>&1 \| leaklog/);
    // A file is no pipe: its messages stay as they were.
    const file = await cli(["summarize", "test/fixtures/valgrind/ctest/CMakeLists.txt"]);
    expect(file.stderr).toContain("not a log leaklog can read");
    expect(file.stderr).not.toContain(hint);
  });

  it("says that it waits for typing when standard input is a terminal", async () => {
    const run = async (isTTY: boolean, args: string[]) => {
      let stderr = "";
      const stdin = Object.assign(
        (async function* () {
          yield await Promise.resolve(readFileSync(join(ROOT, "samples/valgrind/fd_leak.txt")));
        })(),
        { isTTY },
      );
      const code = await runCli(args, {
        stdout: { write: () => true },
        stderr: { write: (t: string) => (stderr += t) },
        stdin,
        env: {},
        cwd: ROOT,
      });
      return { code, stderr };
    };
    const typed = await run(true, ["summarize", "-"]);
    expect(typed).toEqual({
      code: 0,
      stderr:
        "leaklog: reading a log from the terminal: paste it and end with Ctrl-D, or pipe it in (valgrind ./prog 2>&1 | leaklog summarize -)\n",
    });
    // diff and suppressions read `-` their own way, and say it too.
    const suppressions = await run(true, ["suppressions", "-"]);
    expect(suppressions.stderr).toMatch(/^leaklog: reading a log from the terminal/);
    expect(await run(false, ["summarize", "-"])).toEqual({ code: 0, stderr: "" });
  });

  it("does not make a log of another kind or a missing file usable", async () => {
    const cmake = "test/fixtures/valgrind/ctest/CMakeLists.txt";
    const other = await cli(["summarize", cmake, "--allow-empty"]);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain("not a log leaklog can read");
    const missing = await cli(["summarize", "nope.log", CTEST_LOGS, "--allow-empty"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("nope.log");
  });

  it("names --xml=yes among the causes: it leaves the text log of the same run empty", async () => {
    const run = "test/fixtures/valgrind/xml-and-log/vg.*";
    const both = await cli(["summarize", run]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/vg\.txt: empty input: .*--xml=yes writes its records to the XML/);
    const allowed = await cli(["summarize", run, "--allow-empty", "--fail-on", "definitely-lost"]);
    expect(allowed.code).toBe(1);
    expect(allowed.stdout).toMatch(/definitely-lost {2}56 bytes in 2 blocks/);
  });

  it("applies to a forced input format too, which used to read an empty log as a clean run", async () => {
    const empty = "test/fixtures/valgrind/ctest/MemoryChecker.1.log";
    const forced = ["summarize", empty, "--input-format", "valgrind"];
    expect((await cli(forced)).code).toBe(2);
    expect((await cli([...forced, "--allow-empty"])).code).toBe(0);
    expect(parse("", { inputFormat: "valgrind" }).fatal?.code).toBe("empty-input");
    expect(parse("", { inputFormat: "valgrind", allowEmpty: true }).fatal).toBeUndefined();
  });

  it("is taken by diff and suppressions as well", async () => {
    const suppressions = await cli(["suppressions", CTEST_LOGS, "--allow-empty"]);
    expect(suppressions.code).toBe(0);
    expect(suppressions.stdout).toContain("Memcheck:Leak");
    const baseline = await cli(["summarize", CTEST_LOGS, "--allow-empty", "-f", "json"]);
    const old = join(ROOT, "test", "fixtures", "valgrind", "ctest", "MemoryChecker.2.log");
    const diff = await cli(["diff", old, CTEST_LOGS, "--allow-empty"]);
    expect(baseline.code).toBe(0);
    expect(diff.code).toBe(0);
    expect((await cli(["diff", old, CTEST_LOGS])).code).toBe(2);
  });

  it("reads the same on worker threads as on one", () => {
    const run = (workers: string) =>
      execFileSync(
        process.execPath,
        [join(ROOT, "bin", "leaklog.js"), "summarize", CTEST_LOGS, "--allow-empty", "-f", "json"],
        { cwd: ROOT, encoding: "utf8", env: { ...process.env, LEAKLOG_WORKERS: workers } },
      );
    const threaded = run("1");
    expect(threaded).toBe(run("0"));
    expect(threaded).toContain('"code": "empty-input"');
  });
});
