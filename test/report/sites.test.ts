import { describe, expect, it } from "vitest";
import { moreSites, sitesShown, type OtherSite } from "../../src/report/sites.js";
import type { Group } from "../../src/model/index.js";
import { cli } from "../helpers/cli.js";

/*
 * A group's fingerprint leaves line numbers out, so two bugs in one function reached the same
 * way are one group: the reports still name every line the listed records were made at.
 */
describe("other places of one group", () => {
  it("are listed under the group's frames in the text summary", async () => {
    const { stdout } = await cli(["summarize", "samples/valgrind/use_after_free.txt"]);
    expect(stdout).toContain(
      "          at destroy (use_after_free.c:14)\n        also at main (use_after_free.c:26)\n",
    );
  });

  // Campaign ab: five invalid frees in one function are one group, described by its first
  // record's aux line ("0 bytes inside a block of size 16 free'd"): a free of a stack address
  // read as a double free.
  it("say what each one's own aux line says, where it tells another story", async () => {
    const { stdout } = await cli(["summarize", "samples/valgrind/invalid_free.txt"]);
    expect(stdout).toContain(
      [
        "        at main (invalid_free.c:10)",
        "        Address 0x4a41040 is 0 bytes inside a block of size 16 free'd",
        "          at main (invalid_free.c:9)",
        "        also at main (invalid_free.c:13): Address 0x1fff000434 is on thread 1's stack",
        "        also at main (invalid_free.c:16): Address 0x4a41094 is 4 bytes inside a block of size 16 alloc'd",
        '        also at main (invalid_free.c:19): Address 0x10c060 is 0 bytes inside data symbol "g_buf"',
        // Another double free: the same story at another address.
        "        also at main (invalid_free.c:23)",
        "",
      ].join("\n"),
    );
  });

  // Campaign ab: 40 reads on 40 lines said "and at 16 more places": the places were looked for
  // in the group's members, which stop at 20. They are looked for in every listed record.
  it("are counted in every listed record, and say when some are not listed", async () => {
    const log = "test/fixtures/valgrind/many-places/forty-reads.txt";
    const text = await cli(["summarize", log]);
    expect(text.stdout).toContain(
      "        also at main (prog.c:7)\n        and at 36 more places\n",
    );
    const markdown = await cli(["summarize", log, "-f", "markdown"]);
    expect(markdown.stdout).toContain("\n- and at 36 more places\n");
    const capped = await cli(["summarize", log, "--max-records", "5"]);
    expect(capped.stdout).toContain(
      "        also at main (prog.c:8)\n        and maybe elsewhere: 35 more records are not listed\n",
    );
  });

  // Campaign v10: with --track-origins one function tripped on a heap value and a stack one;
  // both records are at `use (mix.c:5)`, and the stack origin was shown nowhere.
  it("include the group's own place where a record there tells another story", async () => {
    const { stdout } = await cli(["summarize", "test/fixtures/valgrind/origins/mix.vg.txt"]);
    expect(stdout).toContain(
      [
        "        at use (mix.c:5)",
        "        by main (mix.c:20)",
        "        Uninitialised value was created by a heap allocation",
        "          at main (mix.c:18)",
        "        also at use (mix.c:5): Uninitialised value was created by a stack allocation",
        "",
      ].join("\n"),
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
      // Its source's directory: mapped to test/, the frames named test/invalid_free.c, no file,
      // and were placed in this one only by its base name, as glibc's `libio/vasprintf.c` was in
      // a project's src/lib/vasprintf.c (campaign bz F2).
      "--path-map",
      "/src/vgcorpus=test/fixtures/suppressions",
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

// Campaign be and v11: `... 1 more groups`, and `and at 1096 more places` beside `1,096`.
describe("counts of what the text summary leaves out", () => {
  it("agree in number and are written as the Totals write numbers", async () => {
    const { stdout } = await cli(["summarize", "samples/valgrind/leak_definite.txt", "--top", "2"]);
    expect(stdout).toContain("... 1 more group (--top to show more)");
    const sites: OtherSite[] = Array.from({ length: 1100 }, (_, line) => ({
      frame: { function: "main", file: "m.c", line },
      occurrences: 1,
    }));
    const group = { members: [] } as unknown as Group;
    expect(moreSites(sites, group, { ofGroup: () => [] })).toBe("and at 1,097 more places");
  });
});
