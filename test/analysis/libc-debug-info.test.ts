import { describe, expect, it } from "vitest";
import { fingerprintStack } from "../../src/analysis/fingerprint.js";
import type { Frame } from "../../src/model/index.js";
import { parseFile, summarize } from "../../src/index.js";

// Campaign bp F3: one program's leaks under Valgrind on a machine with glibc's debug info
// (libc6-dbg) and on one without: test/fixtures/valgrind/libc-debug-info/README.md.
const DIR = "test/fixtures/valgrind/libc-debug-info";

/** Each group of `log` as [its kind and `leak_` function, its state against `baselineLog`]. */
async function against(baselineLog: string, log: string): Promise<[string, string][]> {
  const baseline = summarize([await parseFile(`${DIR}/${baselineLog}`)]);
  const now = summarize([await parseFile(`${DIR}/${log}`)], { baseline });
  return now.groups
    .map((g): [string, string] => {
      const own = g.stack.find((f) => f.function?.startsWith("leak_") === true);
      return [`${g.kind} ${own?.function ?? ""}`, g.baseline ?? ""];
    })
    .sort();
}

describe("the same leaks with and without the C library's debug info", () => {
  it("are unchanged both ways: asprintf's and fopen's internal frames are `???` without it", async () => {
    const expected = [
      ["definitely-lost leak_asprintf", "unchanged"],
      ["definitely-lost leak_getline", "unchanged"],
      ["definitely-lost leak_strdup_a", "unchanged"],
      ["definitely-lost leak_strdup_b", "unchanged"],
      ["still-reachable leak_fopen", "unchanged"],
    ];
    expect(await against("leaks-dbg.txt", "leaks-nodbg.txt")).toEqual(expected);
    expect(await against("leaks-nodbg.txt", "leaks-dbg.txt")).toEqual(expected);
  });

  it("are unchanged inside dlopen: `_dl_catch_exception (dl-error-skeleton.c)` or `(in libc.so.6)`", async () => {
    // Python's dlopen of a C extension: interpreter noise that failed `--fail-on new`.
    const states = (await against("python-dlopen-dbg.txt", "python-dlopen-nodbg.txt")).map(
      ([, state]) => state,
    );
    expect(states).toEqual(["unchanged", "unchanged"]);
  });

  it("are unchanged where a tail call leaves only hidden frames (opendir's `__alloc_dir`)", async () => {
    const groups = await against("split-dbg.txt", "split-nodbg.txt");
    expect(groups.filter(([name]) => name.endsWith("leak_opendir"))).toEqual([
      ["definitely-lost leak_opendir", "unchanged"],
    ]);
    expect(groups.filter(([name]) => name.endsWith("leak_canon"))).toEqual([
      ["definitely-lost leak_canon", "unchanged"],
    ]);
  });
});

describe("leaks through different C library functions", () => {
  const malloc: Frame = {
    function: "malloc",
    object: "/usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so",
  };
  const libc = "/usr/lib/x86_64-linux-gnu/libc.so.6";
  const caller: Frame[] = [
    { function: "load", file: "cfg.c", line: 9 },
    { function: "main", file: "cfg.c", line: 20 },
  ];
  const at = (...frames: Frame[]) => fingerprintStack([malloc, ...frames, ...caller]);

  it("stay apart when called from one line, with or without the library's debug info", () => {
    const asprintf = at({ object: libc }, { function: "asprintf", object: libc });
    const strdup = at({ function: "strdup", object: libc });
    const fopen = at({ object: libc });
    expect(new Set([asprintf, strdup, fopen]).size).toBe(3);
    expect(
      at(
        { function: "__vasprintf_internal", file: "vasprintf.c", line: 71 },
        { function: "asprintf", file: "asprintf.c", line: 31 },
      ),
    ).toBe(asprintf);
    expect(at({ function: "strdup", file: "strdup.c", line: 42 })).toBe(strdup);
    expect(at({ function: "__fopen_internal", file: "iofopen.c", line: 65 })).toBe(fopen);
  });

  it("stay apart where no frame but the library's names anything (campaign v17 F1)", () => {
    // gcc ASan's fast unwinder stops inside glibc, at times on a garbage frame no module holds.
    const interceptor: Frame = { function: "__interceptor_malloc", file: "asan_malloc_linux.cpp" };
    const garbage: Frame = { object: "<unknown module>" };
    const cut = (...frames: Frame[]) => fingerprintStack([interceptor, ...frames]);
    const opendir: Frame = { function: "__alloc_dir", file: "opendir.c", line: 115 };
    const memstream: Frame = { function: "_IO_mem_finish", file: "memstream.c", line: 131 };
    expect(cut(opendir)).not.toBe(cut(memstream));
    expect(cut(opendir, garbage)).not.toBe(cut(memstream, garbage));
    const offset = (at: string): Frame => ({ object: libc, offset: at });
    expect(cut(offset("0xcfda4"))).not.toBe(cut(offset("0x7dfa3")));
    expect(cut(offset("0xcfda4"))).toBe(cut(offset("0xcfda4")));
  });

  it("stay apart from the program's own reserved names, which stand for no call into the library", () => {
    const own = at({ function: "__node_alloc", file: "own.c", line: 3 });
    expect(own).not.toBe(at({ object: libc }));
    expect(own).not.toBe(at({ function: "__key_alloc", file: "own.c", line: 4 }));
  });
});
