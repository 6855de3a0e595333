import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

describe("summaries of mixed, merged and partial inputs", () => {
  it("say how many logs the tool's own summary covers (XML 3.19 prints none)", async () => {
    const text = "samples/valgrind/leak_definite.txt";
    const xml = "samples/valgrind-xml/leak_definite.xml";
    const { stdout } = await cli(["summarize", text, xml]);
    expect(stdout).toContain(
      "definitely-lost  310 bytes in 10 blocks  (tool's summary, 1 of 2 logs: 155 bytes in 5 blocks)",
    );
    expect((await cli(["summarize", text])).stdout).toContain("(tool's summary: 155 bytes");
    const html = (await cli(["summarize", text, xml, "-f", "html"])).stdout;
    expect(html).toContain(`<th scope="col">tool's summary, 1 of 2 logs</th>`);
  });

  // Campaign camp-ctest Q3: "10 of 15 logs" of a CTest run whose clean tests' logs say so.
  it("count a log whose heap was empty at exit as a summary of zero leaks", async () => {
    const clean = "samples/valgrind/clean.txt";
    const text = "samples/valgrind/leak_definite.txt";
    const xml = "samples/valgrind-xml/leak_definite.xml";
    const { stdout } = await cli(["summarize", text, clean]);
    expect(stdout).toContain(
      "definitely-lost  155 bytes in 5 blocks  (tool's summary: 155 bytes in 5 blocks)",
    );
    const html = (await cli(["summarize", text, clean, xml, "-f", "html"])).stdout;
    expect(html).toContain(`<th scope="col">tool's summary, 2 of 3 logs</th>`);
  });

  it("count only inputs that were logs: a file of another tool's in the glob is not one", async () => {
    const other = "test/fixtures/valgrind/ctest/CMakeLists.txt";
    const { code, stdout } = await cli(["summarize", "samples/valgrind/leak_definite.txt", other]);
    expect(code).toBe(2);
    expect(stdout).toContain("definitely-lost  155 bytes in 5 blocks  (tool's summary: 155 bytes");
  });

  it("merge an incomplete source with its own reason once", async () => {
    const shard = join(mkdtempSync(join(tmpdir(), "leaklog-merge-")), "shard.json");
    await cli(["summarize", "samples/valgrind/many_errors.txt", "-f", "json", "-o", shard]);
    const { stdout } = await cli(["summarize", shard, "-f", "json"]);
    const report = JSON.parse(stdout) as {
      sources: { complete: boolean }[];
      diagnostics: { code: string; message: string }[];
    };
    expect(report.sources[0]?.complete).toBe(false);
    const incomplete = report.diagnostics.filter((d) => d.code === "incomplete");
    expect(incomplete).toHaveLength(1);
    expect(incomplete[0]?.message).toContain("Valgrind stopped reporting errors");
  });

  it("pass a gate on part of the input with a word that it was part", async () => {
    const { code, stdout } = await cli([
      "summarize",
      "samples/valgrind/many_errors.txt",
      "--fail-on",
      "definitely-lost",
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain("Result: passed, but 1 log is incomplete");
  });

  it("show a kind that is nowhere as none in the HTML totals, not as not listed", async () => {
    const { stdout } = await cli(["summarize", "samples/valgrind/leak_definite.txt", "-f", "html"]);
    expect(stdout).toMatch(/possibly-lost<\/th><td><span class="muted">none<\/span>/);
    expect(stdout).not.toContain("not listed");
  });
});
