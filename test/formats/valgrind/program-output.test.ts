import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { crossCheckLeaks } from "../../../src/analysis/cross-check.js";
import { parse, parseFile, type ParseResult } from "../../../src/api/parse.js";
import { ValgrindTextParser } from "../../../src/formats/valgrind/text-parser.js";
import { ROOT } from "../../helpers/golden.js";
import { quietSink } from "../../helpers/sink.js";

/*
 * Fragments of Valgrind 3.19 logs of programs whose output shares the log (`2>&1`), trimmed:
 * what the program printed must stay program output, and Valgrind's lines must all be read.
 */

/** The program lines and unrecognized lines the text parser gives for `lines`. */
function sinkOf(lines: readonly string[]): { program: string[]; unrecognized: string[] } {
  const program: string[] = [];
  const unrecognized: string[] = [];
  const sink = quietSink({
    programLine: (line, text) => program.push(`${line}:${text}`),
    unrecognized: (line, text) => unrecognized.push(`${line}:${text}`),
  });
  const parser = new ValgrindTextParser(sink);
  lines.forEach((text, i) => parser.line(text, i + 1));
  parser.end();
  return { program, unrecognized };
}

/** The log's findings add up to its own ERROR SUMMARY contexts and LEAK SUMMARY. */
function expectValgrindTotals(result: ParseResult, contexts: number): void {
  const errorSummary = result.summaries.find((s) => s.errors !== undefined);
  if (errorSummary !== undefined) expect(errorSummary.errors?.contexts).toBe(contexts);
  expect(result.errors.length + result.leaks.length).toBe(contexts);
  expect(
    crossCheckLeaks(result.leaks, result.summaries).filter((d) => d.severity !== "info"),
  ).toEqual([]);
}

// mixed2_2to1.txt: `printf("progress %d...", i)` without a newline, the program's stdout and
// Valgrind's stderr on one pipe.
const MIXED2 = [
  "==15189== Memcheck, a memory error detector",
  "==15189== Command: ./mixed2",
  "==15189== ",
  "progress 0...==15189== Invalid write of size 1",
  "==15189==    at 0x1091C7: main (mixed2.c:7)",
  "==15189==  Address 0x4a4104a is 0 bytes after a block of size 10 alloc'd",
  "==15189==    at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)",
  "==15189==    by 0x1091BA: main (mixed2.c:7)",
  "==15189== ",
  "progress 1...progress 2...tail without newline==15189== ",
  "==15189== HEAP SUMMARY:",
  "==15189==     in use at exit: 24 bytes in 3 blocks",
  "==15189==   total heap usage: 6 allocs, 3 frees, 54 bytes allocated",
  "==15189== ",
  "==15189== 24 bytes in 3 blocks are definitely lost in loss record 1 of 1",
  "==15189==    at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)",
  "==15189==    by 0x1091E5: main (mixed2.c:8)",
  "==15189== ",
  "==15189== LEAK SUMMARY:",
  "==15189==    definitely lost: 24 bytes in 3 blocks",
  "==15189==    indirectly lost: 0 bytes in 0 blocks",
  "==15189==      possibly lost: 0 bytes in 0 blocks",
  "==15189==    still reachable: 0 bytes in 0 blocks",
  "==15189==         suppressed: 0 bytes in 0 blocks",
  "==15189== ",
  "==15189== For lists of detected and suppressed errors, rerun with: -s",
  "==15189== ERROR SUMMARY: 4 errors from 2 contexts (suppressed: 0 from 0)",
];

// mixed2_ts_q.txt: the same program under -q --time-stamp=yes: the glued line is the log's
// first, of a PID not seen before.
const MIXED2_TS_Q = [
  "progress 0...==00:00:00:00.328 17224== Invalid write of size 1",
  "==00:00:00:00.328 17224==    at 0x1091C7: main (mixed2.c:7)",
  "==00:00:00:00.328 17224==  Address 0x4a4104a is 0 bytes after a block of size 10 alloc'd",
  "==00:00:00:00.328 17224==    at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)",
  "==00:00:00:00.328 17224==    by 0x1091BA: main (mixed2.c:7)",
  "==00:00:00:00.328 17224== ",
  "progress 1...progress 2...tail without newline==00:00:00:00.343 17224== 24 bytes in 3 blocks are definitely lost in loss record 1 of 1",
  "==00:00:00:00.343 17224==    at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)",
  "==00:00:00:00.343 17224==    by 0x1091E5: main (mixed2.c:8)",
  "==00:00:00:00.343 17224== ",
];

// forkexec.txt: an exec'd child reopened the log file and overwrote its parent's line mid-way;
// 12899's earlier lines are gone.
const FORKEXEC = [
  "==12900== Memcheck, a memory error detector",
  "==12900== ",
  "==12900== 77 bytes in 1 blocks are definitely lost in loss record 2 of 2",
  "==12900==    at 0==12899== ",
  "==12899== HEAP SUMMARY:",
  "==12899==     in use at exit: 100 bytes in 1 blocks",
  "==12899==   total heap usage: 2 allocs, 1 frees, 4,196 bytes allocated",
  "==12899== ",
  "==12899== 100 bytes in 1 blocks are definitely lost in loss record 1 of 1",
  "==12899==    at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)",
  "==12899==    by 0x1092F1: main (forkexec.c:22)",
  "==12899== ",
  "==12899== LEAK SUMMARY:",
  "==12899==    definitely lost: 100 bytes in 1 blocks",
  "==12899==    indirectly lost: 0 bytes in 0 blocks",
  "==12899==      possibly lost: 0 bytes in 0 blocks",
  "==12899==    still reachable: 0 bytes in 0 blocks",
  "==12899==         suppressed: 0 bytes in 0 blocks",
  "==12899== ",
  "==12899== ERROR SUMMARY: 1 errors from 1 contexts (suppressed: 0 from 0)",
];

const text = (lines: readonly string[]): string => lines.join("\n") + "\n";

describe("a Valgrind line glued after program output", () => {
  it("is read, and the text before it is program output", () => {
    const result = parse(text(MIXED2));
    expect(result.errors.map((e) => [e.kind, e.location.line, e.stack[0]?.line])).toEqual([
      ["InvalidWrite", 4, 7],
    ]);
    expect(result.leaks.map((l) => l.bytes)).toEqual([24]);
    expect(result.diagnostics).toEqual([]);
    expect(result.source.counters.programLines).toBe(2);
    expectValgrindTotals(result, 2);
    expect(sinkOf(MIXED2).program).toEqual([
      "4:progress 0...",
      "10:progress 1...progress 2...tail without newline",
    ]);
  });

  it("is read when it is a -q log's first line, time-stamped, of a PID not seen before", () => {
    const result = parse(text(MIXED2_TS_Q));
    expect(result.errors.map((e) => e.kind)).toEqual(["InvalidWrite"]);
    expect(result.leaks.map((l) => [l.pid, l.bytes, l.stack.at(-1)?.line])).toEqual([
      [17224, 24, 8],
    ]);
    // -q: no summaries, and complete for all that (a -q run prints none); only the error's
    // count is unknown without -s.
    expect(result.diagnostics.map((d) => d.code)).toEqual(["error-counts-unknown"]);
    expect(result.source.counters.programLines).toBe(2);
  });

  it("is read after another process's cut line, whose head stays an unrecognized line", () => {
    const result = parse(text(FORKEXEC));
    expect(sinkOf(FORKEXEC).unrecognized).toEqual(["4:   at 0"]);
    expect(result.leaks.map((l) => [l.pid, l.bytes]).sort()).toEqual([
      [12899, 100],
      [12900, 77],
    ]);
    expectValgrindTotals({ ...result, leaks: result.leaks.filter((l) => l.pid === 12899) }, 1);
  });

  it("is read when a concatenated log starts inside a cut line", () => {
    // hostile/trunc_then_concat.txt: cppex's log cut mid-record, globals' log appended.
    const lines = [
      "==12845== Memcheck, a memory error detector",
      "==12845== ",
      "==12845== 82 (32 direct, 50 ind==12851== Memcheck, a memory error detector",
      "==12851== Command: ./globals",
      "==12851== ",
    ];
    expect(sinkOf(lines).unrecognized).toEqual(["3:82 (32 direct, 50 ind"]);
    expect(parse(text(lines)).source.processes.map((p) => p.pid)).toEqual([12845, 12851]);
  });

  it("is read with the -v and client-request markers too, for a PID Valgrind spoke for", () => {
    const lines = [
      ...MIXED2.slice(0, 3),
      "step 1...--15189-- Reading syms from /usr/lib/x86_64-linux-gnu/libc.so.6",
      "step 2...**15189** VALGRIND_PRINTF: checkpoint",
    ];
    // The debug line is dropped and the client message kept, as at a line's start: an info.
    expect(sinkOf(lines).program).toEqual(["4:step 1...", "5:step 2..."]);
    expect(parse(text(lines)).diagnostics.map((d) => [d.code, d.line, d.message])).toContainEqual([
      "valgrind-client-message",
      5,
      "client message: VALGRIND_PRINTF: checkpoint",
    ]);
  });

  it("is not made up from a program's own `==` or fake prefixes", () => {
    const lines = [
      ...MIXED2.slice(0, 3),
      // mixed_2to1.txt: the program prints a fake line of a PID Valgrind never used.
      "no newline at end:==1234== fake valgrind-looking line from program 1",
      "check: a == b, x ==15189==y, --1-- and **2** done",
      "==15189== ERROR SUMMARY: 0 errors from 0 contexts (suppressed: 0 from 0)",
    ];
    const sink = sinkOf(lines);
    expect(sink.program).toEqual([`4:${lines[3]}`, `5:${lines[4]}`]);
    expect(sink.unrecognized).toEqual([]);
  });
});

// jsonout_2to1.txt: the program prints JSON on stderr right after an error's closing line,
// where --gen-suppressions would put its block.
const JSONOUT = [
  "==17515== Memcheck, a memory error detector",
  "==17515== ",
  "==17515== Invalid write of size 1",
  "==17515==    at 0x109167: main (jsonout.c:4)",
  "==17515== ",
  "{",
  '   "status": "ok",',
  '   "count": 3',
  "}",
  "==17515== ",
  "==17515== ERROR SUMMARY: 1 errors from 1 contexts (suppressed: 0 from 0)",
];

// A Param error of a --gen-suppressions=all run made here (write(1, malloc(8), 8)): the block
// has the syscall argument line between its kind line and its frames.
const PARAM_GENSUPP = [
  "==25655== Memcheck, a memory error detector",
  "==25655== ",
  "==25655== Syscall param write(buf) points to uninitialised byte(s)",
  "==25655==    at 0x4954350: write (write.c:26)",
  "==25655==    by 0x109184: main (param.c:5)",
  "==25655== ",
  "{",
  "   <insert_a_suppression_name_here>",
  "   Memcheck:Param",
  "   write(buf)",
  "   fun:write",
  "   fun:main",
  "}",
  "==25655== ERROR SUMMARY: 1 errors from 1 contexts (suppressed: 0 from 0)",
];

describe("a { ... } block after a finding", () => {
  it("is the finding's suppression only in the shape --gen-suppressions writes", () => {
    const param = parse(text(PARAM_GENSUPP));
    expect(param.errors[0]?.suppression).toBe(PARAM_GENSUPP.slice(6, 13).join("\n"));
    expect(param.source.counters.programLines).toBe(0);
  });

  it("is program output, every line of it, when it is the program's JSON", () => {
    const result = parse(text(JSONOUT));
    expect(result.errors.map((e) => e.suppression)).toEqual([undefined]);
    expect(sinkOf(JSONOUT).program).toEqual(JSONOUT.slice(5, 9).map((t, i) => `${i + 6}:${t}`));
  });

  it("gives a block's lines back when a later line breaks the shape, and reads that line", () => {
    const lines = [
      ...PARAM_GENSUPP.slice(0, 11),
      "{", // a line no suppression has: the block so far is output, this one may open a block
      ...PARAM_GENSUPP.slice(7, 13),
    ];
    const result = parse(text(lines));
    expect(result.errors[0]?.suppression).toBe(["{", ...PARAM_GENSUPP.slice(7, 13)].join("\n"));
    expect(sinkOf(lines).program).toEqual(
      PARAM_GENSUPP.slice(6, 11).map((t, i) => `${i + 7}:${t}`),
    );
  });

  it("is program output when longer than any suppression", () => {
    const frames = Array.from({ length: 600 }, (_, i) => `   fun:f${i}`);
    const lines = [...PARAM_GENSUPP.slice(0, 10), ...frames, "}"];
    const result = parse(text(lines));
    expect(result.errors[0]?.suppression).toBeUndefined();
    expect(result.source.counters.programLines).toBe(4 + frames.length + 1);
  });
});

describe("client messages (VALGRIND_PRINTF)", () => {
  it("are the same infos in the text log as in the XML of the same run", () => {
    const read = (name: string) =>
      readFileSync(join(ROOT, "test/fixtures/valgrind/client-printf", name), "utf8");
    const infos = (result: ParseResult) =>
      result.diagnostics.map((d) => [d.severity, d.code, d.message]);
    const textLog = parse(read("vg.txt"));
    expect(infos(textLog)).toEqual([
      ["info", "valgrind-client-message", "client message: checkpoint 1 reached"],
      ["info", "valgrind-client-message", "client message: state bad (with a stack of 2 frames)"],
    ]);
    expect(infos(textLog)).toEqual(infos(parse(read("vg.xml"))));
    expect(textLog.source.counters.programLines).toBe(0);
  });

  it("in a loop keep the records after them, as the XML of the same run does (loop.c)", async () => {
    // 20,000 `**PID** tick N` lines with no empty line between filled one block's cap: the
    // `Invalid write` after them was dropped and --fail-on error passed on the leak alone.
    const dir = join(ROOT, "test/fixtures/valgrind/client-printf");
    const records = (result: ParseResult) => [
      ...result.errors.map((e) => [e.kind, e.stack.map((f) => f.line)]),
      ...result.leaks.map((l) => [l.kind, l.bytes, l.stack.map((f) => f.line)]),
    ];
    const textLog = await parseFile(join(dir, "loop.txt.gz"));
    expect(records(textLog)).toEqual([
      ["InvalidWrite", [8]],
      ["definitely-lost", 40, [undefined, 11]],
    ]);
    expect(records(textLog)).toEqual(records(await parseFile(join(dir, "loop.xml.gz"))));
    expect(textLog.diagnostics.filter((d) => d.severity !== "info")).toEqual([]);
    expect(textLog.source.complete).toBe(true);
  });

  // Campaign v11: a message that ended its line in Valgrind's words became a finding.
  it.each([0, 1, 2, 3, 4])(
    "stay the program's when they end in a headline's words and their line (mode %i)",
    (mode) => {
      const log = readFileSync(
        join(ROOT, "test/fixtures/valgrind/client-printf", `headline-words.${mode}.txt`),
        "utf8",
      );
      const result = parse(log);
      expect([...result.leaks, ...result.errors]).toEqual([]);
      expect(result.diagnostics.map((d) => d.code)).toEqual(["valgrind-client-message"]);
    },
  );

  // Campaign v12: VALGRIND_PRINTF_BACKTRACE's stack is the message's own.
  it.each([0, 1, 2, 3, 4])(
    "stay the program's when a backtrace request prints its stack after them (mode %i)",
    (mode) => {
      const log = readFileSync(
        join(ROOT, "test/fixtures/valgrind/client-printf", `backtrace.${mode}.txt`),
        "utf8",
      );
      const result = parse(log);
      expect([...result.leaks, ...result.errors]).toEqual([]);
      expect(result.diagnostics.map((d) => d.code)).toEqual(["valgrind-client-message"]);
    },
  );

  it("give back Valgrind's line after a message that ends in a letter", () => {
    const read = (name: string) =>
      readFileSync(join(ROOT, "test/fixtures/valgrind/client-printf", name), "utf8");
    const kinds = (result: ParseResult) => result.errors.map((e) => [e.kind, e.stack.length]);
    const textLog = parse(read("no-separator.txt"));
    expect(kinds(textLog)).toEqual(kinds(parse(read("no-separator.xml"))));
    expect(textLog.diagnostics.map((d) => d.message)).toEqual(["client message: checking buffer"]);
  });

  // Campaign bd: a message without a newline has Valgrind's next line written on after it.
  it("give back the Valgrind line written on after them, as the XML has it", () => {
    const read = (name: string) =>
      readFileSync(join(ROOT, "test/fixtures/valgrind/client-printf", name), "utf8");
    const records = (result: ParseResult) => [
      ...result.leaks.map((l) => [l.kind, l.bytes, l.stack.map((f) => f.function)]),
      ...result.errors.map((e) => [
        e.kind,
        e.thread,
        e.stack.map((f) => f.function),
        e.aux?.map((a) => [a.message, a.stack?.map((f) => f.function)]),
      ]),
    ];
    const textLog = parse(read("vg-glued.txt"));
    const xml = parse(read("vg-glued.xml"));
    expect(records(textLog)).toEqual(records(xml));
    expect(textLog.errors.map((e) => [e.kind, e.thread])).toEqual([
      ["InvalidWrite", 2],
      ["InvalidWrite", 1],
    ]);
    expect(textLog.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ["valgrind-client-message", "client message: starting worker:"],
      ["valgrind-client-message", "client message: main again:"],
      // A message in a loss record's words, its line ended, is the program's.
      [
        "valgrind-client-message",
        "client message: 8 bytes in 1 blocks are definitely lost in loss record 1 of 1",
      ],
      ["valgrind-client-message", "client message: leak check:"],
    ]);
    expect(textLog.diagnostics.map((d) => d.message)).toEqual(
      xml.diagnostics.map((d) => d.message),
    );
  });
});
