import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../src/api/parse.js";
import { summarize } from "../../src/api/summarize.js";
import { ROOT } from "../helpers/golden.js";

// Campaign ch Q9, on real runs: LeakSanitizer's max_leaks prints the top records only, and its
// SUMMARY counts the rest in one total, without their kinds. `--max-bytes definitely-lost=3000`
// passed a log whose SUMMARY says 5,560 bytes leaked beside 2,700 printed.
const DIRECT = "samples/sanitizer/lsan-max-leaks.log";
const INDIRECT = "test/fixtures/sanitizer/max-leaks-indirect/lsan-max-leaks-indirect.log";

const summarized = (path: string, failOn: string[], maxBytes: Record<string, number> = {}) => {
  const result = parse(readFileSync(join(ROOT, path), "utf8"), { path });
  return summarize([result], { gate: { failOn, maxBytes } });
};
const gate = (path: string, failOn: string[], maxBytes: Record<string, number> = {}) =>
  summarized(path, failOn, maxBytes).gate;

const UNPRINTED =
  "LeakSanitizer's max_leaks left leak records unprinted, which its SUMMARY counts without their kinds (rerun with LSAN_OPTIONS=max_leaks=0)";

describe("gating on leaks LeakSanitizer's max_leaks left unprinted", () => {
  it("cannot tell a limit that the unprinted leaks of either kind would pass", () => {
    // Printed: three direct leaks, 2,700 bytes; the other 2,860 may be direct or indirect.
    expect(gate(DIRECT, [], { "definitely-lost": 3000 })).toEqual({
      failed: true,
      reasons: [
        `--max-bytes definitely-lost=3000: 2,700 bytes, and 1 log cannot tell (${DIRECT}) how many of 2,860 bytes more are definitely-lost leaks: ${UNPRINTED}`,
      ],
    });
    expect(gate(DIRECT, [], { "indirectly-lost": 0 })?.reasons).toEqual([
      `--max-bytes indirectly-lost=0: 0 bytes, and 1 log cannot tell (${DIRECT}) how many of 2,860 bytes more are indirectly-lost leaks: ${UNPRINTED}`,
    ]);
    // Over the limit by the printed records alone, or under it with every byte the SUMMARY counts.
    expect(gate(DIRECT, [], { "definitely-lost": 2000 })?.reasons).toEqual([
      "--max-bytes definitely-lost=2000: 2,700 bytes",
    ]);
    expect(gate(DIRECT, [], { "definitely-lost": 5560, "indirectly-lost": 2860 })?.failed).toBe(
      false,
    );
  });

  it("cannot tell whether there are indirect leaks when every printed leak is direct", () => {
    expect(gate(DIRECT, ["indirectly-lost", "definitely-lost"])?.reasons).toEqual([
      `--fail-on indirectly-lost: 1 log cannot tell (${DIRECT}) whether there are indirectly-lost leaks: ${UNPRINTED}`,
      "--fail-on definitely-lost: 3 groups (first: 1,000 bytes definitely-lost)",
    ]);
  });

  it("counts the unprinted leaks after a printed indirect one as indirect: LSan prints those last", () => {
    const report = summarized(INDIRECT, ["indirectly-lost"], {
      "definitely-lost": 168,
      "indirectly-lost": 300,
    });
    expect(report.summaries.map((s) => [s.leak, s.unprintedLeaks])).toEqual([
      [
        {
          "definitely-lost": { bytes: 168, blocks: 2 },
          "indirectly-lost": { bytes: 352, blocks: 5 },
        },
        { bytes: 136, blocks: 2, kinds: ["indirectly-lost"] },
      ],
    ]);
    expect(report.gate?.reasons).toEqual([
      "--fail-on indirectly-lost: 1 group (216 bytes indirectly-lost)",
      "--max-bytes indirectly-lost=300: 352 bytes (136 of them only in LeakSanitizer's SUMMARY, in leak records max_leaks left unprinted, which can only be of this kind)",
    ]);
    expect(gate(INDIRECT, [], { "indirectly-lost": 352 })?.failed).toBe(false);
  });
});
