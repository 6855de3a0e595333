import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

/*
 * A C project's own xmalloc, through which two functions leak (real Valgrind runs, text and XML:
 * test/fixtures/valgrind/alloc-wrappers). Both leaks showed, and Code Quality placed both, at
 * xmalloc's one line; --alloc-fn makes its frame the allocator's.
 */
const DIR = "test/fixtures/valgrind/alloc-wrappers";

interface Issue {
  location: { path: string; lines: { begin: number } };
}

async function places(log: string, ...options: string[]): Promise<string[]> {
  // The XML names the directory the program was built in (see the folder's README).
  const map = ["--path-map", `/tmp/wt44b/${DIR}=${DIR}`];
  const args = ["summarize", `${DIR}/${log}`, ...map, "--source-root", DIR, "-f", "codequality"];
  const { stdout } = await cli([...args, ...options]);
  return (JSON.parse(stdout) as Issue[])
    .map((i) => `${i.location.path}:${i.location.lines.begin}`)
    .sort();
}

describe("--alloc-fn", () => {
  it("places leaks made through the program's own wrapper where it was called", async () => {
    for (const log of ["vg.log", "vg.xml"]) {
      expect(await places(log)).toEqual([`${DIR}/xmalloc.c:4`, `${DIR}/xmalloc.c:4`]);
      const called = [`${DIR}/main.c:4`, `${DIR}/main.c:5`];
      expect(await places(log, "--alloc-fn", "xmalloc")).toEqual(called);
      // Valgrind's globs, as in its suppressions.
      expect(await places(log, "--alloc-fn", "x*c")).toEqual(called);
      expect(await places(log, "--alloc-fn", "malloc")).toEqual([
        `${DIR}/xmalloc.c:4`,
        `${DIR}/xmalloc.c:4`,
      ]);
    }
  });

  it("shows the caller first in the text summary, and keeps the groups and their fingerprints", async () => {
    const plain = await cli(["summarize", `${DIR}/vg.log`, "-f", "json"]);
    const wrapped = await cli([
      "summarize",
      `${DIR}/vg.log`,
      "-f",
      "json",
      "--alloc-fn",
      "xmalloc",
    ]);
    const prints = (stdout: string) =>
      (JSON.parse(stdout) as { groups: { fingerprint: string }[] }).groups.map(
        (g) => g.fingerprint,
      );
    expect(prints(wrapped.stdout)).toEqual(prints(plain.stdout));
    const { stdout } = await cli(["summarize", `${DIR}/vg.log`, "--alloc-fn", "xmalloc"]);
    expect(stdout).toMatch(/definitely-lost +6 bytes in 1 blocks.*\n +at copy \(main\.c:4\)\n/);
    expect(stdout).not.toContain("xmalloc");
  });

  it("is refused empty", async () => {
    const { code, stderr } = await cli(["summarize", `${DIR}/vg.log`, "--alloc-fn", ""]);
    expect(code).toBe(2);
    expect(stderr).toContain("expected a function name or glob");
  });
});
