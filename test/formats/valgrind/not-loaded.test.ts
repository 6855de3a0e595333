import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  parse,
  parseFile,
  summarize,
  type Diagnostic,
  type ParseResult,
  type Report,
} from "../../../src/index.js";
import { ROOT } from "../../helpers/golden.js";

// Campaign bv F3: real runs in which Valgrind's loader refused a program (see the README.md).
const DIR = join(ROOT, "test", "fixtures", "valgrind", "not-loaded");
const read = (name: string): ParseResult =>
  parse(readFileSync(join(DIR, name), "utf8"), { path: name });
const UME = "valgrind: mmap(0x58000000, 4096) failed in UME with error 22 (Invalid argument).";

async function gated(names: readonly string[]): Promise<Report> {
  const results = await Promise.all(names.map((n) => parseFile(join(DIR, n))));
  return summarize(results, { gate: { failOn: ["incomplete"], maxBytes: {} } });
}

const codes = (diagnostics: readonly Diagnostic[]) =>
  diagnostics.map((d) => [d.severity, d.code, d.line]);

describe("a traced exec Valgrind's loader refused, in the text log", () => {
  it("is valgrind-failed quoting Valgrind, and the log incomplete, not clean", async () => {
    const result = read("selfexec.txt");
    expect(codes(result.diagnostics)).toEqual([["warning", "valgrind-failed", 6]]);
    expect(result.diagnostics[0]?.message).toMatch(
      /^Valgrind could not load a program it was to check \("valgrind: mmap\(0x58000000, 4096\) failed in UME with error 22 \(Invalid argument\)\."\): that program did not run/,
    );
    expect(result.diagnostics[0]?.message).toContain("--trace-children=yes");
    expect(result.source.complete).toBe(false);
    const report = await gated(["selfexec.txt"]);
    expect(report.gate?.failed).toBe(true);
  });

  it("leaves the traced parent's own findings read", () => {
    const result = read("fork-at-valgrind.txt");
    expect(codes(result.diagnostics)).toEqual([["warning", "valgrind-failed", 6]]);
    expect(result.diagnostics[0]?.message).toContain(`("${UME}")`);
    expect(result.leaks.map((l) => [l.kind, l.bytes, l.pid])).toEqual([
      ["definitely-lost", 8, 11875],
    ]);
  });

  it("warns once of one refusal told on two lines", () => {
    const result = read("fork-object-file.txt");
    expect(codes(result.diagnostics)).toEqual([["warning", "valgrind-failed", 6]]);
    expect(result.diagnostics[0]?.message).toContain(`("valgrind: this is not an executable")`);
  });

  it("explains the process that exec'd and printed only its preamble", async () => {
    const report = await gated(["exec-self.txt"]);
    // Not also "printed only Valgrind's preamble: the run was killed ... or a forked child".
    expect(codes(report.diagnostics)).toEqual([["warning", "valgrind-failed", 6]]);
    expect(report.sources[0]?.complete).toBe(false);
    expect(report.gate?.failed).toBe(true);
  });

  it("is no failure when the program prints a look-alike", () => {
    const text = readFileSync(join(DIR, "selfexec.txt"), "utf8")
      .replace(UME, "valgrind: mmap(0x58000000) failed in UME, as the test expects")
      .replace(/^valgrind: this can be caused .*$/m, "valgrind: ./prog: cannot execute it yet");
    const result = parse(text, { path: "look-alike.txt" });
    expect(result.diagnostics).toEqual([]);
    expect(result.source.complete).toBe(true);
  });
});

describe("a program Valgrind's loader refused at the top level", () => {
  it.each([
    ["top-at-valgrind.log", UME],
    ["top-directory.log", "valgrind: ./adir: is a directory"],
  ])("alone (%s), is unusable input quoting the refusal", (name, line) => {
    expect(read(name).fatal).toEqual({
      // Its own code, as where the log has other lines (campaign cb1 Q5).
      code: "valgrind-failed",
      message: `Valgrind did not start the program ("${line}"): no log was written`,
    });
  });
});

describe("a traced child's XML document of its preamble only", () => {
  const PARENT = "selfexec/vg.32673.xml";
  const CHILD = "selfexec/vg.32674.xml";

  it("under --trace-children=yes, is an exec Valgrind could not check, not an untraced one", () => {
    // With an absolute --xml-file: a relative one is the exec'd program's directory's, which a
    // child that chdir'd first does not share (campaign v22 F5; see below).
    const child = readFileSync(join(DIR, CHILD), "utf8").replace(
      "--xml-file=vg.%p.xml",
      "--xml-file=/ci/vg.%p.xml",
    );
    const result = parse(child, { path: "vg.xml" });
    expect(result.diagnostics.map((d) => [d.severity, d.code, d.pid])).toEqual([
      ["warning", "incomplete", 32674],
    ]);
    const message = result.diagnostics[0]?.message ?? "";
    expect(message).toContain("--trace-children=yes");
    expect(message).toContain("Valgrind could not start checking the program it exec'd");
    expect(message).not.toContain("does not trace");
    expect(result.source.complete).toBe(false);
  });

  it("is no exec's own file when it is in its parent's, or --log-file was given too", () => {
    const child = readFileSync(join(DIR, CHILD), "utf8");
    const parent = readFileSync(join(DIR, PARENT), "utf8");
    const withLogFile = child.replace(
      "<arg>--xml=yes</arg>",
      "<arg>--xml=yes</arg>\n    <arg>--log-file=t.%p.txt</arg>",
    );
    // Nor with a relative --xml-file, as the campaign's run gave it (see above).
    for (const xml of [child + parent, withLogFile, child]) {
      const result = parse(xml, { path: "vg.xml" });
      expect(result.diagnostics.filter((d) => d.pid === 32674)).toEqual([]);
      expect(result.source.processes.find((p) => p.pid === 32674)?.preambleOnly).toBe(true);
    }
  });

  it("is still an untraced exec's when its exec matched --trace-children-skip", async () => {
    const report = await gated(["skip/vg.11882.xml", "skip/vg.11883.xml"]);
    expect(report.diagnostics.map((d) => [d.severity, d.code, d.pid])).toEqual([
      ["info", "preamble-only", 11883],
    ]);
    expect(report.sources.map((s) => s.complete)).toEqual([true, true]);
    expect(report.gate?.failed).toBe(false);
  });
});
