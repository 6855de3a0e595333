import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../../src/api/parse.js";
import { summarize } from "../../../src/api/summarize.js";
import { generateLsanSuppressions, KNOWN_ERROR_KINDS } from "../../../src/index.js";
import { ROOT } from "../../helpers/golden.js";

// Real logs of sanitizer runtime options (fixtures/sanitizer/options/README.md).
const parsed = (name: string) => {
  const path = `test/fixtures/sanitizer/options/${name}`;
  return parse(readFileSync(join(ROOT, path), "utf8"), { path });
};
const codes = (r: ReturnType<typeof parsed>) => r.diagnostics.map((d) => d.code);

describe("sanitizer logs written with runtime options", () => {
  it("log_exe_name=1: `==NAME==PID==` lines are the process's, not program output", () => {
    const leaks = parsed("exe.leaks.8341");
    expect(leaks.leaks.map((l) => [l.kind, l.bytes, l.pid])).toEqual([
      ["definitely-lost", 8, 8341],
      ["definitely-lost", 7, 8341],
      ["indirectly-lost", 8, 8341],
    ]);
    expect(leaks.source.counters.unrecognizedLines).toBe(0);
    const overflow = parsed("exe.leaks.8354");
    expect(overflow.errors.map((e) => [e.kind, e.pid])).toEqual([["heap-buffer-overflow", 8354]]);
    expect(overflow.source.complete).toBe(true);
  });

  it("a source path with a space stays the frame's file, not part of its function", () => {
    for (const name of ["space.log", "space-tsan.log", "space-ubsan.log"]) {
      const r = parsed(name);
      const stacks = [...r.leaks, ...r.errors].flatMap((f) => [
        f.stack,
        ...(f.type === "error" ? f.aux.map((a) => a.stack ?? []) : []),
      ]);
      const frames = stacks.flat().filter((f) => f.file?.startsWith("/tmp/"));
      expect(frames.length, name).toBeGreaterThan(1);
      for (const frame of frames) {
        expect(frame.file, name).toMatch(/^\/tmp\/fx\/san\/my dir\/\w+\.c$/);
        expect(frame.function, name).toMatch(/^\w+$/);
      }
    }
  });

  it("suppressions for such frames name the function alone", () => {
    const lines = generateLsanSuppressions(summarize([parsed("space.log")])).split("\n");
    expect(lines.filter((l) => l.startsWith("leak:")).sort()).toEqual([
      "leak:^keep_name$",
      "leak:^make_list$",
    ]);
  });

  it("an ODR violation's kind has no colon, so --fail-on odr-violation matches it", () => {
    expect(parsed("odr.log").errors.map((e) => e.kind)).toEqual(["odr-violation"]);
  });

  it("a run whose suppressions took everything is a clean run that says what they took", () => {
    const lsan = parsed("all-suppressed.log");
    expect([lsan.leaks.length, lsan.errors.length]).toEqual([0, 0]);
    expect(lsan.summaries.map((s) => s.leak)).toEqual([{ suppressed: { bytes: 23, blocks: 3 } }]);
    expect(lsan.diagnostics.map((d) => [d.severity, d.code, d.line])).toEqual([
      ["info", "suppressions-used", 2],
    ]);
    expect(lsan.source.counters.programLines).toBe(0);
    const tsan = parsed("tsan-suppressed.log");
    expect(tsan.source.format).toBe("sanitizer");
    expect(tsan.diagnostics.map((d) => d.message)).toEqual([
      "ThreadSanitizer suppressed reports of process 10409: race:bump (1 report(s))",
    ]);
    expect(tsan.source.counters.programLines).toBe(0);
  });

  it("ThreadSanitizer's table after the total of the reports left is no program output", () => {
    const r = parsed("tsan-partly-suppressed.log");
    expect(r.errors.map((e) => e.kind)).toEqual(["data-race"]);
    expect(codes(r)).toEqual(["suppressions-used"]);
    expect(r.source.counters.programLines).toBe(0);
  });

  it("print_summary=0: reports followed by what ends them are whole", () => {
    const overflow = parsed("nosummary-overflow.log");
    expect(overflow.errors.map((e) => e.kind)).toEqual(["heap-buffer-overflow"]);
    expect(overflow.source.complete).toBe(true);
    const tsan = parsed("tsan-nosummary.log");
    expect(tsan.errors.map((e) => e.kind)).toEqual(["data-race", "data-race"]);
    expect(tsan.source.complete).toBe(true);
    expect(codes(tsan)).toEqual([]);
    // A leak report's end is the log's: as a cut log's, so it says both.
    const leaks = parsed("nosummary.log");
    expect(leaks.leaks).toHaveLength(3);
    expect(leaks.diagnostics[0]?.message).toContain("or the run had print_summary=0");
  });

  it("print_summary=0: an allocator error's kind, read from its headline, is the SUMMARY's", () => {
    // The kind was the headline's first word: `requested`, `calloc`, `invalid`, `attempting`.
    for (const name of ["pma", "aa", "ra", "mus", "pv", "memalign", "big", "calloc"]) {
      const kinds = (file: string) => parsed(`alloc/${file}`).errors.map((e) => e.kind);
      const withSummary = kinds(`${name}.log`);
      expect(withSummary, name).toHaveLength(1);
      expect(KNOWN_ERROR_KINDS, name).toContain(withSummary[0]);
      expect(kinds(`${name}-nosum.log`), name).toEqual(withSummary);
    }
  });

  it("a bad container annotation keeps its stack after its beg/end/mid lines", () => {
    // The last of those lines headed the stack as an aux entry: no stack, one group for all.
    for (const name of ["annotate-gcc.log", "annotate-clang.log"]) {
      const [error] = parsed(`alloc/${name}`).errors;
      expect(error?.kind, name).toBe("bad-__sanitizer_annotate_contiguous_container");
      expect(error?.stack.map((f) => f.function).slice(0, 3), name).toEqual([
        "__sanitizer_annotate_contiguous_container",
        "ann()",
        "main",
      ]);
      expect(error?.aux, name).toEqual([]);
      expect(error?.details?.["detail"], name).toMatch(/^beg +: 0x\w+\nend +: /);
    }
  });

  it("LSan suppressions name the callers of a wrapper, anchored, and never main", () => {
    const written = generateLsanSuppressions(summarize([parsed("wrapper.log")]));
    expect(written).toBe(
      readFileSync(join(ROOT, "test/fixtures/sanitizer/options/wrapper.supp"), "utf8"),
    );
    expect(written.split("\n").filter((l) => l.startsWith("leak:"))).toEqual([
      "leak:^parse_config$",
      "leak:^cache_add$",
    ]);
    // The real LeakSanitizer, given them, suppressed those two stacks and kept main's leak.
    const rerun = parsed("wrapper-rerun.log");
    expect(rerun.leaks.map((l) => [l.bytes, l.stack[1]?.function])).toEqual([[7, "main"]]);
    expect(rerun.diagnostics.find((d) => d.code === "suppressions-used")?.message).toBe(
      "LeakSanitizer suppressed 31 byte(s) in 3 object(s): ^parse_config$ (1 object(s), 11 byte(s)), ^cache_add$ (2 object(s), 20 byte(s))",
    );
  });

  it("ThreadSanitizer's count after the program's unterminated text is read and checked", () => {
    const r = parsed("tsan-unterminated.log");
    expect(r.summaries.map((s) => s.errors)).toEqual([{ errors: 1, contexts: 1 }]);
    expect(r.source.counters.programLines).toBe(1);
  });

  it("max_leaks: the SUMMARY's total is told by leaks-omitted, and no kind's mismatch", () => {
    const path = "samples/sanitizer/lsan-max-leaks.log";
    const report = summarize([parse(readFileSync(join(ROOT, path), "utf8"), { path })]);
    expect(report.diagnostics.map((d) => [d.severity, d.code])).toEqual([
      ["info", "leaks-omitted"],
      ["warning", "incomplete"],
    ]);
  });
});

describe("LSan suppressions that would silence later leaks are not written", () => {
  const dir = "test/fixtures/sanitizer/lsan-suppressions";
  const read = (name: string) => readFileSync(join(ROOT, dir, name), "utf8");
  // The new leak of each program's v2, which the line written before suppressed.
  const NEW_LEAK: Record<string, number> = {
    "xmalloc-in-main": 900,
    "vector-allocator-frame": 8000,
    "lambda-and-string": 4000,
    "static-init": 4096,
    "fortran-main": 4000,
    "clang-static-init": 2000,
    "rust-main": 4000,
    "stripped-wrapper": 80,
    "debug-wrapper": 80,
  };

  it.each(Object.keys(NEW_LEAK))("%s", (name) => {
    const path = `${dir}/${name}.full.log`;
    const written = generateLsanSuppressions(
      summarize([parse(read(`${name}.full.log`), { path })]),
    );
    expect(written).toBe(read(`${name}.supp`));
    expect(written).not.toMatch(
      /^leak:\^(?:xmalloc|main|MAIN__|\w+::main\$|operator\(\)|std::|_GLOBAL__|__cxx_global_var_init)/m,
    );
    // The real LeakSanitizer, given those lines, still reports v2's new leak.
    const rerun = parse(read(`${name}.rerun2.log`), { path: `${name}.rerun2.log` });
    expect(rerun.leaks.map((l) => l.bytes)).toContain(NEW_LEAK[name]);
  });
});

// Campaign bp F1: the callers of sa_wrap had no names, and were taken for one caller.
describe("LSan suppressions for a library wrapper called from unnamed frames", () => {
  const dir = "test/fixtures/sanitizer/lsan-suppressions";
  const written = (name: string) => {
    const path = `${dir}/${name}.full.log`;
    const text = readFileSync(join(ROOT, path), "utf8");
    return generateLsanSuppressions(summarize([parse(text, { path })])).split("\n");
  };

  it("name no wrapper that unnamed callers share, and say why in a comment", () => {
    const lines = written("stripped-wrapper");
    expect(lines.filter((l) => l.startsWith("leak:"))).toEqual([
      "leak:^sb_leak$",
      "leak:^sa_leak2$",
      "leak:^sa_leak1$",
    ]);
    expect(lines.filter((l) => l.startsWith("# no line")).map((l) => l.split(": it ")[0])).toEqual([
      "# no line for the leak at ??? (libsa.so+0x1140) < sa_wrap < ??? (main_asan_strip+0x1227)",
      "# no line for the leak at ??? (libsa.so+0x1140) < sa_wrap < ??? (main_asan_strip+0x120e)",
    ]);
  });

  it("still name the wrapper's callers when they have names", () => {
    expect(written("debug-wrapper").filter((l) => l.startsWith("leak:"))).toEqual([
      "leak:^f5$",
      "leak:^f4$",
      "leak:^sb_leak$",
      "leak:^sa_leak2$",
      "leak:^sa_leak1$",
    ]);
  });
});

describe("LSan suppressions for a recursive function", () => {
  it("name it: its recursive calls are no second caller", () => {
    const dir = "test/fixtures/sanitizer/lsan-suppressions";
    const read = (name: string) => readFileSync(join(ROOT, dir, name), "utf8");
    const path = `${dir}/recursive.full.log`;
    const written = generateLsanSuppressions(
      summarize([parse(read("recursive.full.log"), { path })]),
    );
    expect(written).toBe(read("recursive.supp"));
    expect(written).toContain("leak:^build$\n");
    expect(written).not.toContain("# no line");
    // The real LeakSanitizer, given the lines, suppressed all four leaks.
    const rerun = parse(read("recursive.rerun.log"), { path: "recursive.rerun.log" });
    expect(rerun.leaks).toEqual([]);
    expect(rerun.diagnostics.map((d) => d.message).join("\n")).toMatch(/\^build\$/);
  });
});
