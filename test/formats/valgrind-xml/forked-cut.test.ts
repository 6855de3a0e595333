import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, type ParseResult } from "../../../src/api/parse.js";
import { ROOT } from "../../helpers/golden.js";

// Real logs of forked children stopped early (campaign bo F2): see fixtures/valgrind-xml/forked-cut.
const parsed = (path: string): ParseResult =>
  parse(readFileSync(join(ROOT, "test/fixtures", path), "utf8"), { path });
const cut = (name: string) => parsed(`valgrind-xml/forked-cut/${name}`);

const incomplete = (result: ParseResult) =>
  result.diagnostics.filter((d) => d.code === "incomplete").map((d) => d.message);

describe("a forked child's XML document that ends before <status> FINISHED", () => {
  it("is incomplete after --exit-on-first-error=yes, as the text log of the same child is", () => {
    // No <status> at all (a forked child never writes RUNNING) and no <errorcounts>.
    const xml = cut("e.28978.xml");
    expect(xml.source.complete).toBe(false);
    expect(incomplete(xml)).toEqual([
      expect.stringMatching(/^the XML document of pid 28978 .* ends without <status> FINISHED/),
    ]);
    // Its one error stays a finding.
    expect(xml.errors.map((e) => [e.kind, e.pid])).toEqual([["InvalidWrite", 28978]]);
    const text = cut("e.29025.txt");
    expect(text.source.complete).toBe(false);
  });

  it("is incomplete when Valgrind's own assertion stops the child", () => {
    const xml = cut("v.29038.xml");
    expect(xml.source.complete).toBe(false);
    expect(incomplete(xml)).toEqual([expect.stringContaining("ends without <status> FINISHED")]);
  });

  it("leaves whole documents complete: the parents', and a child's that ran to its end", () => {
    expect(cut("e.28966.xml").source.complete).toBe(true);
    expect(cut("v.29026.xml").source.complete).toBe(true);
    // A forked child's whole document: <status> FINISHED without RUNNING.
    const child = parsed("valgrind-xml/error-counts/fork.6975.xml");
    expect(child.source.processes.map((p) => p.ppid)).toEqual([6954]);
    expect(child.source.complete).toBe(true);
  });
});
