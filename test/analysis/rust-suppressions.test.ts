import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../src/api/parse.js";
import { summarize } from "../../src/api/summarize.js";
import { generateValgrindSuppressions } from "../../src/analysis/suppressions/valgrind-generate.js";
import { parseValgrindSuppressions } from "../../src/analysis/suppressions/valgrind.js";
import { globMatch } from "../../src/analysis/suppressions/valgrind-match.js";
import {
  demangleRustLegacy,
  rustLegacySample,
} from "../../src/analysis/suppressions/rust-symbols.js";
import { ROOT } from "../helpers/golden.js";

// Real logs of a Rust program, debug and release (fixtures/valgrind/rust).
const read = (name: string) =>
  readFileSync(join(ROOT, "test/fixtures/valgrind/rust", name), "utf8");

/** The log's report with a suppression file applied, as `summarize --suppressions` does. */
function apply(log: string, supp: string) {
  const parsed = parseValgrindSuppressions(supp, "file.supp");
  expect(parsed.problems).toEqual([]);
  return summarize([parse(read(log), { path: log })], {
    suppressions: { valgrind: parsed.suppressions, lsan: [] },
  });
}

describe("Valgrind suppressions for a Rust program", () => {
  it.each(["sites-debug.txt", "sites-release.txt"])(
    "leaklog applies what it generated from %s to the same log: all suppressed",
    (log) => {
      const supp = generateValgrindSuppressions(summarize([parse(read(log))]));
      // An inlined frame as printed, the function it is in by its last name (both manglings).
      expect(supp).toContain("fun:do_alloc<alloc::alloc::Global>");
      expect(supp).toMatch(/fun:\*7names_a\*/);
      const report = apply(log, supp);
      expect(report.groups.length).toBeGreaterThan(0);
      expect(report.groups.every((g) => g.suppressed === true)).toBe(true);
      expect(report.diagnostics.filter((d) => d.code === "unused-suppression")).toEqual([]);
    },
  );

  it.each([
    ["sites-debug-gensupp.txt", "sites-debug.txt"],
    ["sites-release-gensupp.txt", "sites-release.txt"],
  ])("applies Valgrind's own blocks of %s (real legacy and v0 symbols) to %s", (gen, log) => {
    const supp = generateValgrindSuppressions(summarize([parse(read(gen))]));
    expect(supp).toContain("fun:_ZN5sites7names_b17h490ca54a5d9fa297E");
    const report = apply(log, supp);
    // But for the thread's closure, whose symbol's hash alone tells it from other closures of
    // `main` (campaign v19 F2): the debug build's thread leak stays reported, and says why.
    const left = report.groups.filter((g) => g.suppressed !== true);
    const closure = (g: (typeof left)[number]) =>
      g.stack.some((f) => f.function === "sites::main::{{closure}}");
    expect(left.every(closure)).toBe(true);
    expect(left.length).toBe(log === "sites-debug.txt" ? 1 : 0);
  });
});

describe("Valgrind suppressions for std's v0 symbols (print.rs, a release build)", () => {
  it("match `_print`, whose v0 length has a `_` after it, as real Valgrind applied them", () => {
    const supp = generateValgrindSuppressions(summarize([parse(read("print-release.txt"))]));
    expect(supp).toContain("fun:*6*_print*\n");
    expect(globMatch("*6*_print*", "_RNvNtNtCsjrHSEGnQ3l9_3std2io5stdio6__print")).toBe(true);
    const report = apply("print-release.txt", supp);
    expect(report.groups.every((g) => g.suppressed === true)).toBe(true);
    // Valgrind, given the file, suppressed every error of a rerun.
    const rerun = parse(read("print-release-rerun.txt"));
    expect(rerun.summaries[0]?.errors).toMatchObject({ errors: 0, suppressed: 4 });
  });

  it("apply Valgrind's own blocks to a trait's impl for a primitive type", () => {
    // `<u8 as core::fmt::Display>::fmt` is `...4core3fmt3num3imphNtB6_7Display3fmt`.
    const own = generateValgrindSuppressions(summarize([parse(read("print-release-gensupp.txt"))]));
    expect(own).toContain("fun:_RNvXNtNtNtCsgEmfK2I1SDS_4core3fmt3num3imphNtB6_7Display3fmt\n");
    const report = apply("print-release.txt", own);
    expect(report.groups.every((g) => g.suppressed === true)).toBe(true);
    expect(report.diagnostics.filter((d) => d.code === "unused-suppression")).toEqual([]);
  });
});

describe("Rust symbols", () => {
  it("demangle legacy names as Valgrind prints them, LLVM's suffix and all", () => {
    expect(demangleRustLegacy("_ZN5sites7names_b17h490ca54a5d9fa297E")).toBe("sites::names_b");
    expect(
      demangleRustLegacy(
        "_ZN63_$LT$alloc..alloc..Global$u20$as$u20$core..alloc..Allocator$GT$8allocate17hd39be8912178eba1E",
      ),
    ).toBe("<alloc::alloc::Global as core::alloc::Allocator>::allocate");
    expect(
      demangleRustLegacy(
        "_ZN3std2rt10lang_start28_$u7b$$u7b$closure$u7d$$u7d$17h43b36aa92fd6b159E.llvm.9617557304045879798",
      ),
    ).toBe("std::rt::lang_start::{{closure}}");
    expect(demangleRustLegacy("_ZN5alpha5Cache3getEi")).toBeUndefined(); // C++, no hash
  });

  it("sample a path so that a glob on its last name matches", () => {
    const sample = rustLegacySample("hashbrown::raw::RawTable<T,A>::reserve_rehash");
    expect(sample).toBe(
      "_ZN9hashbrown3raw21RawTable$LT$T$C$A$GT$14reserve_rehash17h0000000000000000E",
    );
    expect(globMatch("*10lang_start*", rustLegacySample("std::rt::lang_start::{{closure}}"))).toBe(
      true,
    );
  });
});
