import { describe, expect, it } from "vitest";
import { cli } from "../../helpers/cli.js";

// Campaign cc Q1 (and by Q3): one fault reached by several tests is a group per caller, all at
// one place, and the CI formats showed them alike: three Code Quality issues "definitely-lost:
// ... definitely lost" at tests.c:6, three SARIF results, three JUnit names that differed in a
// hash alone. See test/fixtures/valgrind/callers-apart/README.md.
const LOG = "test/fixtures/valgrind/callers-apart/vg.log";

async function render(format: string): Promise<string> {
  const { stdout } = await cli(["summarize", LOG, "-f", format]);
  return stdout;
}

describe("groups at one place, reached by different callers", () => {
  it("are told apart by the caller in Code Quality and SARIF", async () => {
    const issues = JSON.parse(await render("codequality")) as { description: string }[];
    expect(issues.map((i) => i.description)).toEqual([
      "definitely-lost: 7 bytes in 2 blocks definitely lost (2 occurrences), via test_many (tests.c:13)",
      "definitely-lost: 3 bytes in 1 block definitely lost, via test_mixed (tests.c:14)",
      "definitely-lost: 2 bytes in 1 block definitely lost, via test_single (tests.c:12)",
    ]);
    const sarif = JSON.parse(await render("sarif")) as {
      runs: { results: { message: { text: string } }[] }[];
    };
    expect(sarif.runs[0]?.results.map((r) => r.message.text)).toEqual([
      "7 bytes in 2 blocks definitely lost (2 occurrences), via test_many (tests.c:13).",
      "3 bytes in 1 block definitely lost, via test_mixed (tests.c:14).",
      "2 bytes in 1 block definitely lost, via test_single (tests.c:12).",
    ]);
  });

  // Campaign cf F1: upload-sarif hashed the text of tests.c:6 for all three, one alert to
  // GitHub, which could not tell which of them was fixed.
  it("are three alerts to GitHub code scanning: primaryLocationLineHash apart", async () => {
    const sarif = JSON.parse(await render("sarif")) as {
      runs: { results: { partialFingerprints: Record<string, string> }[] }[];
    };
    const hashes = sarif.runs[0]?.results.map(
      (r) => r.partialFingerprints["primaryLocationLineHash"],
    );
    expect(hashes).toHaveLength(3);
    expect(new Set(hashes).size).toBe(3);
  });

  it("are told apart in JUnit's messages, not its names, which must stay", async () => {
    const junit = await render("junit");
    const cases = [
      ...junit.matchAll(
        /<testcase classname="definitely-lost" name="([^"]*)"[^>]*>\s*<failure message="([^"]*)"/g,
      ),
    ].map((m) => [m[1]?.replace(/ \[[0-9a-f]{8}\]$/, ""), m[2]]);
    expect(cases.sort()).toEqual([
      [
        "definitely-lost in parse_number (tests.c)",
        "error: 2 bytes in 1 block definitely lost, via test_single (tests.c:12)",
      ],
      [
        "definitely-lost in parse_number (tests.c)",
        "error: 3 bytes in 1 block definitely lost, via test_mixed (tests.c:14)",
      ],
      [
        "definitely-lost in parse_number (tests.c)",
        "error: 7 bytes in 2 blocks definitely lost (2 occurrences), via test_many (tests.c:13)",
      ],
    ]);
  });

  it("are not named by a caller where one group is alone at its place", async () => {
    const issues = JSON.parse(
      (await cli(["summarize", "samples/valgrind/leak_indirect.txt", "-f", "codequality"])).stdout,
    ) as { description: string }[];
    for (const issue of issues) expect(issue.description).not.toContain(", via ");
  });
});
