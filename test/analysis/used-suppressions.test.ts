import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseValgrindSuppressions } from "../../src/analysis/suppressions/valgrind.js";
import {
  errorsSuppressedMore,
  leakRecordsSuppressedMore,
} from "../../src/analysis/used-suppressions.js";
import { parse } from "../../src/api/parse.js";
import { summarize } from "../../src/api/summarize.js";
import { ROOT } from "../helpers/golden.js";

// Real runs of fixtures/baseline-used-suppressions/generated-names (see its README).
const dir = "test/fixtures/baseline-used-suppressions/generated-names";
const text = (name: string) => readFileSync(join(ROOT, dir, name), "utf8");
const run = (name: string) => {
  const { summaries, sources } = summarize([parse(text(name), { path: name })]);
  return { summaries, sources };
};
const entries = (name: string) => parseValgrindSuppressions(text(name), name).suppressions;

describe("errorsSuppressedMore", () => {
  // mid.c: a block lost at a VALGRIND_DO_LEAK_CHECK is freed before exit. Its leak entry
  // matched in that check alone, and Memcheck prints leak bytes only for the last check: its
  // used_suppression line has none, as an error entry's has none.
  it("takes a line without leak bytes for the entry its file and line name", () => {
    expect(
      errorsSuppressedMore(run("mid-s.log"), run("mid-base.log"), entries("mid.supp")),
    ).toEqual({ errors: 0, entries: [] });
    // Without the file, nothing says it is no error entry.
    expect(errorsSuppressedMore(run("mid-s.log"), run("mid-base.log"), [])).toEqual({
      errors: 1,
      entries: ['"mid-leak" (mid.supp:2) +1'],
    });
  });

  // Campaign v18a F1: the Addr4 entry errors.supp:2 and the Leak entry leaks.supp:2 share the
  // generated name; the line names the first.
  it("never takes an entry for one of the same name at another place", () => {
    expect(
      errorsSuppressedMore(run("run-errsupp-s.log"), run("base.log"), entries("leaks.supp")),
    ).toEqual({ errors: 1, entries: ['"<insert_a_suppression_name_here>" (errors.supp:2) +1'] });
  });
});

// Campaign bu F2: Valgrind 3.19's XML has no LEAK SUMMARY; its <suppcounts> names the entries
// used (see xml-leak/ in the fixtures' README: `cache_leak`, a Memcheck:Leak entry, added).
describe("leakRecordsSuppressedMore", () => {
  const base = "../xml-leak/f_supp.base";
  const cacheLeak = (kind: string) =>
    parseValgrindSuppressions(`{\n  cache_leak\n  Memcheck:${kind}\n  fun:malloc\n}\n`, "x.supp")
      .suppressions;

  it("counts the loss records of the entries an XML run used more often", () => {
    const more = { records: 1, entries: ['"cache_leak" +1'] };
    const [xml, before] = [run("../xml-leak/f_supp.run.xml"), run(`${base}.xml`)];
    expect(leakRecordsSuppressedMore(xml, before, [])).toEqual(more);
    expect(leakRecordsSuppressedMore(xml, before, cacheLeak("Leak"))).toEqual(more);
    // Names alone: the entries of that name given to leaklog are of another kind.
    expect(leakRecordsSuppressedMore(xml, before, cacheLeak("Addr4"))).toEqual({
      records: 0,
      entries: [],
    });
  });

  it("leaves a text log to its LEAK SUMMARY's suppressed bytes", () => {
    // -s: the leak entries used, with their bytes; the summary's bytes stay the room.
    const listed = run("../fixed-leaks-s.log");
    expect(leakRecordsSuppressedMore(listed, run("../base.log"), [])).toEqual({
      records: 0,
      entries: [],
    });
    const text = run("../xml-leak/f_supp.run.txt");
    expect(leakRecordsSuppressedMore(text, run(`${base}.txt`), [])).toBeUndefined();
  });
});

describe("the used suppressions a source keeps", () => {
  // Campaign v18a Q3: kept per process, -v's entries cost a quarter more memory and two fifths
  // more JSON over 2,000 processes. Two runs of prog appended to one log (two-s.log).
  it("are one per entry, summed over the processes, each of which says it listed them", () => {
    const { source } = parse(text("two-s.log"), { path: "two-s.log" });
    expect(source.processes.map((p) => p.usedSuppressionsListed)).toEqual([true, true]);
    const name = "<insert_a_suppression_name_here>";
    expect(source.usedSuppressions).toEqual([
      { name, count: 2, file: "gen.supp", line: 8, leak: { bytes: 20, blocks: 2 } },
      { name, count: 2, file: "gen.supp", line: 2 },
    ]);
  });

  it("XML: a process whose <suppcounts> is empty listed none", () => {
    const xml = readFileSync(join(ROOT, "samples/valgrind-xml/clean.xml"), "utf8");
    const { source } = parse(xml, { path: "clean.xml" });
    expect(source.processes[0]?.usedSuppressionsListed).toBe(true);
    expect(source.usedSuppressions).toBeUndefined();
  });
});
