import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseChunks, parseFile, type ParseResult } from "../../../src/index.js";
import { ROOT } from "../../helpers/golden.js";

// Real Helgrind and DRD logs written with -q, no banner (campaign bo F3); see the README.md.
const DIR = join(ROOT, "test", "fixtures", "valgrind", "other-tools", "quiet");
const text = (name: string) => readFileSync(join(DIR, name), "utf8");
const codes = (result: ParseResult) => result.diagnostics.map((d) => [d.severity, d.code]);
const otherTool = (result: ParseResult) =>
  result.diagnostics.filter((d) => d.code === "other-tool");

/** A Memcheck -q process (PID 7): one definite leak. */
const LEAK = [
  "==7== 48 bytes in 3 blocks are definitely lost in loss record 1 of 1",
  "==7==    at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)",
  "==7==    by 0x109151: main (x.c:5)",
  "==7== ",
  "",
].join("\n");
const INVALID_READ = [
  "==7== Invalid read of size 4",
  "==7==    at 0x109151: main (x.c:6)",
  "==7==  Address 0x4a8e04c is 0 bytes after a block of size 12 alloc'd",
  "==7==    at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)",
  "==7==    by 0x109142: main (x.c:5)",
  "==7== ",
  "",
].join("\n");
const MEMCHECK_HEAD = "==7== Memcheck, a memory error detector\n==7== Command: ./x\n==7== \n";

describe("Helgrind and DRD text logs written with -q (no banner)", () => {
  it.each([
    ["helgrind-race.txt", "Helgrind", 7766],
    ["helgrind-locks.txt", "Helgrind", 7797],
    ["helgrind-condvar.txt", "Helgrind", 18105],
    ["helgrind-race-s.txt", "Helgrind", 18296],
    ["drd-race.txt", "DRD", 7769],
    ["drd-locks.txt", "DRD", 7831],
    ["drd-condvar.txt", "DRD", 18132],
  ])(
    "%s is refused as its banner would have it, with no made-up finding",
    async (name, tool, pid) => {
      for (const result of [await parseFile(join(DIR, name)), parse(text(name))]) {
        expect(result.fatal?.code).toBe("other-tool");
        expect(result.fatal?.message).toMatch(
          new RegExp(
            `^a ${tool} log, not Memcheck's: .*${tool}'s only as XML \\(rerun with --xml=yes`,
          ),
        );
        expect(result.errors).toEqual([]);
        // No `line not understood` for the thread announcement read before the tool was known.
        expect(codes(result)).toEqual([
          ["warning", "other-tool"],
          ["error", "other-tool"],
        ]);
        expect(result.diagnostics[0]?.message).toBe(
          `PID ${pid} runs ${tool}, not Memcheck (no banner, as with -q; its lines are ${tool}'s): its lines are skipped`,
        );
      }
    },
  );

  it("skips such a process and reads the Memcheck process of the same log, either first", () => {
    for (const log of [text("helgrind-race.txt") + LEAK, LEAK + text("drd-condvar.txt")]) {
      const result = parse(log);
      expect(result.fatal).toBeUndefined();
      expect(result.errors).toEqual([]);
      expect(result.leaks.map((l) => l.bytes)).toEqual([48]);
      expect(codes(result)).toEqual([["warning", "other-tool"]]);
    }
  });

  it("drops the errors made of its blocks read before its lines showed the tool", () => {
    // A DRD headline leaklog does not know, with no frame in DRD's intercepts: read as an
    // Unknown error until the race after it shows the process to be DRD's.
    const early = [
      "==7769== Thread 1:",
      "==7769== Some DRD error at 0x10c080",
      "==7769==    at 0x109236: main (race.c:11)",
      "==7769== ",
      "",
    ].join("\n");
    const result = parse(early + text("drd-race.txt") + LEAK);
    expect(result.errors).toEqual([]);
    expect(result.leaks).toHaveLength(1);
    expect(otherTool(result).map((d) => d.line)).toEqual([8]);
  });

  it("tells a DRD process by one frame in its intercepts, read as text or from its bytes", async () => {
    const drd = [
      "==9== Some DRD error at 0x10c080",
      "==9==    at 0x48582D4: sem_post@* (in /usr/libexec/valgrind/vgpreload_drd-amd64-linux.so)",
      "==9==    by 0x109236: main (t.c:11)",
      "==9== ",
      "",
    ].join("\n");
    // Past a head that a banner made sure of, a chunk is read from its bytes
    // (LineParser.asciiLine), where a frame line, new or known, never reached the text's checks.
    const memcheck = MEMCHECK_HEAD + INVALID_READ + LEAK;
    const whole = parse(memcheck + drd);
    const chunked = await parseChunks([Buffer.from(memcheck), Buffer.from(drd)]);
    for (const result of [whole, chunked]) {
      expect(result.errors.map((e) => e.kind)).toEqual(["InvalidRead"]);
      expect(otherTool(result).map((d) => [d.line, d.message])).toEqual([
        [15, expect.stringMatching(/^PID 9 runs DRD, not Memcheck/)],
      ]);
    }
  });
});

describe("a Memcheck log with such words in it stays Memcheck's", () => {
  it("the program's own output (no prefix) is never the tool's evidence", () => {
    const program = text("helgrind-race.txt").replace(/^==\d+== ?/gm, "");
    for (const log of [MEMCHECK_HEAD + program + LEAK, program + INVALID_READ + LEAK]) {
      const result = parse(log);
      expect(result.fatal).toBeUndefined();
      expect(otherTool(result)).toEqual([]);
      expect(result.leaks).toHaveLength(1);
    }
  });

  it("one prefixed line of theirs is not enough; a lone one is read as before", () => {
    const one = parse(`==7== Locks held: none\n==7==    at 0x1: f (x.c:2)\n==7== \n${LEAK}`);
    expect(otherTool(one)).toEqual([]);
    expect(one.errors.map((e) => [e.kind, e.message])).toEqual([["Unknown", "Locks held: none"]]);
    // Held over its blank line, Helgrind's announcement is read when the next line is Memcheck's.
    const lone = parse(`==7== ---Thread-Announcement-----\n==7== \n${INVALID_READ}${LEAK}`);
    expect(otherTool(lone)).toEqual([]);
    expect(lone.errors.map((e) => e.kind)).toEqual(["InvalidRead"]);
    const warnings = lone.diagnostics.filter((d) => d.severity !== "info");
    expect(warnings.map((d) => [d.code, d.line])).toEqual([["unrecognized-line", 1]]);
    expect(lone.leaks).toHaveLength(1);
  });

  it("a process whose banner named Memcheck is never another tool's", () => {
    const fake = [
      "==7== Possible data race during read of size 4 at 0x10C060 by thread #3",
      "==7== Locks held: none",
      "==7==    at 0x484C7D6: ??? (in /usr/libexec/valgrind/vgpreload_helgrind-amd64-linux.so)",
      "==7== ",
      "",
    ].join("\n");
    const result = parse(MEMCHECK_HEAD + fake + LEAK);
    expect(result.fatal).toBeUndefined();
    expect(otherTool(result)).toEqual([]);
    expect(result.leaks).toHaveLength(1);
  });
});
