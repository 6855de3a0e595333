import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { Report } from "../../src/model/index.js";
import { cli } from "../helpers/cli.js";
import { ROOT } from "../helpers/golden.js";

// Root reads every directory, and tests may run as root (CI does): a directory named `locked`
// answers as one without read permission does for anyone else (`EACCES`, seen as a user with
// a root-owned 0700 directory that a Docker step left in the tree).
vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  const readdir = (path: string, ...rest: unknown[]): void => {
    if (!path.endsWith("/locked")) return (fs.readdir as (...a: unknown[]) => void)(path, ...rest);
    const done = rest[rest.length - 1] as (error: Error) => void;
    const error = Object.assign(new Error(`EACCES: permission denied, scandir '${path}'`), {
      code: "EACCES",
    });
    setImmediate(() => done(error));
  };
  return { ...fs, readdir, default: { ...fs, readdir } };
});

describe("a directory a glob cannot read", () => {
  it("is an unusable input: the others are reported and the report file is written", async () => {
    const dir = mkdtempSync(join(tmpdir(), "leaklog-locked-"));
    mkdirSync(join(dir, "logs/ok"), { recursive: true });
    mkdirSync(join(dir, "logs/locked"));
    copyFileSync(join(ROOT, "samples/valgrind/leak_definite.txt"), join(dir, "logs/ok/a.txt"));
    copyFileSync(join(ROOT, "samples/valgrind/use_after_free.txt"), join(dir, "logs/locked/b.txt"));
    const glob = "logs/**/*.txt";
    const { code, stderr } = await cli(["summarize", glob, "-f", "sarif", "-o", "r.sarif"], [], {
      cwd: dir,
    });
    // It used to end the run as an internal error: no report, the readable logs unreported.
    expect(code).toBe(2);
    expect(stderr).toBe(
      "leaklog: logs/locked: cannot read directory logs/locked, which a glob searches: permission denied\n",
    );
    const sarif = JSON.parse(readFileSync(join(dir, "r.sarif"), "utf8")) as {
      runs: { results: unknown[]; invocations: { executionSuccessful: boolean }[] }[];
    };
    expect(sarif.runs[0]?.invocations[0]?.executionSuccessful).toBe(false);
    expect(sarif.runs[0]?.results.length).toBeGreaterThan(0);
    const json = await cli(["summarize", glob, "-f", "json"], [], { cwd: dir });
    const report = Report.parse(JSON.parse(json.stdout));
    expect(report.sources.map((s) => [s.path, s.format])).toEqual([
      ["logs/locked", "unknown"],
      ["logs/ok/a.txt", "valgrind"],
    ]);
    expect(report.diagnostics.find((d) => d.severity === "error")?.code).toBe("unreadable-input");
  });
});
