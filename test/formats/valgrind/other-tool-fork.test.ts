import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MAX_BLOCK_LINES } from "../../../src/formats/block-caps.js";
import { parse, parseChunks, parseFile, type ParseResult } from "../../../src/index.js";
import { cli } from "../../helpers/cli.js";
import { ROOT } from "../../helpers/golden.js";

// Helgrind and DRD runs of a program that forks a child (campaign v17 F3); see the README.md.
const DIR = join(ROOT, "test", "fixtures", "valgrind", "other-tools", "fork");
const text = (name: string) => readFileSync(join(DIR, name), "utf8");

describe("a forked child of a Helgrind or DRD run, in its parent's log", () => {
  it.each([
    ["helgrind.txt", "Helgrind", 21170, 21224, 49],
    ["drd.txt", "drd", 21272, 21360, 23],
  ])(
    "%s: the child is skipped as its parent's tool, with no false diagnostic",
    (name, tool, parent, child, line) => {
      const result = parse(text(name), { path: name });
      // Neither tool prints a HEAP SUMMARY: the child's `For lists of detected ...` said the log
      // started after one, its first line a traced child's overwrite (log-overwritten), and
      // Helgrind's `Use --history-level=approx` hint was two lines not understood.
      expect(result.diagnostics.map((d) => [d.code, d.line, d.message])).toEqual([
        ["other-tool", 1, `PID ${parent} runs ${tool}, not Memcheck: its lines are skipped`],
        [
          "other-tool",
          line,
          `PID ${child} runs ${tool}, not Memcheck (no banner: a child forked by a ${tool} run, which prints none): its lines are skipped`,
        ],
        ["other-tool", undefined, expect.stringMatching(/ log, not Memcheck's: /)],
      ]);
      expect(result.fatal?.code).toBe("other-tool");
      expect(result.errors).toEqual([]);
    },
  );

  it.each(["helgrind.txt", "drd.txt"])(
    "%s is refused as the tool's log, as it is without the child",
    async (name) => {
      const run = await cli(["summarize", "--fail-on", "error,incomplete", join(DIR, name)]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/log, not Memcheck's: leaklog reads Valgrind Memcheck logs/);
    },
  );

  it("a bannerless process after the tool's run ended is no child of it: a -q -s Memcheck run", () => {
    const log = `${text("helgrind.txt")}==7== ERROR SUMMARY: 0 errors from 0 contexts (suppressed: 0 from 0)\n`;
    const result = parse(log, { path: "then-memcheck.txt" });
    expect(result.fatal).toBeUndefined();
    expect(result.diagnostics.filter((d) => d.message.startsWith("PID 7"))).toEqual([]);
  });
});

// A -q Memcheck process after a Helgrind run killed by SIGKILL, or in the middle of a Helgrind
// run, whose run never ends or has not ended (campaign v19 F1); see quiet-memcheck/README.md.
const QUIET = join(DIR, "quiet-memcheck");
const quiet = (name: string) => readFileSync(join(QUIET, name), "utf8");
const findings = (result: ParseResult) => ({
  errors: result.errors.map((e) => [e.kind, e.pid, e.thread]),
  leaks: result.leaks.map((l) => [l.kind, l.bytes, l.pid]),
});
/** thr.c's -q run: the `Thread 2:` header before its first line that only Memcheck prints. */
const THREAD = {
  errors: [["InvalidWrite", 3400, 2]],
  leaks: [["definitely-lost", 40, 3400]],
};
/** fd.c's -q --track-fds=yes run: the FILE DESCRIPTORS section before its loss record. */
const FDS = {
  errors: [
    ["FdNotClosed", 1382, undefined],
    ["FdNotClosed", 1382, undefined],
  ],
  leaks: [["definitely-lost", 10, 1382]],
};

describe("a -q Memcheck process while a Helgrind run is going on, which is no child of it", () => {
  it.each([
    ["F-hg-killed-then-q-thread.txt", THREAD],
    ["F-concurrent.txt", THREAD],
    ["F-hg-killed-then-q-fd.txt", FDS],
    ["hgkilled-then-mcq-fd.txt", FDS],
  ])(
    "%s: its findings are kept, its lines before the first that only Memcheck prints too",
    async (name, found) => {
      // Skipped whole as the Helgrind run's forked child, by its first line, which every tool
      // prints: no finding, and the last log was refused as a Helgrind log.
      for (const result of [parse(quiet(name)), await parseFile(join(QUIET, name))]) {
        expect(result.fatal).toBeUndefined();
        expect(findings(result)).toEqual(found);
        // A -q run, ended: the later clean run's summaries called it cut short (campaign cb2 F2).
        expect(result.source.complete).toBe(true);
        const otherTool = result.diagnostics.filter((d) => d.code === "other-tool");
        expect(otherTool.map((d) => [d.line, d.message])).toEqual([
          [1, expect.stringMatching(/^PID (1097|14348) runs Helgrind, not Memcheck: /)],
        ]);
      }
    },
  );

  it.each([
    ["F-hg-killed-then-q-thread.txt", "InvalidWrite"],
    ["hgkilled-then-mcq-fd.txt", "10 bytes definitely-lost"],
  ])("%s fails the error gate (it passed, or was refused)", async (name, first) => {
    const run = await cli(["summarize", "--fail-on", "error", join(QUIET, name)]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(first);
  });

  it("a suspect's held frame lines are read as text, in their order, from the bytes too", async () => {
    // fd.c's FILE DESCRIPTORS section with the real one of fds-inherited/vg.txt, whose
    // descriptors opened by the program have stacks: read from the bytes while the process was
    // held (see LineParser.asciiLine), the frames went before their headlines.
    const opened = readFileSync(join(ROOT, "test/fixtures/valgrind/fds-inherited/vg.txt"), "utf8")
      .split("\n")
      .slice(7, 20)
      .map((line) => line.replace("==27614==", "==1382=="))
      .join("\n");
    const log = quiet("hgkilled-then-mcq-fd.txt").replace(/^==1382== FILE .*\n/m, `${opened}\n`);
    for (const result of [parse(log), await parseChunks([Buffer.from(log)])]) {
      expect(result.errors.map((e) => [e.kind, e.stack[0]?.function])).toEqual([
        ["FdNotClosed", "pipe"],
        ["FdNotClosed", "pipe"],
        ["FdNotClosed", "open"],
        ["FdNotClosed", undefined],
        ["FdNotClosed", undefined],
      ]);
      expect(findings(result).leaks).toEqual(FDS.leaks);
    }
  });

  it("a child whose ERROR SUMMARY the log lacks is told by Helgrind's closing hint", () => {
    // helgrind.txt without the child's ERROR SUMMARY. Its parent's run ended after it began, so
    // at the log's end it would be a -q Memcheck process (campaign v20 F1): Helgrind's `Use
    // --history-level=approx` hint, which only Helgrind prints, tells the child first.
    const log = text("helgrind.txt").replace(/^==21224== ERROR SUMMARY.*\n/m, "");
    const result = parse(log, { path: "cut.txt" });
    expect(result.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ["other-tool", 1],
      ["other-tool", 49],
      ["other-tool", undefined],
    ]);
    expect(result.diagnostics[1]?.message).toMatch(/^PID 21224 runs Helgrind, not Memcheck \(/);
    expect(result.fatal?.code).toBe("other-tool");
  });

  it("holds no more than a block's lines of a suspect: past them it is its tool's child", () => {
    const opened = "==1382== Open file descriptor 3: /dev/null\n".repeat(MAX_BLOCK_LINES);
    const log = quiet("hgkilled-then-mcq-fd.txt").replace(/^(==1382== FILE .*\n)/m, `$1${opened}`);
    const result = parse(log, { path: "many.txt" });
    expect(result.leaks).toEqual([]);
    expect(result.fatal?.code).toBe("other-tool");
  });
});

describe("a -q Memcheck run after a killed Helgrind run of the same PID (containers' PID 1)", () => {
  it("starts at its first Memcheck-only line, as after a -q Helgrind run (campaign v20 F3)", () => {
    const name = "quiet-memcheck/pid1-killed-helgrind/F3-pid1-hgkilled-mixq-clean.txt";
    const result = parse(text(name), { path: name });
    // Its Invalid write, uninitialised jump and three definite leaks were skipped as Helgrind's.
    expect(result.errors.map((e) => [e.kind, e.pid, e.run, e.thread])).toEqual([
      ["InvalidWrite", 1, 2, 2],
      ["UninitCondition", 1, 2, 1],
    ]);
    expect(result.leaks.map((l) => [l.bytes, l.run])).toEqual([
      [8, 2],
      [10, 2],
      [40, 2],
    ]);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["other-tool"]);
  });
});
