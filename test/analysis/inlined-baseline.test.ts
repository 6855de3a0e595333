import { describe, expect, it } from "vitest";
import { parseFile, summarize } from "../../src/index.js";

const DIR = "test/fixtures/valgrind/cpp-inlining";

// Campaign ba: gcc's inlining decision changes how Valgrind names a C++ function.
describe("a C++ leak inlined in one build and not in the other", () => {
  it("is unchanged against the baseline, not new and fixed", async () => {
    const baseline = summarize([await parseFile(`${DIR}/inlined.txt`)]);
    const now = summarize([await parseFile(`${DIR}/out-of-line.txt`)], { baseline });
    // Two spellings, two fingerprints: the reports still keep each one's own.
    expect(now.groups[0]?.fingerprint).not.toBe(baseline.groups[0]?.fingerprint);
    expect(now.groups.map((g) => [g.kind, g.baseline])).toEqual([["definitely-lost", "unchanged"]]);
    const back = summarize([await parseFile(`${DIR}/inlined.txt`)], { baseline: now });
    expect(back.groups.map((g) => g.baseline)).toEqual(["unchanged"]);
  });

  it("stays new and fixed when the baseline was grouped by lines too", async () => {
    const fingerprint = { frames: 8, lines: true };
    const baseline = summarize([await parseFile(`${DIR}/inlined.txt`, { fingerprint })]);
    const now = summarize([await parseFile(`${DIR}/out-of-line.txt`, { fingerprint })], {
      baseline,
    });
    expect(now.groups.map((g) => g.baseline).sort()).toEqual(["fixed", "new"]);
  });
});
