import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../../src/api/parse.js";
import { summarize } from "../../../src/api/summarize.js";
import type { Report } from "../../../src/model/index.js";
import { ROOT } from "../../helpers/golden.js";

/*
 * Campaign ce F1 (test/fixtures/valgrind-xml/client-checks/README.md): Valgrind 3.26+ XML
 * (protocol 6) prints a <leak_summary> after each leak check, the program's own
 * (VALGRIND_DO_LEAK_CHECK, ..._ADDED_..., ..._CHANGED_..., ..._QUICK_...) and the one at exit.
 * Its loss records carried no check, so all of them were cross-checked against the first
 * summary, and the last check, which lists the leaks at exit, read as one that listed none:
 * its leaks counted again as leaks without loss records, beside false summary-mismatch warnings.
 */
const DIR = "test/fixtures/valgrind-xml/client-checks";
const read = (name: string) => {
  const path = `${DIR}/${name}`;
  return parse(readFileSync(join(ROOT, path), "utf8"), { path });
};
const report = (name: string, maxBytes: Record<string, number> = {}): Report =>
  summarize([read(name)], { gate: { failOn: [], maxBytes } });

/** Each summary's check and the kinds it counts any of. */
const summaries = (name: string) =>
  read(name).summaries.map((s) => [
    s.leakCheck,
    Object.entries(s.leak ?? {}).filter(([, a]) => a.bytes > 0 || a.blocks > 0),
  ]);
/** Each loss record's check, its number in that check, and whether a later check superseded it. */
const checks = (name: string) =>
  read(name).leaks.map((l) => [l.leakCheck, l.lossRecord?.index, l.superseded === true]);
const mismatches = (r: Report) =>
  r.diagnostics.filter((d) => d.code === "summary-mismatch").map((d) => d.severity);

describe("client-requested leak checks in Valgrind 3.27 XML", () => {
  it.each([
    // Two full checks, then the one at exit.
    ["A", { bytes: 100, blocks: 2 }],
    // A full check, a CHANGED one (the possibly lost block is now definitely lost), exit.
    ["E", { bytes: 50, blocks: 1 }],
    // A full check, an ADDED one, exit.
    ["F", { bytes: 100, blocks: 2 }],
    // A quick check (a summary and no record), exit.
    ["Q", { bytes: 40, blocks: 1 }],
  ])("%s: the XML counts what its text log and a 3.24 XML count", (scenario, total) => {
    const text = report(`${scenario}-3.27.txt`, { "definitely-lost": total.bytes });
    for (const name of [`${scenario}-3.27.xml`, `${scenario}-3.24.xml`]) {
      const xml = report(name, { "definitely-lost": total.bytes });
      expect(xml.totals.leaks, name).toEqual({ "definitely-lost": total });
      // 200 bytes for A's 100: the check at exit's, again without loss records.
      expect(xml.summaryOnlyLeaks, name).toBeUndefined();
      expect(xml.gate?.failed, name).toBe(false);
    }
    expect(text.totals.leaks).toEqual({ "definitely-lost": total });
    // No "records are missing or damaged" warning; F's ADDED check lists only what it added,
    // which the text log says as an info too.
    const xml = report(`${scenario}-3.27.xml`);
    expect(mismatches(xml)).toEqual(mismatches(text));
    expect(mismatches(xml)).toEqual(scenario === "F" ? ["info"] : []);
  });

  it("numbers each loss record with its check, as the text log's and the summaries are", () => {
    for (const scenario of ["A", "E", "F", "Q"]) {
      const xml = `${scenario}-3.27.xml`;
      expect(checks(xml), xml).toEqual(checks(`${scenario}-3.27.txt`));
      expect(summaries(xml), xml).toEqual(summaries(`${scenario}-3.27.txt`));
    }
    expect(checks("A-3.27.xml")).toEqual([
      [1, 1, true],
      [2, 1, true],
      [3, 2, false],
      [3, 3, false],
    ]);
    // Protocol 5 prints no summary, nor does protocol 6 under -q: a check starts where the
    // records' numbering starts again.
    expect(checks("A-3.24.xml")).toEqual(checks("A-3.27.xml"));
    expect(checks("A-q-3.27.xml")).toEqual(checks("A-3.27.xml"));
    expect(read("A-q-3.27.xml").summaries).toEqual([]);
  });

  it("reads a delta check's summary, `<bytes>50 (+50)</bytes>`, as the whole amount", () => {
    // E's CHANGED check: definitely lost 50 (+50), possibly lost 0 (-50). It read as `leak: {}`.
    expect(summaries("E-3.27.xml")[1]).toEqual([
      2,
      [["definitely-lost", { bytes: 50, blocks: 1 }]],
    ]);
    const changed = read("E-3.27.xml").summaries[1]?.leak;
    expect(changed?.["possibly-lost"]).toEqual({ bytes: 0, blocks: 0 });
    expect(changed).toEqual(read("E-3.27.txt").summaries[1]?.leak);
  });

  it("--show-leak-kinds=all: each check's records agree with its own summary", () => {
    // The second check lists the 60 reachable bytes, which the first check's summary and the
    // one at exit count none of: two summary-mismatch warnings, "records are missing".
    const all = report("A-all-3.27.xml", { "definitely-lost": 100 });
    expect(mismatches(all)).toEqual([]);
    expect(all.gate?.failed).toBe(false);
    expect(all.totals.leaks).toEqual({ "definitely-lost": { bytes: 100, blocks: 2 } });
  });
});

// Campaign ce Q1: the info for a CHANGED check's records named VALGRIND_DO_ADDED_LEAK_CHECK.
describe("a delta check's records that fall short of its summary", () => {
  it.each(["C-3.27.txt", "C-3.27.xml", "F-3.27.txt", "F-3.27.xml"])(
    "are told as a delta check's, ADDED or CHANGED (%s)",
    (name) => {
      const infos = report(name).diagnostics.filter((d) => d.code === "summary-mismatch");
      expect(infos.map((d) => [d.severity, d.message])).toEqual([
        [
          "info",
          expect.stringMatching(
            /^definitely-lost for PID \d+: records add up to 60 bytes in 1 blocks, the tool's summary says 100 bytes in 2 blocks \(a delta leak check, VALGRIND_DO_ADDED_LEAK_CHECK or VALGRIND_DO_CHANGED_LEAK_CHECK, prints only the records that changed\)$/,
          ),
        ],
      ]);
    },
  );
});

// A delta check lists only the records that changed: the records of earlier checks that it did
// not repeat still count, and are no leaks hidden from it.
describe("a run killed after a delta check", () => {
  it.each([
    // ADDED finds nothing new: its summary's 40 bytes counted again, 80 in all (XML only).
    ["G", { "definitely-lost": { bytes: 40, blocks: 1 } }],
    // ADDED lists the new 60 bytes, not the possibly lost 50 the full check before listed: those
    // were counted again as possibly lost leaks the check hid (text and XML alike).
    [
      "H",
      {
        "definitely-lost": { bytes: 100, blocks: 2 },
        "possibly-lost": { bytes: 50, blocks: 1 },
      },
    ],
  ])("%s: counts the last check's summary once, in text and XML", (scenario, totals) => {
    const limits = Object.fromEntries(Object.entries(totals).map(([k, a]) => [k, a.bytes]));
    for (const name of [`${scenario}-3.27.txt`, `${scenario}-3.27.xml`, `${scenario}-3.24.xml`]) {
      const r = report(name, limits);
      expect(r.totals.leaks, name).toEqual(totals);
      expect(r.summaryOnlyLeaks, name).toBeUndefined();
      expect(r.gate?.failed, name).toBe(false);
    }
  });
});
