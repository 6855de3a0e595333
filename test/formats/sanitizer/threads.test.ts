import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../../src/api/parse.js";
import { ROOT } from "../../helpers/golden.js";

/*
 * ASan announces the erring thread (`Thread T1 created by T0 here:`) when the report is done,
 * unless an address description did it already: after the SUMMARY for a deadly signal, after
 * the shadow legend for a global overflow. Real runs in test/fixtures/sanitizer/threads.
 */
const parseFixture = (name: string) => {
  const path = `test/fixtures/sanitizer/threads/${name}`;
  return parse(readFileSync(join(ROOT, path), "utf8"), { path });
};

const CREATED_BY_T0 = ["__interceptor_pthread_create", "main", "__libc_start_call_main"];

describe("the thread-creation stack of an ASan error", () => {
  it.each([
    ["asan3_1.txt", "heap-buffer-overflow", 2],
    ["asan3_2.txt", "SEGV", 1],
    ["asan3_3.txt", "stack-overflow", 1],
    ["asan3_4.txt", "ABRT", 1],
    ["gthr.txt", "global-buffer-overflow", 1],
  ])("%s: is the error's last aux entry, wherever ASan prints it", (name, kind, auxCount) => {
    const r = parseFixture(name);
    expect(r.errors.map((e) => [e.kind, e.thread, e.aux.length])).toEqual([[kind, 1, auxCount]]);
    const thread = r.errors[0]?.aux.at(-1);
    expect(thread?.message).toBe("Thread T1 created by T0 here:");
    expect(thread?.stack?.map((f) => f.function)).toEqual(CREATED_BY_T0);
    expect(r.errors[0]?.details?.["aborted"]).toBe(true);
    // Aborted at the error: LeakSanitizer never ran, which is said, and nothing else is.
    expect(r.diagnostics.map((d) => [d.severity, d.code])).toEqual([["info", "no-leak-check"]]);
    expect(r.source.counters.programLines).toBe(0);
    expect(r.source.counters.unrecognizedLines).toBe(0);
  });

  it("keeps each creator of a nested thread, in ASan's order", () => {
    const r = parseFixture("nested.txt");
    expect(r.errors[0]?.aux.map((a) => [a.message, a.stack?.[1]?.function])).toEqual([
      ["Thread T2 created by T1 here:", "outer"],
      ["Thread T1 created by T0 here:", "main"],
    ]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(["no-leak-check"]);
    expect(r.source.counters.programLines).toBe(0);
  });

  it("does not take frames after a SUMMARY that no thread header introduces", () => {
    const log = readFileSync(join(ROOT, "test/fixtures/sanitizer/threads/asan3_2.txt"), "utf8");
    const r = parse(log.replace("Thread T1 created by T0 here:\n", ""));
    expect(r.errors[0]?.aux).toEqual([]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(Array(3).fill("unrecognized-line"));
  });

  it("ends the report at program output after the thread stack (recover mode)", () => {
    const log = readFileSync(join(ROOT, "test/fixtures/sanitizer/threads/asan3_2.txt"), "utf8");
    const r = parse(log.replace(/==\d+==ABORTING\n?$/, "program goes on\n"));
    expect(r.errors[0]?.aux).toHaveLength(1);
    expect(r.errors[0]?.details?.["aborted"]).toBeUndefined();
    expect(r.source.counters.programLines).toBe(1);
  });
});

// Campaign v14: the second thread's DEADLYSIGNAL ended the first thread's report.
describe("two threads crashing at once", () => {
  it("keep the first report whole, its stack included", () => {
    const result = parseFixture("two-crashes.log");
    expect(result.source.complete).toBe(true);
    expect(result.errors.map((e) => [e.kind, e.stack.map((f) => f.function)])).toEqual([
      ["SEGV", ["t", "start_thread", "clone3"]],
    ]);
    expect(result.source.counters.unrecognizedLines).toBe(0);
  });
});
