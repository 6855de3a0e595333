import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../../src/api/parse.js";
import { ROOT } from "../../helpers/golden.js";

// Real Valgrind 3.24/3.27 runs; see test/fixtures/valgrind/v3.23-fds-counted/README.md.
const DIR = join(ROOT, "test/fixtures/valgrind/v3.23-fds-counted");
const text = (name: string) => readFileSync(join(DIR, name), "latin1");
const incomplete = (result: ReturnType<typeof parse>) =>
  result.diagnostics.filter((d) => d.code === "incomplete").map((d) => d.message);

describe("logs whose ERROR SUMMARY counts descriptors left open (3.23+)", () => {
  it.each([
    "fdleak-q-s-3.24.txt",
    "fdleak-q-s-3.27.txt",
    "fdleak-s-3.27.txt",
    "fdreach2-q-s-all-3.27.txt",
    "fdreach-q-s-all-3.24.txt",
  ])("%s: a whole log with no recap is complete (campaign bx F2)", (name) => {
    const result = parse(text(name), { path: name });
    expect(incomplete(result)).toEqual([]);
    expect(result.source.complete).toBe(true);
    expect(result.errors.map((e) => e.kind)).toContain("FdNotClosed");
  });

  it.each(["counts-3.19.txt", "counts-3.27.txt"])(
    "%s: a lone error context gets the repeats, descriptors counted or not (campaign bx Q3)",
    (name) => {
      const result = parse(text(name), { path: name });
      const uninit = result.errors.filter((e) => e.kind === "UninitCondition");
      expect(uninit.map((e) => e.count)).toEqual([5]);
      expect(result.diagnostics.map((d) => d.code)).not.toContain("error-counts-unknown");
    },
  );

  it("the recap's copy of a double close, its path garbled by Valgrind 3.27, is no second one", () => {
    const result = parse(text("fdb-q-s-3.27.txt"), { path: "fdb" });
    const closes = result.errors.filter((e) => e.kind === "FdBadClose");
    expect(closes.map((e) => [e.message, e.count, e.inheritedFrom])).toEqual([
      ["File descriptor 3: /dev/null is already closed", 1, undefined],
    ]);
  });

  it.each(["cut-ff.log", "cut-ff-q.log"])(
    "%s: 3.19 counts no descriptor, so its child's log cut before the recap is cut (campaign v23 F3)",
    (name) => {
      const result = parse(text(name), { path: name });
      expect(result.source.complete).toBe(false);
      expect(incomplete(result).join("\n")).toContain("the log ends inside Valgrind's -s recap");
    },
  );

  it("3.19 counts no descriptor: a child's one error keeps its count (campaign v24 F2)", () => {
    const result = parse(text("fk.25919.log"), { path: "fk" });
    expect(result.errors.filter((e) => e.kind === "InvalidWrite").map((e) => e.count)).toEqual([1]);
  });

  it("--gen-suppressions' '(No origin, error cannot be suppressed)' is Valgrind's notice", () => {
    const result = parse(text("fds-gen-3.24.txt"), { path: "fds-gen" });
    expect(result.source.counters.unrecognizedLines).toBe(0);
    expect(result.errors.filter((e) => e.kind === "FdNotClosed")).toHaveLength(6);
  });

  it("those lines alone are the text log of an XML run, not a clean log", () => {
    const result = parse(text("fds-gen-3.24.xmlrun.txt"), { path: "xmlrun" });
    expect(result.fatal?.code).toBe("xml-run-text-log");
  });

  it("a log cut before the closing ERROR SUMMARY of its recap is still cut", () => {
    const whole = text("fdb-q-s-3.27.txt");
    expect(parse(whole, { path: "fdb" }).source.complete).toBe(true);
    const cut = whole.slice(0, whole.lastIndexOf("==471== ERROR SUMMARY"));
    const result = parse(cut, { path: "fdb-cut" });
    expect(result.source.complete).toBe(false);
    expect(incomplete(result).join("\n")).toContain("the log ends inside Valgrind's -s recap");
  });
});
