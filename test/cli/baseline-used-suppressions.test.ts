import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

const fixtures = "test/fixtures/baseline-used-suppressions";

interface Diff {
  counts: { new: number; unchanged: number; fixed: number };
  fixed: { kind: string }[];
  warnings: { code: string; message: string }[];
}

async function jsonDiff(baseline: string, input: string, ...options: string[]): Promise<Diff> {
  const args = ["diff", `${fixtures}/${baseline}`, `${fixtures}/${input}`, "-f", "json"];
  const { code, stdout } = await cli([...args, ...options]);
  expect(code).toBe(0);
  return JSON.parse(stdout) as Diff;
}

/** The kinds called fixed, and how many baseline groups were left out as maybe suppressed. */
function outcome(diff: Diff): { fixed: string[]; maybeSuppressed: number } {
  const warning = diff.warnings.find((w) => w.code === "baseline-run-suppressed");
  const left = /^(\d+) baseline group/.exec(warning?.message ?? "")?.[1];
  return { fixed: diff.fixed.map((g) => g.kind).sort(), maybeSuppressed: Number(left ?? 0) };
}

// Campaign v16b Q2: the leak entries `leaklog suppressions` wrote, adopted in the same change as
// a real fix of the invalid read. ERROR SUMMARY's `suppressed: 2 from 2` (the two loss records)
// could have been the invalid read, so the fix was never called fixed; the entries Valgrind
// says it used were leak entries alone.
describe("a baseline compared with a run that lists the suppressions it used", () => {
  it.each([
    ["base.log", "fixed-leaks-s.log", "-s: leak entries alone (their bytes shown)"],
    ["base.log", "named-fixed-v.log", "-v: leak entries of other names (their bytes shown)"],
    ["z-base.log", "zfixed-leaks-s.log", "-s, with 98,690 errors default.supp suppressed in both"],
    ["z-base.xml", "zfixed-leaks-s.log", "the same, against an XML baseline that lists them"],
  ])("%s -> %s (%s): the fixed invalid read is fixed", async (baseline, log) => {
    expect(outcome(await jsonDiff(baseline, log))).toEqual({
      fixed: ["InvalidRead"],
      maybeSuppressed: 2,
    });
  });

  it.each([
    ["base.log", "unfixed-all-s.log", "-s: the InvalidRead entry matched"],
    ["base.log", "fixed-leaks.log", "no -s: nothing says which entries matched"],
    ["z-base.log", "zunfixed-all-s.log", "-s, default.supp's entries too"],
  ])("%s -> %s (%s): nothing is called fixed", async (baseline, log) => {
    expect(outcome(await jsonDiff(baseline, log))).toEqual({ fixed: [], maybeSuppressed: 3 });
  });

  // Valgrind 3.19's XML has no ERROR SUMMARY count: every gone group was called fixed, an
  // invalid read Valgrind only suppressed too. Its <suppcounts> names the entries (no bytes).
  it("XML: an error entry that matched keeps the invalid read from being called fixed", async () => {
    expect(outcome(await jsonDiff("base.log", "unfixed-all.xml")).fixed).not.toContain(
      "InvalidRead",
    );
    expect(outcome(await jsonDiff("base.log", "fixed-leaks.xml")).fixed).toContain("InvalidRead");
  });

  it("XML: entries of other names are leak entries when the suppressions given say so", async () => {
    const unknown = await jsonDiff("base.log", "named-fixed.xml");
    expect(outcome(unknown).fixed).not.toContain("InvalidRead");
    const given = await jsonDiff(
      "base.log",
      "named-fixed.xml",
      "--suppressions",
      `${fixtures}/named-leaks.supp`,
    );
    expect(outcome(given).fixed).toContain("InvalidRead");
  });
});
