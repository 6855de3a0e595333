import { describe, expect, it } from "vitest";
import { fingerprintStack } from "../../src/analysis/fingerprint.js";
import { isRuntimeFrame } from "../../src/analysis/runtime-frames.js";
import { parse } from "../../src/api/parse.js";
import { summarize } from "../../src/api/summarize.js";
import type { Report } from "../../src/model/index.js";
import { REPORTERS } from "../../src/report/index.js";
import { parseFixture } from "../helpers/golden.js";

// Real runs that grouping got wrong (campaign g): test/fixtures/grouping/README.md.
const DIR = "test/fixtures/grouping";
const report = (...logs: string[]): Report =>
  summarize(logs.map((log) => parseFixture(`${DIR}/${log}`)));
/** Each current group's place and its baseline state, against a baseline of `old` logs. */
const text = (r: Report): string => REPORTERS.text.render(r, { color: false, top: 20 });
const against = (old: string[], logs: string[]) =>
  summarize(
    logs.map((log) => parseFixture(`${DIR}/${log}`)),
    { baseline: { groups: report(...old).groups } },
  ).groups.map((g) => [g.stack[1]?.function, g.baseline]);

describe("a C program's own functions named with a leading underscore", () => {
  it("are the program's: two functions' leaks are two groups, each placed at its function", () => {
    const two = report("underscore/two-leaks.txt");
    expect(two.groups).toHaveLength(2);
    const places = text(two).match(/^ {8}at .*$/gm);
    expect(places).toEqual(["        at _index_put (us.c:5)", "        at _cache_put (us.c:4)"]);
    expect(against(["underscore/one-leak.txt"], ["underscore/two-leaks.txt"])).toEqual([
      ["_index_put", "new"],
      ["_cache_put", "unchanged"],
    ]);
  });
});

describe("programs built without debug information", () => {
  it("keep their objects apart: every test program's main is not one group", () => {
    const both = report("no-debug/parser.txt", "no-debug/network.txt");
    expect(both.groups.map((g) => [g.stack.at(-1)?.object, g.occurrences])).toEqual([
      ["/src/grouping/test_parser", 1],
      ["/src/grouping/test_network", 1],
    ]);
    expect(
      against(["no-debug/parser.txt"], ["no-debug/parser.txt", "no-debug/network.txt"]),
    ).toEqual([
      ["main", "unchanged"],
      ["strdup", "new"],
    ]);
  });

  it("group one program's leak alike under Valgrind and ASan (`main (in prog)`, `main (prog+0x117a)`)", () => {
    const groups = report("no-debug/parser.txt", "no-debug/parser-asan.log").groups;
    expect(groups.map((g) => [g.tools, g.occurrences])).toEqual([[["valgrind", "asan"], 2]]);
  });
});

describe("gcc's clones of a function", () => {
  it("are the function: a rebuild that stops cloning it leaves its leak unchanged", () => {
    // a: `make_buf.constprop.0 (leak.c:5)`, b: `make_buf (leak.c:5)`.
    expect(against(["clones/a/vg.txt"], ["clones/b/vg.txt"])).toEqual([["make_buf", "unchanged"]]);
  });

  it("group with the sanitizer's source name, and are no other place of the group", () => {
    const both = report("clones/a/vg.txt", "clones/a/asan.log");
    expect(both.groups.map((g) => g.tools)).toEqual([["valgrind", "asan"]]);
    expect(text(both)).not.toContain("also at");
  });
});

describe("ASan frames in no module it knows", () => {
  it("leave a kernel mapping's garbage frame out of the fingerprint: its offset moves each run", () => {
    // Two runs of one binary whose open_memstream leak has `([stack]+0x1fb47)` and `+0x20247`.
    const runs = report(
      "asan-stack-frame/with-stack-frame.log",
      "asan-stack-frame/with-stack-frame-2.log",
    );
    const perRun = runs.leaks.length / 2;
    expect(runs.groups.map((g) => g.occurrences)).toEqual(new Array(perRun).fill(2));
  });

  it("tell of a dlclose'd library's `(<unknown module>)` frames, as of Valgrind's `???`", () => {
    const unknown = report("unknown-module/asan.log");
    expect(unknown.groups).toHaveLength(1);
    expect(unknown.diagnostics).toEqual([
      expect.objectContaining({
        code: "unnamed-frames",
        message: expect.stringContaining("<unknown module>"),
      }),
    ]);
  });
});

describe("leaks through a C library function that allocates", () => {
  it("group alike under Valgrind, gcc's ASan and LSan, and clang's ASan", () => {
    // Each checker shows getline, asprintf, fclose of an open_memstream... its own way.
    const logs = ["vg.txt", "asan.log", "lsan.log", "clang-asan.log"];
    const all = report(...logs.map((log) => `libc-alloc/${log}`));
    expect(
      all.groups
        .map((g) => [g.stack.find((f) => f.file?.endsWith("libc.c"))?.function, g.occurrences])
        .sort(),
    ).toEqual([
      ["leak_asprintf", 4],
      ["leak_getcwd", 4],
      ["leak_getline", 4],
      ["leak_memstream", 4],
      ["leak_realpath", 4],
      ["leak_wcsdup", 4],
    ]);
  });

  it("stay apart by the function the program called, not by the library's insides", () => {
    // Still-reachable blocks of one real log (Valgrind 3.24 XML in the corpus), as Frames.
    const malloc = { function: "malloc", file: "vg_replace_malloc.c" };
    const main = { function: "main", file: "main.cpp", line: 3 };
    const at = (...names: string[]) =>
      fingerprintStack([malloc, ...names.map((name) => ({ function: name, file: "x.c" })), main]);
    const setlocale = at("strdup", "setlocale");
    expect(at("_nl_intern_locale_data", "_nl_load_locale_from_archive", "setlocale")).toBe(
      setlocale,
    );
    expect(at("__add_to_environ", "setenv")).not.toBe(setlocale);
    expect(at("__environ_new_array", "__add_to_environ", "setenv")).toBe(
      at("__add_to_environ", "setenv"),
    );
    // A program's own function between them keeps its place.
    expect(at("setlocale", "init_locale")).not.toBe(setlocale);
  });
});

describe("a sanitizer's stacks cut by its fast unwinder", () => {
  it("are told of once, naming the option for whole stacks", () => {
    // ASan's default options: two callers' getline leaks stop at `__GI___getdelim`.
    const cut = report("asan-fast-unwind/default.log");
    expect(cut.diagnostics).toEqual([
      expect.objectContaining({
        code: "library-stack",
        line: 5,
        message: expect.stringContaining("fast_unwind_on_malloc=0"),
      }),
    ]);
    // The log cannot say which options the run had: a small malloc_context_size cuts so too.
    expect(cut.diagnostics[0]?.message).toContain("malloc_context_size");
    // Once in a report made of that report (a merge), as in the report itself.
    const merged = summarize([parse(JSON.stringify(cut), { path: "merged.json" })]);
    expect(merged.diagnostics.map((d) => d.code)).toEqual(["library-stack"]);
    // The same program with fast_unwind_on_malloc=0: two groups, nothing to tell.
    const whole = report("asan-fast-unwind/full.log");
    expect(whole.groups).toHaveLength(2);
    expect(whole.diagnostics).toEqual([]);
  });
});

describe("which `_x` C names are the runtime's", () => {
  it.each([
    ["_dl_open", true],
    ["_int_malloc", true],
    ["_os_object_init", true],
    ["_itoa_word", true],
    ["_dispatch_lane_create_with_target", true],
    ["_cache_put", false],
    ["_os_alloc_table", false],
    ["_int_parse", false],
    ["_malloc_arena", false],
  ])("%s: %s", (name, runtime) => {
    expect(isRuntimeFrame({ function: name, file: "x.c" })).toBe(runtime);
  });
});

describe("a C program's own functions with reserved names (__x, _X)", () => {
  it("are the program's, not the C library's: four leaks are four groups", () => {
    const all = report("reserved-names/vg.txt");
    expect(all.groups.map((g) => g.stack[1]?.function).sort()).toEqual([
      "_Pool_grow",
      "_Pool_take",
      "__key_alloc",
      "__node_alloc",
    ]);
    // Against the build with two of the leaks, the other two are new.
    expect(against(["reserved-names/vg-two.txt"], ["reserved-names/vg.txt"]).sort()).toEqual([
      ["_Pool_grow", "unchanged"],
      ["_Pool_take", "new"],
      ["__key_alloc", "new"],
      ["__node_alloc", "unchanged"],
    ]);
  });

  it("glibc's own strdup under LSan's malloc is where the stack stops", () => {
    const dup = report("library-stack/dup-lsan.log");
    expect(dup.diagnostics.map((d) => [d.code, d.line])).toEqual([["library-stack", 5]]);
  });

  it("do not make a stack stop inside the C library", () => {
    const own = report("library-stack/own-frame.log");
    expect(own.groups.map((g) => g.stack[1]?.function)).toEqual(["__cache_alloc"]);
    expect(own.diagnostics).toEqual([]);
  });
});

describe("glibc's internal halves of a function the program called", () => {
  it("group with the sanitizers' interceptor of the public function", () => {
    const logs = ["vg.txt", "asan.log", "lsan.log", "clang-asan.log"];
    const all = report(...logs.map((log) => `libc-call/${log}`));
    const definite = all.groups.filter((g) => g.kind === "definitely-lost");
    const callers = definite.map(
      (g) => g.stack.find((f) => f.function?.startsWith("leak_"))?.function,
    );
    for (const fn of ["leak_vasprintf", "leak_scandir", "leak_canon"])
      expect(callers.filter((c) => c === fn)).toHaveLength(1);
  });

  it("group alike where the function is no listed one but a checker marks it libc's", () => {
    // tsearch: ASan's interceptor, LSan's `__GI___tsearch`, Valgrind's `tsearch (tsearch.c:337)`.
    const all = report("libc-call/ts-vg.txt", "libc-call/ts-asan.log", "libc-call/ts-lsan.log");
    expect(
      all.groups.map((g) => [
        g.stack.find((f) => f.file?.endsWith("ts.c"))?.function,
        g.occurrences,
      ]),
    ).toEqual([["use_tsearch", 3]]);
  });

  it("told of when LSan's cut stack ends in a garbage frame", () => {
    const lsan = report("library-stack/lsan.log");
    expect(lsan.diagnostics.map((d) => [d.code, d.line])).toEqual([["library-stack", 5]]);
  });
});

describe("leaks through different C library functions with no frame of the program", () => {
  // ASan's fast unwinder stops in glibc: `__alloc_dir` and `_IO_mem_finish` (campaign v17 F1).
  it("stay apart, with or without the library's debug info", () => {
    expect(report("libc-hidden/asan.log").groups).toHaveLength(2);
    expect(report("libc-hidden/asan-nodbg.log").groups).toHaveLength(2);
    // asprintf's `__vasprintf_internal` and open_memstream's `_IO_mem_finish` had merged.
    expect(report("asan-stack-frame/without.log").groups).toHaveLength(12);
  });

  it("let a new one fail `--fail-on new`", () => {
    expect(against(["libc-hidden/asan-one.log"], ["libc-hidden/asan.log"]).sort()).toEqual([
      ["_IO_mem_finish", "unchanged"],
      ["__alloc_dir", "new"],
    ]);
  });

  it("are told of as a stack that stops in the C library, named or not (campaign v17 Q2)", () => {
    for (const log of ["asan.log", "asan-one.log", "asan-nodbg.log"]) {
      const cut = report(`libc-hidden/${log}`);
      expect(cut.diagnostics.map((d) => [d.code, d.line])).toEqual([["library-stack", 5]]);
    }
  });
});
