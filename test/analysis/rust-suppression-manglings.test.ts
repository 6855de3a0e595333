import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../src/api/parse.js";
import { summarize } from "../../src/api/summarize.js";
import { parseValgrindSuppressions } from "../../src/analysis/suppressions/valgrind.js";
import { Suppressor } from "../../src/analysis/suppressions/suppressor.js";
import { globMatch } from "../../src/analysis/suppressions/valgrind-match.js";
import { rustManglingOf, rustV0Sample } from "../../src/analysis/suppressions/rust-symbols.js";
import { ROOT } from "../helpers/golden.js";

// Campaign br F1: one program (leaks.rs) built with legacy and with v0 mangling, and one-entry
// suppression files, each given to the real Valgrind (fixtures/valgrind/rust-suppressions).
const DIR = join(ROOT, "test/fixtures/valgrind/rust-suppressions");
const read = (name: string) => readFileSync(join(DIR, name), "utf8");

/** What Valgrind suppressed given the entry: its LEAK SUMMARY's `suppressed:` bytes. */
function valgrindSuppressed(binary: string, entry: string): number {
  const summary = /suppressed: ([\d,]+) bytes/.exec(read(`runs/${binary}-${entry}.txt`));
  return Number(summary?.[1]?.replaceAll(",", ""));
}

/** leaklog's report of the binary's unsuppressed log with the entry's file applied. */
function apply(binary: string, entry: string) {
  const parsed = parseValgrindSuppressions(read(`entries/${entry}.supp`), `${entry}.supp`);
  expect(parsed.problems).toEqual([]);
  return summarize([parse(read(`${binary}.txt`), { path: `${binary}.txt` })], {
    suppressions: { valgrind: parsed.suppressions, lsan: [] },
  });
}

const suppressedBytes = (report: ReturnType<typeof apply>) =>
  report.totals.leaks["suppressed"]?.bytes ?? 0;
const unused = (report: ReturnType<typeof apply>) =>
  report.diagnostics.filter((d) => d.code === "unused-suppression").map((d) => d.message);

// Every entry of the campaign's table and further checks, on both builds.
const ENTRIES = ["e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9", "e10", "e11", "e12", "e13"];
const MORE = ["f1", "f2", "f3", "f4"];
const ROWS = ["leaks-debug", "leaks-v0"].flatMap((b) => [...ENTRIES, ...MORE].map((e) => [b, e]));

/**
 * The rows where the entry matches a function of the program (whose path, `leaks::forget_vec`,
 * both manglings print alike) under one mangling only. The crate's closure in a later loss
 * record (`leaks::thread_leak::{{closure}}`, `{closure#0}` in the v0 build) tells its mangling
 * (campaign br F1): leaklog applies the entry where Valgrind did, and says it matched nothing
 * where Valgrind hid nothing, not that the mangling is unknown.
 */
const ONE_MANGLING = new Set(["e1", "e6", "e9", "e10", "f2", "f3", "f4"]);
/** Demangled entries: matched by nothing, in Valgrind as in leaklog. */
const DEMANGLED = new Set(["e3", "e8"]);

describe("Valgrind suppressions on a Rust program's frames, as the real Valgrind applied them", () => {
  it.each(ROWS)(
    "%s with %s: leaklog suppresses what Valgrind does, or less and says so",
    (b, e) => {
      const report = apply(b, e);
      const valgrind = valgrindSuppressed(b, e);
      if (ONE_MANGLING.has(e)) {
        expect(suppressedBytes(report)).toBe(valgrind);
        const said = valgrind === 0 ? [expect.stringMatching(/\) matched nothing$/)] : [];
        expect(unused(report)).toEqual(said);
      } else if (b === "leaks-debug" && e === "f1") {
        // A whole v0 symbol is taken as copied from the program, as Valgrind's own blocks are:
        // given to this legacy build instead, it still matches (see rustFunMatch).
        expect([valgrind, suppressedBytes(report)]).toEqual([0, 100]);
      } else {
        expect(suppressedBytes(report)).toBe(valgrind);
      }
      if (DEMANGLED.has(e)) {
        expect(valgrind).toBe(0);
        expect(unused(report)).toEqual([
          expect.stringContaining("never demangled ones like this entry's: a Rust function's"),
        ]);
      }
    },
  );

  it("fun:leaks::* hides no leak, so the gate fails as Valgrind's own count does", () => {
    const report = apply("leaks-debug", "e8");
    expect(report.totals.leaks["definitely-lost"]).toMatchObject({ bytes: 849, blocks: 7 });
    expect(report.groups.filter((g) => g.suppressed === true)).toEqual([]);
  });

  it("*closure* matches v0 frames' inlined {closure#0} only, legacy's {{closure}} symbols too", () => {
    // The v0 symbol of `std::rt::lang_start::<()>::{closure#0}` holds no `closure`.
    expect(suppressedBytes(apply("leaks-v0", "e12"))).toBe(1001);
    expect(suppressedBytes(apply("leaks-debug", "e12"))).toBe(1201);
  });

  it("says an undecided entry's frame and the glob that matches under both manglings", () => {
    // prog's frames show no mangling: plain paths only (prog::a::make, prog::boxed, prog::main).
    const parsed = parseValgrindSuppressions(read("unlisted/legacy-glob.supp"), "g.supp");
    const log = parse(read("unlisted/legacy.txt"), { path: "legacy.txt" });
    const report = summarize([log], { suppressions: { valgrind: parsed.suppressions, lsan: [] } });
    const [message] = unused(report);
    expect(message).toContain("it would match prog::a::make only as the symbol");
    expect(message).toContain("fun:*4make*");
  });

  it("gives an undecided entry's reason alone, not the unlisted kinds first (campaign v18b Q2)", () => {
    // A log without --show-leak-kinds=all: its still-reachable blocks are counted, not listed.
    const parsed = parseValgrindSuppressions(read("unlisted/legacy-glob.supp"), "g.supp");
    const log = parse(read("unlisted/legacy.txt"), { path: "legacy.txt" });
    const report = summarize([log], { suppressions: { valgrind: parsed.suppressions, lsan: [] } });
    const [message] = unused(report);
    expect(message).toContain("matched nothing: it would match prog::a::make only as the symbol");
    expect(message).not.toContain("still-reachable");
  });

  it("passes the undecided entries from a worker's Suppressor on", () => {
    const parsed = parseValgrindSuppressions(read("unlisted/legacy-glob.supp"), "g.supp");
    const set = { valgrind: parsed.suppressions, lsan: [] };
    const worker = new Suppressor(set);
    for (const leak of parse(read("unlisted/legacy.txt")).leaks) worker.apply(leak);
    const main = new Suppressor(set);
    main.addUse(worker.use());
    expect(main.unused()[0]?.message).toContain("it would match prog::a::make only");
  });
});

describe("Rust symbols under v0 mangling", () => {
  it("tell the mangling from the path's shape where it shows", () => {
    expect(rustManglingOf("leaks::thread_leak::{{closure}}")).toBe("legacy");
    expect(rustManglingOf("alloc::raw_vec::RawVecInner<A>::with_capacity_in")).toBe("legacy");
    expect(rustManglingOf("alloc::slice::<impl [T]>::to_vec_in")).toBe("legacy");
    expect(rustManglingOf("leaks::thread_leak::{closure#0}")).toBe("v0");
    expect(rustManglingOf("std::rt::lang_start::<()>")).toBe("v0");
    expect(rustManglingOf("<alloc::raw_vec::RawVecInner>::try_allocate_in")).toBe("v0");
    expect(rustManglingOf("leaks::forget_vec")).toBeUndefined();
    expect(rustManglingOf("<alloc::alloc::Global as core::alloc::Allocator>::allocate")).toBe(
      undefined,
    );
  });

  it("encode a path of identifiers and closures as rustc did (nm of the fixtures' builds)", () => {
    const closure = "_RNCNvCs4GY8r3GeSKC_5leaks11thread_leak0B3_";
    expect(rustV0Sample("leaks::thread_leak::{closure#0}", closure)).toBe(closure);
    // `c.rs`, closures #1 and #2 of `f`, and a name that starts with `_`.
    expect(rustV0Sample("c::f::{closure#1}", "_RNCNvCse0t5XC0jcx_1c1fs_0B3_")).toBe(
      "_RNCNvCse0t5XC0jcx_1c1fs_0B3_",
    );
    expect(rustV0Sample("c::f::{closure#2}", "Cse0t5XC0jcx_1c")).toBe(
      "_RNCNvCse0t5XC0jcx_1c1fs0_0B3_",
    );
    expect(rustV0Sample("c::_under", "Cse0t5XC0jcx_1c")).toBe("_RNvCse0t5XC0jcx_1c6__under");
    // Without the crate's disambiguator in the pattern, only a `*` stands for it.
    const sample = rustV0Sample("std::rt::lang_start_internal", "*");
    expect(globMatch("_RNvNtCs*_3std2rt19lang_start_internal", sample)).toBe(true);
    expect(globMatch("_RNvNtCsjrHSEGnQ3l9_3std2rt*", sample)).toBe(false);
  });
});
