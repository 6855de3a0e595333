import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../../src/api/parse.js";
import { ROOT } from "../../helpers/golden.js";

// Real valgrind 3.19 runs; see test/fixtures/valgrind/error-counts/README.md.
const fixture = (name: string): string =>
  readFileSync(join(ROOT, "test", "fixtures", "valgrind", "error-counts", name), "utf8");

const codes = (text: string): string[] => parse(text).diagnostics.map((d) => d.code);

describe("valgrind text error counts against ERROR SUMMARY", () => {
  it("gives a lone context the count of ERROR SUMMARY, as the XML of the same run does", () => {
    const result = parse(fixture("loop.txt"));
    expect(result.errors.map((e) => [e.kind, e.count])).toEqual([["InvalidWrite", 10]]);
    expect(result.diagnostics).toEqual([]);
  });

  it("gives a lone context its count beside --track-fds notices, which never repeat", () => {
    // 3.19 prints `ERROR SUMMARY: 5 errors from 1 contexts` and leaves the notices uncounted.
    const result = parse(fixture("fdrep.txt"));
    expect(result.errors.filter((e) => e.kind === "InvalidRead").map((e) => e.count)).toEqual([5]);
    expect(result.diagnostics).toEqual([]);
  });

  it("waits for no -s recap when a fatal signal or open descriptors are all a process printed", () => {
    // Valgrind counts neither, so -s prints no recap: these logs end whole, and were called cut.
    for (const name of ["abort_s.txt", "sigpipe_s.txt", "fds_true_s.txt"]) {
      const result = parse(fixture(name));
      expect(result.errors.length).toBeGreaterThan(0);
      expect(result.source.complete).toBe(true);
      expect(result.diagnostics).toEqual([]);
    }
  });

  it("takes the -s recap's count and finds it agrees", () => {
    const result = parse(fixture("loop_s.txt"));
    expect(result.errors.map((e) => [e.kind, e.count])).toEqual([["InvalidWrite", 10]]);
    expect(result.diagnostics).toEqual([]);
  });

  it("warns when the -s recap's counts do not add up to ERROR SUMMARY's", () => {
    const damaged = fixture("loop_s.txt").replace("10 errors in context", "9 errors in context");
    const result = parse(damaged);
    expect(result.diagnostics.map((d) => [d.severity, d.code])).toEqual([
      ["warning", "summary-mismatch"],
    ]);
    expect(result.diagnostics[0]?.message).toContain("the -s recap counts 9 errors in 1 contexts");
  });

  it("says once that counts are unknown when several contexts share the repeats", () => {
    const result = parse(fixture("dups_summary.txt"));
    expect(result.errors.map((e) => e.count)).toEqual([1, 1, 1]);
    expect(result.diagnostics.map((d) => [d.severity, d.code, d.line])).toEqual([
      ["info", "error-counts-unknown", 42],
    ]);
    expect(result.diagnostics[0]?.message).toContain("41 errors in 3 contexts");
    // Two processes of the same kind still give one advice per log.
    const two =
      fixture("dups_summary.txt") + fixture("dups_summary.txt").replaceAll("15311", "15312");
    expect(codes(two)).toEqual(["error-counts-unknown"]);
  });

  it("says counts are unknown in a -q log without -s, which has no ERROR SUMMARY", () => {
    const quiet = join(ROOT, "test", "fixtures", "valgrind", "quiet");
    const q = parse(readFileSync(join(quiet, "uaf_q.txt")));
    expect(q.errors.map((e) => e.count)).toEqual([1]);
    expect(q.diagnostics.map((d) => d.code)).toEqual(["error-counts-unknown"]);
    const withRecap = parse(readFileSync(join(quiet, "uaf_qs.txt")));
    expect(withRecap.errors.map((e) => e.count)).toEqual([3]);
    expect(withRecap.diagnostics).toEqual([]);
    // A -q log of leaks only has no counts to doubt.
    const leaks = parse(readFileSync(join(quiet, "realloc-q.txt")));
    expect(leaks.diagnostics.map((d) => d.code)).not.toContain("error-counts-unknown");
  });

  it("tells of an error block missing from the log, leak records counted as contexts", () => {
    // Only told: --errors-for-leak-kinds=all would count the one still-reachable record that
    // the default --show-leak-kinds hides, and the log cannot say which options it ran with.
    const result = parse(fixture("leaks_full_minus_err.txt"));
    expect(result.diagnostics.map((d) => [d.severity, d.code, d.pid])).toEqual([
      ["info", "summary-mismatch", 17830],
    ]);
    expect(result.diagnostics[0]?.message).toContain(
      "1 error contexts and 3 definitely or possibly lost records, ERROR SUMMARY says 5 contexts",
    );
  });

  it("counts the loss records an --xtree-leak file holds instead of the log", () => {
    // xtree.txt of 3.19: no record printed, `3 errors from 3 contexts` for 2 + 1 lost records.
    // Its banner stays: a log starting at its HEAP SUMMARY is cut (campaign v17 F2).
    const log = [
      "==12928== Memcheck, a memory error detector",
      "==12928== ",
      "==12928== HEAP SUMMARY:",
      "==12928==     in use at exit: 1,438 bytes in 7 blocks",
      "==12928== ",
      "==12928== xtree leak report: /tmp/explore/logs/xtleak.kcg",
      "==12928== LEAK SUMMARY:",
      "==12928==    definitely lost: 234 bytes in 2 blocks",
      "==12928==      possibly lost: 1,000 bytes in 1 blocks",
      "==12928== ",
      "==12928== ERROR SUMMARY: 3 errors from 3 contexts (suppressed: 0 from 0)",
    ].join("\n");
    // The file is named (xtree-leak-file), and the counts need no other word.
    expect(codes(log)).toEqual(["xtree-leak-file"]);
    expect(codes(log.replace("xtree leak report", "xtree memory report"))).toEqual([
      "summary-mismatch",
    ]);
  });

  it("only tells of contexts that loss records hidden by --show-leak-kinds may make up", () => {
    // kinds.c, --show-leak-kinds=definite --errors-for-leak-kinds=all: 1 error context and 2
    // printed records, 7 contexts: the 4 hidden records (of 4 hidden blocks) counted too.
    const result = parse(fixture("kinds_def_all.txt"));
    expect(result.diagnostics.map((d) => [d.severity, d.code])).toEqual([
      ["info", "summary-mismatch"],
    ]);
    expect(result.diagnostics[0]?.message).toContain("4 blocks of kinds no record lists");
    // --show-leak-kinds=reachable --errors-for-leak-kinds=definite,possible: 3 hidden counted.
    expect(codes(fixture("kinds_reach_def.txt"))).toEqual(["summary-mismatch"]);
  });

  it("counts the one error context when no loss record counted (--errors-for-leak-kinds=none)", () => {
    // lone.c: `5 errors from 1 contexts` with 3 loss records printed: none is a context, so the
    // invalid read is the 5 (the XML of the run says 5); it read 1, with advice to rerun with -s.
    const result = parse(fixture("lone_none.txt"));
    expect(result.errors.map((e) => [e.kind, e.count])).toEqual([["InvalidRead", 5]]);
    expect(result.diagnostics).toEqual([]);
  });

  it("still warns when hidden loss records cannot make up the contexts", () => {
    const damaged = fixture("kinds_def_all.txt").replace("from 7 contexts", "from 11 contexts");
    const result = parse(damaged);
    expect(result.diagnostics.map((d) => [d.severity, d.code])).toEqual([
      ["warning", "summary-mismatch"],
    ]);
  });
});
