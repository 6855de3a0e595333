import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../../src/api/parse.js";
import { summarize } from "../../../src/api/summarize.js";
import { ROOT } from "../../helpers/golden.js";

/*
 * Valgrind's text log names an error's thread (`Thread 4:`) only when it differs from the last
 * one printed, which starts at 1 (m_errormgr.c); the XML names it on every error. These logs
 * are cut from real Valgrind 3.19 runs (threads.c of the corpus, and -q runs of it).
 */
const BANNER = ["==7== Memcheck, a memory error detector", "==7== Command: ./threads", "==7== "];
const ERROR = [
  "==7== Invalid write of size 1",
  "==7==    at 0x1091E5: worker (threads.c:12)",
  "==7== ",
];
const LEAK = [
  "==7== 132 bytes in 2 blocks are definitely lost in loss record 1 of 1",
  "==7==    at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)",
  "==7==    by 0x109211: main (threads.c:30)",
  "==7== ",
];
const threadsOf = (lines: readonly string[]) => {
  const report = parse(lines.join("\n"), { path: "threads.txt" });
  return [...report.errors, ...report.leaks].map((r) => r.thread);
};

describe("the thread of a Valgrind text finding", () => {
  it("is 1 before any `Thread N:` header of a process Valgrind started", () => {
    expect(threadsOf([...BANNER, ...ERROR, ...LEAK])).toEqual([1, 1]);
  });

  it("follows the headers, and a header before the loss records", () => {
    const lines = [...BANNER, "==7== Thread 4:", ...ERROR, "==7== Thread 1:", ...LEAK];
    expect(threadsOf(lines)).toEqual([4, 1]);
  });

  it("stays the last header's until another comes", () => {
    expect(threadsOf([...BANNER, "==7== Thread 3 worker:", ...ERROR, ...LEAK])).toEqual([3, 3]);
  });

  it("is unknown without the banner: -q, or a forked child, which goes on from its parent's", () => {
    expect(threadsOf([...ERROR, ...LEAK])).toEqual([undefined, undefined]);
  });

  it("starts again at 1 when the PID execs a new program under Valgrind", () => {
    const lines = [...BANNER, "==7== Thread 2:", ...ERROR, ...BANNER, ...ERROR];
    expect(threadsOf(lines)).toEqual([2, 1]);
  });
});

describe("the thread of a fatal signal (fixtures/valgrind/threads)", () => {
  const threads = (name: string) => {
    const path = `test/fixtures/valgrind/threads/${name}`;
    const report = parse(readFileSync(join(ROOT, path), "utf8"), { path });
    return report.errors.map((e) => [e.kind, e.thread]);
  };

  it("is not the last header's: no header comes before `Process terminating`", () => {
    expect(threads("thr1.txt")).toEqual([
      ["InvalidWrite", 2],
      ["InvalidWrite", 2],
      ["FatalSignal", undefined],
    ]);
    // The XML knows: the signal hit thread 2.
    expect(threads("thr1.xml")).toContainEqual(["FatalSignal", 2]);
  });

  it("is the one a stack overflow notice names", () => {
    expect(threads("thr6.txt")).toEqual([
      ["InvalidWrite", 2],
      ["FatalSignal", 1],
    ]);
    expect(threads("thr6.xml")).toContainEqual(["FatalSignal", 1]);
  });
});

describe("a named thread's header (`Thread 2 alpha:`)", () => {
  const read = (name: string) => {
    const path = `test/fixtures/valgrind/named-threads/${name}`;
    return parse(readFileSync(join(ROOT, path), "utf8"), { path });
  };

  it("gives its errors the thread's name, as the XML's <threadname> does", () => {
    const named = (r: ReturnType<typeof read>) =>
      r.errors.map((e) => [e.kind, e.thread, e.details?.["threadname"]]);
    expect(named(read("vg.txt"))).toEqual([["InvalidWrite", 2, "alpha"]]);
    expect(named(read("vg.txt"))).toEqual(named(read("vg.xml")));
  });

  it("names only the error it comes before, where the XML names every one (campaign ce F2)", () => {
    const named = (r: ReturnType<typeof read>) =>
      r.errors.map((e) => [e.kind, e.thread, e.details?.["threadname"]]);
    // Valgrind prints a header when the thread changes: an error after another of the same id
    // may be another thread's (`second` reused `first`'s id), or the same one renamed.
    expect(named(read("reused-3.27.txt"))).toEqual([
      ["InvalidWrite", 2, "first"],
      ["InvalidRead", 2, undefined],
      ["UninitCondition", 1, undefined],
      ["InvalidWrite", 2, "before"],
      ["InvalidRead", 2, undefined],
    ]);
    expect(named(read("reused-3.27.xml"))).toEqual([
      ["InvalidWrite", 2, "first"],
      ["InvalidRead", 2, "second"],
      ["UninitCondition", 1, undefined],
      ["InvalidWrite", 2, "before"],
      ["InvalidRead", 2, "after"],
    ]);
  });

  it("in the -s recap, names no error: it is printed at exit (campaign ce F2)", () => {
    const named = (r: ReturnType<typeof read>) =>
      r.errors.map((e) => [e.kind, e.thread, e.details?.["threadname"]]);
    // The child's contexts are the recap's alone: `Thread 2 idle:` before the worker's write.
    expect(named(read("forked.12393.txt"))).toEqual([
      ["UninitCondition", 1, undefined],
      ["InvalidWrite", 2, undefined],
    ]);
    expect(named(read("forked.12390.txt"))).toEqual([
      ["InvalidWrite", 2, "worker"],
      ["UninitCondition", 1, undefined],
    ]);
  });

  it("may hold colons, as pthread_setname_np allows", () => {
    const threads = (r: ReturnType<typeof read>) => r.errors.map((e) => [e.kind, e.thread]);
    expect(threads(read("colon.txt"))).toEqual([
      ["InvalidRead", 2],
      ["InvalidRead", 1],
    ]);
    expect(threads(read("colon.txt"))).toEqual(threads(read("colon.xml")));
    expect(read("colon.txt").diagnostics).toEqual([]);
  });
});

describe("a child forked by a worker thread, in a log of its own (fixtures/valgrind/fork-thread)", () => {
  const read = (name: string) => {
    const path = `test/fixtures/valgrind/fork-thread/${name}`;
    return parse(readFileSync(join(ROOT, path), "utf8"), { path });
  };
  const threads = (r: ReturnType<typeof read>) => r.errors.map((e) => [e.kind, e.thread]);

  it("has no thread before a header when its stack starts at a thread's start (campaign bo F4)", () => {
    // The banner alone made it thread 1; the XML of the same run says 2.
    expect(threads(read("vg.29578.txt"))).toEqual([["InvalidWrite", undefined]]);
    expect(threads(read("vg.29611.xml"))).toEqual([["InvalidWrite", 2]]);
    // The parent's header names its thread, as before.
    expect(threads(read("vg.29558.txt"))).toEqual([["InvalidWrite", 2]]);
    expect(threads(read("vg.29585.xml"))).toEqual([["InvalidWrite", 2]]);
  });

  it("has none when its stack is cut but its ERROR SUMMARY counts an inherited context", () => {
    expect(threads(read("nc.18716.txt"))).toEqual([["InvalidWrite", undefined]]);
    expect(threads(read("nc.18788.xml"))).toEqual([["InvalidWrite", 2]]);
    expect(threads(read("nc.18701.txt"))).toEqual([["InvalidWrite", 2]]);
  });

  it("gives its loss records at exit thread 1, which a header names", () => {
    const child = read("lk.17235.txt");
    expect(threads(child)).toEqual([["InvalidWrite", undefined]]);
    expect(child.leaks.map((l) => [l.kind, l.thread])).toEqual([["possibly-lost", 1]]);
  });

  it("has none when its parent's log is summarized with it", () => {
    const report = summarize([read("vg.29558.txt"), read("vg.29578.txt")]);
    expect(report.errors.map((e) => [e.pid, e.thread])).toEqual([
      [29558, 2],
      [29578, undefined],
    ]);
  });

  it("keeps thread 1 where a stack reaches main, inherited contexts or not (fork-own/plain)", () => {
    const path = "test/fixtures/valgrind/fork-own/plain/vg.28696.log";
    const child = parse(readFileSync(join(ROOT, path), "utf8"), { path });
    expect(child.diagnostics.map((d) => d.code)).toContain("summary-mismatch");
    expect(new Set(child.errors.map((e) => e.thread))).toEqual(new Set([1]));
  });
});
