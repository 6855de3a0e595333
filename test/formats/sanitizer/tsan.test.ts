import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KNOWN_ERROR_KINDS, type Frame } from "../../../src/model/index.js";
import { fingerprintStack, parse, type ParseResult } from "../../../src/index.js";
import { tsanKind } from "../../../src/formats/sanitizer/tsan-reports.js";
import { ROOT } from "../../helpers/golden.js";

// Real gcc 12 runs of kinds.c and cxx.cpp; see the README.md.
const DIR = join(ROOT, "test", "fixtures", "sanitizer", "tsan");
const text = (name: string) => readFileSync(join(DIR, name), "utf8");
const read = (name: string, body = text(name)): ParseResult => parse(body, { path: name });
const warnings = (result: ParseResult) => result.diagnostics.filter((d) => d.severity !== "info");
const functions = (stack: readonly Frame[]) => stack.map((f) => f.function);

/** Each one-report log: its kind, the thread, the first stack's functions, the aux titles. */
const ONE_REPORT: readonly [string, string, number | undefined, string[], string[]][] = [
  [
    "race.log",
    "data-race",
    0,
    ["main"],
    [
      "Previous write of size 4 at 0x555d5a698148 by thread T1",
      "Thread T1 (tid=3903, finished) created by main thread at",
    ],
  ],
  [
    "heap.log",
    "data-race",
    0,
    ["main"],
    [
      "Previous write of size 4 at 0x7b0400000004 by thread T1",
      "Location is heap block of size 16 at 0x7b0400000000 allocated by main thread",
      "Thread T1 (tid=3908, finished) created by main thread at",
    ],
  ],
  // The leaked thread is the one the report is about.
  ["leak.log", "thread-leak", 1, ["pthread_create", "main"], []],
  [
    "order.log",
    "lock-order-inversion",
    0,
    ["pthread_mutex_lock", "main"],
    [
      "Mutex M0 acquired here while holding mutex M1 in thread T1",
      "Thread T1 (tid=3931, running) created by main thread at",
    ],
  ],
  // The mutex reports print their own stack first, with no title and so no thread.
  [
    "unlock.log",
    "unlock-of-unlocked-mutex",
    undefined,
    ["pthread_mutex_unlock", "main"],
    ["Mutex M0 (0x7ffd3eb40350) created at"],
  ],
  [
    "destroy.log",
    "destroy-of-locked-mutex",
    undefined,
    ["pthread_mutex_destroy", "main"],
    ["and", "Mutex M0 (0x7ffc0ae189c0) created at"],
  ],
  [
    "free.log",
    "data-race",
    0,
    ["free", "main"],
    [
      "Previous write of size 4 at 0x7b0400000004 by thread T1",
      "Thread T1 (tid=3946, finished) created by main thread at",
    ],
  ],
];

describe("ThreadSanitizer reports", () => {
  it.each(ONE_REPORT)("%s: one error of its type", (name, kind, thread, stack, aux) => {
    const result = read(name);
    expect(result.source.format).toBe("sanitizer");
    expect(warnings(result)).toEqual([]);
    expect(result.source.complete).toBe(true);
    expect(result.source.counters.unrecognizedLines).toBe(0);
    expect(result.errors).toHaveLength(1);
    const [error] = result.errors;
    expect(error?.tool).toBe("tsan");
    expect(error?.kind).toBe(kind);
    expect(error?.location.line).toBe(2);
    expect(error?.thread).toBe(thread);
    expect(functions(error?.stack ?? [])).toEqual(stack);
    expect(error?.aux.map((a) => a.message)).toEqual(aux);
    // Its own count at exit, kept as the process's summary.
    expect(result.summaries).toEqual([
      expect.objectContaining({ pid: error?.pid, errors: { errors: 1, contexts: 1 } }),
    ]);
  });

  it("keep the tool's words: the type as message, title, description and SUMMARY in details", () => {
    const [error] = read("race.log").errors;
    expect(error?.message).toBe("data race");
    expect(error?.pid).toBe(3901);
    expect(error?.stack[0]).toEqual({
      function: "main",
      object: "kinds",
      file: "/tmp/tsan/kinds.c",
      line: 17,
    });
    expect(error?.details).toMatchObject({
      title: "Read of size 4 at 0x555d5a698148 by main thread",
      description: "Location is global 'shared' of size 4 at 0x555d5a698148 (kinds+0x4148)",
      summary: "data race /tmp/tsan/kinds.c:17 in main",
    });
    const order = read("order.log").errors[0];
    expect(order?.message).toBe("lock-order-inversion (potential deadlock)");
    expect(order?.details?.["description"]).toMatch(/^Cycle in lock order graph: M0 .*\nHint: /);
  });

  it("are read between the program's lines, and checked against TSan's count of them", () => {
    const many = read("many.log");
    expect(warnings(many)).toEqual([]);
    expect(many.errors.map((e) => [e.kind, e.pid])).toEqual([
      ["data-race", 7601],
      ["data-race", 7601],
    ]);
    expect(many.source.counters.programLines).toBe(1);
    expect(many.summaries.map((s) => s.errors)).toEqual([{ errors: 2, contexts: 2 }]);

    // Two processes in one log: each count follows its own reports.
    const suite = read("suite.log");
    expect(warnings(suite)).toEqual([]);
    expect(suite.errors.map((e) => [e.kind, e.pid])).toEqual([
      ["data-race", 7611],
      ["thread-leak", 7610],
    ]);
    expect(suite.summaries.map((s) => [s.pid, s.errors?.errors])).toEqual([
      [7611, 1],
      [7610, 1],
    ]);
    expect(suite.source.counters.programLines).toBe(5);
  });

  it("warn when the log holds fewer reports than TSan counted", () => {
    const lines = text("many.log").split("\n");
    // The second report (its separator to its SUMMARY and closing separator) cut out.
    const second = lines.indexOf("==================", 1) + 1;
    const cut = [
      ...lines.slice(0, second),
      ...lines.slice(lines.indexOf("==================", second + 1) + 1),
    ];
    const result = read("cut.log", cut.join("\n"));
    expect(result.errors).toHaveLength(1);
    expect(warnings(result)).toEqual([
      expect.objectContaining({
        code: "summary-mismatch",
        pid: 7601,
        message: expect.stringContaining(
          "ThreadSanitizer reported 2 warnings (process 7601), but 1",
        ),
      }),
    ]);
  });

  it("read C++ frames, unsymbolized frames, and a run halted at its first report", () => {
    const cxx = read("cxx.log");
    expect(warnings(cxx)).toEqual([]);
    expect(cxx.errors.map((e) => [e.thread, e.stack[0]?.function])).toEqual([
      [2, "deposit"],
      [0, "operator delete[](void*)"],
    ]);
    // `<null>` is no function and no file: the frame has its module only.
    expect(cxx.errors[0]?.stack.at(-1)).toEqual({ object: "libstdc++.so.6", offset: "0xd44a2" });
    // A C++ function name holds spaces and parentheses; its file is `<null>`.
    expect(cxx.errors[0]?.aux[1]?.stack?.[1]?.function).toBe(
      "std::thread::_M_start_thread(std::unique_ptr<std::thread::_State, std::default_delete<std::thread::_State> >, void (*)())",
    );

    const unsymbolized = read("symbolize0.log");
    expect(warnings(unsymbolized)).toEqual([]);
    expect(unsymbolized.errors[0]?.stack).toEqual([
      { object: "kinds", offset: "0x155a" },
      { object: "libc.so.6", offset: "0x27249" },
    ]);

    // halt_on_error=1: no count at exit, and nothing missing.
    const halted = read("halt.log");
    expect(warnings(halted)).toEqual([]);
    expect(halted.errors).toHaveLength(1);
    expect(halted.summaries).toEqual([]);
    expect(halted.source.complete).toBe(true);
  });

  it("read clang's frames, which end in a build id", () => {
    // Every frame went to the description: no stack, and two races merged into one group.
    const kinds = read("clang14-kinds.log");
    expect(warnings(kinds)).toEqual([]);
    expect(kinds.errors.map((e) => [e.kind, functions(e.stack)])).toEqual([
      ["data-race", ["w"]],
      ["lock-order-inversion", ["pthread_mutex_lock", "main"]],
      ["heap-use-after-free", ["main"]],
      ["thread-leak", ["pthread_create", "main"]],
    ]);
    expect(kinds.errors[0]?.stack[0]).toMatchObject({
      file: "/tmp/camp-n/w/cl/../race.c",
      line: 6,
    });
    expect(kinds.errors[0]?.aux.map((a) => a.stack?.length)).toEqual([1, 2, 2]);
    const races = read("clang14-tworaces.log");
    const stacks = races.errors.map((e) => fingerprintStack(e.stack));
    expect(races.errors.map((e) => functions(e.stack))).toEqual([["fa"], ["fb"]]);
    expect(new Set(stacks).size).toBe(2);
  });

  it("say which frame lines they could not read instead of taking them for description", () => {
    const body = text("race.log").replace(/(#0 main \S+ \(kinds\+0x\w+\))/, "$1 [odd]");
    const result = read("odd.log", body);
    expect(warnings(result).map((d) => [d.code, d.line])).toEqual([["unrecognized-line", 4]]);
    expect(result.errors[0]?.details?.["description"]).not.toContain("[odd]");
  });

  it("cut before its SUMMARY leaves the report incomplete, and keeps it", () => {
    const lines = text("race.log").split("\n");
    const result = read("cut.log", lines.slice(0, 10).join("\n"));
    expect(result.errors.map((e) => e.kind)).toEqual(["data-race"]);
    expect(result.source.complete).toBe(false);
    expect(warnings(result).map((d) => d.code)).toEqual(["incomplete"]);
  });

  it("include the deadly signals it reports as ASan does, with no thread from the OS tid", () => {
    const segv = read("segv.log");
    expect(warnings(segv)).toEqual([]);
    expect(segv.source.counters.unrecognizedLines).toBe(0);
    expect(segv.errors.map((e) => [e.tool, e.kind, e.pid, e.thread, e.stack[0]?.function])).toEqual(
      [["tsan", "SEGV", 12578, undefined, "main"]],
    );
    expect(segv.errors[0]?.details).toMatchObject({
      access: "READ",
      aborted: true,
      description: "ThreadSanitizer can not provide additional info.",
    });
    const abort = read("abrt.log");
    expect(warnings(abort)).toEqual([]);
    expect(abort.errors.map((e) => [e.tool, e.kind, e.thread])).toEqual([
      ["tsan", "ABRT", undefined],
    ]);
  });

  it("fingerprint without the runtime's interceptor frames on top", () => {
    for (const name of ["unlock.log", "destroy.log", "free.log", "cxx.log"]) {
      const error = read(name).errors.at(-1);
      const stack = error?.stack ?? [];
      expect(stack[0]?.file, name).toMatch(/\/libsanitizer\/(?:tsan|sanitizer_common)\//);
      expect(fingerprintStack(stack), name).toBe(fingerprintStack(stack.slice(1)));
    }
  });

  it("have kinds from compiler-rt's report types, each a kind --fail-on knows", () => {
    const types = {
      "data race": "data-race",
      "data race on vptr (ctor/dtor vs virtual call)": "data-race-on-vptr",
      "heap-use-after-free (virtual call vs free)": "heap-use-after-free",
      "race on external object": "race-on-external-object",
      "thread leak": "thread-leak",
      "destroy of a locked mutex": "destroy-of-locked-mutex",
      "double lock of a mutex": "double-lock-of-mutex",
      "use of an invalid mutex (e.g. uninitialized or destroyed)": "use-of-invalid-mutex",
      "unlock of an unlocked mutex (or by a wrong thread)": "unlock-of-unlocked-mutex",
      "read lock of a write locked mutex": "read-lock-of-write-locked-mutex",
      "read unlock of a write locked mutex": "read-unlock-of-write-locked-mutex",
      "signal-unsafe call inside of a signal": "signal-unsafe-call-inside-of-signal",
      "signal handler spoils errno": "signal-handler-spoils-errno",
      "lock-order-inversion (potential deadlock)": "lock-order-inversion",
      "mutex held in the wrong context": "mutex-held-in-wrong-context",
    };
    for (const [type, kind] of Object.entries(types)) {
      expect(tsanKind(type), type).toBe(kind);
      expect(KNOWN_ERROR_KINDS, kind).toContain(kind);
    }
  });

  it("are not taken from a program's look-alike lines", () => {
    const result = read(
      "program.log",
      ["==================", "results", "  Totals:", "    #1 winner (team+0x1)", "done"].join("\n"),
    );
    expect(result.source.format).toBe("unknown");
  });
});
