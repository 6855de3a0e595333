import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Report } from "../../src/model/index.js";
import { cli } from "../helpers/cli.js";
import { ROOT } from "../helpers/golden.js";

const LEAK = join(ROOT, "samples/valgrind/leak_definite.txt");
const UAF = join(ROOT, "samples/valgrind/use_after_free.txt");

/** Runs in `cwd` (the CLI's working directory). */
function inDirectory(cwd: string, args: string[]) {
  return cli(args, [], { cwd });
}

function sourcesOf(stdout: string): string[] {
  return Report.parse(JSON.parse(stdout)).sources.map((s) => s.path);
}

describe("globs over real log trees", () => {
  it("reads a directory reached again through a link to itself or above only once", async () => {
    // `logs/cur -> .` and `logs/latest -> .`: fast-glob walked 2^40 paths (memory past 1.4 GB).
    const dir = mkdtempSync(join(tmpdir(), "leaklog-glob-"));
    mkdirSync(join(dir, "logs/runs/42"), { recursive: true });
    copyFileSync(LEAK, join(dir, "logs/vg.txt"));
    copyFileSync(UAF, join(dir, "logs/runs/42/uaf.txt"));
    symlinkSync(".", join(dir, "logs/cur"));
    symlinkSync(".", join(dir, "logs/latest"));
    symlinkSync("..", join(dir, "logs/runs/up"));
    // A link elsewhere is still followed; its file is read once, under its first name.
    symlinkSync("runs/42", join(dir, "logs/last"));
    const { code, stdout } = await inDirectory(dir, ["summarize", "logs/**/*.txt", "-f", "json"]);
    expect(code).toBe(0);
    expect(sourcesOf(stdout)).toEqual(["logs/last/uaf.txt", "logs/vg.txt"]);
  });

  it("reports a glob that matches nothing as an unusable input and reads the others", async () => {
    // A build that failed before its tests left no logs: no clean run, but the report is written.
    const dir = mkdtempSync(join(tmpdir(), "leaklog-glob-"));
    copyFileSync(LEAK, join(dir, "leak.txt"));
    const { code, stderr } = await inDirectory(dir, [
      "summarize",
      "Testing/*.log",
      "leak.txt",
      "-f",
      "json",
      "-o",
      "report.json",
    ]);
    expect(code).toBe(2);
    expect(stderr).toBe("leaklog: Testing/*.log: no files match Testing/*.log\n");
    const report = Report.parse(JSON.parse(readFileSync(join(dir, "report.json"), "utf8")));
    expect(report.sources.map((s) => [s.path, s.format])).toEqual([
      ["Testing/*.log", "unknown"],
      ["leak.txt", "valgrind"],
    ]);
    expect(report.diagnostics.filter((d) => d.severity === "error")).toEqual([
      {
        severity: "error",
        code: "no-match",
        message: "no files match Testing/*.log",
        path: "Testing/*.log",
      },
    ]);
    expect(report.totals.leaks["definitely-lost"]?.bytes).toBeGreaterThan(0);
  });

  it("prints a name holding a line break on one line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "leaklog-glob-"));
    mkdirSync(join(dir, "a\nb"));
    copyFileSync(LEAK, join(dir, "a\nb/x.txt"));
    const { code, stdout, stderr } = await inDirectory(dir, [
      "summarize",
      "a\nb/x.txt",
      "a\nb/y.txt",
    ]);
    expect(code).toBe(2);
    expect(stdout.split("\n")[0]).toMatch(/^a b\/x\.txt {2}valgrind 3\.19\.0/);
    expect(stderr).toBe("leaklog: a b/y.txt: cannot read a b/y.txt: no such file\n");
  });

  it("reads a file named - that a glob matches as that file, not standard input", async () => {
    // A stray `> -` redirect leaves one; `*` read stdin in its place (campaign bi F3).
    const dir = mkdtempSync(join(tmpdir(), "leaklog-glob-"));
    copyFileSync(LEAK, join(dir, "-"));
    copyFileSync(UAF, join(dir, "a.log"));
    for (const glob of ["*", "./*"]) {
      const { code, stdout } = await cli(
        ["summarize", glob, "-f", "json"],
        ["==1== not the file\n"],
        {
          cwd: dir,
        },
      );
      expect(code).toBe(0);
      const report = Report.parse(JSON.parse(stdout));
      expect(report.sources.map((s) => [s.path, s.format])).toEqual([
        ["./-", "valgrind"],
        ["a.log", "valgrind"],
      ]);
      expect(report.totals.leaks["definitely-lost"]?.bytes).toBeGreaterThan(0);
    }
    // `-` given as an argument is still standard input.
    const stdin = await cli(["summarize", "-", "-f", "json"], [readFileSync(UAF, "utf8")], {
      cwd: dir,
    });
    expect(sourcesOf(stdin.stdout)).toEqual(["-"]);
  });

  it("takes a name with glob characters literally when it names a file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "leaklog-glob-"));
    copyFileSync(LEAK, join(dir, "memcheck[release-1.2].log"));
    copyFileSync(LEAK, join(dir, "vg.{a,b}.log"));
    copyFileSync(LEAK, join(dir, "test[1].log"));
    copyFileSync(UAF, join(dir, "test1.log"));
    mkdirSync(join(dir, "build (debug)"));
    copyFileSync(LEAK, join(dir, "build (debug)/vg.log"));
    for (const name of ["memcheck[release-1.2].log", "vg.{a,b}.log", "test[1].log"]) {
      const { code, stdout } = await inDirectory(dir, ["summarize", name, "-f", "json"]);
      expect(code).toBe(0);
      expect(sourcesOf(stdout)).toEqual([name]);
    }
    // A directory's name holding fast-glob's other syntax (`(`, `)`) is a name too.
    const debug = await inDirectory(dir, ["summarize", "build (debug)/*.log", "-f", "json"]);
    expect(sourcesOf(debug.stdout)).toEqual(["build (debug)/vg.log"]);
    // Where no file has the name, it is the glob it looks like.
    const glob = await inDirectory(dir, ["summarize", "test[0-9].log", "-f", "json"]);
    expect(sourcesOf(glob.stdout)).toEqual(["test1.log"]);
  });
});
