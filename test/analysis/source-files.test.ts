import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isOwnFrame, type SourceNames } from "../../src/analysis/own-frames.js";
import { ambiguousSourceFiles } from "../../src/analysis/source-files.js";
import { matchFrameFile, matchSourceFile } from "../../src/analysis/source-match.js";
import { relativeSourcePath } from "../../src/analysis/paths.js";
import { parse } from "../../src/api/parse.js";
import type { Frame, Report } from "../../src/model/index.js";
import { ROOT } from "../helpers/golden.js";
import { reportOf } from "../report/ci/helpers.js";
import { textFrame, tree } from "../helpers/source-tree.js";

const unknown = { kind: "unknown" };

describe("matchSourceFile", () => {
  const two = tree("src/a/util.c", "src/b/util.c", "src/main.c");

  it("finds a lone file of the name wherever it is in the tree", () => {
    expect(matchSourceFile("main.c", two)).toEqual({ kind: "found", path: "src/main.c" });
  });

  it("takes the file sharing the longest tail of segments with the log's path", () => {
    // --fullpath-after=/build/ with a root at src/ or above it, and a sanitizer's `../`.
    expect(matchSourceFile("src/a/util.c", two)).toEqual({ kind: "found", path: "src/a/util.c" });
    expect(matchSourceFile("b/util.c", two)).toEqual({ kind: "found", path: "src/b/util.c" });
    expect(matchSourceFile("../src/b/./util.c", two)).toEqual({
      kind: "found",
      path: "src/b/util.c",
    });
    const under = tree("a/util.c", "b/util.c");
    expect(matchSourceFile("src/a/util.c", under)).toEqual({ kind: "found", path: "a/util.c" });
  });

  it("is ambiguous when several files share the longest tail", () => {
    expect(matchSourceFile("util.c", two)).toEqual({
      kind: "ambiguous",
      candidates: ["src/a/util.c", "src/b/util.c"],
    });
  });

  it("is no file whose directories the log's path contradicts", () => {
    // gcc's ASan names glibc's frames by its build's paths: `__alloc_dir
    // ../sysdeps/unix/sysv/linux/opendir.c:115`, `__vasprintf_internal libio/vasprintf.c:71`
    // (test/fixtures/libc-namesakes/gnulib/asan.txt); the project's are in src/lib.
    const gnulib = tree("src/lib/opendir.c", "src/lib/vasprintf.c", "src/main.c");
    const opendir = "../sysdeps/unix/sysv/linux/opendir.c";
    expect(matchSourceFile(opendir, gnulib)).toEqual({ kind: "unknown" });
    expect(matchSourceFile("libio/vasprintf.c", gnulib)).toEqual({ kind: "unknown" });
    expect(matchSourceFile("c/util.c", two)).toEqual({ kind: "unknown" });
    // Directories beyond the file's path under the root are the root's own: no contradiction.
    expect(matchSourceFile("proj/src/lib/opendir.c", gnulib)).toMatchObject({ kind: "found" });
    expect(matchSourceFile("lib/opendir.c", gnulib)).toMatchObject({ kind: "found" });
  });

  it("knows nothing without the tree's paths or a file of that name", () => {
    expect(matchSourceFile("util.c", undefined)).toEqual({ kind: "unknown" });
    expect(matchSourceFile("util.c", { names: new Set(["util.c"]), complete: true })).toEqual({
      kind: "unknown",
    });
    expect(matchSourceFile("other.c", two)).toEqual({ kind: "unknown" });
  });

  it("gives relativeSourcePath the file found, and the name as given otherwise", () => {
    const ownCode = { sourceRoot: "/r", sourceNames: two };
    expect(relativeSourcePath({ file: "main.c" }, ownCode)).toBe("src/main.c");
    expect(relativeSourcePath({ file: "util.c" }, ownCode)).toBe("util.c");
    expect(relativeSourcePath({ file: "/r/src/a/util.c" }, ownCode)).toBe("src/a/util.c");
  });
});

describe("matchFrameFile, with what the root's files hold", () => {
  // test/fixtures/libc-namesakes/own: the project's own opendir.c (10 lines) defines
  // `__dircache_new`; glibc's `__alloc_dir (opendir.c:115)` is in the same text log.
  const own: SourceNames = {
    ...tree("src/lib/opendir.c", "src/main.c"),
    files: new Map([["src/lib/opendir.c", { lines: 10, words: new Set(["__dircache_new"]) }]]),
  };
  const found = { kind: "found", path: "src/lib/opendir.c" };

  it("is no file that never spells a reserved name, or whose end is before the line", () => {
    expect(matchFrameFile(textFrame("__dircache_new", "opendir.c", 7), own)).toEqual(found);
    expect(matchFrameFile(textFrame("__alloc_dir", "opendir.c", 115), own)).toEqual(unknown);
    expect(matchFrameFile(textFrame("__alloc_dir", "opendir.c", 5), own)).toEqual(unknown);
    // An ordinary name is not looked up (a macro's function is in a file that never spells it),
    // but the file's length still counts.
    expect(matchFrameFile(textFrame("cache_fill", "opendir.c", 9), own)).toEqual(found);
    expect(matchFrameFile(textFrame("opendir_tail", "opendir.c", 63), own)).toEqual(unknown);
    expect(
      relativeSourcePath(textFrame("__alloc_dir", "opendir.c", 115), { sourceNames: own }),
    ).toBe(undefined);
  });

  it("is any file of the name that was not read", () => {
    const unread: SourceNames = { ...own, files: new Map() };
    expect(matchFrameFile(textFrame("__alloc_dir", "opendir.c", 115), unread)).toEqual(found);
    expect(matchFrameFile(textFrame("__alloc_dir", "opendir.c", 115), tree("opendir.c"))).toEqual({
      kind: "found",
      path: "opendir.c",
    });
  });

  it("looks a name up without its symbol version, clone suffix or C++ scope", () => {
    const words = new Set(["realpath_stk", "alloc", "_helper"]);
    const files = new Map([["lib/x.c", { lines: 500, words }]]);
    const x: SourceNames = { ...tree("lib/x.c"), files };
    for (const fn of ["realpath_stk.isra.0", "std::hash<Key>::alloc() const", "__gnu_cxx::_helper"])
      expect(matchFrameFile(textFrame(fn, "x.c", 3), x), fn).toMatchObject({ kind: "found" });
    expect(matchFrameFile(textFrame("_IO_mem_finish", "x.c", 3), x)).toEqual(unknown);
  });
});

describe("ambiguousSourceFiles", () => {
  // use_after_free.txt's frames name use_after_free.c three times, in three groups.
  const sample = (): Promise<Report> => reportOf("valgrind/use_after_free.txt");

  it("warns once per ambiguous path, at the first record, naming the candidates", async () => {
    const report = await sample();
    const sourceNames = tree("x/use_after_free.c", "y/use_after_free.c");
    const found = ambiguousSourceFiles(report, { sourceRoot: "/r", sourceNames });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      severity: "warning",
      code: "ambiguous-source-file",
      path: report.groups[0]?.members[0]?.path,
      line: report.groups[0]?.members[0]?.line,
    });
    expect(found[0]?.message).toContain(
      "use_after_free.c names 2 files under the source root (x/use_after_free.c, y/use_after_free.c)",
    );
  });

  it("is silent when the file is one, and names a few of many", async () => {
    const report = await sample();
    const one = tree("x/use_after_free.c");
    expect(ambiguousSourceFiles(report, { sourceRoot: "/r", sourceNames: one })).toEqual([]);
    const many = tree(...Array.from({ length: 8 }, (_, i) => `d${i}/use_after_free.c`));
    const [warning] = ambiguousSourceFiles(report, { sourceRoot: "/r", sourceNames: many });
    expect(warning?.message).toContain("d4/use_after_free.c and 3 more)");
  });
});

describe("a frame naming a file the source root has none of", () => {
  it("has no path under the root when the root's walk was complete", () => {
    // A library frame with debug info (`gmem.c`): SARIF's code flows linked src/gmem.c.
    const ownCode = { sourceRoot: "/r", sourceNames: tree("src/leak.c") };
    expect(relativeSourcePath({ file: "gmem.c", line: 106 }, ownCode)).toBe(undefined);
    expect(relativeSourcePath({ file: "leak.c", line: 3 }, ownCode)).toBe("src/leak.c");
    // A walk that stopped at its bound may not have reached it: taken as under the root.
    const partial = { sourceRoot: "/r", sourceNames: { ...tree("src/leak.c"), complete: false } };
    expect(relativeSourcePath({ file: "gmem.c" }, partial)).toBe("gmem.c");
  });
});

describe("a Windows path in a frame (MSVC's AddressSanitizer)", () => {
  it("is no path under the root, with or without one", () => {
    // Taken as relative, it became `file=C%3A\proj\src\leak.c` in GitHub annotations.
    const frame = { file: "C:\\proj\\src\\leak.c", line: 2 };
    expect(relativeSourcePath(frame)).toBe(undefined);
    expect(relativeSourcePath(frame, { sourceRoot: "/proj" })).toBe(undefined);
    expect(relativeSourcePath({ file: "\\\\server\\share\\leak.c" })).toBe(undefined);
    expect(relativeSourcePath({ file: "src/leak.c" })).toBe("src/leak.c");
  });
});

describe("an out-of-tree build's frames (meson's builddir)", () => {
  // Real: `meson setup builddir && ninja -C builddir`, then valgrind --xml=yes in builddir (see
  // test/fixtures/valgrind-xml/meson-builddir). The compiler ran in builddir on ../src/leak.c,
  // so every own frame's <dir> is /src/vgcorpus/mproj/builddir/../src.
  const xml = readFileSync(join(ROOT, "test/fixtures/valgrind-xml/meson-builddir/vg.xml"), "utf8");
  const frames = parse(xml).leaks.flatMap((leak) => leak.stack.filter((f) => f.file === "leak.c"));
  const ownCode = { sourceRoot: "/src/vgcorpus/mproj/src" };

  it("are under the source root once their .. is taken out", () => {
    expect(frames.map((f) => f.dir)).toContain("/src/vgcorpus/mproj/builddir/../src");
    for (const frame of frames) {
      expect(relativeSourcePath(frame, ownCode)).toBe("leak.c");
      expect(isOwnFrame(frame, ownCode)).toBe(true);
    }
    expect(relativeSourcePath(frames[0] as Frame, { sourceRoot: "/src/vgcorpus/other" })).toBe(
      undefined,
    );
  });
});
