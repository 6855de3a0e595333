import { describe, expect, it } from "vitest";
import { sitesShown, type OtherSite } from "../../src/report/sites.js";
import { cli } from "../helpers/cli.js";

/*
 * A group's fingerprint leaves line numbers out, so two bugs in one function reached the same
 * way are one group: the reports still name every line the listed records were made at.
 */
describe("other places of one group", () => {
  it("are listed under the group's frames in the text summary", async () => {
    const { stdout } = await cli(["summarize", "samples/valgrind/use_after_free.txt"]);
    expect(stdout).toContain(
      "        at main (use_after_free.c:20)\n        also at main (use_after_free.c:26)\n",
    );
  });

  it("are listed in Markdown, all four of invalid_free's (one more is listed, not counted)", async () => {
    const { stdout } = await cli([
      "summarize",
      "samples/valgrind-xml/invalid_free.xml",
      "-f",
      "markdown",
    ]);
    for (const line of [13, 16, 19, 23]) {
      expect(stdout).toContain(`- also at \`main\` in \`invalid_free.c:${line}\``);
    }
    expect(stdout).not.toContain("more place");
  });

  it("are SARIF related locations and named in the result's message", async () => {
    const { stdout } = await cli([
      "summarize",
      "samples/valgrind-xml/invalid_free.xml",
      "-f",
      "sarif",
      "--path-map",
      "/src/vgcorpus=test",
      "--source-root",
      "test",
    ]);
    type Loc = { physicalLocation: { region: { startLine: number } } };
    const result = (
      JSON.parse(stdout) as {
        runs: { results: { message: { text: string }; relatedLocations?: Loc[] }[] }[];
      }
    ).runs[0]?.results[0];
    expect(result?.relatedLocations?.map((l) => l.physicalLocation.region.startLine)).toEqual([
      13, 16, 19, 23,
    ]);
    expect(result?.message.text).toContain(
      "Also at main (invalid_free.c:13), main (invalid_free.c:16)",
    );
  });

  it("come only from listed records: with --max-records 1 the rest are unknown, not wrong", async () => {
    const args = ["summarize", "samples/valgrind-xml/invalid_free.xml", "--max-records", "1"];
    const { code, stdout } = await cli(args);
    expect(code).toBe(0);
    expect(stdout).not.toContain("also at");
  });

  it("are counted beyond three when more than one is left", () => {
    const site = (line: number): OtherSite => ({
      frame: { function: "main", file: "x.c", line },
      occurrences: 1,
    });
    const four = [1, 2, 3, 4].map(site);
    expect(sitesShown(four)).toEqual({ shown: four, more: 0 });
    const six = [1, 2, 3, 4, 5, 6].map(site);
    expect(sitesShown(six)).toEqual({ shown: six.slice(0, 3), more: 3 });
  });
});
