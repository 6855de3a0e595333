import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { ROOT } from "../helpers/golden.js";
import { expectCleanMessages, tempDir, write } from "./helpers.js";

const dir = tempDir();
const SAMPLE = readFileSync(join(ROOT, "samples", "valgrind-xml", "leak_definite.xml"), "utf8");

interface JsonReport {
  sources: { format: string }[];
  leaks: { bytes: number; stack: { function?: string }[] }[];
  diagnostics: { code: string }[];
}

async function summarizeJson(path: string): Promise<{ report: JsonReport; ms: number }> {
  const start = performance.now();
  const { code, stdout, stderr } = await cli(["summarize", path, "-f", "json"]);
  const ms = performance.now() - start;
  expect(code).toBe(0);
  expectCleanMessages(stderr);
  return { report: JSON.parse(stdout) as JsonReport, ms };
}

describe("hostile XML", () => {
  it("an entity bomb (billion laughs) is not expanded: small output, fast", async () => {
    const entities = [' <!ENTITY lol "lol">'];
    for (let i = 1; i <= 9; i += 1)
      entities.push(` <!ENTITY lol${i} "${`&lol${i === 1 ? "" : i - 1};`.repeat(10)}">`);
    const doctype = `<!DOCTYPE valgrindoutput [\n${entities.join("\n")}\n]>\n`;
    const bomb = SAMPLE.replace('<?xml version="1.0"?>\n', (m) => m + doctype)
      .replace("<fn>main</fn>", "<fn>&lol9;</fn>")
      .replace("<text>7 bytes", "<text>&lol9; 7 bytes");
    const { report, ms } = await summarizeJson(write(dir, "bomb.xml", bomb));
    expect(ms).toBeLessThan(2_000);
    expect(report.sources[0]?.format).toBe("valgrind-xml");
    expect(report.leaks.map((l) => l.bytes)).toEqual([7, 48, 100]);
    expect(JSON.stringify(report).length).toBeLessThan(64 << 10);
    expect(JSON.stringify(report)).not.toContain("lollol");
    expect(report.diagnostics.map((d) => d.code)).toContain("xml-doctype-ignored");
    expect(report.leaks[0]?.stack[1]?.function).toBe("&lol9;"); // kept as written
  });

  it("200,000 nested elements, one per line: no stack overflow, the records survive", async () => {
    const n = 200_000;
    const deep = SAMPLE.replace(
      "<fn>main</fn>",
      (m) => `${m}\n${"<a>\n".repeat(n)}x\n${"</a>\n".repeat(n)}`,
    );
    const { report, ms } = await summarizeJson(write(dir, "deep.xml", deep));
    expect(ms).toBeLessThan(10_000);
    expect(report.leaks.map((l) => l.bytes)).toEqual([7, 48, 100]);
    expect(report.leaks[0]?.stack.map((f) => f.function)).toEqual(["malloc", "main"]);
  });

  it("200,000 nested elements on one line: no stack overflow, a clear diagnostic", async () => {
    const n = 200_000;
    const deep = SAMPLE.replace("<fn>main</fn>", (m) => m + "<a>".repeat(n) + "</a>".repeat(n));
    const { report } = await summarizeJson(write(dir, "deep-line.xml", deep));
    expect(report.sources[0]?.format).toBe("valgrind-xml");
    expect(report.diagnostics.map((d) => d.code)).toEqual(
      expect.arrayContaining(["line-too-long"]),
    );
  });
});
