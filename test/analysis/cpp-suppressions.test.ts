import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../src/api/parse.js";
import { summarize } from "../../src/api/summarize.js";
import { generateValgrindSuppressions } from "../../src/analysis/suppressions/valgrind-generate.js";
import { parseValgrindSuppressions } from "../../src/analysis/suppressions/valgrind.js";
import type { Group } from "../../src/model/index.js";
import { ROOT } from "../helpers/golden.js";

const DIR = join(ROOT, "test/fixtures/suppressions/cpp");
const read = (file: string) => readFileSync(join(DIR, file), "utf8");

/** A real log's report with a suppression file applied, as `summarize --suppressions` does. */
function apply(log: string, supp: string) {
  const parsed = parseValgrindSuppressions(supp, "file.supp");
  expect(parsed.problems).toEqual([]);
  const report = summarize([parse(read(log), { path: log })], {
    suppressions: { valgrind: parsed.suppressions, lsan: [] },
  });
  const unused = report.diagnostics.filter((d) => d.code === "unused-suppression");
  const kept = report.groups.filter((g) => g.suppressed !== true);
  return { report, unused, kept };
}

/* Round trips on real Valgrind 3.19 logs of C++ programs (see the fixtures' README). */
describe("C++ suppressions from and for real logs", () => {
  it("a suppression made from run 1 does not hide run 2's new leak elsewhere", () => {
    const supp = generateValgrindSuppressions(summarize([parse(read("broad1.txt"))]));
    expect(supp).toContain("fun:_ZN5alpha5Cache*3getEi");
    const { kept } = apply("broad2.txt", supp);
    const report = summarize([parse(read("broad2.txt"))]);
    const beta = report.leaks.find((l) => l.stack.some((f) => f.function?.startsWith("beta::")));
    expect(kept.map((g) => g.fingerprint)).toEqual([beta?.fingerprint]);
  });

  it.each(["own.txt", "names.txt", "strings.txt"])(
    "leaklog applies what it generated from %s to the same log: all suppressed",
    (log) => {
      const supp = generateValgrindSuppressions(summarize([parse(read(log))]));
      const { report, kept, unused } = apply(log, supp);
      expect(report.groups.length).toBeGreaterThan(0);
      expect(kept).toEqual([]);
      // names.txt: one entry is left unused, as by Valgrind 3.19 given the same file (`-v`:
      // a used_suppression line for every other entry): entries are tried last loaded first,
      // and the one left matches only records another entry is credited with.
      expect(unused.map((d) => d.message)).toEqual(
        log === "names.txt"
          ? [
              expect.stringMatching(
                /matched only records that "leaklog-[-\w]+" \(file\.supp:\d+\) matches too/,
              ),
            ]
          : [],
      );
    },
  );

  it("clang's lambdas (`main::$_0::operator()`) are local to main, both ways", () => {
    const supp = generateValgrindSuppressions(summarize([parse(read("clang-lambda.txt"))]));
    expect(supp).toContain("fun:_ZZ*4main*\n");
    expect(supp).not.toContain("$_0");
    expect(apply("clang-lambda.txt", supp).kept).toEqual([]);
    // Valgrind, given the file, suppressed every leak of a rerun.
    expect(read("clang-lambda-rerun.txt")).toContain("definitely lost: 0 bytes in 0 blocks");
    // Valgrind's own blocks name the symbols, `fun:_ZZ4mainENK3$_1clEi`.
    const own = generateValgrindSuppressions(summarize([parse(read("clang-lambda-gensupp.txt"))]));
    expect(own).toContain("fun:_ZZ4mainENK3$_1clEi\n");
    const { kept, unused } = apply("clang-lambda.txt", own);
    expect(kept).toEqual([]);
    expect(unused).toEqual([]);
  });

  it("applies Valgrind's own --gen-suppressions=all blocks (real mangled names)", () => {
    const { report, kept, unused } = apply("names.txt", read("names-gen.supp"));
    expect(report.groups).toHaveLength(21);
    expect(kept).toEqual([]);
    // Valgrind writes one block per loss record: the two `new` in main (lines 32 and 34) give
    // the same block twice. Valgrind tries the entries loaded last first, so the copy at line
    // 183 is used and the first one (line 90) never is: `valgrind -v --suppressions=
    // names-gen.supp` lists a used_suppression line for every other entry. Nothing else.
    expect(unused.map((d) => d.line)).toEqual([90]);
  });

  it("still applies the `fun:*4read*` files leaklog wrote before (12 unused before)", () => {
    const { kept, unused } = apply("own.txt", read("own-leaklog-0.supp"));
    expect(kept).toEqual([]);
    expect(unused).toEqual([]);
  });

  it("a suppression of raw(unsigned int) does not hide a new leak in the overload raw(long)", () => {
    const dir = "overloads";
    const supp = generateValgrindSuppressions(summarize([parse(read(`${dir}/v1.txt`))]));
    // What the committed file holds, and the real Valgrind used (README.md).
    expect(supp).toBe(read(`${dir}/v1.supp`));
    expect(supp).toContain("fun:_ZN5alpha*3rawEj\n");
    expect(apply(`${dir}/v1.txt`, supp).kept).toEqual([]);
    // Valgrind with these suppressions on v3 reports raw(long)'s leak only; so does leaklog.
    const raw = (log: string) =>
      apply(log, supp)
        .kept.flatMap((g) => g.stack.map((f) => f.function))
        .filter((f) => f?.startsWith("alpha::raw"));
    expect(raw(`${dir}/v3-nosupp.txt`)).toEqual(["alpha::raw(long)"]);
    const valgrind = summarize([parse(read(`${dir}/v3.txt`))]);
    expect(valgrind.groups.map((g) => g.stack[1]?.function)).toEqual(["alpha::raw(long)"]);
  });

  it("a suppression of a constructor does not hide a new leak in its overload", () => {
    // ctor-overloads/README.md: Valgrind given known.supp reported Foo(long) and get(long).
    const dir = "ctor-overloads";
    const supp = generateValgrindSuppressions(summarize([parse(read(`${dir}/old.txt`))]));
    expect(supp).toBe(read(`${dir}/known.supp`));
    const { kept } = apply(`${dir}/new-nosupp.txt`, supp);
    const places = kept.map((g) => g.stack[1]?.function);
    expect(places.sort()).toEqual(["app::Foo::Foo(long)", "app::Foo::get(long) const"]);
    const real = summarize([parse(read(`${dir}/new.txt`))]);
    expect(real.groups.map((g) => g.stack[1]?.function).sort()).toEqual(places.sort());
  });

  it("a conversion operator's suppression does not hide the rest of its class", () => {
    const dir = "conversion-operator";
    const supp = generateValgrindSuppressions(summarize([parse(read(`${dir}/known.txt`))]));
    expect(supp).toBe(read(`${dir}/known.supp`));
    expect(supp).toContain("fun:_ZN3app3FoocviEv\n");
    const { kept } = apply(`${dir}/new-nosupp.txt`, supp);
    const member = (g: Group) => g.stack.find((f) => f.function?.startsWith("app::"))?.function;
    const places = kept.map(member).sort();
    expect(places).toEqual(["app::Foo::Foo(long)", "app::Foo::operator+=(long)"]);
    const real = summarize([parse(read(`${dir}/new.txt`))]);
    expect(real.groups.map(member).sort()).toEqual(places);
  });
});

describe("operators' suppressions (operators/README.md, real Valgrind)", () => {
  it("hide their own leaks only, as Valgrind given the file does", () => {
    const supp = generateValgrindSuppressions(summarize([parse(read("operators/known.txt"))]));
    expect(supp).toBe(read("operators/gen.supp"));
    const places = (groups: readonly Group[]) =>
      groups.map((g) => g.stack.find((f) => f.file === "ops.cpp")?.function).sort();
    const kept = apply("operators/next-all.txt", supp).kept;
    const real = summarize([parse(read("operators/next-supp.txt"))]).groups;
    expect(places(kept)).toEqual(places(real));
    expect(places(real)).toEqual([
      "Vec::grow(int)",
      "Vec::load(char const*)",
      "Vec::shrink()",
      "name_dup(char const*)",
    ]);
  });
});

/**
 * Campaign bh: `instantiations/` (see the README). What Valgrind suppressed with each file is
 * its own log of the same program run with it (`valgrind-NAME.txt`).
 */
describe("Valgrind's own entries against a log that names each frame's symbol", () => {
  const lost = (report: ReturnType<typeof apply>["report"]) =>
    report.leaks
      .filter((l) => l.kind === "definitely-lost")
      .reduce((sum, l) => sum + (l.directBytes ?? l.bytes), 0);
  const valgrindLost = (file: string) =>
    Number(/definitely lost: (\d+) bytes/.exec(read(`instantiations/${file}`))?.[1]);

  it.each(["cpp_gensupp.txt", "cpp_gensupp.xml"])(
    "%s: an entry of make<double>'s symbol leaves make<int>'s leak, as Valgrind did",
    (log) => {
      const { report, unused } = apply(
        `instantiations/${log}`,
        read("instantiations/all_but_make_int.supp"),
      );
      expect(valgrindLost("valgrind-all_but_make_int.txt")).toBe(28);
      expect(lost(report)).toBe(28);
      // Valgrind used all eight entries: none is redundant.
      expect(unused).toEqual([]);
    },
  );

  it("a block two records fit alike gives neither its symbols: both are matched as text", () => {
    const { report } = apply(
      "instantiations/gen_cpp_2pid.txt",
      read("instantiations/c20_make_double_only.supp"),
    );
    expect(report.diagnostics.map((d) => d.code)).toContain("suppression-owner");
    // Misattached, make<int>'s block went to make<double>'s record: matched by it, the
    // make<double> entry suppressed make<int>'s leak alone. As text, both (README).
    const suppressed = report.leaks.filter((l) => l.kind === "suppressed");
    expect(suppressed.map((l) => l.stack[1]?.function)).toEqual([
      "double* alpha::make<double>(int)",
      "int* alpha::make<int>(int)",
    ]);
  });

  it("a C2 constructor's entry does not hide the C1 frame the log's block names", () => {
    const { unused } = apply(
      "instantiations/cpp_gensupp.txt",
      read("instantiations/c05_ctor_c2.supp"),
    );
    expect(read("instantiations/valgrind-c05_ctor_c2.txt")).not.toMatch(/used_suppression/);
    expect(unused.map((d) => d.code)).toEqual(["unused-suppression"]);
  });

  it("`?` in _Znw?, _Zna?, _ZdlPv? matches the operator's parameter, as in Valgrind", () => {
    // No --gen-suppressions blocks in this log: the operators' names are encoded from the text.
    const { report, unused } = apply(
      "instantiations/cpp_vg.txt",
      read("instantiations/znw_q.supp"),
    );
    expect(read("instantiations/valgrind-znw_q.txt").match(/used_suppression/g)).toHaveLength(3);
    expect(unused).toEqual([]);
    expect(lost(report)).toBe(valgrindLost("valgrind-znw_q.txt"));
  });
});
