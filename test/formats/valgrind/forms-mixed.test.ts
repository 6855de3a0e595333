import { describe, expect, it } from "vitest";
import { parseFile } from "../../../src/index.js";

const DIR = "test/fixtures/valgrind/forms-mixed";

// Campaign be: the second log of a joined text and XML pair was program output, unsaid.
describe("a Valgrind text log and an XML document in one input", () => {
  it.each([
    [
      "text-then-xml.log",
      "valgrind",
      40,
      "a Valgrind XML document starts at line 40 inside this text log",
    ],
    [
      "xml-then-text.log",
      "valgrind-xml",
      203,
      "a Valgrind text log starts at line 203 inside this XML document",
    ],
  ])("make %s incomplete, saying where the other one starts", async (log, format, line, said) => {
    const result = await parseFile(`${DIR}/${log}`);
    expect(result.source.format).toBe(format);
    expect(result.source.complete).toBe(false);
    const mixed = result.diagnostics.filter((d) => d.code === "valgrind-forms-mixed");
    expect(mixed.map((d) => [d.severity, d.line])).toEqual([["warning", line]]);
    expect(mixed[0]?.message).toContain(said);
    // The first log's findings are all kept.
    expect(result.leaks.length + result.errors.length).toBeGreaterThan(0);
  });

  // Campaign v12: a program's own XML document is no Valgrind log.
  it("are not said of a complete log whose program prints XML", async () => {
    const result = await parseFile(`${DIR}/prints-xml.txt`);
    expect(result.source.complete).toBe(true);
    expect(result.diagnostics).toEqual([]);
    expect(result.leaks.map((l) => [l.kind, l.bytes])).toEqual([["definitely-lost", 32]]);
  });
});
