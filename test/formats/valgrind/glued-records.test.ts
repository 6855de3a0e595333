import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, summarize, type ParseResult } from "../../../src/index.js";
import { ROOT } from "../../helpers/golden.js";

// Real -q runs of spawner.c, whose exec'd child cut a line of its own with the parent's whole
// loss record (campaign cb1 F2); see the README.md.
const DIR = join(ROOT, "test", "fixtures", "valgrind", "log-file-shared", "glued-records");
const bytesOf = (name: string): Buffer => readFileSync(join(DIR, name));
/**
 * Another run's banner, first: a log is claimed there, and its later frame lines are read from
 * their bytes (ValgrindTextParser.asciiLine). A -q log, which has none, is claimed at its end,
 * and read as text.
 */
const BANNER = "==1== Memcheck, a memory error detector\n==1== \n";
/** The log read as text, and from its bytes, claimed at its end and at a banner before it. */
const readings = (bytes: Buffer): { result: ParseResult; shift: number }[] => [
  { result: parse(bytes.toString("latin1"), { path: "log" }), shift: 0 },
  { result: parse(bytes, { path: "log" }), shift: 0 },
  { result: parse(Buffer.concat([Buffer.from(BANNER), bytes]), { path: "log" }), shift: 2 },
];
const leaksOf = (result: ParseResult) =>
  result.leaks.map((l) => `${l.pid} ${l.bytes} ${l.kind} ${l.stack.map((f) => f.function)}`);
/** The parent's 9-byte leak's stack, the record glued whole. */
const PARENT = "malloc,late_leak,main";
const unread = (result: ParseResult) =>
  result.diagnostics.filter((d) => d.code === "unrecognized-line").map((d) => d.message);

describe("a whole loss record glued after a line another process cut", () => {
  it.each([
    { log: "headline-3.19.txt", child: 3003, parent: 2993 },
    { log: "headline-3.27.txt", child: 3062, parent: 3060 },
  ])("$log: is read after a cut loss record headline, which is told of as lost", (run) => {
    for (const { result, shift } of readings(bytesOf(run.log))) {
      expect(leaksOf(result)).toEqual([`${run.parent} 9 definitely-lost ${PARENT}`]);
      expect(result.errors.map((e) => `${e.pid} ${e.kind}`)).toEqual([`${run.child} InvalidRead`]);
      // The child's cut record is told of as lost, not as a stack the log starts inside.
      const lost = result.diagnostics.filter((d) => d.message.includes("loss record was not"));
      expect(lost).toEqual([
        expect.objectContaining({
          code: "incomplete",
          line: 8 + shift,
          pid: run.child,
          message: expect.stringMatching(/a loss record was not read .* or a damaged line/),
        }),
      ]);
      expect(unread(result)).toEqual([
        expect.stringMatching(
          /^line not understood: "10 bytes in 1 blocks are definitely lost in los/,
        ),
      ]);
    }
  });

  it.each([
    // 3.19: inside the first frame line of the child's record, which still starts as one: the
    // record is read without its only frame.
    {
      log: "frame-3.19.txt",
      child: "3774 10 definitely-lost ",
      parent: 3760,
      head: "   at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload",
    },
    // 3.27: one space into its second frame line, a body that starts as an aux line's.
    { log: "frame-3.27.txt", child: "3825 10 definitely-lost malloc", parent: 3795, head: " " },
  ])("$log: is read after a cut frame line, whose head is not understood", (run) => {
    for (const { result } of readings(bytesOf(run.log))) {
      expect(leaksOf(result)).toEqual([run.child, `${run.parent} 9 definitely-lost ${PARENT}`]);
      expect(unread(result)).toEqual([`line not understood: ${JSON.stringify(run.head)}`]);
    }
  });

  it.each([
    { log: "headline-3.19.txt", line: 8, by: 2993 },
    { log: "headline-3.27.txt", line: 8, by: 3060 },
    { log: "frame-3.19.txt", line: 9, by: 3760 },
    { log: "frame-3.27.txt", line: 10, by: 3795 },
  ])("$log: says at the cut that a traced child wrote over the log, -q as it is", (run) => {
    const result = parse(bytesOf(run.log), { path: run.log });
    const told = result.diagnostics.filter((d) => d.code === "log-overwritten");
    expect(told.map((d) => [d.severity, d.line])).toEqual([["warning", run.line]]);
    expect(told[0]?.message).toMatch(
      /^a Valgrind line is cut here by PID \d+'s line, in a log with no preamble \(-q\): a child traced with --trace-children=yes .*\(--log-file=vg\.%p\.log\)$/,
    );
    expect(told[0]?.message).toContain(`PID ${run.by}'s line`);
    expect(result.source.complete).toBe(false);
  });

  it("counts the parent's definite leak in the totals that --fail-on definitely-lost gates", () => {
    const report = summarize([parse(bytesOf("headline-3.19.txt"))]);
    expect(report.totals.leaks).toEqual({ "definitely-lost": { bytes: 9, blocks: 1 } });
  });
});

/*
 * The same glued record after a cut of each kind of line Valgrind prints: headline-3.19.txt
 * with its line 8's head (the child's) replaced by a cut line of the child's from the runs of
 * the README (a use-after-free's aux line from a run of its own).
 */
describe("a loss record glued after a cut line of any kind", () => {
  const log = bytesOf("headline-3.19.txt").toString("latin1");
  const glued = "==2993== 9 bytes in 1 blocks are definitely lost in loss record 1 of 1";
  const cutLine = log.split("\n")[7] as string;
  it.each([
    "==3003== Invalid rea",
    "==3003== Invalid read of size ",
    "==3003==    by 0x10919B: main (lone.c:9",
    "==3003==  Address 0x4a4104c is 0 bytes after a block of size 12 all",
    "==3003==  Block was alloc'd a",
    "==3003==     in use at exit: 10 bytes in 1 blo",
    "==3003==    indirectly lost: 0 bytes in 0",
  ])("%s", (head) => {
    expect(cutLine.endsWith(glued)).toBe(true);
    const text = log.replace(cutLine, `${head}${glued}`);
    for (const { result } of readings(Buffer.from(text, "latin1"))) {
      expect(leaksOf(result)).toEqual([`2993 9 definitely-lost ${PARENT}`]);
      expect(unread(result)).toEqual([
        `line not understood: ${JSON.stringify(head.slice("==3003== ".length))}`,
      ]);
    }
  });
});
