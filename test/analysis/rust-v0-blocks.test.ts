import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../src/api/parse.js";
import { summarize } from "../../src/api/summarize.js";
import { parseValgrindSuppressions } from "../../src/analysis/suppressions/valgrind.js";
import { demangleRustV0 } from "../../src/analysis/suppressions/rust-v0-demangle.js";
import { ROOT } from "../helpers/golden.js";

// Campaign v18b F1: Valgrind's own blocks for a v0 build, and what the real Valgrind hid with
// each (fixtures/valgrind/rust-v0-blocks).
const DIR = join(ROOT, "test/fixtures/valgrind/rust-v0-blocks");
const read = (name: string) => readFileSync(join(DIR, name), "utf8");

/** What Valgrind suppressed given the entry: its LEAK SUMMARY's `suppressed:` bytes. */
function valgrindSuppressed(run: string): number {
  const summary = /suppressed: ([\d,]+) bytes/.exec(read(`runs/${run}.txt`));
  return Number(summary?.[1]?.replaceAll(",", ""));
}

/** leaklog's report of the log with the entry's file applied. */
function apply(log: string, entry: string) {
  const parsed = parseValgrindSuppressions(read(`entries/${entry}.supp`), `${entry}.supp`);
  expect(parsed.problems).toEqual([]);
  return summarize([parse(read(`${log}.txt`), { path: `${log}.txt` })], {
    suppressions: { valgrind: parsed.suppressions, lsan: [] },
  });
}

const suppressedBytes = (report: ReturnType<typeof apply>) =>
  report.totals.leaks["suppressed"]?.bytes ?? 0;

describe("v0 symbols demangled as Valgrind prints them", () => {
  const pairs = read("symbols.tsv")
    .trim()
    .split("\n")
    .map((line) => line.split("\t") as [string, string]);

  it.each(pairs)("%s is %s, as c++filt (libiberty) prints it", (symbol, printed) => {
    expect(demangleRustV0(symbol)).toBe(printed);
  });

  it("decodes no symbol it cannot read whole: punycode, a truncated or a non-v0 one", () => {
    expect(demangleRustV0("_RNvNtCs3JpXfVvpfaM_4featu11ncode_cta3gu3_3ha")).toBeUndefined();
    expect(demangleRustV0("_RNvNtCs56HGsqMBDvY_4prog6parser4ma")).toBeUndefined();
    expect(demangleRustV0("_ZN4prog6parser4make17h0123456789abcdefE")).toBeUndefined();
    expect(demangleRustV0("_RNvNtB0_4prog4make")).toBeUndefined(); // a back-reference forwards
  });

  it("leaves out an LLVM suffix, as Valgrind's demangler does", () => {
    expect(demangleRustV0("_RNvNtCs56HGsqMBDvY_4prog6parser4make.llvm.123")).toBe(
      "prog::parser::make",
    );
  });
});

describe("Valgrind's own blocks for a v0 build hide what Valgrind hides", () => {
  it("parser::make's block hides its 10 bytes and not network::make's 20", () => {
    const report = apply("prog-v0", "parser");
    expect(valgrindSuppressed("prog-v0-parser")).toBe(10);
    expect(suppressedBytes(report)).toBe(10);
    const left = report.groups.filter((g) => g.kind === "definitely-lost");
    expect(left.map((g) => [g.bytes, g.stack.map((f) => f.function)])).toEqual([
      [20, expect.arrayContaining(["prog::network::make"])],
    ]);
  });

  it("network::make's block hides its 20 bytes only", () => {
    expect(valgrindSuppressed("prog-v0-network")).toBe(20);
    expect(suppressedBytes(apply("prog-v0", "network"))).toBe(20);
  });

  // Impls (`<closures::Foo>::make`, `<closures::Foo as closures::Mk>::mk`), their closures and
  // generic functions (`closures::gen::<u8>`), whose symbols differ by more than two names.
  it.each([0, 1, 2, 3, 4, 5, 6, 7])("closures' block %i suppresses what Valgrind did", (n) => {
    const report = apply("closures-v0", `closures-b${n}`);
    expect(suppressedBytes(report)).toBe(valgrindSuppressed(`closures-v0-b${n}`));
  });
});
