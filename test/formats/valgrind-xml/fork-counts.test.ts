import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseInto, type ParseResult } from "../../../src/api/parse.js";
import { summarize } from "../../../src/api/summarize.js";
import type { ParseEvent } from "../../../src/engine/source-builder.js";
import { ROOT } from "../../helpers/golden.js";
import { leakError } from "./helpers.js";

// Campaign cc F5: real runs, XML and -s text of each (fixtures/valgrind-xml/fork-counts).
const DIR = "test/fixtures/valgrind-xml/fork-counts";
const read = (name: string) => readFileSync(join(ROOT, DIR, name), "utf8");
const parsed = (name: string) => parse(read(name), { path: `${DIR}/${name}` });

/** Each group's occurrences, by its kind and the function it happened in. */
function occurrences(result: ParseResult): Record<string, number> {
  const report = summarize([result]);
  const entries = report.groups.map((g) => [`${g.kind} ${g.stack[0]?.function}`, g.occurrences]);
  return Object.fromEntries(entries.sort());
}

describe("error counts of a parent whose forked children closed its XML document first", () => {
  it.each(["3.19", "3.27"])("%s: the XML gives each context the text log's occurrences", (v) => {
    const xml = parsed(`counts-${v}.xml`);
    const text = parsed(`counts-${v}.txt`);
    expect(occurrences(xml)).toEqual({
      "InvalidRead childs_own": 4,
      "InvalidWrite parents_last": 3,
      "UninitCondition between_children": 2,
      "UninitCondition every_round": 3,
    });
    expect(occurrences(text)).toEqual(occurrences(xml));
    expect(summarize([xml]).totals.errors).toEqual(summarize([text]).totals.errors);
  });

  it.each(["3.19", "3.27"])(
    "%s: the parent's contexts take its last <errorcounts>, each child's its own",
    (v) => {
      const xml = parsed(`counts-${v}.xml`);
      expect(xml.errors.map((e) => [e.stack[0]?.function, e.run, e.count])).toEqual([
        // Printed before child 1 closed the document: counted 1, then 2 by the children.
        ["every_round", undefined, 3],
        ["childs_own", undefined, 2],
        // Printed before child 2 closed it: counted 1 by that child.
        ["between_children", 2, 2],
        // Its <unique> is parents_last's too, which the parent counts 3 times.
        ["childs_own", 2, 2],
        ["parents_last", 3, 3],
      ]);
      expect(xml.diagnostics.map((d) => d.code)).toEqual(["xml-forked-child", "xml-forked-child"]);
    },
  );

  it("keeps streaming: what waits behind a carried error goes out past the bound", async () => {
    // Child 1's 6,000 loss records after the parent's every_round, which waits on for the
    // parent's <errorcounts>: the records go out before the file ends, the error keeps its count.
    const xml = read("counts-3.19.xml");
    const records = Array.from({ length: 6000 }, (_, i) =>
      leakError(`0x${(i + 0x100).toString(16)}`, "Leak_DefinitelyLost", "lost", "16", "1"),
    );
    const at = xml.indexOf("<errorcounts>");
    const grown = `${xml.slice(0, at)}${records.join("\n")}\n${xml.slice(at)}`;
    const events: ParseEvent[] = [];
    await parseInto([grown], { path: "grown.xml" }, (e) => events.push(e));
    const findings = events.flatMap((e) => (e.type === "finding" ? [e.finding] : []));
    const first = findings.findIndex((f) => f.type === "error");
    expect(findings.slice(0, first).length).toBeGreaterThan(0);
    const counts = findings.flatMap((f) => (f.type === "error" ? [f.count] : []));
    expect(counts).toEqual([3, 2, 2, 2, 3]);
    const codes = events.flatMap((e) => (e.type === "diagnostic" ? [e.diagnostic.code] : []));
    expect(codes).not.toContain("xml-errorcounts-not-applied");
  });
});
