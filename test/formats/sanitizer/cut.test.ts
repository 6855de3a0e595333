import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../../src/api/parse.js";
import type { Frame } from "../../../src/model/index.js";
import { ROOT } from "../../helpers/golden.js";

// A real ASan leak report, read cut after its first N bytes (test/fixtures/sanitizer/cut).
const FULL = readFileSync(join(ROOT, "test/fixtures/sanitizer/cut/full.log"), "utf8");
const UAF = readFileSync(join(ROOT, "samples/sanitizer/asan-use-after-free.log"), "utf8");
const cut = (text: string, bytes: number) => parse(text.slice(0, bytes), { path: "cut.log" });
/** The log up to and with `through`, met after `after`. */
const upTo = (text: string, after: string, through: string) =>
  text.slice(0, text.indexOf(through, text.indexOf(after)) + through.length);
const functions = (stack: readonly Frame[]) => stack.map((f) => f.function);

describe("a sanitizer report the log ends in (campaign bk F1)", () => {
  it("marks its last leak record truncated and drops the frame cut mid-line", () => {
    // Ends in `#1 0x55756bcc12a8 in leak_a /tmp/camp-b`: no file `/tmp/camp-b`, no such frame.
    const result = cut(FULL, 700);
    expect(result.leaks.map((l) => [l.bytes, functions(l.stack), l.details])).toEqual([
      [200, ["__interceptor_malloc", "leak_b", "main", "__libc_start_call_main"], undefined],
      [100, ["__interceptor_malloc"], { truncated: true }],
    ]);
  });

  it("keeps no frame of a line cut after its address, and tells no naming info of it", () => {
    // `#0 0x7f90b74b89cf` alone was a bare frame, and its info blamed a library dlclose'd.
    const result = cut(FULL, 200);
    expect(result.leaks.map((l) => [l.stack, l.details])).toEqual([[[], { truncated: true }]]);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["incomplete"]);
  });

  it("tells no library-stack advice of a stack cut after its allocator", () => {
    // clang names its interceptor `strdup`: the cut stack stopped "inside the C library".
    const clang = readFileSync(join(ROOT, "samples/sanitizer/clang-lsan-basic.log"), "utf8");
    const result = parse(upTo(clang, " in strdup ", "\n"), { path: "cut.log" });
    expect(result.leaks.at(-1)).toMatchObject({ stack: [{ function: "strdup" }] });
    expect(result.diagnostics.map((d) => d.code)).toEqual(["incomplete"]);
  });

  it("reads a frame's indent alone as the cut it is, not as the blank line after a stack", () => {
    const result = cut(FULL, 1300);
    expect(result.leaks.at(-1)).toMatchObject({
      bytes: 6,
      stack: [],
      details: { truncated: true },
    });
  });

  it("keeps a whole last frame line, and marks its record: the stack may go on", () => {
    const text = upTo(FULL, "Direct leak of 100", "leaks.c:8\n");
    const last = parse(text, { path: "cut.log" }).leaks.at(-1);
    expect(last && [functions(last.stack), last.details]).toEqual([
      ["__interceptor_malloc", "leak_a"],
      { truncated: true },
    ]);
    // A CRLF log cut between the CR and the LF: the line is whole.
    const crlf = parse(`${text.slice(0, -1).replace(/\n/g, "\r\n")}\r`, { path: "cut.log" });
    expect(functions(crlf.leaks.at(-1)?.stack ?? [])).toEqual(["__interceptor_malloc", "leak_a"]);
  });

  it("marks no record a blank line ends", () => {
    const text = upTo(FULL, "Direct leak of 100", "main.h:58\n\n");
    expect(parse(text, { path: "cut.log" }).leaks.map((l) => l.details)).toEqual([
      undefined,
      undefined,
    ]);
  });

  it("marks an error report cut in its own stack, not one cut in a later stack", () => {
    const own = parse(upTo(UAF, "READ of size", "in ma"), { path: "cut.log" }).errors[0];
    expect(own?.kind).toBe("heap-use-after-free");
    expect(functions(own?.stack ?? [])).toEqual(["rec_score"]);
    expect(own?.details).toMatchObject({ truncated: true });
    const later = parse(upTo(UAF, "freed by thread", "in rec_"), { path: "cut.log" }).errors[0];
    expect(later?.stack.length).toBeGreaterThan(1);
    expect(later?.details?.["truncated"]).toBeUndefined();
  });

  it("reads no kind from a SUMMARY cut in it", () => {
    // `SUMMARY: AddressSanitizer: heap-u` was the report's kind, a new group against any baseline.
    const error = parse(upTo(UAF, "SUMMARY:", "heap-u"), { path: "cut.log" }).errors[0];
    expect(error?.kind).toBe("heap-use-after-free");
    expect(error?.details?.["summary"]).toBeUndefined();
  });
});

// Campaign v13: a log cut between ASan's DEADLYSIGNAL line and its report read as a clean run,
// and a baseline's SEGV was called fixed.
describe("a log cut after AddressSanitizer:DEADLYSIGNAL, before its report", () => {
  const SEGV = readFileSync(join(ROOT, "samples/sanitizer/asan-segv.log"), "utf8");

  it("is incomplete at every cut before the report's header, and whole after it", () => {
    const header = SEGV.indexOf("==ERROR:");
    for (const bytes of [29, 30, 60, header - 6]) {
      const result = cut(SEGV, bytes);
      expect(result.source.complete, String(bytes)).toBe(false);
      expect(
        result.diagnostics.map((d) => [d.code, d.line]),
        String(bytes),
      ).toEqual([["incomplete", 1]]);
    }
    expect(parse(SEGV).source.complete).toBe(true);
  });
});

// Campaign v13: a UBSan runtime error cut in its stack was whole and complete, a new group.
describe("a UBSan runtime error the log ends in", () => {
  const UB = readFileSync(join(ROOT, "test/fixtures/sanitizer/cut/ubsan-stack.log"), "utf8");

  it("is truncated, and the log incomplete, when the log ends in its stack", () => {
    for (const bytes of [UB.indexOf("#1") + 20, UB.indexOf("#2")]) {
      const result = cut(UB, bytes);
      expect(
        result.errors.map((e) => e.details?.["truncated"]),
        String(bytes),
      ).toEqual([true]);
      expect(result.source.complete, String(bytes)).toBe(false);
    }
  });

  it("is whole after the blank line that ends its stack", () => {
    const result = parse(UB);
    expect(result.errors.map((e) => e.details?.["truncated"])).toEqual([undefined]);
    expect(result.source.complete).toBe(true);
  });
});

// Campaign v14: after an earlier report, the cut after DEADLYSIGNAL went unseen again.
describe("a DEADLYSIGNAL line no report followed, after other reports", () => {
  it("makes the log incomplete", () => {
    const lsan = readFileSync(join(ROOT, "samples/sanitizer/lsan-basic.log"), "utf8");
    expect(parse(lsan).source.complete).toBe(true);
    const cutAfter = parse(`${lsan}AddressSanitizer:DEADLYSIGNAL\n`);
    expect(cutAfter.source.complete).toBe(false);
    expect(cutAfter.leaks.length).toBe(parse(lsan).leaks.length);
  });
});

// Campaign v14: memleax's banner past its detection window took a CI log whose sanitizer
// report came later.
describe("a job log with a memleax step's banner, then a sanitizer report", () => {
  it("is the sanitizer's", () => {
    const setup = Array.from({ length: 45 }, (_, i) => `setup ${i}`);
    const memleax = [
      "== Begin monitoring process 4242...",
      "== Callstack statistics: (in ascending order)",
    ];
    const tests = Array.from({ length: 30 }, (_, i) => `test output line ${i}`);
    const result = parse([...setup, ...memleax, ...tests, UAF].join("\n"));
    expect(result.source.format).toBe("sanitizer");
    expect(result.errors.map((e) => e.kind)).toEqual(["heap-use-after-free"]);
  });
});

// A real ThreadSanitizer data race (test/fixtures/sanitizer/tsan/race.log), read cut.
describe("a ThreadSanitizer report the log ends in (campaign v13 F2)", () => {
  const RACE = readFileSync(join(ROOT, "test/fixtures/sanitizer/tsan/race.log"), "utf8");
  const race = (text: string) => {
    const result = parse(text, { path: "cut.log" });
    return [
      result.errors.map((e) => [functions(e.stack), e.details?.["truncated"]]),
      result.diagnostics.map((d) => d.code),
    ];
  };

  it("is truncated when the log ends in the stack it is grouped by", () => {
    expect(race(upTo(RACE, "Read of size", "kinds.c:17 (kinds+0x155a)\n"))).toEqual([
      [[["main"], true]],
      ["incomplete"],
    ]);
    // Cut inside the frame's line: the frame is dropped, not read as `main /tmp/tsan/ki`.
    expect(race(upTo(RACE, "Read of size", "/tmp/tsan/ki"))).toEqual([
      [[[], true]],
      ["incomplete"],
    ]);
    expect(race(upTo(RACE, "WARNING", "by main thread:\n"))).toEqual([
      [[[], true]],
      ["incomplete"],
    ]);
  });

  it("is not truncated when the cut is in a later section, or after its SUMMARY", () => {
    expect(race(upTo(RACE, "Previous write", "kinds.c:9 (kinds+0x1289)\n"))).toEqual([
      [[["main"], undefined]],
      ["incomplete"],
    ]);
    expect(race(upTo(RACE, "SUMMARY", "\n"))).toEqual([[[["main"], undefined]], []]);
  });
});
