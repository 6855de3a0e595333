import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Report } from "../../src/model/index.js";
import { cli } from "../helpers/cli.js";
import { ROOT } from "../helpers/golden.js";

const LEAK = join(ROOT, "samples/valgrind/leak_definite.txt");

function unusableOf(stdout: string): [string, string][] {
  return Report.parse(JSON.parse(stdout))
    .diagnostics.filter((d) => d.severity === "error")
    .map((d) => [d.path, d.code]);
}

// fast-glob's onlyFiles dropped everything but regular files without a word (campaign cg Q3).
describe("what a glob matches that is not a regular file", () => {
  it("reads a dangling link as the unusable input it is when named alone", async () => {
    // A `vg.%p.log` link whose log was not uploaded: the run passed without that log.
    const dir = mkdtempSync(join(tmpdir(), "leaklog-glob-"));
    copyFileSync(LEAK, join(dir, "vg.1.log"));
    symlinkSync("/nonexistent/vg.2.log", join(dir, "vg.2.log"));
    const globbed = await cli(["summarize", "vg.*.log", "-f", "json"], [], { cwd: dir });
    const named = await cli(["summarize", "vg.1.log", "vg.2.log", "-f", "json"], [], { cwd: dir });
    expect(globbed.code).toBe(2);
    expect(globbed.stderr).toBe("leaklog: vg.2.log: cannot read vg.2.log: no such file\n");
    expect(globbed.stdout).toBe(named.stdout);
    expect(unusableOf(globbed.stdout)).toEqual([["vg.2.log", "unreadable-input"]]);
    // All of a glob's matches dangling is that many unusable inputs, not `no-match`.
    symlinkSync("/nonexistent/vg.3.log", join(dir, "vg.3.log"));
    const dangling = await cli(["summarize", "vg.[23].log", "-f", "json"], [], { cwd: dir });
    expect(dangling.code).toBe(2);
    expect(unusableOf(dangling.stdout)).toEqual([
      ["vg.2.log", "unreadable-input"],
      ["vg.3.log", "unreadable-input"],
    ]);
  });

  it("reports a named pipe unopened, and a directory of a file's name", async () => {
    const dir = mkdtempSync(join(tmpdir(), "leaklog-glob-"));
    copyFileSync(LEAK, join(dir, "vg.1.log"));
    // Opened, a pipe with no writer hung the run (the test would time out).
    execFileSync("mkfifo", [join(dir, "fifo.log")]);
    mkdirSync(join(dir, "subdir.log"));
    const { code, stdout, stderr } = await cli(["summarize", "*.log", "-f", "json"], [], {
      cwd: dir,
    });
    expect(code).toBe(2);
    expect(stderr).toBe(
      "leaklog: fifo.log: cannot read fifo.log: a named pipe, not a log file: a glob reads regular files only, as opening a pipe waits for its writer (name it alone to read from it)\n" +
        'leaklog: subdir.log: cannot read subdir.log: is a directory, not a log file: give the logs in it by a quoted glob, e.g. "subdir.log/*.log"\n',
    );
    expect(unusableOf(stdout)).toEqual([
      ["fifo.log", "unreadable-input"],
      ["subdir.log", "unreadable-input"],
    ]);
    expect(Report.parse(JSON.parse(stdout)).totals.leaks["definitely-lost"]?.bytes).toBe(155);
  });

  it("walks past the directories a glob of wildcards only takes", async () => {
    // `logs/*` and `logs/**` take whatever is there: a directory among the logs is no mistake.
    const dir = mkdtempSync(join(tmpdir(), "leaklog-glob-"));
    mkdirSync(join(dir, "logs/old"), { recursive: true });
    copyFileSync(LEAK, join(dir, "logs/vg.1.log"));
    copyFileSync(LEAK, join(dir, "logs/old/vg.2.log"));
    for (const [glob, sources] of [
      ["logs/*", ["logs/vg.1.log"]],
      ["logs/**", ["logs/old/vg.2.log", "logs/vg.1.log"]],
    ] as const) {
      const { code, stdout } = await cli(["summarize", glob, "-f", "json", "-o", "r.json"], [], {
        cwd: dir,
      });
      expect(code).toBe(0);
      expect(stdout).toBe("");
      const report = Report.parse(JSON.parse(readFileSync(join(dir, "r.json"), "utf8")));
      expect(report.sources.map((s) => s.path)).toEqual(sources);
    }
  });
});
