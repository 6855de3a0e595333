import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, type ParseResult } from "../../../src/index.js";
import { ROOT } from "../../helpers/golden.js";

// Real runs in which the sanitizer's runtime fails; see the README.md.
const DIR = join(ROOT, "test", "fixtures", "sanitizer", "failures");
const text = (name: string) => readFileSync(join(DIR, name), "utf8");
const read = (name: string, body = text(name)): ParseResult => parse(body, { path: name });

const FAILURES: readonly [string, number | undefined, string, string][] = [
  [
    "lsan-ptrace.log",
    13436,
    "LeakSanitizer has encountered a fatal error.",
    "HINT: LeakSanitizer does not work under ptrace (strace, gdb, etc)",
  ],
  [
    "asan-not-first.log",
    13523,
    "ASan runtime does not come first in initial library list",
    "manually preload it with LD_PRELOAD.",
  ],
  [
    "asan-ulimit.log",
    13526,
    "ERROR: AddressSanitizer failed to allocate 0x10000000",
    "Perhaps you're using ulimit -v",
  ],
  [
    "tsan-ulimit.log",
    undefined,
    "ThreadSanitizer: CHECK failed: sanitizer_allocator",
    "(tid=13529)",
  ],
];

describe("the sanitizer's runtime failing", () => {
  it.each(FAILURES)("%s: one sanitizer-failed warning, no clean run", (name, pid, says, also) => {
    const result = read(name);
    expect(result.source.format).toBe("sanitizer");
    expect(result.source.complete).toBe(false);
    expect(result.leaks).toEqual([]);
    expect(result.errors).toEqual([]);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        severity: "warning",
        code: "sanitizer-failed",
        line: 1,
        message: expect.stringMatching(/the sanitizer's runtime failed: "/),
      }),
    ]);
    const message = result.diagnostics[0]?.message ?? "";
    expect(message).toContain(says);
    expect(message).toContain(also);
    expect(result.source.processes.map((p) => p.pid)).toEqual(pid === undefined ? [] : [pid]);
    expect(result.source.counters.unrecognizedLines).toBe(0);
  });

  it("ends a report it cuts short, and keeps the report", () => {
    const race = readFileSync(
      join(ROOT, "test", "fixtures", "sanitizer", "tsan", "race.log"),
      "utf8",
    );
    const cut = [...race.split("\n").slice(0, 8), text("tsan-ulimit.log")].join("\n");
    const result = read("cut.log", cut);
    expect(result.errors.map((e) => e.kind)).toEqual(["data-race"]);
    expect(result.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ["incomplete", 8],
      ["sanitizer-failed", 9],
    ]);
  });

  it("reads ThreadSanitizer's start-up failure on a high-entropy ASLR kernel", () => {
    // As a public CI log quotes it (see the README.md).
    const result = read(
      "fatal.log",
      "FATAL: ThreadSanitizer: unexpected memory mapping 0x5c8442139000-0x5c844213e000\n",
    );
    expect(result.source.format).toBe("sanitizer");
    expect(result.diagnostics.map((d) => d.code)).toEqual(["sanitizer-failed"]);
  });

  it("is not a program's line that merely mentions a sanitizer", () => {
    const result = read(
      "program.log",
      [
        "checking that AddressSanitizer: CHECK failed: is handled",
        "==1==ERROR: LeakSanitizer: detected memory leaks",
        "",
        "SUMMARY: AddressSanitizer: 0 byte(s) leaked in 0 allocation(s).",
      ].join("\n"),
    );
    expect(result.diagnostics.map((d) => d.code)).not.toContain("sanitizer-failed");
    expect(result.source.counters.programLines).toBe(1);
  });
});
