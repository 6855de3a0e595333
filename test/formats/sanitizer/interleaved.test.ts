import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, summarize } from "../../../src/index.js";
import { ROOT } from "../../helpers/golden.js";

// Real make -j logs of ASan tests writing to one stderr; see the README.md.
const DIR = join(ROOT, "test", "fixtures", "sanitizer", "interleaved");
const read = (name: string) => parse(readFileSync(join(DIR, name), "utf8"), { path: name });

/** The error kinds the reports' headers name, which carry their PIDs: `==PID==ERROR: ...: KIND`. */
function headerKinds(name: string): Record<string, number> {
  const kinds: Record<string, number> = {};
  const text = readFileSync(join(DIR, name), "utf8");
  for (const m of text.matchAll(/==\d+==ERROR: AddressSanitizer: ([\w-]+)/g)) {
    kinds[m[1] as string] = (kinds[m[1] as string] ?? 0) + 1;
  }
  return kinds;
}

describe("ASan error reports of processes writing at once", () => {
  it("keep the kind their header names when a SUMMARY is another report's", () => {
    // 8710's global-buffer-overflow took 8708's SUMMARY kind and stack: --fail-on
    // global-buffer-overflow passed.
    const result = read("make-j4.log");
    expect(result.errors.map((e) => [e.pid, e.kind, e.message.split(" ")[0]])).toEqual([
      [8708, "heap-buffer-overflow", "heap-buffer-overflow"],
      [8710, "global-buffer-overflow", "global-buffer-overflow"],
      [8708, "heap-use-after-free", "heap-use-after-free"],
    ]);
    // Its stack is not known: none rather than 8708's.
    expect(result.errors[1]?.stack).toEqual([]);
    expect(result.source.complete).toBe(false);
    expect(result.diagnostics.map((d) => d.message)).toContainEqual(
      expect.stringMatching(
        /^the error report of process 8710 .* another report's stack or SUMMARY \(its SUMMARY names heap-buffer-overflow\)/,
      ),
    );
  });

  it("count every kind as the headers do in a run of six tests at once", () => {
    const name = "make-j6-stress.log";
    expect(summarize([read(name)]).totals.errors).toEqual(headerKinds(name));
  });

  it("keep no stack whose frame #0 is not at the program counter their header names", () => {
    // Same kind, so no SUMMARY told them apart: the use-after-free took abort()'s stack.
    const mixed = read("par-c-1.log");
    const uaf = mixed.errors.find((e) => e.pid === 29621);
    expect(uaf?.kind).toBe("heap-use-after-free");
    expect(uaf?.stack).toEqual([]);
    expect(mixed.source.complete).toBe(false);
    for (const name of ["par-c-1.log", "same-g-2.log"]) {
      for (const error of read(name).errors) {
        const pc = /\bpc (0x[0-9a-f]+)/.exec(error.message)?.[1];
        const ip = error.stack[0]?.ip;
        if (pc === undefined || ip === undefined) continue;
        expect(BigInt(pc) - BigInt(ip), `${name} pid ${error.pid}`).toBeLessThanOrEqual(1n);
        expect(BigInt(pc) - BigInt(ip), `${name} pid ${error.pid}`).toBeGreaterThanOrEqual(0n);
      }
    }
  });
});

describe("an ASan report another thread of the program printed into", () => {
  it("keeps the report's stacks whole, the thread's lines the program's", () => {
    // ticker.log: the worker's lines before the access stack dropped every stack of the report;
    // one after a stack's title made an aux stack named after it.
    const result = read("ticker.log");
    const text = readFileSync(join(DIR, "ticker.log"), "utf8");
    const clean = parse(
      text
        .split("\n")
        .filter((l) => l !== "tick from worker thread")
        .join("\n"),
      { path: "ticker.log" },
    );
    const shape = (r: typeof result) =>
      r.errors.map((e) => ({
        kind: e.kind,
        stack: e.stack.map((f) => f.function),
        aux: (e.aux ?? []).map((a) => [a.message, (a.stack ?? []).map((f) => f.function)]),
      }));
    expect(shape(result)).toEqual(shape(clean));
    expect(shape(result)[0]?.stack).toEqual([
      "main",
      "__libc_start_call_main",
      "__libc_start_main_impl",
      "_start",
    ]);
    expect(result.diagnostics.map((d) => d.code)).not.toContain("sanitizer-syntax");
    const ticks = text.split("\n").filter((l) => l === "tick from worker thread").length;
    // The ticks among the address description's lines are read with it: text after an empty
    // line in a report may be the runtime's.
    expect(result.source.counters.programLines).toBeGreaterThan(ticks - 5);
  });

  it("keeps the shadow dump and ABORTING when the program prints after the SUMMARY", () => {
    // ticker-heap.log: a tick before `==PID==ABORTING` ended the report; lost with it was the
    // note that LeakSanitizer never ran.
    const text = readFileSync(join(DIR, "ticker-heap.log"), "utf8");
    const clean = text
      .split("\n")
      .filter((l) => !l.startsWith("tick "))
      .join("\n");
    for (const result of [read("ticker-heap.log"), parse(clean, { path: "ticker-heap.log" })]) {
      const details = result.errors[0]?.details ?? {};
      expect(details["aborted"]).toBe(true);
      expect(String(details["shadow"])).toMatch(/^Shadow bytes around the buggy address:/);
      expect(result.diagnostics.map((d) => d.code)).toContain("no-leak-check");
    }
  });

  it("keeps an ODR violation's stack titles when the program prints before the frames", () => {
    // ticker-odr.log: a tick between `  [2]:` and its frames became that stack's title.
    const result = read("ticker-odr.log");
    const titles = (result.errors[0]?.aux ?? []).map((a) => a.message);
    expect(titles).toEqual(["  [1]:", "  [2]:"]);
  });
});
