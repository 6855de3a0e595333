import { describe, expect, it } from "vitest";
import { cli } from "../../helpers/cli.js";

// Campaign bb: a second bug in one function was on no line of the diff.
describe("a group's other lines", () => {
  const logs = [
    "samples/valgrind/invalid_free.txt",
    "test/fixtures/valgrind/many-places/forty-reads.txt",
  ];

  it.each(logs)(
    "are named in GitHub annotations and Code Quality issues, as in the text summary (%s)",
    async (log) => {
      const text = await cli(["summarize", log]);
      const also = text.stdout
        .split("\n")
        .filter((l) => /^ {8}(?:also at|and at)/.test(l))
        .map((l) => l.trim());
      expect(also.length).toBeGreaterThan(1);
      const github = await cli(["summarize", log, "-f", "github"]);
      const codequality = await cli(["summarize", log, "-f", "codequality"]);
      const descriptions = (JSON.parse(codequality.stdout) as { description: string }[])
        .map((i) => i.description)
        .join("\n");
      for (const line of also) {
        expect(github.stdout).toContain(`%0A${line}`);
        expect(descriptions).toContain(`; ${line}`);
      }
    },
  );
});

// Campaign cf Q5: one function with 1,200 leaking lines was one SARIF result with 1,199 related
// locations; GitHub keeps 100 locations of a result and rejects an upload past 1,000.
describe("a group's other lines in SARIF", () => {
  it("are at most 99 related locations, and the message says how many more there were", async () => {
    const { stdout } = await cli([
      "summarize",
      "test/fixtures/valgrind/many-lines/vg.log",
      "-f",
      "sarif",
    ]);
    type Result = {
      message: { text: string };
      relatedLocations: { id: number; physicalLocation: { region: { startLine: number } } }[];
    };
    const results = (JSON.parse(stdout) as { runs: { results: Result[] }[] }).runs[0]?.results;
    expect(results).toHaveLength(1);
    const related = results?.[0]?.relatedLocations ?? [];
    expect(related).toHaveLength(99);
    expect(related.map((l) => l.physicalLocation.region.startLine).slice(0, 3)).toEqual([
      9, 10, 11,
    ]);
    expect(results?.[0]?.message.text).toMatch(
      / and 146 more places\. The related locations list the first 99 of these places; 50 more are not among them\.$/,
    );
  });
});
