import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, type ParseResult } from "../../../src/api/parse.js";
import { memwatchFormat } from "../../../src/formats/memwatch/index.js";
import { ROOT } from "../../helpers/golden.js";

const HEADER = [
  "",
  "============= MEMWATCH 2.71 Copyright (C) 1992-1999 Johan Lindh =============",
  "",
  "Started at Sun Nov 22 01:28:25 2026",
  "",
  "Modes: __STDC__ 64-bit mwDWORD==(unsigned int)",
  "mwROUNDALLOC==8 sizeof(mwData)==56 mwDataSize==56",
  "",
];
const FOOTER = ["", "Stopped at Sun Nov 22 01:28:25 2026", ""];
const FE16 = "FE FE FE FE FE FE FE FE FE FE FE FE FE FE FE FE ................}";

function stats(unfreed: string): string[] {
  return [
    "",
    "Memory usage statistics (global):",
    " N)umber of allocations made: 2",
    " L)argest memory usage      : 1024",
    " T)otal of all alloc() calls: 1024",
    ` U)nfreed bytes totals      : ${unfreed}`,
  ];
}

function run(lines: readonly string[], eol = "\n"): ParseResult {
  return parse(lines.join(eol) + eol, { inputFormat: "memwatch" });
}

const codes = (r: ParseResult): string[] => r.diagnostics.map((d) => d.code);
const classic = readFileSync(join(ROOT, "samples", "memwatch", "classic.log"), "utf8");

describe("memwatch: empty and truncated input", () => {
  it("an empty file forced to memwatch is the same empty input as with detection", () => {
    const r = parse("", { inputFormat: "memwatch" });
    expect(r.fatal?.code).toBe("empty-input");
    expect(r.source.complete).toBe(false);
    expect(r.source.format).toBe("memwatch");
    expect(r.leaks).toEqual([]);
  });

  it("an empty file with detection is the engine's empty-input", () => {
    expect(parse("").fatal?.code).toBe("empty-input");
  });

  it("blank lines only are an incomplete source", () => {
    const r = parse("\n\n\n", { inputFormat: "memwatch" });
    expect(r.source.complete).toBe(false);
  });

  it("a log cut in the middle of an unfreed line keeps the line and says it is incomplete", () => {
    const cut = classic.slice(0, classic.indexOf("512 bytes") + 7);
    const r = parse(cut, { inputFormat: "memwatch" });
    expect(r.source.complete).toBe(false);
    expect(r.errors.map((e) => e.kind)).toEqual(["DoubleFree"]);
    expect(r.leaks).toEqual([]);
    expect(r.source.counters.unrecognizedLines).toBe(1);
  });

  it("a log cut inside a dump still gives the leak, flagged", () => {
    const cut = classic.slice(0, classic.indexOf("{FE") + 9);
    const r = parse(cut, { inputFormat: "memwatch" });
    expect(r.leaks).toHaveLength(1);
    expect(r.leaks[0]?.bytes).toBe(512);
    expect(r.leaks[0]?.details?.["dumpTruncated"]).toBe(true);
    expect(r.source.complete).toBe(false);
  });

  it("a session cut before its footer, then a new banner (fork, interleaving)", () => {
    const r = run([
      ...HEADER,
      "WILD free: <3> a.c(9), unknown pointer 0x10",
      ...HEADER,
      ...FOOTER,
      ...stats("0"),
    ]);
    // Only the first session is cut (ProcessInfo.incomplete); the second is whole.
    expect(r.source.processes).toEqual([{ pid: 1, incomplete: true }, { pid: 2 }]);
    expect(r.errors[0]?.pid).toBe(1);
    expect(r.source.complete).toBe(false);
    expect(r.summaries.map((s) => s.pid)).toEqual([2]);
  });

  it("a second footer without a banner is a new session (mwTerm, then reuse)", () => {
    const unfreed = `unfreed: <38> c.c(131), 24 bytes at 0x1c086f0  \t{${FE16}`;
    const r = run([...HEADER, ...FOOTER, ...stats("0"), ...FOOTER, unfreed, ...stats("24")]);
    expect(r.source.processes).toEqual([{ pid: 1 }, { pid: 2 }]);
    expect(r.leaks.map((l) => l.pid)).toEqual([2]);
    expect(codes(r)).toContain("session-without-banner");
    expect(codes(r)).not.toContain("summary-mismatch");
  });
});

describe("memwatch: odd but valid lines", () => {
  it("CRLF line endings give the same records as LF", () => {
    const lf = parse(classic, { inputFormat: "memwatch" });
    const crlf = parse(classic.replace(/\n/g, "\r\n"), { inputFormat: "memwatch" });
    expect(crlf.leaks).toEqual(lf.leaks);
    expect(crlf.errors).toEqual(lf.errors);
    expect(crlf.summaries).toEqual(lf.summaries);
    expect(crlf.diagnostics).toEqual(lf.diagnostics);
  });

  it("reads dumps whose ASCII holds }, ( and quotes, and file names with parentheses", () => {
    const dump = `7D 28 22 27 29 7B 3A 3C .. .. .. .. .. .. .. .. }("'){:<}`;
    const line = `unfreed: <3> C:\\Program Files (x86)\\app\\m(1).c(42), 8 bytes at 0012FF7C  \t{${dump}`;
    const r = run([...HEADER, ...FOOTER, line, ...stats("8")]);
    expect(r.leaks).toHaveLength(1);
    const leak = r.leaks[0];
    expect(leak?.stack).toEqual([{ file: "C:\\Program Files (x86)\\app\\m(1).c", line: 42 }]);
    expect(leak?.details).toMatchObject({
      dump: "7D 28 22 27 29 7B 3A 3C",
      ascii: `}("'){:<`,
      address: "0012FF7C",
    });
    expect(codes(r)).not.toContain("summary-mismatch");
  });

  it("joins a dump that wrapped onto the next line", () => {
    const head = "unfreed: <2> w.c(10), 16 bytes at 0x55dd5b3d2940  \t{FE FE FE FE FE FE FE FE";
    const r = run([
      ...HEADER,
      ...FOOTER,
      head,
      " FE FE FE FE FE FE FE FE ................}",
      ...stats("16"),
    ]);
    expect(r.leaks).toHaveLength(1);
    expect(r.leaks[0]?.details).toMatchObject({ dump: Array(16).fill("FE").join(" ") });
    expect(r.leaks[0]?.details?.["dumpTruncated"]).toBeUndefined();
    expect(r.source.counters.programLines).toBe(0);
  });

  it("splits a TRACE glued in front of a message", () => {
    const r = run([
      ...HEADER,
      "no newline -> NULL free: <2> t.c(17), NULL pointer free'd",
      ...FOOTER,
      ...stats("0"),
    ]);
    expect(r.errors.map((e) => [e.kind, e.message])).toEqual([
      ["NullFree", "NULL free: <2> t.c(17), NULL pointer free'd"],
    ]);
    expect(r.source.counters.programLines).toBe(1);
  });

  it("reads statistics with units (a vendored copy prints %ldkb)", () => {
    const unfreed = `unfreed: <1> k.c(1), 1500 bytes at 0x10  \t{${FE16}`;
    const r = run([...HEADER, ...FOOTER, unfreed, ...stats("1kb")]);
    expect(r.summaries[0]?.leak?.["definitely-lost"]).toEqual({ bytes: 1024, blocks: 1 });
    expect(codes(r)).not.toContain("summary-mismatch");
  });

  it("warns when MEMWATCH's anomaly count and the lines disagree", () => {
    const r = run([
      ...HEADER,
      "WILD free: <3> a.c(9), unknown pointer 0x10",
      ...FOOTER,
      ...stats("0"),
      "MEMWATCH detected 2 anomalies",
    ]);
    const mismatch = r.diagnostics.find((d) => d.code === "summary-mismatch");
    expect(mismatch?.message).toMatch(/2 anomalies.*show 1/);
    expect(r.summaries[0]?.errors).toEqual({ errors: 2, contexts: 2 });
  });

  it("keeps unknown kinds and text as data, never throws", () => {
    const r = run([
      ...HEADER,
      "frobnicate: <1> x.c(1), whatever",
      "relink: heap truncated",
      "\u0000\u0001 junk",
      ...FOOTER,
      ...stats("0"),
    ]);
    expect(r.source.counters.programLines).toBe(2);
    expect(codes(r)).toContain("heap-repair");
  });

  it("stays fast on hostile long lines", () => {
    const hostile = [
      `overflow: <1> ${"(1)".repeat(1500)}`,
      `unfreed: <1> ${"a(".repeat(2000)}`,
      `x${" (1), ".repeat(600)}`,
      "T".repeat(60000),
    ];
    const started = Date.now();
    const r = run([...HEADER, ...hostile, ...FOOTER, ...stats("0")]);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(r.source.complete).toBe(true);
  });
});

describe("memwatch: detection", () => {
  it("is sure of a banner, likely on messages alone, and refuses other logs", () => {
    expect(memwatchFormat.detect(HEADER)).toBe(1);
    expect(memwatchFormat.detect(["MEMWATCH 2.71 Johan Lindh", "Modes: x"])).toBeGreaterThan(0.9);
    expect(
      memwatchFormat.detect([
        "unfreed: <1> a.c(1), 1 bytes at 0x1  \t{41 A}",
        "WILD free: <2> a.c(2), unknown pointer 0x3",
      ]),
    ).toBeGreaterThan(0.5);
    expect(memwatchFormat.detect(["==123== Memcheck, a memory error detector"])).toBe(0);
  });
});

// Campaign bg: TRACE() text is verbatim, so a program's messages can start like MEMWATCH's.
describe("memwatch: TRACE text that starts with a kind's name", () => {
  const lookalikes = [
    "check: config file ok",
    "fail: upstream 10.0.0.5 unreachable, retrying",
    "overflow: queue full, dropped 3 jobs",
    "realloc: growing buffer to 200",
    "strdup: copying name",
    "double-free: guard ok",
    "WILD free: never",
    "NULL free: skipped",
    "assert trap: none",
    "Stopped at user request",
  ];

  it("is the program's text, no finding, and the session still ends at its footer", () => {
    const r = run([...HEADER, ...lookalikes, ...FOOTER, ...stats("0")]);
    expect(r.errors).toEqual([]);
    expect(r.source.complete).toBe(true);
    expect(r.source.counters.programLines).toBe(lookalikes.length);
    expect(codes(r).filter((c) => c !== "trace")).toEqual([]);
  });

  it("keeps MEMWATCH's own lines of those kinds, a counter after the kind", () => {
    const r = run([
      ...HEADER,
      "fail: <4> a.c(13), 70368744177664 wanted 600 allocated",
      "check: heap chain broken, next link incorrect",
      "overflow: <7> a.c(14), 10 bytes alloc'd at <1> a.c(6)",
      "double-free: <9> a.c(20",
      ...FOOTER,
      ...stats("0"),
    ]);
    expect(r.errors.map((e) => e.kind)).toEqual([
      "AllocFail",
      "HeapCorruption",
      "Overflow",
      "DoubleFree",
    ]);
  });
});
