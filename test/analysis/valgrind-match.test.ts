import { describe, expect, it } from "vitest";
import { parseValgrindSuppressions } from "../../src/analysis/suppressions/valgrind.js";
import { applyValgrindSuppressions } from "../../src/analysis/suppressions/valgrind-apply.js";
import {
  globMatch,
  stackMatches,
  suppressionMatches,
} from "../../src/analysis/suppressions/valgrind-match.js";
import type { ErrorRecord, Frame, LeakKind, LeakRecord } from "../../src/model/index.js";

const MALLOC: Frame = {
  function: "malloc",
  object: "/usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so",
};
const stack: Frame[] = [
  MALLOC,
  { function: "cache_alloc", file: "src/cache.c", line: 5 },
  { function: "main", file: "main.c", line: 17 },
];

function leak(kind: LeakKind, frames: Frame[] = stack): LeakRecord {
  return {
    type: "leak",
    id: "0:1",
    tool: "valgrind",
    kind,
    toolKind: kind,
    severity: "error",
    bytes: 8,
    directBytes: 8,
    indirectBytes: 0,
    blocks: 1,
    stack: frames,
    fingerprint: "f",
    location: { path: "a.txt", line: 1 },
  };
}

function error(kind: string, message: string, frames: Frame[] = stack.slice(1)): ErrorRecord {
  return {
    type: "error",
    id: "0:2",
    tool: "valgrind",
    kind,
    message,
    severity: "error",
    stack: frames,
    aux: [],
    count: 1,
    fingerprint: "g",
    location: { path: "a.txt", line: 9 },
  };
}

function supp(kind: string, ...lines: string[]) {
  const { suppressions, problems } = parseValgrindSuppressions(
    ["{", "n", kind, ...lines, "}"].join("\n"),
  );
  expect(problems).toEqual([]);
  return suppressions[0]!;
}

describe("globMatch (VG_(string_match))", () => {
  it.each([
    ["malloc", "malloc", true],
    ["malloc", "malloc2", false],
    ["mall*", "malloc", true],
    ["*", "", true],
    ["*loc", "malloc", true],
    ["m?lloc", "malloc", true],
    ["m?lloc", "mlloc", false],
    ["*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false],
    ["fun\\*", "fun*", true],
    ["fun\\*", "funny", false],
    ["/usr/lib/lib?.so*", "/usr/lib/libc.so.6", true],
  ])("%s against %s: %s", (pattern, name, expected) => {
    expect(globMatch(pattern, name)).toBe(expected);
  });
});

describe("stackMatches (frames from the top, ... = zero or more)", () => {
  const locs = (...lines: string[]) => supp("Memcheck:Cond", ...lines).frames;
  it("matches from the top, allocator frames included, and ignores the frames after", () => {
    expect(stackMatches(locs("fun:malloc", "fun:cache_alloc"), stack)).toBe(true);
    expect(stackMatches(locs("fun:cache_alloc"), stack)).toBe(false);
  });
  it("lets ... match zero, one or many frames", () => {
    expect(stackMatches(locs("...", "fun:malloc"), stack)).toBe(true);
    expect(stackMatches(locs("...", "fun:main"), stack)).toBe(true);
    expect(stackMatches(locs("fun:malloc", "...", "fun:main"), stack)).toBe(true);
    expect(stackMatches(locs("...", "fun:nothere"), stack)).toBe(false);
  });
  it("needs every location line: a stack shorter than the entry does not match", () => {
    expect(
      stackMatches(locs("fun:malloc", "fun:cache_alloc", "fun:main", "fun:extra"), stack),
    ).toBe(false);
  });
  it("matches obj: on the object, src: on the file name and line, ??? for unknowns", () => {
    expect(stackMatches(locs("obj:*vgpreload_memcheck*"), stack)).toBe(true);
    expect(stackMatches(locs("...", "src:cache.c:5"), stack)).toBe(true);
    expect(stackMatches(locs("...", "src:cache.c:6"), stack)).toBe(false);
    expect(stackMatches(locs("...", "src:cache.c"), stack)).toBe(true);
    // The frame printed as `cache_alloc (src/cache.c:5)` has no known object: it is "???".
    expect(stackMatches(locs("fun:malloc", "obj:/usr/*"), stack)).toBe(false);
    expect(stackMatches(locs("fun:malloc", "obj:*"), stack)).toBe(true);
    expect(stackMatches(locs("fun:???"), [{ object: "/lib/x.so" }])).toBe(true);
  });
});

describe("fun: lines against demangled C++ frames (Valgrind compares mangled names)", () => {
  const matches = (line: string, name: string) =>
    stackMatches(supp("Memcheck:Cond", line).frames, [{ function: name, file: "x.cpp", line: 1 }]);

  // Literal names as `--gen-suppressions=all` writes them (names-gen.supp, from names.txt).
  it.each([
    ["fun:_ZN5alpha5Cache3getEi", "alpha::Cache::get(int)", true],
    ["fun:_ZN4beta5Store3getEi", "alpha::Cache::get(int)", false],
    ["fun:_ZN5alpha5Cache5Inner3getEi", "alpha::Cache::get(int)", false],
    ["fun:_ZN5alpha5Cache3getEi", "alpha::Cache::Inner::get(int)", false],
    ["fun:_ZN5alphaL4sgetEi", "alpha::sget(int)", true],
    ["fun:_ZL11free_statici", "free_static(int)", true],
    ["fun:_Z5plaini", "plain(int)", true],
    ["fun:_Z5plaini", "operator+(Node, int)", false],
    ["fun:_ZNK5alpha5Cache4cgetEi", "alpha::Cache::cget(int) const", true],
    ["fun:_ZN5alpha5CacheC1Ev", "alpha::Cache::Cache()", true],
    ["fun:_ZN5alpha5CacheD1Ev", "alpha::Cache::Cache()", false],
    ["fun:_ZN12_GLOBAL__N_14anonEi", "(anonymous namespace)::anon(int)", true],
    ["fun:_ZZ4mainENKUliE_clEi", "main::{lambda(int)#1}::operator()(int) const", true],
    ["fun:_ZZ4mainENKUliE_clEi", "main", false],
    [
      "fun:_ZNSt6vectorIiSaIiEEC1EmRKS0_",
      "std::vector<int, std::allocator<int> >::vector(unsigned long, std::allocator<int> const&)",
      true,
    ],
    // Builtin parameters are encoded: an overload on them is another symbol, as in Valgrind.
    ["fun:_ZN5alpha5Cache3getEl", "alpha::Cache::get(int)", false],
    ["fun:_ZN5alpha5Cache3getEi", "alpha::Cache::get(int) [clone .isra.0]", false],
    ["fun:_ZN5alpha5Cache3getEi.isra.0", "alpha::Cache::get(int) [clone .isra.0]", true],
    // Other parameter types are not: an overload on them is not told apart.
    ["fun:_ZN5alpha5Cache3getEPKc", "alpha::Cache::get(std::string const&)", true],
  ])("%s against %s: %s", (line, name, expected) => {
    expect(matches(line, name)).toBe(expected);
  });

  // Globs: leaklog's own, older leaklog's, written by hand.
  it.each([
    ["fun:_ZN*5alpha5Cache*3getE*", "alpha::Cache::get(int)", true],
    ["fun:_ZN*5alpha5Cache*3getE*", "beta::Store::get(int)", false],
    ["fun:*3get*", "alpha::Cache::get(int)", true],
    ["fun:*4read*", "Reader::read()", true],
    ["fun:*4read*", "read(Buf&)", true],
    // Two wildcards do not meet: `_Z4read7_helper` would match both globs.
    ["fun:*4read*", "_helper(int)", false],
    ["fun:_Znw*", "operator new(unsigned long)", true],
    ["fun:_ZNK*", "alpha::Cache::cget(int) const", true],
    ["fun:*12_GLOBAL__N_14anon*", "(anonymous namespace)::anon(int)", true],
    ["fun:_Z*", "operator+(Node, int)", true],
    // Plain names are compared as written: no C++ frame is `malloc`, no C frame is mangled.
    ["fun:malloc", "operator+(Node, int)", false],
    ["fun:_Z*", "malloc", false],
    ["fun:_Z*", "(below main)", false],
  ])("%s against %s: %s", (line, name, expected) => {
    expect(matches(line, name)).toBe(expected);
  });
});

describe("suppressionMatches: kinds", () => {
  it.each([
    ["Memcheck:Addr4", "InvalidRead", "Invalid read of size 4", true],
    ["Memcheck:Addr4", "InvalidWrite", "Invalid write of size 4", true],
    ["Memcheck:Addr8", "InvalidRead", "Invalid read of size 4", false],
    [
      "Memcheck:Cond",
      "UninitCondition",
      "Conditional jump or move depends on uninitialised value(s)",
      true,
    ],
    ["Memcheck:Value0", "UninitCondition", "Conditional jump ...", true],
    ["Memcheck:Value8", "UninitValue", "Use of uninitialised value of size 8", true],
    ["Memcheck:Value4", "UninitValue", "Use of uninitialised value of size 8", false],
    ["Memcheck:Free", "InvalidFree", "Invalid free() / delete / delete[] / realloc()", true],
    ["Memcheck:Free", "MismatchedFree", "Mismatched free() / delete / delete []", true],
    ["Memcheck:Overlap", "Overlap", "Source and destination overlap in memcpy(0x1, 0x2, 8)", true],
    ["Memcheck:Jump", "InvalidJump", "Jump to the invalid address stated on the next line", true],
    [
      "Memcheck:User",
      "ClientCheck",
      "Unaddressable byte(s) found during client check request",
      true,
    ],
    ["Memcheck:ReallocZero", "ReallocSizeZero", "realloc() with size 0", true],
    ["Memcheck:Mempool", "InvalidMemPool", "Illegal memory pool address", true],
    ["Memcheck:Cond", "InvalidRead", "Invalid read of size 4", false],
    ["CoreError:FdNotClosed", "FdNotClosed", "Open file descriptor 3: /tmp/x", true],
    // The 3.22+ kinds as Valgrind 3.24 and 3.27 generated and applied them (campaign bw F3, F4).
    ["Memcheck:BadAlign", "InvalidAlignment", "Invalid alignment value: 3 (should be ...)", true],
    ["Memcheck:BadAlign", "InvalidSizeAndAlignment", "Invalid size value: 8 alignment ...", true],
    ["Memcheck:BadSize", "InvalidSize", "memalign() invalid size value: 0", true],
    ["Memcheck:UnsafeZeroSize", "InvalidSize", "Unsafe allocation with size of zero ...", true],
    ["Memcheck:UnsafeZeroSize", "InvalidAlignment", "Invalid alignment value: 3 ...", false],
    [
      "Memcheck:SizeMismatch",
      "MismatchedAllocateDeallocateSize",
      "Mismatched new/delete ...",
      true,
    ],
    ["Memcheck:SizeMismatch", "MismatchedAllocateDeallocateAlignment", "Mismatched ...", false],
    ["Memcheck:SizeMismatch", "InvalidSizeAndAlignment", "Invalid size value: 8 ...", false],
    ["Memcheck:AlignMismatch", "MismatchedAllocateDeallocateAlignment", "Mismatched ...", true],
    ["Memcheck:AlignMismatch", "MismatchedAllocateDeallocateSize", "Mismatched ...", false],
    ["Memcheck:AlignMismatch", "InvalidSizeAndAlignment", "Invalid size value: 8 ...", false],
    ["CoreError:FdBadUse", "FdBadUse", "File descriptor 7 was closed already", true],
    ["CoreError:FdBadUse", "FdBadClose", "File descriptor 3: /etc/passwd is already closed", false],
    ["Memcheck:Leak", "InvalidRead", "Invalid read of size 4", false],
  ])("%s vs %s (%s): %s", (kind, errorKind, message, expected) => {
    const record = error(errorKind, message);
    expect(suppressionMatches(supp(kind, "...", "fun:main"), record)).toBe(expected);
  });

  it("compares Param's syscall line and FishyValue's function(argument) exactly", () => {
    const param = error("SyscallParam", "Syscall param write(buf) points to uninitialised byte(s)");
    expect(suppressionMatches(supp("Memcheck:Param", "write(buf)", "...", "fun:main"), param)).toBe(
      true,
    );
    expect(
      suppressionMatches(supp("Memcheck:Param", "write(count)", "...", "fun:main"), param),
    ).toBe(false);
    const fishy = error(
      "FishyValue",
      "Argument 'size' of function malloc has a fishy (possibly negative) value: -16",
    );
    expect(
      suppressionMatches(supp("Memcheck:FishyValue", "malloc(size)", "...", "fun:main"), fishy),
    ).toBe(true);
    expect(
      suppressionMatches(supp("Memcheck:FishyValue", "realloc(size)", "...", "fun:main"), fishy),
    ).toBe(false);
  });

  it("matches leaks on match-leak-kinds (all kinds when absent, none with none)", () => {
    const some = supp("Memcheck:Leak", "match-leak-kinds: definite,indirect", "fun:malloc");
    expect(suppressionMatches(some, leak("definitely-lost"))).toBe(true);
    expect(suppressionMatches(some, leak("indirectly-lost"))).toBe(true);
    expect(suppressionMatches(some, leak("possibly-lost"))).toBe(false);
    expect(suppressionMatches(some, leak("still-reachable"))).toBe(false);
    expect(suppressionMatches(supp("Memcheck:Leak", "fun:malloc"), leak("still-reachable"))).toBe(
      true,
    );
    expect(
      suppressionMatches(
        supp("Memcheck:Leak", "match-leak-kinds: all", "fun:malloc"),
        leak("possibly-lost"),
      ),
    ).toBe(true);
    expect(
      suppressionMatches(
        supp("Memcheck:Leak", "match-leak-kinds: none", "fun:malloc"),
        leak("definitely-lost"),
      ),
    ).toBe(false);
    expect(suppressionMatches(supp("Memcheck:Addr4", "fun:malloc"), leak("definitely-lost"))).toBe(
      false,
    );
  });

  it("ignores other tools' entries", () => {
    const text = "{\n n\n Helgrind:Race\n fun:main\n}\n";
    const other = parseValgrindSuppressions(text).suppressions[0]!;
    expect(suppressionMatches(other, error("InvalidRead", "Invalid read of size 4"))).toBe(false);
  });
});

describe("applyValgrindSuppressions", () => {
  const entries = parseValgrindSuppressions(
    "{\n leaks\n Memcheck:Leak\n match-leak-kinds: definite\n fun:malloc\n fun:cache_alloc\n}\n" +
      "{\n reads\n Memcheck:Addr4\n fun:cache_alloc\n}\n{\n unused\n Memcheck:Cond\n fun:nothing\n}\n" +
      "{\n helgrind\n Helgrind:Race\n fun:x\n}\n",
    "my.supp",
  ).suppressions;
  const input = {
    leaks: [
      leak("definitely-lost"),
      leak("possibly-lost"),
      { ...leak("definitely-lost"), tool: "asan" as const },
    ],
    errors: [error("InvalidRead", "Invalid read of size 4")],
  };
  const { results, diagnostics } = applyValgrindSuppressions([input], entries);
  const out = results[0]!;

  it("turns matching leaks into kind suppressed, keeping the kind they had", () => {
    expect(out.leaks[0]).toMatchObject({
      kind: "suppressed",
      severity: "none",
      toolKind: "definitely-lost",
      details: { suppressedKind: "definitely-lost", suppressedBy: "leaks" },
    });
    expect(out.leaks[1]?.kind).toBe("possibly-lost");
    expect(out.leaks[2]?.kind).toBe("definitely-lost"); // not Valgrind's record
    expect(input.leaks[0]?.kind).toBe("definitely-lost"); // inputs untouched
  });

  it("marks matching errors suppressed with severity none", () => {
    expect(out.errors[0]).toMatchObject({
      suppressed: true,
      severity: "none",
      details: { suppressedBy: "reads" },
    });
  });

  it("lists each unused Memcheck entry once, as info with its file and line", () => {
    expect(diagnostics).toEqual([
      {
        severity: "info",
        code: "unused-suppression",
        message: 'suppression "unused" (Memcheck:Cond) matched nothing',
        path: "my.supp",
        line: 14,
      },
    ]);
  });
});

describe("an unused entry with obj: lines", () => {
  it("says a text log's frames with a source file name no object", () => {
    // strdup (strdup.c:42) in a text log: Valgrind suppressed the leak with obj:*/libc.so*,
    // leaklog's message asked for the entry's removal.
    const entries = parseValgrindSuppressions(
      "{\n libc\n Memcheck:Leak\n fun:malloc\n obj:*/libc.so*\n}\n" +
        "{\n any-object\n Memcheck:Leak\n fun:malloc\n obj:*\n}\n",
      "libc.supp",
    ).suppressions;
    const strdup: Frame = { function: "strdup", file: "strdup.c", line: 42 };
    const input = { leaks: [leak("definitely-lost", [MALLOC, strdup])], errors: [] };
    const { diagnostics } = applyValgrindSuppressions([input], entries);
    expect(diagnostics.map((d) => d.message)).toEqual([
      expect.stringContaining(
        'suppression "libc" (Memcheck:Leak) matched nothing: its obj: lines match only frames that name their object',
      ),
    ]);
  });
});

describe("why an entry is unused, from what the logs hold", () => {
  const entries = parseValgrindSuppressions(
    "{\n libc\n Memcheck:Leak\n fun:malloc\n obj:*/libc.so*\n}\n" +
      "{\n wide\n Memcheck:Leak\n fun:malloc\n ...\n fun:main\n}\n" +
      "{\n narrow\n Memcheck:Leak\n fun:malloc\n fun:make\n fun:main\n}\n",
    "my.supp",
  ).suppressions;
  const unusedOf = (stack: Frame[]) =>
    applyValgrindSuppressions(
      [{ leaks: [leak("definitely-lost", [MALLOC, ...stack])], errors: [] }],
      entries,
    ).diagnostics.map((d) => d.message);

  it("gives no obj: reason where every frame names its object (an XML log's)", () => {
    const make: Frame = { function: "make", file: "m.c", line: 3, object: "/bin/prog" };
    const main: Frame = { function: "main", file: "m.c", line: 9, object: "/bin/prog" };
    expect(unusedOf([make, main])).toEqual([
      'suppression "libc" (Memcheck:Leak) matched nothing',
      expect.stringContaining('suppression "wide"'),
    ]);
  });

  it("says an entry matched only what another entry was credited with, not that it matched nothing", () => {
    const make: Frame = { function: "make", object: "/bin/prog" };
    const main: Frame = { function: "main", object: "/bin/prog" };
    // Valgrind tries the entries last loaded first: "narrow" is credited.
    const messages = unusedOf([make, main]);
    expect(messages).toContain(
      'suppression "wide" (Memcheck:Leak) matched only records that "narrow" (my.supp:15) matches too, and Valgrind credits that one (as it would given the file): the two overlap, so this one suppresses nothing more',
    );
    expect(messages.join("\n")).not.toMatch(/"wide".*matched nothing/);
  });
});
