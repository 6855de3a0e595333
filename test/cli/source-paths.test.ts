import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { ROOT } from "../helpers/golden.js";

/*
 * A real program with two files named util.c (src/a/util.c leaks 16 bytes at line 4,
 * src/b/util.c 32 bytes at line 5), built and run under valgrind 3.19 in /tmp/twoutil three
 * ways: a plain text log (`util.c:4`), a text log with --fullpath-after=/tmp/twoutil/
 * (`src/a/util.c:4`) and --xml=yes (`<dir>/tmp/twoutil/src/a</dir>`). The tests run where CI
 * runs, at the repository root, with the project in a subfolder of it.
 */
const PROJECT = "test/fixtures/two-util";
const MAP = ["--path-map", `/tmp/twoutil=${PROJECT}`];
const A = `${PROJECT}/src/a/util.c`;
const B = `${PROJECT}/src/b/util.c`;

interface Issue {
  location: { path: string; lines: { begin: number } };
}
interface SarifRun {
  originalUriBaseIds: Record<string, { uri?: string }>;
  results: {
    locations: { physicalLocation?: { artifactLocation: { uri: string; uriBaseId: string } } }[];
  }[];
}
interface JsonReport {
  diagnostics: { code: string; message: string; path: string; line?: number }[];
}

async function issuePlaces(args: readonly string[]): Promise<string[]> {
  const { stdout } = await cli(["summarize", ...args, "-f", "codequality"]);
  return (JSON.parse(stdout) as Issue[]).map((i) => `${i.location.path}:${i.location.lines.begin}`);
}

async function diagnostics(args: readonly string[]): Promise<JsonReport["diagnostics"]> {
  const { stdout } = await cli(["summarize", ...args, "-f", "json"]);
  return (JSON.parse(stdout) as JsonReport).diagnostics;
}

describe("--source-root and the paths CI systems get", () => {
  it.each([PROJECT, `${PROJECT}/src`])(
    "Code Quality paths are relative to the working directory (--source-root %s)",
    async (root) => {
      for (const log of ["fullpath.txt", "leaks.xml"]) {
        const places = await issuePlaces([`${PROJECT}/${log}`, ...MAP, "--source-root", root]);
        expect(places.sort()).toEqual([`${A}:4`, `${B}:5`]);
      }
    },
  );

  it("SARIF points at the same files under %WORKDIR%, which it defines", async () => {
    const args = [`${PROJECT}/fullpath.txt`, "--source-root", `${PROJECT}/src`, "-f", "sarif"];
    const { stdout } = await cli(["summarize", ...args]);
    const run = (JSON.parse(stdout) as { runs: SarifRun[] }).runs[0];
    const places = run?.results.map((r) => r.locations[0]?.physicalLocation?.artifactLocation);
    expect(places).toEqual([
      { uri: B, uriBaseId: "%WORKDIR%" },
      { uri: A, uriBaseId: "%WORKDIR%" },
    ]);
    expect(run?.originalUriBaseIds["%WORKDIR%"]?.uri).toMatch(/^file:\/\/\/.*\/$/);
  });

  it("a directory-less util.c that names two files is a warning naming both", async () => {
    for (const root of [PROJECT, `${PROJECT}/src`]) {
      const args = [`${PROJECT}/basename.txt`, "--source-root", root];
      const found = (await diagnostics(args)).filter((d) => d.code === "ambiguous-source-file");
      expect(found).toHaveLength(1);
      const prefix = root === PROJECT ? "src/" : "";
      expect(found[0]?.message).toContain(`(${prefix}a/util.c, ${prefix}b/util.c)`);
      expect(found[0]).toMatchObject({ path: `${PROJECT}/basename.txt`, line: 17 });
      const text = await cli(["summarize", ...args]);
      expect(text.stdout).toContain("util.c names 2 files under the source root");
    }
  });

  it("says nothing when the log's directories tell the files apart", async () => {
    for (const log of ["fullpath.txt", "leaks.xml"]) {
      const args = [`${PROJECT}/${log}`, ...MAP, "--source-root", `${PROJECT}/src`];
      expect(await diagnostics(args)).toEqual([]);
    }
  });

  describe("a source root outside the working directory", () => {
    const root = mkdtempSync(join(tmpdir(), "leaklog-two-util-"));
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    // Only src/a: the text log's util.c is then one file, found below the root's top.
    cpSync(join(ROOT, PROJECT, "src/a"), join(root, "lib/a"), { recursive: true });

    it("finds a directory-less file deeper in the tree, relative to the root", async () => {
      const places = await issuePlaces([`${PROJECT}/basename.txt`, "--source-root", root]);
      expect(places).toEqual(["lib/a/util.c:5", "lib/a/util.c:4"]);
      expect(await diagnostics([`${PROJECT}/basename.txt`, "--source-root", root])).toEqual([]);
    });

    it("shows that file's lines in the HTML report", async () => {
      const args = [`${PROJECT}/basename.txt`, "--source-root", root, "-f", "html"];
      const { stdout } = await cli(["summarize", ...args]);
      expect(stdout).toContain("return malloc(16);");
    });
  });
});
