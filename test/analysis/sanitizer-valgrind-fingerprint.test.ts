import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { withoutAllocatorFrames } from "../../src/analysis/allocator-frames.js";
import { parse } from "../../src/api/parse.js";
import { ROOT } from "../helpers/golden.js";

// lsan-basic.c from the sanitizer corpus, run twice: under Valgrind 3.19 (gcc -g, no sanitizer;
// test/fixtures/sanitizer/lsan-basic.valgrind.txt) and under gcc 12 ASan (lsan-basic.log); the
// clang 14 run of the same source is clang-lsan-basic.log.
const fixture = (path: string) => readFileSync(join(ROOT, path));
const valgrind = parse(fixture("test/fixtures/sanitizer/lsan-basic.valgrind.txt"));
const gccAsan = parse(fixture("samples/sanitizer/lsan-basic.log"));
const clangAsan = parse(fixture("samples/sanitizer/clang-lsan-basic.log"));

const bySize = (leaks: typeof valgrind.leaks) =>
  new Map(leaks.map((l) => [l.bytes, l.fingerprint] as const));

describe("the same leak under Valgrind and LeakSanitizer", () => {
  it("is read by both parsers", () => {
    expect(valgrind.source.format).toBe("valgrind");
    expect(gccAsan.source.format).toBe("sanitizer");
    expect(
      valgrind.leaks
        .filter((l) => l.kind === "definitely-lost")
        .map((l) => l.bytes)
        .sort(),
    ).toEqual([100, 40, 6, 64].sort());
  });

  it("fingerprints alike: malloc, calloc, realloc and strdup leaks (gcc runtime)", () => {
    const vg = bySize(valgrind.leaks);
    for (const [bytes, fingerprint] of bySize(gccAsan.leaks))
      expect(fingerprint, `${bytes} bytes`).toBe(vg.get(bytes));
  });

  it("reduces clang's runtime frames (`strdup (prog+0x…) (BuildId: …)`) to the same functions", () => {
    // The clang case was built from a copy named clang-lsan-basic.c, so file names (part of the
    // fingerprint) differ; the frames that take part must still be the same functions. Its
    // conservative scan missed the 40-byte block (MANIFEST.md): three leaks to compare.
    expect(clangAsan.leaks.map((l) => l.bytes)).toEqual([100, 64, 6]);
    for (const leak of clangAsan.leaks) {
      const vg = valgrind.leaks.find((l) => l.bytes === leak.bytes);
      const names = (stack: typeof leak.stack) =>
        withoutAllocatorFrames(stack).map((f) => f.function);
      expect(names(leak.stack), `${leak.bytes} bytes`).toEqual(names(vg?.stack ?? []));
    }
  });

  it("skips interceptor frames and drops libc start-up frames below main", () => {
    const strdup = gccAsan.leaks.find((l) => l.bytes === 6);
    expect(withoutAllocatorFrames(strdup?.stack ?? []).map((f) => f.function)).toEqual([
      "make_name",
      "do_leaks",
      "main",
    ]);
    const vgStrdup = valgrind.leaks.find((l) => l.bytes === 6);
    expect(withoutAllocatorFrames(vgStrdup?.stack ?? []).map((f) => f.function)).toEqual([
      "make_name",
      "do_leaks",
      "main",
    ]);
  });

  it("skips standalone LSan's malloc + glibc strdup and symbolize=0 runtime frames", () => {
    const standalone = parse(fixture("samples/sanitizer/lsan-standalone-gcc.log")).leaks.find(
      (l) => l.bytes === 18,
    );
    // Only allocator frames: the whole stack is kept rather than nothing.
    expect(withoutAllocatorFrames(standalone?.stack ?? [])).toHaveLength(2);
    const unsymbolized = parse(fixture("samples/sanitizer/lsan-symbolize0.log")).leaks[0];
    expect(withoutAllocatorFrames(unsymbolized?.stack ?? [])[0]?.object).toBe(
      "/home/dev/asan/lsan-symbolize0",
    );
  });

  it("keeps frames below main that are not libc start-up code", () => {
    const stack = [{ function: "f" }, { function: "main" }, { function: "my_runner" }];
    expect(withoutAllocatorFrames(stack)).toEqual(stack);
  });
});
