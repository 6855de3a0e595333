import { describe, expect, it } from "vitest";
import { expectGolden, parseSample, sampleFiles } from "../../helpers/golden.js";

describe("valgrind-xml samples (golden)", () => {
  const names = sampleFiles("valgrind-xml", [".xml"]);

  it("has the corpus XML cases", () => {
    expect(names.length).toBeGreaterThanOrEqual(34);
  });

  for (const name of names) {
    it(`${name} parses to its golden file`, async () => {
      const result = await parseSample("valgrind-xml", name);
      expect(result.source.format).toBe("valgrind-xml");
      expect(result.fatal).toBeUndefined();
      expectGolden("valgrind-xml", name, result);
    });
  }
});
