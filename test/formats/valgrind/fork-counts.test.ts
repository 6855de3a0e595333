import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../../src/api/parse.js";
import { ROOT } from "../../helpers/golden.js";

// Real valgrind 3.19 runs of forkerr.c; see test/fixtures/valgrind/fork/README.md.
const fixture = (name: string): string =>
  readFileSync(join(ROOT, "test", "fixtures", "valgrind", "fork", name), "utf8");

type Result = ReturnType<typeof parse>;
const diagnostics = (result: Result): [string, string, number | undefined][] =>
  result.diagnostics.map((d) => [d.severity, d.code, d.pid]);
/** Each error as `pid kind count line-of-its-program-frame`. */
const errors = (result: Result): string[] =>
  result.errors.map((e) => {
    const at = e.stack.find((f) => f.function === "write_past" || f.function === "read_past");
    const own = e.stack.find((f) => f.file === "forkerr.c" && f !== at);
    return `${e.pid} ${e.kind} x${e.count} ${at?.function ?? ""}@${own?.line ?? "?"}`;
  });

describe("valgrind text: a forked child's ERROR SUMMARY counts what it inherited", () => {
  it("accepts a child's summary that counts its parent's contexts from before the fork", () => {
    // Child 9335: 3 contexts and 2 loss records printed, `10 errors from 7 contexts`.
    const result = parse(fixture("one-log.txt"));
    expect(diagnostics(result)).toEqual([["info", "error-counts-unknown", 9334]]);
    expect(errors(result)).toEqual([
      "9335 InvalidWrite x1 write_past@24",
      "9335 InvalidWrite x1 write_past@25",
      "9335 InvalidRead x1 read_past@26",
      "9334 InvalidRead x1 @35",
      "9334 InvalidRead x1 read_past@39",
      "9334 InvalidRead x1 @44",
    ]);
  });

  it("still warns when more is missing than other processes printed before the child", () => {
    // Two of the child's three error blocks deleted: 2 of the 4 missing contexts can be the
    // parent's, 1 a hidden still-reachable record; one is missing whatever the options were.
    const lines = fixture("one-log.txt").split("\n");
    const damaged = [...lines.slice(0, 19), ...lines.slice(35)].join("\n");
    const result = parse(damaged);
    expect(diagnostics(result)).toEqual([
      ["warning", "summary-mismatch", 9335],
      ["info", "error-counts-unknown", 9334],
    ]);
    expect(result.diagnostics[0]?.message).toContain(
      "ERROR SUMMARY says 7 contexts, of which at most 2 can be error contexts and loss records that other processes printed before this one's first line",
    );
  });

  it("leaves the parent's contexts that a child's -s recap lists to the parent", () => {
    for (const name of ["one-log-s.txt", "one-log-q-s.txt"]) {
      const result = parse(fixture(name));
      expect(diagnostics(result)).toEqual([]);
      const [parent, child] = name === "one-log-s.txt" ? [9336, 9337] : [9338, 9350];
      // Line 39's context counts the child's read there too: the child never printed it.
      expect(errors(result).sort()).toEqual(
        [
          `${child} InvalidWrite x1 write_past@24`,
          `${child} InvalidWrite x1 write_past@25`,
          `${child} InvalidRead x2 read_past@26`,
          `${parent} InvalidRead x1 @35`,
          `${parent} InvalidRead x3 read_past@39`,
          `${parent} InvalidRead x1 @44`,
        ].sort(),
      );
    }
  });

  it("checks the child's recap with the inherited contexts' counts", () => {
    // The inherited line-39 context: 3 errors in the child's recap; 2 leaves one error unmatched.
    const text = fixture("one-log-s.txt");
    const at = text.indexOf("==9337== 3 errors in context 5 of 7:");
    const damaged = `${text.slice(0, at)}==9337== 2${text.slice(at + "==9337== 3".length)}`;
    const result = parse(damaged);
    expect(diagnostics(result)).toEqual([["warning", "summary-mismatch", 9337]]);
    expect(result.diagnostics[0]?.message).toContain("the -s recap counts 7 errors in 5 contexts");
  });

  it("follows the inheritance down to a grandchild", () => {
    // Grandchild 9353 inherits the parent's 2 contexts through the child, which forked it
    // before making errors: `7 errors from 5 contexts` for 1 error and 2 records printed.
    expect(diagnostics(parse(fixture("grandchild.txt")))).toEqual([
      ["info", "error-counts-unknown", 9351],
    ]);
    const result = parse(fixture("grandchild-s.txt"));
    expect(diagnostics(result)).toEqual([]);
    expect(errors(result).filter((e) => e.startsWith("9356 "))).toEqual([
      "9356 InvalidWrite x1 write_past@18",
    ]);
  });

  it("reads the child's own log after its parent's as one log", () => {
    // `cat vg.*.log`: the child's preamble names its parent, whose errors come first.
    const both = fixture("vg.9357.log") + fixture("vg.9358.log");
    expect(diagnostics(parse(both))).toEqual([["info", "error-counts-unknown", 9357]]);
  });

  it("gives a process whose preamble names a parent not in the log nothing inherited", () => {
    // A process started afresh after another one: an error block missing from it is missing.
    const other = fixture("vg.9358.log").replace("Parent PID: 9357", "Parent PID: 9300");
    expect(diagnostics(parse(fixture("vg.9357.log") + other))).toEqual([
      ["info", "error-counts-unknown", 9357],
      ["warning", "summary-mismatch", 9358],
    ]);
  });

  it("marks what a child with a log of its own may have inherited from the parent it names", () => {
    // vg.9358.log alone: 7 contexts counted, 3 error blocks and 2 loss records printed, and the
    // LEAK SUMMARY's 1 still-reachable block no record lists may be one more; at least 1 left.
    const child = parse(fixture("vg.9358.log"), { path: "vg.9358.log" });
    expect(diagnostics(child)).toEqual([["warning", "summary-mismatch", 9358]]);
    expect(child.diagnostics[0]?.maybeInherited).toEqual({ parentPid: 9357, contexts: 1 });
    // A log that shows more contexts than ERROR SUMMARY counts is not explained by a parent.
    const more = fixture("vg.9358.log").replace("from 7 contexts", "from 2 contexts");
    const [mismatch] = parse(more).diagnostics;
    expect(mismatch?.code).toBe("summary-mismatch");
    expect(mismatch?.maybeInherited).toBeUndefined();
  });
});

// Campaign bl: a job log that kept only a process's tail, after another process's leaks.
describe("a process whose records the log lost, after another's leak check at exit", () => {
  const read = (name: string) =>
    parse(readFileSync(join(ROOT, "test/fixtures/valgrind/tail-cut", name)));

  it("is told of: loss records printed at exit are no child's inheritance", () => {
    for (const [name, pid] of [
      ["caseA.txt", 17018],
      ["caseB.txt", 17022],
    ] as const) {
      const mismatches = read(name).diagnostics.filter((d) => d.code === "summary-mismatch");
      expect(
        mismatches.map((d) => [d.severity, d.pid]),
        name,
      ).toEqual([["warning", pid]]);
    }
  });
});
