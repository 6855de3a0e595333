import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readOwnSources } from "../../../src/cli/sources.js";
import type { Report } from "../../../src/model/index.js";
import { cli } from "../../helpers/cli.js";
import { SOURCE_ROOT, dataBlock, sampleReport } from "./helpers.js";

const TMP = mkdtempSync(join(tmpdir(), "leaklog-html-cli-"));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

/** A report whose only group points at `file:line`. */
async function reportPointingAt(file: string, line = 1): Promise<Report> {
  const report = await sampleReport([["valgrind", "leak_definite.txt"]]);
  const group = report.groups[0];
  if (group === undefined) throw new Error("leak_definite.txt has no groups");
  return { ...report, groups: [{ ...group, stack: [{ function: "main", file, line }] }] };
}

describe("leaklog summarize --format html", () => {
  it("writes one page with source lines read under --source-root", async () => {
    const out = join(TMP, "report.html");
    const args = ["summarize", "samples/valgrind/use_after_free.txt", "-f", "html", "-o", out];
    const { code, stdout, stderr } = await cli([...args, "--source-root", SOURCE_ROOT]);
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: "", stderr: "" });
    const data = dataBlock(readFileSync(out, "utf8"));
    expect(data.snippets.length).toBeGreaterThan(0);
    expect(data.snippets.every((s) => s.file === "use_after_free.c")).toBe(true);
    await cli(args);
    expect(dataBlock(readFileSync(out, "utf8")).snippets).toEqual([]);
  });

  it("reads sources only for the html format", async () => {
    const { stdout } = await cli([
      "summarize",
      "samples/valgrind/use_after_free.txt",
      "--source-root",
      SOURCE_ROOT,
    ]);
    expect(stdout).toContain("at main (use_after_free.c:20)");
  });
});

describe("readOwnSources", () => {
  const root = join(TMP, "root");
  mkdirSync(join(root, "sub"), { recursive: true });
  writeFileSync(join(root, "sub", "ok.c"), "int a;\nint b;\n");
  writeFileSync(join(TMP, "secret.c"), "password\n");
  symlinkSync(join(TMP, "secret.c"), join(root, "link.c"));

  it("reads files inside the root, relative or absolute", async () => {
    const relative = await readOwnSources(await reportPointingAt("sub/ok.c"), root);
    expect(relative.get("sub/ok.c")).toEqual(["int a;", "int b;", ""]);
    const absolute = await readOwnSources(await reportPointingAt(join(root, "sub/ok.c")), root);
    expect(absolute.get(join(root, "sub/ok.c"))).toEqual(["int a;", "int b;", ""]);
  });

  it.each(["../secret.c", "sub/../../secret.c", "link.c", "sub", "missing.c"])(
    "does not read %s (outside the root, a symlink out, not a file, or missing)",
    async (file) => {
      expect((await readOwnSources(await reportPointingAt(file), root)).size).toBe(0);
    },
  );

  // Campaign bf: a frame under the root's $PWD spelling was the program's own, without lines.
  it("reads files under another spelling of the root, through a symbolic link", async () => {
    const linked = join(TMP, "linked-root");
    symlinkSync(root, linked);
    const report = await reportPointingAt(join(linked, "sub/ok.c"));
    const read = await readOwnSources(report, root, { rootAliases: [linked] });
    expect(read.get(join(linked, "sub/ok.c"))).toEqual(["int a;", "int b;", ""]);
  });

  // Campaign bf: gcc ends a line at a lone CR, and the page showed the line after.
  it("counts lines as compilers do: CR, LF and CRLF each end one", async () => {
    writeFileSync(join(root, "cr.c"), "a\r\nb /* x\ry */\nc\rd\n");
    const read = await readOwnSources(await reportPointingAt("cr.c"), root);
    expect(read.get("cr.c")).toEqual(["a", "b /* x", "y */", "c", "d", ""]);
  });

  it("does not read absolute paths outside the root, nor from a missing root", async () => {
    const report = await reportPointingAt(join(TMP, "secret.c"));
    expect((await readOwnSources(report, root)).size).toBe(0);
    expect((await readOwnSources(await reportPointingAt("ok.c"), join(TMP, "nope"))).size).toBe(0);
  });
});
