import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, summarize, type ParseResult } from "../../../src/index.js";
import { ROOT } from "../../helpers/golden.js";

// Real valgrind 3.19 runs of parent.c, which runs ./child through system(); see the README.md.
const DIR = join(ROOT, "test", "fixtures", "valgrind", "log-file-shared");
const read = (name: string, text = readFileSync(join(DIR, name), "utf8")): ParseResult =>
  parse(text, { path: name });
const folder = (name: string): ParseResult[] =>
  readdirSync(join(DIR, name))
    .sort()
    .map((file) => read(`${name}/${file}`));
const overwritten = (result: ParseResult) =>
  result.diagnostics.filter((d) => d.code === "log-overwritten");
/** What the runs with a file per process count, text and XML alike. */
const TRUTH = {
  leaks: { "definitely-lost": { bytes: 32, blocks: 2 } },
  errors: { InvalidRead: 3 },
};

describe("--trace-children=yes with one log file for every process", () => {
  it.each([
    {
      log: "one.txt",
      line: 7,
      message:
        /^PID 26304's preamble \(Parent PID: 26303\) opens the log, and PID 26303 starts here with no preamble of its own: .* \(--log-file=vg\.%p\.log\)$/,
    },
    // At the cut itself, the child's `Command:` line, which holds the parent's line glued.
    {
      log: "preamble-cut/kids.1.txt",
      line: 4,
      message:
        /^PID 31219's preamble opens the log and PID 31218's line cuts it before its end: .* \(--log-file=vg\.%p\.log\)$/,
    },
    // make's: the parent's lines are gone; cat's empty line is cut by make's (see README.md).
    {
      log: "make-test/shared.txt",
      line: 6,
      message:
        /^PID 26350's preamble \(Parent PID: 26336\) opens the log, and a Valgrind line is cut here by PID 26268's line: .* \(--log-file=vg\.%p\.log\)$/,
    },
    // A shell's test suite: its later line cut the last program's `Parent PID:` line, which is
    // no number then (camp-ctest F2: read as a log cut short).
    ...["all.log", "suite.log"].map((name) => ({
      log: `suite-shell/${name}`,
      line: 5,
      message:
        /^PID \d+'s preamble opens the log and PID \d+'s line cuts it before its end: .* an ancestor's later lines .* \(--log-file=vg\.%p\.log\)$/,
    })),
    // The XML file's elements are broken where the child wrote over them.
    { log: "one.xml", line: 25, message: /\(one\.xml, no %p\).*\(--xml-file=vg\.%p\.xml\)$/ },
  ])("says that a traced child wrote over $log from its start", ({ log, line, message }) => {
    const result = read(log);
    expect(overwritten(result)).toEqual([
      expect.objectContaining({
        severity: "warning",
        line,
        message: expect.stringMatching(message),
      }),
    ]);
    expect(result.source.complete).toBe(false);
  });

  it("reads the parent's error whose headline was glued to the end of a shell's summary line", () => {
    const result = read("one.txt");
    const errors = result.errors.map(
      (e) => `${e.pid} ${e.kind} ${e.stack[0]?.line} @${e.location.line}`,
    );
    expect(errors).toEqual(["26302 InvalidRead 8 @14"]);
    const unread = result.diagnostics.filter((d) => d.code === "unrecognized-line");
    expect(unread.map((d) => d.message)).toEqual([
      'line not understood: "I"',
      'line not understood: "   indirectly lost: 0 bytes in 0"',
    ]);
  });

  it("says nothing of logs of their own, or of one stderr, which count what was lost", () => {
    for (const run of ["own", "own-xml", "stderr.txt"]) {
      const results = run.endsWith(".txt") ? [read(run)] : folder(run);
      expect(results.flatMap(overwritten), run).toEqual([]);
      const { leaks, errors } = summarize(results).totals;
      expect({ leaks, errors }, run).toEqual(TRUTH);
    }
  });

  it("says nothing of logs of their own joined child first: the parent's preamble is whole", () => {
    const [parent, shell, child] = readdirSync(join(DIR, "own"))
      .sort()
      .map((file) => readFileSync(join(DIR, "own", file), "utf8"));
    const joined = read("joined.txt", `${child}${shell}${parent}`);
    expect(overwritten(joined)).toEqual([]);
  });

  it("says nothing of logs of their own joined after one cut mid-line: a banner is glued there", () => {
    const [parent, , child] = readdirSync(join(DIR, "own"))
      .sort()
      .map((file) => readFileSync(join(DIR, "own", file), "utf8"));
    const cut = (child as string).slice(0, -30);
    expect(cut.endsWith("\n")).toBe(false);
    const joined = read("joined.txt", `${cut}${parent}`);
    expect(overwritten(joined)).toEqual([]);
  });

  it("tells of the process whose log was written over, not of a parent's log to give", () => {
    const report = summarize([read("make-test/shared.txt")]);
    const cat = report.diagnostics.filter((d) => d.pid === 26350);
    expect(cat).toEqual([
      expect.objectContaining({
        code: "incomplete",
        message: expect.stringMatching(/^PID 26350 printed only .*other processes wrote over/),
      }),
    ]);
    expect(report.sources[0]?.complete).toBe(false);
  });

  it("says the opener of a suite's log lost its summary to the overwrite, not to a cut", () => {
    const result = read("suite-shell/all.log");
    const opener = result.diagnostics.filter((d) => d.code === "incomplete");
    expect(opener.map((d) => [d.code, d.message])).toEqual([
      [
        "incomplete",
        "PID 15533: the log ends before Valgrind's ERROR SUMMARY: other processes wrote over the rest of its lines (see log-overwritten), or its run was cut short",
      ],
    ]);
    // What is left: the shell's still-reachable blocks; the %p run's definite leaks are gone.
    expect(summarize([result]).totals.leaks).toEqual({
      "still-reachable": { bytes: 10095, blocks: 59 },
    });
  });

  it("tells a helper run by system() that others wrote over from a child that checked nothing", () => {
    // camp-ctest F5: its parent's lines beside it made it a forked child of an untraced exec.
    const report = summarize([read("ctest-system/MemoryChecker.10.log")]);
    expect(report.diagnostics.map((d) => [d.severity, d.code, d.pid])).toEqual([
      ["warning", "log-overwritten", undefined],
      ["warning", "incomplete", 4951],
      ["info", "unnamed-frames", undefined],
      ["warning", "summary-mismatch", 4951],
      ["warning", "incomplete", 4977],
    ]);
    expect(report.diagnostics.at(-1)?.message).toMatch(
      /^PID 4977 printed only .*other processes wrote over the rest of its log/,
    );
  });

  it("says nothing of a whole XML file that every traced process was told to write", () => {
    // The parent's own document, as if its --xml-file had no %p: no child wrote over it.
    const name = readdirSync(join(DIR, "own-xml")).sort()[0] as string;
    const text = readFileSync(join(DIR, "own-xml", name), "utf8");
    const whole = read(
      "one.xml",
      text.replace("--xml-file=own-xml/vg.%p.xml", "--xml-file=one.xml"),
    );
    expect(text).toContain("--trace-children=yes");
    expect(overwritten(whole)).toEqual([]);
    expect(whole.diagnostics).toEqual([]);
  });
});
