import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../../src/api/parse.js";
import { summarize } from "../../../src/api/summarize.js";
import { incompleteProcessesOf, summaryOnlySentence } from "../../../src/report/describe.js";
import { ROOT } from "../../helpers/golden.js";

/** A fixture's lines, without the empty string after its last newline. */
const linesOf =
  (dir: string) =>
  (name: string): string[] =>
    readFileSync(join(ROOT, dir, name), "utf8")
      .split("\n")
      .slice(0, -1);

/** `tail -n n` of a fixture, as a job log's last lines keep it. */
const tailOf = (dir: string) => {
  const lines = linesOf(dir);
  return (name: string, n: number): Buffer => Buffer.from(`${lines(name).slice(-n).join("\n")}\n`);
};

/** The report of a log gated on `error` and `incomplete`, as the README's CI recipes gate. */
const gated = (result: ReturnType<typeof parse>) =>
  summarize([result], { gate: { failOn: ["error", "incomplete"] } });

// A real -s log (fixtures/valgrind/named-threads/README.md), cut as size limits and killed runners cut.
const full = readFileSync(join(ROOT, "test/fixtures/valgrind/named-threads/vg.txt"));

describe("a log cut in its summaries or its -s recap", () => {
  const whole = parse(full, { path: "vg.txt" });

  it("whole, is complete: the write counted twice, as its recap says", () => {
    expect(whole.source.complete).toBe(true);
    expect(whole.errors.map((e) => [e.kind, e.count])).toEqual([["InvalidWrite", 2]]);
    expect(whole.diagnostics).toEqual([]);
  });

  it("cut at any byte from its LEAK SUMMARY to its last line's end, is incomplete and counts no more", () => {
    const from = full.indexOf("LEAK SUMMARY");
    // The last byte is the final line's newline: without it, the line is whole.
    for (let end = from; end < full.length - 1; end += 1) {
      const cut = parse(full.subarray(0, end), { path: "vg.txt" });
      const at = `cut at byte ${end} of ${full.length}`;
      // A cut inside ERROR SUMMARY read as 0 contexts and a complete run; one inside the recap
      // made its cut context a third write "inherited from a parent", and a complete run.
      expect(cut.source.complete, at).toBe(false);
      const writes = cut.errors.filter((e) => e.kind === "InvalidWrite");
      expect(writes.length, at).toBe(1);
      expect(writes[0]?.count, at).toBeLessThanOrEqual(2);
      expect(
        cut.diagnostics.map((d) => d.code),
        at,
      ).not.toContain("inherited-contexts");
    }
  });
});

describe("a log that starts inside a record's stack (campaign bl Q3)", () => {
  const tail = readFileSync(join(ROOT, "test/fixtures/valgrind/tail-cut/tail11.txt"));

  it("is incomplete, and its leaks without records are said lost, not hidden by an option", () => {
    const result = parse(tail, { path: "tail11.txt" });
    expect(result.source.complete).toBe(false);
    // The frame is named by the warning that the log starts cut, not again as a line not
    // understood, which read as damage (campaign cb2 Q6).
    expect(result.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ["incomplete", 1],
      ["summary-mismatch", 11],
    ]);
    expect(result.diagnostics[0]?.message).toContain("(line 1 is the end of it;");
    const report = summarize([result], { gate: { failOn: ["definitely-lost"] } });
    // The gate told users to rerun with --show-leak-kinds=all, which brings back nothing a cut
    // took (campaign bqb): it says what the summary says.
    expect(report.gate?.reasons.join("\n")).toMatch(
      /no loss records \(the log is incomplete, and lost them\)$/,
    );
    expect(
      summaryOnlySentence(report.summaryOnlyLeaks ?? [], incompleteProcessesOf(report)),
    ).toContain("the log is incomplete, and lost them");
  });

  it("is not incomplete when the stray frames come after the process's first lines", () => {
    const text = tail.toString().replace(/^/, "==17387== Memcheck, a memory error detector\n");
    const codes = parse(text, { path: "tail11.txt" }).diagnostics.map((d) => d.code);
    expect(codes).not.toContain("incomplete");
    // Frames of no record inside a process are not understood: they say so.
    expect(codes).toContain("unrecognized-line");
  });
});

describe("a log cut after its loss records, before its LEAK SUMMARY's end (campaign v15a F6)", () => {
  const dir = join(ROOT, "test/fixtures/valgrind/tail-cut");
  const tail = tailOf("test/fixtures/valgrind/tail-cut");
  const advice = (result: ReturnType<typeof parse>): string => {
    const report = summarize([result]);
    return summaryOnlySentence(report.summaryOnlyLeaks ?? [], incompleteProcessesOf(report));
  };

  it("is incomplete from its loss record's blank line to its LEAK SUMMARY's last lines", () => {
    // leak.txt: HEAP SUMMARY is tail -n 17, the loss record 13, LEAK SUMMARY 9, `suppressed:` 4.
    for (let n = 4; n <= 14; n += 1) {
      const result = parse(tail("leak.txt", n), { path: "leak.txt" });
      const starts = result.diagnostics.filter((d) => d.code === "incomplete");
      expect(result.source.complete, `tail -n ${n}`).toBe(false);
      expect(starts.length, `tail -n ${n}`).toBe(1);
      expect(starts[0]?.message, `tail -n ${n}`).toMatch(/^PID 6571: the log starts /);
      // tail -n 9 and 10 told users to rerun with --show-leak-kinds=all, which shows nothing more.
      expect(advice(result), `tail -n ${n}`).not.toContain("rerun");
      const gate = summarize([result], { gate: { failOn: ["any"] } }).gate;
      expect(gate?.reasons.join("\n"), `tail -n ${n}`).not.toContain("rerun");
    }
    expect(advice(parse(tail("leak.txt", 10), { path: "leak.txt" }))).toContain(
      "the log is incomplete, and lost them",
    );
  });

  it("is read as before when cut at its ERROR SUMMARY, in its preamble, or not at all", () => {
    // tail -n 1 holds only the ERROR SUMMARY, which -q -s prints too: the summary-mismatch
    // warning says what is missing.
    for (const n of [1, 20, 24]) {
      const result = parse(tail("leak.txt", n), { path: "leak.txt" });
      expect(result.source.complete, `tail -n ${n}`).toBe(true);
    }
    // Cut in its HEAP SUMMARY (tail -n 15 to 17), it lost no record or error, but the same cut
    // of another run lost its error blocks (campaign v17 F2): nothing in the log tells them apart.
    for (const n of [15, 16, 17]) {
      const result = parse(tail("leak.txt", n), { path: "leak.txt" });
      expect(result.source.complete, `tail -n ${n}`).toBe(false);
    }
  });

  it("is incomplete when its check was summary-only, whose leaks keep their advice", () => {
    // leak-summary.txt: LEAK SUMMARY is tail -n 10, its `definitely lost:` 9, `suppressed:` 5,
    // `Rerun with --leak-check=full` 4. It printed no record to lose, but error blocks and the
    // HEAP SUMMARY before: -q prints neither the summary nor its hints (campaign v16a F4).
    for (let n = 2; n <= 10; n += 1) {
      const result = parse(tail("leak-summary.txt", n), { path: "leak-summary.txt" });
      expect(result.source.complete, `tail -n ${n}`).toBe(false);
      if (n >= 9) expect(advice(result), `tail -n ${n}`).toContain("rerun with --leak-check=full");
    }
  });

  it("is not said of a process whose preamble the log holds: lines were written over", () => {
    const path = join(ROOT, "test/fixtures/valgrind/log-file-shared/overwritten-leak/vg.log");
    const result = parse(readFileSync(path), { path: "vg.log" });
    // Its HEAP SUMMARY is lost in the middle of the log, which log-overwritten tells.
    expect(result.diagnostics.map((d) => d.code)).toEqual(["log-overwritten", "summary-mismatch"]);
  });

  it.each(["client-full.txt", "client-no.txt", "client-child.txt", "client-exec.txt"])(
    "whole, a run whose client leak checks print a LEAK SUMMARY alone (%s) is complete",
    (name) => {
      const result = parse(readFileSync(join(dir, name)), { path: name });
      expect(result.source.complete).toBe(true);
      expect(result.diagnostics.map((d) => d.code)).not.toContain("incomplete");
    },
  );
});

describe("a log that starts after its LEAK SUMMARY, at the lines -q leaves out (campaign v16a F4)", () => {
  const dir = join(ROOT, "test/fixtures/valgrind/tail-cut");
  const lines = linesOf("test/fixtures/valgrind/tail-cut");
  const tail = tailOf("test/fixtures/valgrind/tail-cut");

  it("is incomplete from `Reachable blocks ...` to `For lists of detected ...`, and fails the gate", () => {
    // kinds.txt: `Reachable blocks` is tail -n 5, `To see them` 4, `For lists` 2; the ERROR
    // SUMMARY counts 3 errors the cut lost. It read as a clean run and passed.
    for (let n = 2; n <= 5; n += 1) {
      const result = parse(tail("kinds.txt", n), { path: "kinds.txt" });
      const starts = result.diagnostics.filter((d) => d.code === "incomplete");
      expect(result.source.complete, `tail -n ${n}`).toBe(false);
      expect(starts.map((d) => d.message)).toEqual([
        expect.stringMatching(/^PID 21614: the log starts after the process's HEAP SUMMARY/),
      ]);
      expect(gated(result).gate?.failed, `tail -n ${n}`).toBe(true);
    }
    // The ERROR SUMMARY alone may be a -q -s run's: nothing tells the cut.
    expect(parse(tail("kinds.txt", 1), { path: "kinds.txt" }).source.complete).toBe(true);
  });

  it("is incomplete from `Use --track-origins=yes ...`, the one such line -s leaves", () => {
    const all = lines("err-s.txt");
    const n = all.length - all.findIndex((l) => l.includes("Use --track-origins=yes"));
    const result = parse(tail("err-s.txt", n), { path: "err-s.txt" });
    expect(result.source.complete).toBe(false);
    expect(result.diagnostics.find((d) => d.code === "incomplete")?.line).toBe(1);
  });

  it("is not said of a PID's lines after its ERROR SUMMARY, whose start the log holds", () => {
    // Two containers' PID 1 at once: the client's `For lists of detected ...` comes after the
    // server's ERROR SUMMARY (the log is incomplete for that, and says why).
    const path = join(ROOT, "test/fixtures/valgrind/console-prefixes/compose-two-pid1.txt");
    const result = parse(readFileSync(path), { path: "compose-two-pid1.txt" });
    const starts = result.diagnostics.filter((d) => d.message.includes("the log starts"));
    expect(starts).toEqual([]);
  });

  it.each(["kinds.txt", "err-s.txt", "forky.txt"])("whole, %s is complete", (name) => {
    // forky.txt's forked child prints no preamble, and its HEAP SUMMARY before its hints.
    const result = parse(readFileSync(join(dir, name)), { path: name });
    expect(result.source.complete).toBe(true);
    expect(result.diagnostics.map((d) => d.code)).not.toContain("incomplete");
  });
});

describe("a log that starts at or inside a HEAP or LEAK SUMMARY, with no preamble before it (campaign v17 F2)", () => {
  const dir = join(ROOT, "test/fixtures/valgrind/tail-cut/heap-start");
  const lines = linesOf("test/fixtures/valgrind/tail-cut/heap-start");
  const tail = tailOf("test/fixtures/valgrind/tail-cut/heap-start");
  const starts = (result: ReturnType<typeof parse>) =>
    result.diagnostics.filter((d) => d.code === "incomplete").map((d) => d.message);

  it("is incomplete from the blank lines before `HEAP SUMMARY:` to `total heap usage`, and fails the gate", () => {
    // err.txt: one invalid write, no leak; `HEAP SUMMARY:` is tail -n 8. Tails 6 to 10 read as a
    // whole, clean run ("No leaks or memory errors found") and passed, while 2 to 5 failed.
    for (let n = 2; n <= 11; n += 1) {
      const result = parse(tail("err.txt", n), { path: "err.txt" });
      expect(result.source.complete, `tail -n ${n}`).toBe(false);
      expect(starts(result), `tail -n ${n}`).toEqual([
        expect.stringMatching(/^PID 2204: the log starts /),
      ]);
      expect(gated(result).gate?.failed, `tail -n ${n}`).toBe(true);
    }
    expect(starts(parse(tail("err.txt", 8), { path: "err.txt" }))).toEqual([
      expect.stringMatching(/^PID 2204: the log starts at its HEAP SUMMARY, with no preamble/),
    ]);
    expect(parse(tail("err.txt", 1), { path: "err.txt" }).source.complete).toBe(true);
  });

  it("is incomplete at a client check's LEAK SUMMARY or hints before the exit's HEAP SUMMARY", () => {
    // m1-summary.txt (leaky.c 1, --leak-check=summary): tail -n 14 is the exit's HEAP SUMMARY,
    // 17 and 18 the hints after the client check's LEAK SUMMARY, 24 that LEAK SUMMARY.
    for (let n = 12; n <= 25; n += 1) {
      const result = parse(tail("m1-summary.txt", n), { path: "m1-summary.txt" });
      expect(result.source.complete, `tail -n ${n}`).toBe(false);
      expect(gated(result).gate?.failed, `tail -n ${n}`).toBe(true);
    }
  });

  it("is incomplete when a forked child's parent lost its preamble, not when it kept it", () => {
    // m8-full.txt (leaky.c 8): the child 1744's first lines are its HEAP SUMMARY, after its
    // parent 1576's preamble and error; tail -n 29 to 32 start in the parent's HEAP SUMMARY, 63
    // to 66 in the child's, with the parent's preamble cut.
    for (const n of [29, 30, 31, 32, 33, 63, 64, 65, 66]) {
      const result = parse(tail("m8-full.txt", n), { path: "m8-full.txt" });
      expect(result.source.complete, `tail -n ${n}`).toBe(false);
    }
    for (const n of [29, 32]) {
      expect(starts(parse(tail("m8-full.txt", n), { path: "m8-full.txt" }))).toEqual([
        expect.stringMatching(/^PID 1576: the log starts (?:inside|at) its HEAP SUMMARY/),
      ]);
    }
  });

  it.each(["err.txt", "m1-summary.txt", "m8-full.txt"])("whole, %s is complete", (name) => {
    const result = parse(readFileSync(join(dir, name)), { path: name });
    expect(result.source.complete).toBe(true);
    expect(result.diagnostics.map((d) => d.code)).not.toContain("incomplete");
  });

  it("is not said of a process after another's preamble: it may be that process's forked child", () => {
    const log = [...lines("m8-full.txt").slice(0, 6), ...lines("err.txt").slice(-8)].join("\n");
    const result = parse(`${log}\n`, { path: "joined.txt" });
    expect(starts(result)).toEqual([]);
  });
});

// Campaign ce Q2: a run killed during its leak search said only that the log ended before its
// ERROR SUMMARY, not that the heap in use at exit was never classified.
describe("a run killed during its leak check at exit", () => {
  const dir = "test/fixtures/valgrind/killed-in-leak-check";
  const result = parse(readFileSync(join(ROOT, dir, "killed.txt")), { path: "killed.txt" });

  it("says the check was cut, and how much of the heap it never classified", () => {
    expect(result.source.complete).toBe(false);
    expect(result.leaks).toEqual([]);
    expect(result.diagnostics.map((d) => [d.code, d.message])).toEqual([
      [
        "incomplete",
        "PID 13201: the log ends in Valgrind's leak check at exit, before its LEAK SUMMARY: what leaked of the 24000040 bytes in 3000001 blocks in use at exit is unknown beyond the loss records read (run killed during the leak search, or file truncated)",
      ],
    ]);
  });

  it("a --leak-check=no run's HEAP SUMMARY is no leak check cut", () => {
    const noCheck = readFileSync(join(ROOT, dir, "killed.txt"), "utf8").replace(
      /(total heap usage[^\n]*\n)/,
      "$1==13201== \n==13201== For a detailed leak analysis, rerun with: --leak-check=full\n",
    );
    const messages = parse(Buffer.from(noCheck), { path: "no.txt" }).diagnostics.map(
      (d) => d.message,
    );
    expect(messages.some((m) => m.includes("before Valgrind's ERROR SUMMARY"))).toBe(true);
    expect(messages.some((m) => m.includes("leak check at exit, before"))).toBe(false);
  });
});
