import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../../src/api/parse.js";
import { summarize } from "../../../src/api/summarize.js";
import { nothingFoundSentence } from "../../../src/report/describe.js";
import { ROOT } from "../../helpers/golden.js";

// Real valgrind 3.19 `-q -s` runs; see test/fixtures/valgrind/hidden-counted/README.md.
const read = (name: string): ReturnType<typeof parse> => {
  const path = `test/fixtures/valgrind/hidden-counted/${name}`;
  return parse(readFileSync(join(ROOT, path), "utf8"), { path: name });
};
const mismatches = (result: ReturnType<typeof parse>) =>
  result.diagnostics
    .filter((d) => d.code === "summary-mismatch")
    .map((d) => [d.severity, d.hiddenLeakKinds]);
const DAMAGED = "(error blocks are missing or damaged in the log)";

describe("a -q -s log whose --show-leak-kinds hid counted loss records (campaign bv F2)", () => {
  it.each([
    ["q-s-possible.txt", ["definitely-lost", "possibly-lost"], "its -s recap"],
    ["q-s-none.txt", ["definitely-lost", "possibly-lost"], "its -s recap"],
    ["q-s-mixed.txt", ["possibly-lost"], "numbered 1 loss records they did not print"],
  ])("%s: names the hidden records, not damage", (name, kinds, bound) => {
    const result = read(name);
    expect(result.source.complete).toBe(true);
    expect(mismatches(result)).toEqual([["info", kinds]]);
    const [mismatch] = result.diagnostics;
    expect(mismatch?.message).toContain("a -q log prints no LEAK SUMMARY to count");
    expect(mismatch?.message).toContain(bound);
    expect(mismatch?.message).not.toContain(DAMAGED);
  });

  it("still warns where the log shows that blocks are lost", () => {
    // Its loss records are numbered `1 of 2`: one unprinted record, two contexts unaccounted.
    const lost = read("q-s-mixed-lost.txt");
    expect(mismatches(lost)).toEqual([["warning", undefined]]);
    expect(lost.diagnostics[0]?.message).toContain(DAMAGED);
    // An error block printed and no recap after it: the log ends where the recap was.
    const cut = read("q-s-none-cut.txt");
    expect(cut.source.complete).toBe(false);
    expect(mismatches(cut)).toEqual([["warning", undefined]]);
  });

  it("does not call the log clean, and gates it as the XML of the same run (Q1)", () => {
    for (const name of ["q-s-possible.txt", "q-s-possible.xml"]) {
      const report = summarize([read(name)], { gate: { failOn: ["error"], maxBytes: {} } });
      expect(nothingFoundSentence(report), name).toMatch(
        /^No leaks .* in what was read, but 1 log's run hid definite or possible leaks/,
      );
      expect(report.gate?.failed, name).toBe(true);
      expect(report.gate?.reasons, name).toEqual([
        expect.stringMatching(/^--fail-on error: 1 log cannot tell .* possibly-lost leaks/),
      ]);
    }
    // A rule no hidden kind can meet still passes.
    const rules = { failOn: ["still-reachable", "warning"], maxBytes: {} };
    expect(summarize([read("q-s-mixed.txt")], { gate: rules }).gate?.failed).toBe(false);
  });

  it("does not wait for a recap of a child's that hidden records may account for", () => {
    // The child's one context is its hidden possibly-lost record, or the parent's error, printed
    // before it; an inherited one its recap would list, and none came: the log is whole.
    const result = read("q-s-forklate.txt");
    expect(result.source.complete).toBe(true);
    expect(result.diagnostics).toEqual([]);
  });
});
