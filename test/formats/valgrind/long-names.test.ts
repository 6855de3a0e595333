import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, summarize } from "../../../src/index.js";
import { ROOT } from "../../helpers/golden.js";

const DIR = join(ROOT, "test", "fixtures", "valgrind", "long-names");

function parseFixture(name: string) {
  return parse(readFileSync(join(DIR, name)), { path: name });
}

describe("a C++ frame name of 82 KB (a template nested 7,000 deep)", () => {
  it("is read whole from the text log and the XML, which then agree", () => {
    const text = parseFixture("nested.txt");
    const xml = parseFixture("nested.xml");
    for (const result of [text, xml]) {
      expect(result.diagnostics.map((d) => d.code)).not.toContain("line-too-long");
      const name = result.leaks[0]?.stack[1]?.function ?? "";
      expect(name.length).toBeGreaterThan(80_000);
      expect(name.startsWith("_ZN4LeakI1WILi7000ES0_ILi6999E")).toBe(true);
    }
    expect(text.leaks[0]?.stack[1]?.function).toBe(xml.leaks[0]?.stack[1]?.function);
    const groups = summarize([text, xml]).groups;
    expect(groups.map((g) => [g.occurrences, g.bytes])).toEqual([[2, 64]]);
  });

  it("is still cut, with a diagnostic, by a smaller cap a caller sets", () => {
    const cut = parse(readFileSync(join(DIR, "nested.txt")), { maxLineLength: 1 << 16 });
    expect(cut.diagnostics.map((d) => [d.code, d.line])).toContainEqual(["line-too-long", 14]);
  });
});
