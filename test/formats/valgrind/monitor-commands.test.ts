import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseChunks, type ParseResult } from "../../../src/index.js";
import { ROOT } from "../../helpers/golden.js";

// Real runs whose program ran Memcheck's monitor commands itself; see the README.md.
const DIR = join(ROOT, "test", "fixtures", "valgrind", "monitor-commands");
// Bytes, not text: frame lines then take the byte path (see ValgrindTextParser.asciiLine).
const read = (name: string): ParseResult => parse(readFileSync(join(DIR, name)), { path: name });
const warnings = (result: ParseResult) => result.diagnostics.filter((d) => d.severity !== "info");
const counted = (result: ParseResult) =>
  result.leaks.filter((l) => l.superseded !== true).map((l) => `${l.bytes} ${l.kind}`);

describe("v.info all_errors in a run with a banner (campaign bt F2a)", () => {
  const logs = [
    "all-errors-first-d.txt",
    "all-errors-mid-d.txt",
    "all-errors-end-d.txt",
    "all-errors-mid-s.txt",
    "all-errors-end-s.txt",
    "all-errors-mid-v.txt",
    "all-errors-after-check-d.txt",
  ];
  for (const name of logs) {
    it(`${name}: one process, whole, its findings counted once`, () => {
      const result = read(name);
      expect(result.source.processes.map((p) => [p.pid, p.run, p.incomplete])).toEqual([
        [result.source.processes[0]?.pid, undefined, undefined],
      ]);
      expect(result.source.complete).toBe(true);
      expect(result.errors.map((e) => [e.kind, e.count])).toEqual([
        ["InvalidWrite", 1],
        ["UninitCondition", 1],
      ]);
      expect(counted(result)).toEqual(["30 definitely-lost"]);
      // The run's closing ERROR SUMMARY is the one after its HEAP SUMMARY.
      const closing = result.summaries.filter((s) => s.errors !== undefined);
      expect(closing.map((s) => s.errors)).toEqual([
        { errors: 3, contexts: 3, suppressed: 0, suppressedContexts: 0 },
      ]);
      // The mid-run `leak_check full`'s record is no error context (campaign v22 F7).
      expect(warnings(result)).toEqual([]);
    });
  }

  it("all-errors-mid-s.txt: read the same as text and in chunks of 7 bytes", async () => {
    const bytes = readFileSync(join(DIR, "all-errors-mid-s.txt"));
    const text = parse(bytes.toString("utf8"), { path: "all-errors-mid-s.txt" });
    const chunks: Buffer[] = [];
    for (let at = 0; at < bytes.length; at += 7) chunks.push(bytes.subarray(at, at + 7));
    const chunked = await parseChunks(chunks, { path: "all-errors-mid-s.txt" });
    const whole = read("all-errors-mid-s.txt");
    for (const result of [text, chunked]) {
      expect(result.errors).toEqual(whole.errors);
      expect(result.leaks).toEqual(whole.leaks);
      expect(result.diagnostics).toEqual(whole.diagnostics);
    }
    expect(whole.diagnostics).toEqual([]);
  });

  it("all-errors-suppressed-s.txt: the listing of used suppressions alone is skipped too", () => {
    const result = read("all-errors-suppressed-s.txt");
    expect(result.source.processes).toHaveLength(1);
    expect(result.source.complete).toBe(true);
    expect(result.errors.map((e) => e.kind)).toEqual(["UninitCondition"]);
    expect(result.summaries.map((s) => s.errors?.contexts)).toEqual([2]);
    expect(warnings(result)).toEqual([]);
  });

  it("allerr.txt (the campaign's reproducer): no run 2, and not incomplete", () => {
    const result = read("allerr.txt");
    expect(result.source.processes).toEqual([{ pid: 3093, command: "./allerr", ppid: 3076 }]);
    expect(result.source.complete).toBe(true);
    expect(result.errors.map((e) => e.run)).toEqual([undefined, undefined]);
    expect(warnings(result)).toEqual([]);
  });
});

describe("v.info all_errors in a -q run (no banner): the ERROR SUMMARY keeps its reading", () => {
  it("all-errors-mid-q.txt: the next error starts run 2, and the log is said to be cut", () => {
    const result = read("all-errors-mid-q.txt");
    expect(result.source.processes.map((p) => p.run)).toEqual([undefined, 2]);
    expect(warnings(result).map((d) => d.code)).toEqual(["incomplete"]);
  });

  it("all-errors-first-qs.txt: read as two -q -s runs of the PID", () => {
    const result = read("all-errors-first-qs.txt");
    expect(result.source.processes.map((p) => p.run)).toEqual([undefined, 2]);
  });
});

describe("Valgrind's notices of monitor commands (campaign bt F2)", () => {
  // `v.info last_error` before any error says `No errors yet`: it was learned as an
  // --error-markers begin marker (right before the first error), or under -v (among -v's lines)
  // an unrecognized-line warning. `leak_check summary` closes its LEAK SUMMARY with a hint to
  // give `full`, which was an unrecognized-line warning.
  const logs = [
    "last-error-none-d.txt",
    "last-error-none-v.txt",
    "leak-check-summary-d.txt",
    "leak-check-summary-v.txt",
  ];
  for (const name of logs) {
    it(`${name}: read as Valgrind's notice, nothing said of it`, () => {
      const result = read(name);
      expect(result.diagnostics).toEqual([]);
      expect(result.source.complete).toBe(true);
      expect(result.errors.map((e) => [e.kind, e.count])).toEqual([["InvalidWrite", 1]]);
      expect(counted(result)).toEqual(["30 definitely-lost"]);
    });
  }
});

describe("block_list: a loss record listed again with its blocks (campaign bt F2)", () => {
  // `block_list N` prints loss record N of the last leak check again, then its blocks
  // (`0xADDR[SIZE]`, the blocks they point at indented, `indirect loss record N`): it was
  // counted as a new record (60 bytes against Valgrind's 30) and each block line was an
  // unrecognized-line warning. The mid-run `leak_check full`'s record, which Valgrind counts as
  // no error, was read as a context ERROR SUMMARY left out: a false summary-mismatch warning
  // (campaign v22 F7).
  const logs: [string, string[]][] = [
    ["block-list-d.txt", ["30 definitely-lost"]],
    ["block-list-s.txt", ["30 definitely-lost"]],
    ["block-list-v.txt", ["30 definitely-lost"]],
    ["blist.txt", ["30 definitely-lost"]],
    ["block-list-indirect-d.txt", ["30 definitely-lost", "32 definitely-lost"]],
    ["block-list-reachable-d.txt", ["30 definitely-lost"]],
    ["block-list-heuristic.txt", ["32 still-reachable"]],
  ];
  for (const [name, leaks] of logs) {
    it(`${name}: the listing is not counted, and its lines are understood`, () => {
      const result = read(name);
      expect(result.source.complete).toBe(true);
      expect(result.source.processes).toHaveLength(1);
      expect(counted(result)).toEqual(leaks);
      expect(result.diagnostics.map((d) => d.code)).not.toContain("unrecognized-line");
      expect(warnings(result)).toEqual([]);
    });
  }

  it("blist.txt (the campaign's reproducer): the mid-run check's record and the exit's", () => {
    const result = read("blist.txt");
    expect(result.leaks.map((l) => [l.bytes, l.leakCheck, l.superseded === true])).toEqual([
      [30, 1, true],
      [30, 2, false],
    ]);
  });
});

describe("leak_check full's closing hint: Valgrind's notice (campaign v22 F7)", () => {
  // When it hid reachable blocks, `leak_check full` closes its LEAK SUMMARY with `To see them,
  // add 'reachable any' args to leak_check` (3.19, 3.24 and 3.27 alike), which was an
  // unrecognized-line warning.
  const logs = [
    "leak-check-reachable-d.txt",
    "leak-check-reachable-3.24.txt",
    "leak-check-reachable-3.27.txt",
    "lc-reach.txt",
  ];
  for (const name of logs) {
    it(`${name}: read as Valgrind's notice, nothing said of it`, () => {
      const result = read(name);
      expect(result.diagnostics).toEqual([]);
      expect(result.source.complete).toBe(true);
      expect(result.source.processes).toHaveLength(1);
      expect(result.summaries.map((s) => s.leak?.["still-reachable"])).toEqual([
        { bytes: 40, blocks: 1 },
        { bytes: 40, blocks: 1 },
      ]);
    });
  }
});

describe("leak_check full's records are no errors: ERROR SUMMARY (campaign v22 F7)", () => {
  // Valgrind counts no record of a monitor command's leak check as an error, where it counts a
  // client request's (VALGRIND_DO_ADDED_LEAK_CHECK, same lines): ERROR SUMMARY says 2
  // contexts, an invalid write and the record at exit. Read as counted, the mid-run check's
  // record made it look short of one, a false "missing or damaged" summary-mismatch warning.
  const logs = [
    "leak-check-full-d.txt",
    "leak-check-full-3.27.txt",
    "leak-check-full-reachable-d.txt",
    "all-errors-after-check-d.txt",
    "block-list-d.txt",
  ];
  for (const name of logs) {
    it(`${name}: the mid-run check's record is no context ERROR SUMMARY lacks`, () => {
      const result = read(name);
      expect(result.diagnostics.filter((d) => d.code === "summary-mismatch")).toEqual([]);
    });
  }

  it("leak-check-full-d.txt: its lone error context gets ERROR SUMMARY's count", () => {
    const result = read("leak-check-full-d.txt");
    expect(result.diagnostics).toEqual([]);
    expect(result.errors.map((e) => [e.kind, e.count])).toEqual([["InvalidWrite", 1]]);
    expect(counted(result)).toEqual(["30 definitely-lost"]);
  });

  it("a client request's check counts: a lost error block is still warned of", () => {
    expect(read("client-check-d.txt").diagnostics).toEqual([]);
    const lost = read("client-check-lost-error.txt");
    expect(warnings(lost).map((d) => [d.code, d.line])).toEqual([["summary-mismatch", 35]]);
  });

  it("a check its hint shows a monitor command's counts none: a lost error block is told", () => {
    // Without the hint the mid-run record may stand for the lost block; with it, it cannot.
    // The exit's hidden reachable block may be a counted record (--errors-for-leak-kinds=all),
    // so this is an info, as for any such log.
    const lost = read("leak-check-full-reachable-lost-error.txt");
    expect(lost.diagnostics.map((d) => [d.severity, d.code])).toEqual([
      ["info", "summary-mismatch"],
    ]);
    expect(lost.diagnostics[0]?.message).toContain(
      "the log shows 0 error contexts and 1 definitely or possibly lost records (and 1 of a monitor command's leak check, which count as no error), ERROR SUMMARY says 2 contexts",
    );
  });
});
