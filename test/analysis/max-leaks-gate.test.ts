import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../src/api/parse.js";
import { summarize } from "../../src/api/summarize.js";
import { cli } from "../helpers/cli.js";
import { ROOT } from "../helpers/golden.js";

// Campaign ch Q9, on real runs: LeakSanitizer's max_leaks prints the top records only, and its
// SUMMARY counts the rest in one total, without their kinds. `--max-bytes definitely-lost=3000`
// passed a log whose SUMMARY says 5,560 bytes leaked beside 2,700 printed.
const DIRECT = "samples/sanitizer/lsan-max-leaks.log";
const INDIRECT = "test/fixtures/sanitizer/max-leaks-indirect/lsan-max-leaks-indirect.log";
const MIXED = "test/fixtures/sanitizer/max-leaks-mixed/lsan-max-leaks-mixed.log";

const summarized = (path: string, failOn: string[], maxBytes: Record<string, number> = {}) => {
  const result = parse(readFileSync(join(ROOT, path), "utf8"), { path });
  return summarize([result], { gate: { failOn, maxBytes } });
};
const gate = (path: string, failOn: string[], maxBytes: Record<string, number> = {}) =>
  summarized(path, failOn, maxBytes).gate;

const UNPRINTED =
  "LeakSanitizer's max_leaks left leak records unprinted, which its SUMMARY counts without their kinds (rerun with LSAN_OPTIONS=max_leaks=0)";
const summaryCounts = (leaks: string, path: string) =>
  `LeakSanitizer's SUMMARY counts ${leaks} leaks beyond the printed records, in 1 log (${path}): max_leaks left them unprinted (rerun with LSAN_OPTIONS=max_leaks=0)`;

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
      `--fail-on indirectly-lost: ${summaryCounts("136 bytes in 2 blocks of indirect", INDIRECT)}`,
      "--max-bytes indirectly-lost=300: 352 bytes (136 of them only in LeakSanitizer's SUMMARY, in leak records max_leaks left unprinted, which can only be of this kind)",
    ]);
    expect(gate(INDIRECT, [], { "indirectly-lost": 352 })?.failed).toBe(false);
  });

  // Severities take unprinted leaks as they take leaks only a summary counts: no option of the
  // run hid them. `--fail-on warning` passed logs whose unprinted leaks may be indirect, which
  // `--fail-on indirectly-lost` failed as unable to tell (max-leaks-mixed: 96 of them are).
  it("cannot tell a severity rule whether the unprinted leaks meet it when none printed does", () => {
    for (const path of [DIRECT, MIXED]) {
      expect(gate(path, ["warning", "error"])?.reasons, path).toEqual([
        `--fail-on warning: 1 log cannot tell (${path}) whether there are indirectly-lost leaks: ${UNPRINTED}`,
        expect.stringMatching(/^--fail-on error: \d groups? \(/),
      ]);
    }
    // After a printed indirect leak the rest are indirect: warnings, and no errors.
    expect(gate(INDIRECT, ["warning", "error"])?.reasons).toEqual([
      "--fail-on warning: 1 group (216 bytes indirectly-lost)",
      `--fail-on warning: ${summaryCounts("136 bytes in 2 blocks of indirect", INDIRECT)}`,
      "--fail-on error: 1 group (168 bytes definitely-lost)",
    ]);
  });

  it("fails `any` on unprinted leaks of whatever kind, beside the printed ones", () => {
    expect(gate(MIXED, ["any"])?.reasons).toEqual([
      "--fail-on any: 1 group (1,300 bytes definitely-lost)",
      `--fail-on any: ${summaryCounts("244 bytes in 4 blocks of direct or indirect", MIXED)}`,
    ]);
  });

  // `leak:leak_big` takes both printed leaks: the SUMMARY still counts 244 bytes more, which no
  // suppression can reach, as they have no stack. `--fail-on any` passed the run.
  it("fails `any` and cannot tell `error` or `warning` when --suppressions took every printed leak", async () => {
    const supp = "test/fixtures/sanitizer/max-leaks-mixed/leak-big.supp";
    const rules = ["--fail-on", "any,error,warning,definitely-lost"];
    const { code, stdout } = await cli(["summarize", MIXED, "--suppressions", supp, ...rules]);
    expect(code).toBe(1);
    const cannot = (rule: string, kind: string) =>
      `  --fail-on ${rule}: 1 log cannot tell (${MIXED}) whether there are ${kind} leaks: ${UNPRINTED}`;
    expect(stdout).toContain(
      [
        "Result: FAILED",
        `  --fail-on any: ${summaryCounts("244 bytes in 4 blocks of direct or indirect", MIXED)}`,
        cannot("error", "definitely-lost"),
        cannot("warning", "indirectly-lost"),
        cannot("definitely-lost", "definitely-lost"),
        "",
      ].join("\n"),
    );
  });

  it("takes the severities the log's severityPolicy gives the kinds", () => {
    const path = MIXED;
    const result = parse(readFileSync(join(ROOT, path), "utf8"), {
      path,
      severityPolicy: { "definitely-lost": "none" },
    });
    const rules = (failOn: string[]) => summarize([result], { gate: { failOn } }).gate?.reasons;
    // The printed leaks are of severity none: whether the rest meet `any` is unknown.
    expect(rules(["any", "error"])).toEqual([
      `--fail-on any: 1 log cannot tell (${path}) whether there are indirectly-lost leaks: ${UNPRINTED}`,
    ]);
  });
});
