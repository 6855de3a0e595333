import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { classifyLine, ContextHeader } from "../../../grammars/valgrind/line-kinds.js";
import { parse, type ParseResult } from "../../../src/api/parse.js";
import { summarize } from "../../../src/index.js";
import { parseFixture, ROOT } from "../../helpers/golden.js";

// Real Valgrind 3.24 and 3.27 runs; see test/fixtures/valgrind/v3.23-show-error-list-all/README.md.
const DIR = "test/fixtures/valgrind/v3.23-show-error-list-all";
const fixture = (name: string): ParseResult => parseFixture(`${DIR}/${name}`);

/** What the text and the XML of one run must agree on: records, counts, Valgrind's summary. */
const records = (result: ParseResult) => ({
  errors: result.errors.map((e) => [e.kind, e.message, e.count, e.stack[0]?.line]),
  leaks: result.leaks.map((l) => [l.kind, l.bytes, l.blocks]),
  errorSummaries: result.summaries.map((s) => s.errors),
  processes: result.source.processes.map((p) => p.run),
  complete: result.source.complete,
});

const failOnError = (result: ParseResult) =>
  summarize([result], { gate: { failOn: ["error", "incomplete"] } }).gate;

describe("--show-error-list=all: the contexts a suppression hid (campaign bw F2)", () => {
  it("classifies the suppressed context's header as a recap header, whatever the name", () => {
    for (const body of [
      "1 errors (suppressed by known-iw) in context 1 of 1:",
      "1 errors (suppressed by <insert_a_suppression_name_here>) in context 3 of 7:",
      "1,024 errors (suppressed by zlib (1a): see faq) in context 12 of 1,000:",
    ])
      expect(classifyLine(body), body).toBe(ContextHeader);
  });

  it("a suppressed error is no finding, no second run, no cut recap: as the XML says", () => {
    const xml = fixture("iw-errlistall-3.27.xml");
    for (const name of ["iw-errlistall-3.27.txt", "iw-errlistall-3.24.txt"]) {
      const text = fixture(name);
      expect(records(text), name).toEqual(records(xml));
      expect(text.errors, name).toEqual([]);
      expect(text.source.processes.length, name).toBe(1);
      expect(text.summaries[0]?.errors).toEqual({
        errors: 0,
        contexts: 0,
        suppressed: 1,
        suppressedContexts: 1,
      });
      expect(text.source.usedSuppressions?.map((u) => [u.name, u.count])).toEqual([
        ["known-iw", 1],
      ]);
      expect(text.diagnostics, name).toEqual([]);
      expect(failOnError(text)?.failed, name).toBe(false);
    }
  });

  it("every header of seven suppressed contexts is understood, new kinds' too", () => {
    const text = fixture("align-errlistall-3.27.txt");
    expect(records(text)).toEqual(records(fixture("align-errlistall-3.27.xml")));
    expect(text.source.counters.unrecognizedLines).toBe(0);
    expect(text.diagnostics).toEqual([]);
    expect(failOnError(text)?.failed).toBe(false);
  });

  it("keeps the unsuppressed contexts listed before them, with their counts", () => {
    const xml = records(fixture("mix-errlistall-3.27.xml"));
    for (const name of ["mix-errlistall-3.27.txt", "mix-q-errlistall-3.27.txt"]) {
      const text = fixture(name);
      expect(records(text).errors, name).toEqual(xml.errors);
      expect(records(text).leaks, name).toEqual(xml.leaks);
      expect(records(text).errorSummaries, name).toEqual(xml.errorSummaries);
      expect(text.source.complete, name).toBe(true);
      expect(text.diagnostics, name).toEqual([]);
    }
    expect(xml.errors).toEqual([
      ["UninitCondition", "Conditional jump or move depends on uninitialised value(s)", 1, 8],
    ]);
  });

  it("reads 3.24+'s descriptor errors listed with no empty line between them", () => {
    const text = fixture("fds-errlistall-3.27.txt");
    expect(records(text)).toEqual(records(fixture("fds-errlistall-3.27.xml")));
    expect(text.errors).toEqual([]);
    expect(text.diagnostics).toEqual([]);
  });

  it("a log cut inside the list of suppressed contexts is incomplete, and keeps none", () => {
    const path = `${DIR}/align-errlistall-3.27.txt`;
    const lines = readFileSync(join(ROOT, path), "utf8").split("\n");
    // Up to the third context's stack: the second ERROR SUMMARY is lost.
    const cut = parse(`${lines.slice(0, 33).join("\n")}\n`, { path });
    expect(cut.errors).toEqual([]);
    expect(cut.source.complete).toBe(false);
    expect(cut.source.processes.length).toBe(1);
    expect(cut.diagnostics.map((d) => d.message)).toEqual([
      expect.stringMatching(/the log ends inside Valgrind's -s recap/),
    ]);
  });
});
