import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../src/api/parse.js";
import { summarize } from "../../src/api/summarize.js";
import { parseValgrindSuppressions } from "../../src/analysis/suppressions/valgrind.js";
import { isSharedLegacyPath } from "../../src/analysis/suppressions/rust-match.js";
import { Suppressor } from "../../src/analysis/suppressions/suppressor.js";
import { ROOT } from "../helpers/golden.js";

// Campaign v19 F2: Valgrind's own blocks for legacy symbols that print alike (two closures of
// `main`, two instantiations of a generic function), and what the real Valgrind hid with each
// (fixtures/valgrind/rust-legacy-alike).
const DIR = join(ROOT, "test/fixtures/valgrind/rust-legacy-alike");
const read = (name: string) => readFileSync(join(DIR, name), "utf8");

/** What Valgrind suppressed given the entry: its LEAK SUMMARY's `suppressed:` bytes. */
function valgrindSuppressed(run: string): number {
  const summary = /suppressed: ([\d,]+) bytes/.exec(read(run));
  return Number(summary?.[1]?.replaceAll(",", ""));
}

/** leaklog's report of the log with the entry's file applied. */
function apply(log: string, entry: string) {
  const parsed = parseValgrindSuppressions(read(entry), entry);
  expect(parsed.problems).toEqual([]);
  return summarize([parse(read(log), { path: log })], {
    suppressions: { valgrind: parsed.suppressions, lsan: [] },
  });
}

const suppressedBytes = (report: ReturnType<typeof apply>) =>
  report.totals.leaks["suppressed"]?.bytes ?? 0;

const unused = (report: ReturnType<typeof apply>) =>
  report.diagnostics.filter((d) => d.code === "unused-suppression").map((d) => d.message);

// Blocks 0 to 6 are of `plain` (10 bytes), `Pool::<u32>::grab` (21), `Pool::<u64>::grab` (23),
// `keep::<u32>` (31), `keep::<u64>` (37) and main's two closures (55, 66).
const BLOCKS = [0, 1, 2, 3, 4, 5, 6];

describe("Valgrind's blocks for legacy symbols that print alike", () => {
  it.each(BLOCKS)("block %i suppresses what Valgrind did in the log that holds the blocks", (n) => {
    // Each record's own block ties each frame to its symbol, hash and all.
    const report = apply("alike-legacy-gensupp.txt", `entries/alike-b${n}.supp`);
    expect(suppressedBytes(report)).toBe(valgrindSuppressed(`runs/alike-b${n}.txt`));
  });

  it.each([
    [1, "alike::Pool<T>::grab", "_ZN5alike13Pool$LT$T$GT$4grab17h*"],
    [2, "alike::Pool<T>::grab", "_ZN5alike13Pool$LT$T$GT$4grab17h*"],
    [5, "alike::main::{{closure}}", "_ZN5alike4main28_$u7b$$u7b$closure$u7d$$u7d$17h*"],
    [6, "alike::main::{{closure}}", "_ZN5alike4main28_$u7b$$u7b$closure$u7d$$u7d$17h*"],
  ])(
    "block %i, for one of two symbols printed %s, hides neither in a log without blocks",
    (n, fn, glob) => {
      const report = apply("alike-legacy.txt", `entries/alike-b${n}.supp`);
      // Valgrind hid the one leak; leaklog cannot tell which it is, and reports both.
      expect(valgrindSuppressed(`runs/alike-b${n}.txt`)).toBeGreaterThan(0);
      expect(suppressedBytes(report)).toBe(0);
      const [message] = unused(report);
      expect(message).toContain(`names a symbol printed as ${fn}`);
      expect(message).toContain(`fun:${glob} (`);
    },
  );

  it.each([
    ["b1-glob", 21 + 23],
    ["b5-glob", 55 + 66],
  ])(
    "the glob the info gives (entries/alike-%s.supp) hides both, as in Valgrind",
    (entry, both) => {
      expect(valgrindSuppressed(`runs/alike-${entry}.txt`)).toBe(both);
      expect(suppressedBytes(apply("alike-legacy.txt", `entries/alike-${entry}.supp`))).toBe(both);
    },
  );

  it("applies a plain function's block, std::rt::lang_start::{{closure}} and all", () => {
    // A program has one lang_start closure: lang_start is instantiated once, for main.
    expect(read("entries/alike-b0.supp")).toContain(
      "fun:_ZN3std2rt10lang_start28_$u7b$$u7b$closure$u7d$$u7d$17h6bd0be581428ce57E",
    );
    const report = apply("alike-legacy.txt", "entries/alike-b0.supp");
    expect(suppressedBytes(report)).toBe(valgrindSuppressed("runs/alike-b0.txt"));
    expect(unused(report)).toEqual([]);
  });

  it("still hides both instantiations of a generic function whose path shows no parameters", () => {
    // The README's limitation: `keep::<u32>` and `keep::<u64>` print `alike::keep`, like any
    // function, and Valgrind's block for one hides the other's leak too.
    expect(valgrindSuppressed("runs/alike-b3.txt")).toBe(31);
    expect(suppressedBytes(apply("alike-legacy.txt", "entries/alike-b3.supp"))).toBe(31 + 37);
  });

  it("the campaign's block for one closure of prog::main hides neither (campaign v19 F2)", () => {
    const report = apply("campaign/plain-legacy-debug.txt", "campaign/b5.supp");
    expect(valgrindSuppressed("campaign/run-b5.txt")).toBe(55);
    expect(suppressedBytes(report)).toBe(0);
    const closures = report.leaks.filter((l) =>
      l.stack.some((f) => f.function === "prog::main::{{closure}}"),
    );
    expect(closures.map((l) => [l.bytes, l.kind])).toEqual([
      [55, "definitely-lost"],
      [66, "definitely-lost"],
    ]);
  });
});

describe("legacy paths that several symbols print", () => {
  const shared = (fn: string, file: string) => isSharedLegacyPath({ function: fn, file, line: 1 });

  it("are closures and the program's functions that show generic parameters", () => {
    expect(shared("alike::main::{{closure}}", "main.rs")).toBe(true);
    const spawn = "std::thread::lifecycle::spawn_unchecked::{{closure}}::{{closure}}";
    expect(shared(spawn, "library/std/src/thread/lifecycle.rs")).toBe(true);
    expect(shared("alike::Pool<T>::grab", "main.rs")).toBe(true);
    expect(shared("<T as alike::Mk>::mk", "main.rs")).toBe(true);
    expect(shared("alike::slice::<impl [T]>::pick", "main.rs")).toBe(true);
  });

  it("are not lang_start's one closure, the library's generic functions, nor a plain path", () => {
    expect(shared("std::rt::lang_start::{{closure}}", "library/std/src/rt.rs")).toBe(false);
    const raw = "alloc::raw_vec::RawVecInner<A>::with_capacity_in";
    expect(shared(raw, "library/alloc/src/raw_vec/mod.rs")).toBe(false);
    expect(shared("<T as alloc::vec::spec_from_elem::SpecFromElem>::from_elem", "x.rs")).toBe(
      false,
    );
    expect(shared("alike::plain", "main.rs")).toBe(false);
    expect(shared("<u8 as alike::Mk>::mk", "main.rs")).toBe(false);
  });
});

describe("a whole legacy symbol of a shared path beside a glob its crate's mangling decides", () => {
  // `shapes` shows no mangling of its own, so `fun:_ZN6shapes10forget_vec*` waits for a later
  // record of it (campaign br F1); but the closure's whole symbol is "shared", which no later
  // record settles: the record is not held, and the info gives the closure's reason.
  const log = [
    "==1== Memcheck, a memory error detector",
    "==1== Command: prog",
    "==1== ",
    "==1== HEAP SUMMARY:",
    "==1==     in use at exit: 8 bytes in 1 blocks",
    "==1== ",
    "==1== 8 bytes in 1 blocks are definitely lost in loss record 1 of 1",
    "==1==    at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)",
    "==1==    by 0x11C67D: shapes::forget_vec (lib.rs:3)",
    "==1==    by 0x11C5C3: prog::main::{{closure}} (main.rs:5)",
    "==1==    by 0x11C4FA: prog::main (main.rs:4)",
    "==1== ",
    "",
  ].join("\n");
  const entry = [
    "{",
    "   closure-and-shapes",
    "   Memcheck:Leak",
    "   match-leak-kinds: definite",
    "   fun:malloc",
    "   fun:_ZN6shapes10forget_vec*",
    "   fun:_ZN4prog4main28_$u7b$$u7b$closure$u7d$$u7d$17h656ee65c7d800f96E",
    "}",
    "",
  ].join("\n");
  const set = () => ({
    valgrind: parseValgrindSuppressions(entry, "closure.supp").suppressions,
    lsan: [],
  });

  it("is not held for a later record", () => {
    const [leak] = parse(log, { path: "closure.txt" }).leaks;
    expect(leak).toBeDefined();
    expect(new Suppressor(set()).awaits(leak as NonNullable<typeof leak>)).toBe(false);
  });

  it("is not applied, and the info says why by the closure, not the mangling", () => {
    const report = summarize([parse(log, { path: "closure.txt" })], { suppressions: set() });
    expect(suppressedBytes(report)).toBe(0);
    const [message] = unused(report);
    expect(message).toContain("names a symbol printed as prog::main::{{closure}}");
    expect(message).not.toContain("Rust's two manglings");
  });
});
