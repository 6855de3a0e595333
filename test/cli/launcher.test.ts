import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/golden.js";

/** A copy of the package's launcher (and, when `built`, of dist/) in `dir`. */
function install(dir: string, built: boolean): string {
  mkdirSync(join(dir, "bin"), { recursive: true });
  cpSync(join(ROOT, "bin/leaklog.js"), join(dir, "bin/leaklog.js"));
  cpSync(join(ROOT, "package.json"), join(dir, "package.json"));
  if (built) {
    cpSync(join(ROOT, "dist/src"), join(dir, "dist/src"), { recursive: true });
    cpSync(join(ROOT, "dist/grammars"), join(dir, "dist/grammars"), { recursive: true });
    // Its dependencies, as npm puts them beside it; no compiler in there.
    mkdirSync(join(dir, "node_modules"));
    for (const name of ["chevrotain", "zod", "fast-glob"]) {
      symlinkSync(join(ROOT, "node_modules", name), join(dir, "node_modules", name));
    }
  }
  return join(dir, "bin/leaklog.js");
}

describe("the bin launcher", () => {
  it("starts when installed under a directory whose name holds #, ? or %", () => {
    // `import(path)` read the path as a URL: `build#2` cut it at the #, `50%41` decoded to `50A`.
    const dir = join(mkdtempSync(join(tmpdir(), "leaklog-bin-")), "ci build#2 at 50%41?x");
    const bin = install(dir, true);
    const sample = join(ROOT, "samples/valgrind/leak_definite.txt");
    const out = execFileSync(process.execPath, [bin, "summarize", sample, "-f", "json"], {
      encoding: "utf8",
    });
    expect(JSON.parse(out)).toMatchObject({ generator: { name: "leaklog" } });
  });

  it("says in one line what to do when there is neither dist/ nor a compiler", () => {
    const bin = install(mkdtempSync(join(tmpdir(), "leaklog-bin-")), false);
    const run = spawnSync(process.execPath, [bin, "--version"], { encoding: "utf8" });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^leaklog: not built: .* has no dist\/ and no TypeScript compiler/);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("says in one line, exit 2, when too few files may be opened to load leaklog", () => {
    // Node opens the whole import graph at once: under ulimit -n 64 a stack trace and exit 1.
    const bin = join(ROOT, "bin/leaklog.js");
    const run = spawnSync(
      "sh",
      ["-c", `ulimit -n 64 && exec "$0" "$1" --version`, process.execPath, bin],
      {
        encoding: "utf8",
      },
    );
    // Node says EMFILE, or (1 run in 4) that a package it could not open is missing: either
    // way one line that names the limit to raise.
    expect(run.stderr).toMatch(
      /^leaklog: (too many open files|cannot load .*\(the package is there)/,
    );
    expect(run.stderr).toContain("raise");
    expect(run.stderr).toContain("ulimit -n 256");
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.status).toBe(2);
  });
});
