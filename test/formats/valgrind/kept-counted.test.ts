import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../../src/api/parse.js";
import { summarize } from "../../../src/api/summarize.js";
import type { Report } from "../../../src/model/index.js";
import { ROOT } from "../../helpers/golden.js";

/*
 * Campaign bu F1 (test/fixtures/valgrind/delta-checks/README.md): a delta check's LEAK SUMMARY
 * that counts less of a kind than the earlier checks' records (a fixture freed at a test's
 * teardown) warned that those records "stay counted", at every later check, although the full
 * check at exit superseded them and the totals already agreed with Valgrind's.
 */
const DIR = join(ROOT, "test/fixtures/valgrind/delta-checks");
const text = (name: string) => readFileSync(join(DIR, name), "utf8");
const report = (name: string, log = text(name)) => summarize([parse(log, { path: name })]);

/** The warnings, not each delta check's info that its records fall short of its summary. */
const keptCounted = (r: Report) =>
  r.diagnostics
    .filter((d) => d.code === "summary-mismatch" && d.severity === "warning")
    .map((d) => [d.severity, d.line, d.message]);

/** The log's first `lines` lines: a run cut off before its check at exit. */
const cut = (name: string, lines: number) =>
  text(name).split("\n").slice(0, lines).join("\n").concat("\n");

describe("records of delta checks that a later full check supersedes", () => {
  it.each([
    ["teardown.txt", "teardown.xml", { "still-reachable": { bytes: 50, blocks: 1 } }],
    [
      "everycheck.txt",
      "everycheck.xml",
      {
        "definitely-lost": { bytes: 128, blocks: 5 },
        "still-reachable": { bytes: 7, blocks: 1 },
      },
    ],
  ])("are said to stay counted nowhere (%s, as %s)", (textLog, xmlLog, totals) => {
    const fromText = report(textLog);
    const fromXml = report(xmlLog);
    // teardown.txt had one false warning, everycheck.txt the same one thrice (lines 38, 50, 57),
    // where the XML of the same run has none. (The text log's infos that a delta check's
    // records fall short of its summary have no XML summary to come from.)
    const warnings = (r: Report) => r.diagnostics.filter((d) => d.severity === "warning");
    expect(warnings(fromText)).toEqual([]);
    expect(warnings(fromXml)).toEqual([]);
    expect(fromText.totals.leaks).toEqual(totals);
    expect(fromXml.totals.leaks).toEqual(totals);
  });
});

describe("records of delta checks that no later full check supersedes", () => {
  const warning = [
    "warning",
    26,
    expect.stringContaining("add up to 150 bytes in 2 blocks, this leak check's summary says 50"),
  ];

  it.each([
    // Killed after its ADDED check, and --leak-check=no: no check at exit, in a whole log.
    "teardown_killed.txt",
    "teardown_no.txt",
  ])("stay counted, and the warning says so (%s)", (name) => {
    const r = report(name);
    expect(keptCounted(r)).toEqual([warning]);
    expect(r.totals.leaks["still-reachable"]).toEqual({ bytes: 150, blocks: 2 });
  });

  it("are said to stay counted when the log is cut before the check at exit", () => {
    expect(keptCounted(report("teardown.txt", cut("teardown.txt", 30)))).toEqual([warning]);
  });

  it("are said to stay counted once, at the kind's last summary, not at every check", () => {
    // Cut before the HEAP SUMMARY: the ADDED, CHANGED and QUICK checks each say 64 reachable.
    const r = report("everycheck.txt", cut("everycheck.txt", 60));
    expect(keptCounted(r)).toEqual([
      ["warning", 57, expect.stringContaining("add up to 164 bytes in 2 blocks")],
    ]);
  });
});
