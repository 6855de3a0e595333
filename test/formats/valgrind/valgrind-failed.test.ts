import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, summarize, type ParseResult } from "../../../src/index.js";
import { ROOT } from "../../helpers/golden.js";

// A real run in which Memcheck's own assertion stops the program; see the README.md.
const DIR = join(ROOT, "test", "fixtures", "valgrind", "valgrind-failed");
const text = readFileSync(join(DIR, "vg.txt"), "utf8");
const read = (name: string, body = readFileSync(join(DIR, name), "utf8")): ParseResult =>
  parse(body, { path: name });
const ASSERTION =
  "Memcheck: mc_errors.c:923 (vgMemCheck_record_user_error): Assertion 'MC_(clo_mc_level) >= 2' failed.";

describe("Valgrind's own failure", () => {
  it("is one warning in the text log, and its report's stacks are no unknown lines", () => {
    const result = read("vg.txt");
    expect(result.diagnostics.filter((d) => d.severity !== "info")).toEqual([
      expect.objectContaining({
        severity: "warning",
        code: "valgrind-failed",
        line: 35,
        message: expect.stringContaining(`("${ASSERTION}")`),
      }),
    ]);
    expect(result.source.complete).toBe(false);
    expect(result.source.counters.unrecognizedLines).toBe(0);
    // The two mid-run leak checks' records before it stay.
    expect(result.leaks.map((l) => l.bytes)).toEqual([48, 64]);
  });

  it("leaves the XML of the same run incomplete: no <status> FINISHED", () => {
    const result = read("vg.xml");
    expect(result.source.complete).toBe(false);
    const incomplete = result.diagnostics.filter((d) => d.code === "incomplete");
    expect(incomplete).toEqual([
      expect.objectContaining({
        line: 95,
        message: expect.stringContaining("ends without <status> FINISHED"),
      }),
    ]);
    expect(result.leaks.map((l) => l.bytes)).toEqual([48, 64]);
  });

  it("is no failure when a program prints a look-alike, and its frames stay findings", () => {
    const lines = text.split("\n");
    // glibc's assert() prints `prog: file.c:12: fn: Assertion `x' failed.`; Valgrind's has `(fn)`.
    const glibc = "client_requests: client_requests.c:23: main: Assertion `c' failed.";
    const result = read(
      "glibc.txt",
      [...lines.slice(0, 9), glibc, ...lines.slice(9, 33)].join("\n"),
    );
    expect(result.diagnostics.map((d) => d.code)).not.toContain("valgrind-failed");
    expect(result.leaks[0]?.stack.map((f) => f.function)).toEqual(["malloc", "main"]);
  });

  it("takes only its own process's frames, not another process's", () => {
    const lines = text.split("\n");
    // Another process's loss record interleaved with the failure report's host stacktrace.
    const other = [
      "==7000== 5 bytes in 1 blocks are definitely lost in loss record 1 of 1",
      "==7000==    at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)",
      "==7000==    by 0x10915A: other (other.c:3)",
      "==7000== ",
    ];
    const mixed = [...lines.slice(0, 38), ...other.slice(0, 2), lines[38], ...other.slice(2)];
    const result = read("mixed.txt", [...mixed, ...lines.slice(39)].join("\n"));
    expect(result.leaks.find((l) => l.pid === 7000)?.stack.map((f) => f.function)).toEqual([
      "malloc",
      "other",
    ]);
    expect(result.diagnostics.filter((d) => d.code === "unrecognized-line")).toEqual([]);
  });

  it("is Valgrind running out of memory: one warning at its headline, which comes last", () => {
    const result = read("oom.txt");
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        severity: "warning",
        code: "valgrind-failed",
        line: 146,
        message: expect.stringContaining("PID 32724: Valgrind itself ran out of memory"),
      }),
    ]);
    expect(result.source.complete).toBe(false);
    // Its stacks came before the headline, its advice after: none of it is an unknown line.
    expect(result.source.counters.unrecognizedLines).toBe(0);
    const besideXml = read("oom-beside-xml.txt");
    expect(besideXml.diagnostics.map((d) => [d.code, d.line])).toEqual([["valgrind-failed", 62]]);
  });

  it("is warned of where its stacks begin when the log ends before the headline", () => {
    const lines = readFileSync(join(DIR, "oom.txt"), "utf8").split("\n");
    const cut = read("cut.txt", lines.slice(0, 140).join("\n"));
    expect(cut.diagnostics).toEqual([
      expect.objectContaining({
        code: "valgrind-failed",
        line: 123,
        message: expect.stringContaining('"host stacktrace:"'),
      }),
    ]);
    expect(cut.source.counters.unrecognizedLines).toBe(0);
  });

  it("leaves the XML of an out-of-memory run unclosed, its program still running", () => {
    const result = read("oom.xml");
    expect(result.source.complete).toBe(false);
    expect(result.diagnostics.filter((d) => d.code === "incomplete")).toEqual([
      expect.objectContaining({
        line: 51,
        message: expect.stringContaining("its program still running"),
      }),
    ]);
    // What the log lacks, as the text log's valgrind-failed warning says it, and not kinds the
    // run's --show-leak-kinds hid (campaign cb2 Q1).
    expect(result.diagnostics.find((d) => d.code === "incomplete")?.message).toMatch(
      /, so its leak check at exit and any later errors are missing$/,
    );
    expect(result.source.hiddenLeakKinds).toBeUndefined();
  });
});

/**
 * The log's one warning is `valgrind-failed`, saying `words`; it is incomplete, and the leak and
 * the overflow the program had after the catch never ran.
 */
function expectEndedProgram(name: string, words: string): void {
  const result = read(name);
  const warnings = result.diagnostics.filter((d) => d.severity !== "info");
  expect(
    warnings.map((d) => d.code),
    name,
  ).toEqual(["valgrind-failed"]);
  expect(warnings[0]?.message, name).toContain(words);
  expect(result.source.complete, name).toBe(false);
  expect([result.leaks.length, result.errors.length], name).toEqual([0, 0]);
}

describe("Valgrind giving up on the program", () => {
  it("a failed new it cannot throw for ended the program: text and XML say so", () => {
    for (const name of ["cannot-throw.txt", "cannot-throw.xml"]) {
      expectEndedProgram(name, "ended the program there (exit code 1)");
    }
    expect(read("cannot-throw.txt").source.counters.unrecognizedLines).toBe(0);
  });

  // Campaign bw F6: the over-aligned new says "aligned failed", and was read as a clean run.
  it("a failed aligned new ended the program too, in 3.19 and 3.27, text and XML", () => {
    for (const name of [
      "cannot-throw-aligned.txt",
      "cannot-throw-aligned.xml",
      "cannot-throw-aligned-3.19.txt",
    ]) {
      expectEndedProgram(name, "an aligned new/new[] failed, and Valgrind, which cannot throw");
    }
    expect(read("cannot-throw-aligned.txt").source.counters.unrecognizedLines).toBe(0);
  });

  it("a suppressions file it refused: the program never ran, the log is unusable", () => {
    const result = read("refused-supp.txt");
    expect(result.fatal).toEqual({
      code: "valgrind-failed",
      message:
        'Valgrind refused its suppressions file "bad.supp" (near line 4: unexpected end-of-file (when reading stack trace)) and exited before the program ran',
    });
    expect(result.source.counters.unrecognizedLines).toBe(0);
  });
});

describe("Valgrind refusing what it is given, with the ==PID== prefix", () => {
  it.each([
    [
      "missing-supp.txt",
      /^PID 13794: Valgrind could not open its suppressions file "does-not-exist.supp"/,
    ],
    [
      "bad-option-no-xml-dest.txt",
      /^PID 13533: Valgrind refused an option \("Bad option: --xml=yes, but no XML destination specified"\)/,
    ],
    [
      "bad-option-gensupp.txt",
      /^PID 13544: Valgrind refused an option \("Bad option: --xml=yes together with --gen-suppressions=yes"\)/,
    ],
  ])("%s is unusable: nothing of the program was checked", (name, message) => {
    const result = read(name);
    expect(result.fatal?.code).toBe("valgrind-failed");
    expect(result.fatal?.message).toMatch(message);
    // The refusal's own lines are no lines left unread.
    expect(result.diagnostics.filter((d) => d.code === "unrecognized-line")).toEqual([]);
  });

  it("Valgrind giving up before the program ran is unusable; beside another run, a warning", () => {
    const result = read("gave-up.txt");
    expect(result.fatal).toEqual({
      code: "valgrind-failed",
      message:
        'PID 16823: Valgrind gave up ("debuginfo reader: Possibly corrupted debuginfo file. I can\'t recover.  Giving up.  Sorry.") before the program ran',
    });
    const other = readFileSync(join(ROOT, "samples/valgrind/leak_definite.txt"), "utf8");
    const both = parse(readFileSync(join(DIR, "gave-up.txt"), "utf8") + other, { path: "ci.log" });
    expect(both.fatal).toBeUndefined();
    expect(both.diagnostics.map((d) => [d.severity, d.code, d.line])).toEqual([
      ["warning", "valgrind-failed", 22],
    ]);
    expect(both.leaks).toHaveLength(3);
  });

  // Campaign bp F2: read as a preamble-only run killed at its start, exit 0.
  it.each([
    ["fatal-redir-stderr.txt", 22516],
    ["fatal-redir-logfile.txt", 29927],
  ])("Valgrind's Fatal error at startup (%s) is unusable: the program never ran", (name, pid) => {
    expect(read(name).fatal).toEqual({
      code: "valgrind-failed",
      message: `PID ${pid}: Valgrind stopped at start-up ("valgrind:  Fatal error at startup: a function redirection") before the program ran; its lines after that one say why`,
    });
  });

  it("a Fatal error at startup beside another run is a warning, and no killed run", () => {
    const stopped = readFileSync(join(DIR, "fatal-redir-stderr.txt"), "utf8");
    const other = readFileSync(join(ROOT, "samples/valgrind/leak_definite.txt"), "utf8");
    const both = parse(stopped + other, { path: "ci.log" });
    expect(both.fatal).toBeUndefined();
    expect(both.leaks).toHaveLength(3);
    // Not also "printed only Valgrind's preamble: the run was killed ... or a forked child".
    expect(summarize([both]).diagnostics.map((d) => [d.severity, d.code, d.line])).toEqual([
      ["warning", "valgrind-failed", 7],
    ]);
  });

  it("in a log of another run too, leaves that run read and the log incomplete", () => {
    const refused = readFileSync(join(DIR, "bad-option-no-xml-dest.txt"), "utf8");
    const other = readFileSync(join(ROOT, "samples/valgrind/leak_definite.txt"), "utf8");
    const result = parse(refused + other, { path: "ci.log" });
    expect(result.fatal).toBeUndefined();
    expect(result.source.complete).toBe(false);
    expect(result.leaks).toHaveLength(3);
    expect(result.diagnostics.map((d) => [d.code, d.line])).toContainEqual(["valgrind-failed", 1]);
  });
});

describe("Valgrind's launcher refusing to start the program", () => {
  const NOT_STARTED = join(ROOT, "test", "fixtures", "valgrind", "not-started");
  const log = (name: string) => readFileSync(join(NOT_STARTED, name), "utf8");

  it("in a stream of several runs, warns of each refusal and leaves the log incomplete", () => {
    const result = parse(log("ci.log"), { path: "ci.log" });
    expect(result.diagnostics.map((d) => [d.severity, d.code, d.line])).toEqual([
      ["warning", "valgrind-failed", 1],
      ["warning", "valgrind-failed", 3],
    ]);
    expect(result.diagnostics[0]?.message).toMatch(
      /^Valgrind did not start \("valgrind: Unknown option: --leak-chek=full"\)/,
    );
    expect(result.diagnostics[1]?.message).toContain("./no-such-test: No such file or directory");
    // The run that did start is read as before.
    expect(result.source.processes).toHaveLength(1);
    expect(result.source.complete).toBe(false);
  });

  it.each([
    ["unknown-option.log", "valgrind: Unknown option: --leak-chek=full"],
    ["bad-option.log", "valgrind: Bad option: --num-callers=abc"],
    ["no-program.log", "valgrind: ./no-such-test: No such file or directory"],
    ["not-executable.log", "valgrind: ./notexec: Permission denied"],
    [
      "no-tool.log",
      "valgrind: failed to start tool 'nosuch' for platform 'amd64-linux': No such file or directory",
    ],
    // Campaign bp F2: these were "not a log leaklog can read", which did not say why.
    ["bad-interpreter.log", "valgrind: ./badinterp.sh: bad interpreter: No such file or directory"],
    ["stack-size.log", "valgrind: I failed to allocate space for the application's stack."],
    ["x86-interpreter.log", "valgrind: m_ume.c: can't open interpreter"],
  ])("alone (%s), is unusable input quoting the refusal", (name, line) => {
    const result = parse(log(name), { path: name });
    expect(result.fatal).toEqual({
      // Its own code, as where the log has other lines (campaign cb1 Q5).
      code: "valgrind-failed",
      message: `Valgrind did not start the program ("${line}"): no log was written`,
    });
  });

  it("an ELF file it cannot load is warned of: the shell's run in its place is no program's", () => {
    const result = parse(log("wrong-arch.log"), { path: "wrong-arch.log" });
    expect(result.diagnostics.map((d) => [d.severity, d.code, d.line])).toEqual([
      ["warning", "valgrind-failed", 1],
    ]);
    expect(result.diagnostics[0]?.message).toMatch(
      /^Valgrind did not start \("valgrind: executable is not for this architecture"\)/,
    );
  });
});
