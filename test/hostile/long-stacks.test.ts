import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "../../src/api/parse.js";
import { appendAll } from "../../src/lists.js";
import { ROOT } from "../helpers/golden.js";

/*
 * Parsers hold a record's block whole until it ends, so a hostile log of millions of frame
 * lines under one headline held them all (132-140 MB logs took 840 MB with Valgrind text, 1.2 GB
 * with memleax, 4 GB and 49 s with a sanitizer's). A stack keeps its first 4,096 frame lines, far
 * above what the tools print (Valgrind 500, sanitizers 255, memleax 50), and says so once.
 */

const KEPT = 4096;

const sample = (name: string) => readFileSync(join(ROOT, "samples", name), "utf8").split("\n");

/** `lines` with the line at `at` repeated to `count` copies. */
function repeated(lines: readonly string[], at: number, count: number): string {
  const copies = Array.from({ length: count }, () => lines[at] as string);
  return [...lines.slice(0, at), ...copies, ...lines.slice(at + 1)].join("\n");
}

const cuts = (text: string) =>
  parse(Buffer.from(text), { path: "x" }).diagnostics.filter((d) => d.code === "stack-too-long");

function log(frame: string, frames: number): string {
  return [
    "==7== Memcheck, a memory error detector",
    "==7== Command: ./a",
    "==7== ",
    "==7== Invalid read of size 4",
    ...Array.from({ length: frames }, () => `==7==    by 0x401136: ${frame} (list.c:12)`),
    "==7==  Address 0x4a41050 is 0 bytes after a block of size 16 alloc'd",
    "==7==    at 0x48417B4: malloc (vg_replace_malloc.c:381)",
    "==7== ",
    "==7== ERROR SUMMARY: 1 errors from 1 contexts (suppressed: 0 from 0)",
  ].join("\n");
}

describe("a stack longer than any Valgrind prints", () => {
  // ASCII frames take the byte path; a non-ASCII name makes its chunk go the text path.
  for (const frame of ["make_node", "make_nœud"]) {
    it(`keeps its first ${KEPT} frames and says where the rest began (${frame})`, () => {
      const result = parse(Buffer.from(log(frame, KEPT + 1000)), { path: "x" });
      const [error] = result.errors;
      expect(error?.stack).toHaveLength(KEPT);
      expect(error?.stack[0]?.function).toBe(frame);
      // The lines after the cut are read as ever: the aux stack is whole.
      expect(error?.aux[0]?.stack?.map((f) => f.function)).toEqual(["malloc"]);
      const cut = result.diagnostics.filter((d) => d.code === "stack-too-long");
      expect(cut).toHaveLength(1);
      expect(cut[0]?.line).toBe(5 + KEPT);
    });
  }

  it(`leaves a stack of ${KEPT} frames alone`, () => {
    const result = parse(Buffer.from(log("make_node", KEPT)), { path: "x" });
    expect(result.errors[0]?.stack).toHaveLength(KEPT);
    expect(result.diagnostics.map((d) => d.code)).not.toContain("stack-too-long");
  });
});

describe("a stack longer than any tool prints, in the other formats", () => {
  it("sanitizer: the error's stack keeps its first frames, the report the rest", () => {
    const lines = sample("sanitizer/asan-use-after-free.log");
    const at = lines.findIndex((l) => l.includes("#1 "));
    const text = repeated(lines, at, KEPT + 500);
    const result = parse(Buffer.from(text), { path: "x" });
    const [error] = result.errors;
    expect(error?.stack).toHaveLength(KEPT);
    expect(error?.kind).toBe("heap-use-after-free");
    const whole = parse(Buffer.from(lines.join("\n")), { path: "x" }).errors[0];
    expect(error?.aux).toEqual(whole?.aux);
    // Frames #0 (line `at`), the copies of #1, then #2 to #4: the 4,097th is dropped first.
    expect(cuts(text).map((d) => d.line)).toEqual([at + KEPT]);
  });

  it("memleax: an expiry's stack keeps its first frames", () => {
    const lines = sample("memleax/02-multi-stacks-malloc-calloc-realloc.log");
    const text = repeated(lines, 3, KEPT + 500);
    const result = parse(Buffer.from(text), { path: "x" });
    expect(result.leaks.map((l) => l.stack.length).sort((a, b) => a - b)).toEqual([3, 3, KEPT]);
    expect(cuts(text).map((d) => d.line)).toEqual([3 + KEPT]);
  });

  it(`leaves stacks of ${KEPT} frames alone`, () => {
    const asan = sample("sanitizer/asan-use-after-free.log");
    const memleax = sample("memleax/02-multi-stacks-malloc-calloc-realloc.log");
    const at = asan.findIndex((l) => l.includes("#1 "));
    // #0, the copies of #1 and #2 to #4; the memleax stack's first and last frame around its copies.
    expect(cuts(repeated(asan, at, KEPT - 4))).toEqual([]);
    expect(cuts(repeated(memleax, 3, KEPT - 2))).toEqual([]);
    expect(cuts(repeated(memleax, 3, KEPT - 1))).toHaveLength(1);
  });
});

describe("a Valgrind block longer than any Valgrind prints", () => {
  it("keeps its first 16,384 lines, and the process's ERROR SUMMARY", () => {
    const address = "==7==  Address 0x4a41050 is 0 bytes after a block of size 16 alloc'd";
    const lines = log("make_node", 1).split("\n");
    const at = lines.findIndex((l) => l.includes("Address"));
    const result = parse(Buffer.from(repeated(lines, at, 20_000)), { path: "x" });
    expect(result.errors).toHaveLength(1);
    // The headline and its frame, then the aux lines up to the cap.
    expect(result.errors[0]?.aux).toHaveLength(16_384 - 2);
    expect(result.errors[0]?.aux[0]?.message).toBe(address.slice("==7==  ".length));
    const cut = result.diagnostics.filter((d) => d.code === "block-too-long");
    expect(cut.map((d) => d.line)).toEqual([at + 1 + 16_384 - 2]);
    expect(result.summaries.map((s) => s.errors?.errors)).toEqual([1]);
    // What the dropped lines held is missing from the log's records.
    expect(result.source.complete).toBe(false);
  });
});

describe("a LeakSanitizer report of many leaks, longer than one record can be", () => {
  it("keeps all 3,500 of a real report's records, and the log complete", () => {
    const path = "test/fixtures/sanitizer/many-leaks/lsan-many.log.gz";
    const result = parse(readFileSync(join(ROOT, path)), { path });
    expect(result.leaks).toHaveLength(3_500);
    expect(result.leaks.reduce((sum, l) => sum + l.bytes, 0)).toBe(113_310);
    expect(result.source.complete).toBe(true);
    expect(result.diagnostics.filter((d) => d.severity !== "info")).toEqual([]);
  });
});

describe("a sanitizer report longer than any sanitizer prints", () => {
  it("keeps its record, its stack and its SUMMARY, and drops the lines past 16,384", () => {
    const lines = sample("sanitizer/asan-use-after-free.log");
    const at = lines.findIndex((l) => l.includes("is located"));
    const text = repeated(lines, at, 20_000);
    const result = parse(Buffer.from(text), { path: "x" });
    const whole = parse(Buffer.from(lines.join("\n")), { path: "x" }).errors[0];
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.kind).toBe(whole?.kind);
    expect(result.errors[0]?.stack).toEqual(whole?.stack);
    const cut = result.diagnostics.filter((d) => d.code === "block-too-long");
    expect(cut).toHaveLength(1);
    expect(result.source.complete).toBe(false);
    expect(cut[0]?.line).toBeGreaterThan(16_384);
    expect(cut[0]?.line).toBeLessThan(16_384 + at + 2);
  });
});

describe("appending a list that grows with the input", () => {
  it("takes more items than a call has room for arguments", () => {
    // `push(...items)` throws "Maximum call stack size exceeded" from about 125,000 items.
    const list = [0];
    appendAll(
      list,
      Array.from({ length: 300_000 }, (_, i) => i + 1),
    );
    expect(list).toHaveLength(300_001);
    expect(list[300_000]).toBe(300_000);
  });
});

describe("frames with names longer than any tool prints", () => {
  // Names of 1,000,000 characters, under the line cap (1 MiB): 20 of them are 20 MB of one stack.
  const name = (tail: string) => `${"f".repeat(1_000_000)}${tail}`;
  const leak = (tails: readonly string[]) =>
    [
      "==7== Memcheck, a memory error detector",
      "==7== Command: ./a",
      "==7== ",
      "==7== 10 bytes in 1 blocks are definitely lost in loss record 1 of 1",
      "==7==    at 0x48417B4: malloc (vg_replace_malloc.c:381)",
      ...tails.map((tail, i) => `==7==    by 0x40${1000 + i}: ${name(tail)} (list.c:${i + 1})`),
      "==7== ",
      "==7== ERROR SUMMARY: 1 errors from 1 contexts (suppressed: 0 from 0)",
    ].join("\n");

  it("keeps a stack to 16 MiB of frame lines, and each name to 256 KiB with its length and hash", () => {
    const result = parse(Buffer.from(leak(Array.from({ length: 20 }, (_, i) => `${i}`))), {
      path: "x",
    });
    const stack = result.leaks[0]?.stack ?? [];
    // malloc, then the frames whose lines fit in 16 MiB (16,777,216 characters).
    expect(stack).toHaveLength(17);
    const kept = stack[1]?.function ?? "";
    expect(kept.length).toBeLessThan((1 << 18) + 60);
    expect(kept).toMatch(/^f{262144}…\[1,000,001 characters, sha1 [0-9a-f]{8}\]$/);
    expect(stack[1]?.file).toBe("list.c");
    const cut = result.diagnostics.filter((d) => d.code === "stack-too-long");
    expect(cut.map((d) => [d.line, d.message.slice(0, 50)])).toEqual([
      [22, "a stack of more than 16,777,216 characters: the fr"],
    ]);
  });

  it("keeps an XML frame's names to 256 KiB too, and a sanitizer's", () => {
    const xml = readFileSync(join(ROOT, "samples/valgrind-xml/leak_indirect.xml"), "utf8");
    const long = parse(Buffer.from(xml.replaceAll("<fn>main</fn>", `<fn>${name("")}</fn>`)), {
      path: "x.xml",
    });
    const asan = sample("sanitizer/asan-use-after-free.log").join("\n");
    const named = parse(Buffer.from(asan.replace(/ in main /, ` in ${name("")} `)), {
      path: "x",
    });
    for (const result of [long, named]) {
      const fns = [...result.leaks, ...result.errors].flatMap((f) =>
        f.stack.map((s) => s.function),
      );
      expect(fns.filter((fn) => fn?.startsWith("fff") === true).length).toBeGreaterThan(0);
      for (const fn of fns) expect(fn?.length ?? 0).toBeLessThan((1 << 18) + 60);
    }
  });

  it("tells names apart that differ only past the cut", () => {
    const [a, b] = [leak(["a"]), leak(["b"])].map(
      (text) => parse(Buffer.from(text), { path: "x" }).leaks[0],
    );
    expect(a?.stack[1]?.function).not.toBe(b?.stack[1]?.function);
    expect(a?.fingerprint).not.toBe(b?.fingerprint);
  });
});
