import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../../src/api/parse.js";
import { summarize } from "../../../src/api/summarize.js";
import { ROOT } from "../../helpers/golden.js";

// Real valgrind 3.19 runs; see test/fixtures/valgrind/hidden-counted/README.md.
const read = (name: string): ReturnType<typeof parse> => {
  const path = `test/fixtures/valgrind/hidden-counted/${name}`;
  return parse(readFileSync(join(ROOT, path), "utf8"), { path: name });
};
const threads = (result: ReturnType<typeof parse>) => result.errors.map((e) => [e.kind, e.thread]);
const codes = (result: ReturnType<typeof parse>) =>
  result.diagnostics.map((d) => [d.severity, d.code]);

describe("loss records that --show-leak-kinds hid, counted by ERROR SUMMARY", () => {
  it("leave a fresh process's errors before any header on thread 1 (campaign v16a F1)", () => {
    // No stack reaches main (--num-callers cut them); the XML of the same runs says 1.
    for (const name of ["deep2", "poss2"]) {
      expect(threads(read(`${name}.txt`)), name).toEqual([["InvalidRead", 1]]);
      expect(threads(read(`${name}.xml`)), name).toEqual([["InvalidRead", 1]]);
    }
    // poss2's 2 hidden records in 1 kind: its 2 blocks, not 1 per kind, bound what they count.
    expect(codes(read("poss2.txt"))).toEqual([["info", "summary-mismatch"]]);
  });

  it("leave a whole -s log that prints no recap complete (campaign v16a F3)", () => {
    for (const name of ["possible-s.txt", "twoposs-s.txt"]) {
      const result = read(name);
      expect(result.source.complete, name).toBe(true);
      expect(codes(result), name).toEqual([["info", "summary-mismatch"]]);
    }
    expect(read("possible-s.xml").source.complete).toBe(true);
  });

  it("-q: name --show-leak-kinds as a cause, for no LEAK SUMMARY counts them (campaign bv F2)", () => {
    const result = read("poss-q-s.txt");
    expect(result.source.complete).toBe(true);
    const mismatch = result.diagnostics.filter((d) => d.code === "summary-mismatch");
    expect(mismatch.map((d) => [d.line, d.message])).toEqual([
      [
        1,
        "PID 32632: the log shows 0 error contexts and 0 definitely or possibly lost records, ERROR SUMMARY says 1 contexts (unless --errors-for-leak-kinds counted loss records that --show-leak-kinds hid, which a -q log neither prints nor summarises; else error blocks are missing or damaged in the log)",
      ],
    ]);
  });

  it.each(["tail-cut/caseB.txt", "log-file-shared/preamble-cut/kids.1.txt"])(
    "%s: a log that is not -q is not told hidden records may explain it (campaign v23 Q1)",
    (name) => {
      const path = `test/fixtures/valgrind/${name}`;
      const result = parse(readFileSync(join(ROOT, path), "utf8"), { path: name });
      const messages = result.diagnostics.filter((d) => d.code === "summary-mismatch");
      expect(messages.length).toBeGreaterThan(0);
      for (const d of messages) expect(d.message).not.toContain("a -q log");
    },
  );

  it("do not hide a forked child's inherited contexts beyond them", () => {
    // 3 contexts: the child's error, 1 hidden possibly-lost block and 1 of the parent's.
    const child = read("tfd.31808.txt");
    expect(threads(child)).toEqual([["InvalidWrite", undefined]]);
    expect(child.diagnostics.map((d) => d.maybeInherited)).toEqual([
      { parentPid: 31806, contexts: 1 },
    ]);
    expect(threads(read("tfd.31823.xml"))).toEqual([["InvalidWrite", 2]]);
    expect(threads(read("tfd.31806.txt"))).toEqual([["InvalidWrite", 2]]);
    // An idle child's recap, beyond its hidden definite record, is still waited for.
    const idle = read("fo-idle.31831.log");
    expect(idle.source.complete).toBe(true);
    expect(idle.errors.map((e) => [e.kind, e.inheritedFrom])).toEqual([
      ["UninitCondition", { parentPid: 31830 }],
      ["InvalidRead", { parentPid: 31830 }],
    ]);
  });

  it("may explain what a child inherited, whose recap still marks it", () => {
    // 2 contexts, 3 hidden blocks in 1 record: its ERROR SUMMARY cannot tell, so its recap is
    // not waited for, and the context it lists names no parent; the summary finds the parent.
    const child = read("lf-s.31863.txt");
    expect(child.source.complete).toBe(true);
    expect(child.errors.map((e) => e.inheritedFrom)).toEqual([{}]);
    const report = summarize([read("lf-s.31862.txt"), child]);
    expect(report.errors.map((e) => [e.pid, e.inheritedFrom])).toEqual([
      [31862, undefined],
      [31863, { parentLog: "lf-s.31862.txt", printedBy: 31862 }],
    ]);
  });
});
