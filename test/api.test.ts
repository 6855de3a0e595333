import { describe, expect, it } from "vitest";
import * as leaklog from "../src/index.js";
import { reportJsonSchema } from "../src/model/index.js";

describe("public API", () => {
  it("exports exactly this list (changing it is a decision, not an accident)", () => {
    expect(Object.keys(leaklog).sort()).toMatchSnapshot();
  });

  it("parseFile + summarize work together as the README shows", async () => {
    const result = await leaklog.parseFile("samples/valgrind/leak_definite.txt");
    const report = leaklog.summarize([result]);
    expect(report.groups.map((g) => [g.kind, g.bytes, g.blocks])).toEqual([
      ["definitely-lost", 100, 1],
      ["definitely-lost", 48, 3],
      ["definitely-lost", 7, 1],
    ]);
    expect(report.diagnostics).toEqual([]);
  });

  it("publishes a JSON Schema generated from the model", () => {
    const schema = reportJsonSchema();
    expect(schema["$schema"]).toContain("2020-12");
    expect(Object.keys(schema["properties"] as object)).toEqual(
      expect.arrayContaining(["sources", "leaks", "errors", "groups", "summaries", "diagnostics"]),
    );
  });
});
