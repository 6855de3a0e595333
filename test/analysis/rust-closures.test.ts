import { describe, expect, it } from "vitest";
import { stableName } from "../../src/analysis/compiler-names.js";
import { parseFile, summarize } from "../../src/index.js";

// Real logs: fixtures/valgrind/rust-closures (campaign br F3, F5).
const DIR = "test/fixtures/valgrind/rust-closures";

async function report(log: string) {
  return summarize([await parseFile(`${DIR}/${log}`)]);
}

/** The baseline statuses of `log`'s groups against `baselineLog`'s report, sorted. */
async function statuses(baselineLog: string, log: string): Promise<(string | undefined)[]> {
  const now = summarize([await parseFile(`${DIR}/${log}`)], {
    baseline: await report(baselineLog),
  });
  return now.groups.map((g) => g.baseline).sort();
}

// Campaign br F3: rustc numbers a function's closures, as gcc does its lambdas.
describe("a Rust closure's leak after an unrelated closure is added above it", () => {
  it.each([
    ["make-a-O2.txt", "make-b-O2.txt", 1],
    ["thread-a-v0.txt", "thread-b-v0.txt", 2],
  ])("is unchanged: %s against %s", async (a, b, count) => {
    expect(await statuses(a, b)).toEqual(Array(count).fill("unchanged"));
  });

  it("is still shown by its number", async () => {
    const [group] = (await report("make-b-O2.txt")).groups;
    expect(group?.stack.map((f) => f.function)).toContain("{closure#1}");
  });

  it("hashes closures, coroutines and their types without the number, as legacy mangling spells them", () => {
    expect(stableName("prog::main::{closure#1}")).toBe("prog::main::{{closure}}");
    expect(stableName("{async_fn#0}")).toBe("{{closure}}");
    expect(stableName("{async_block#2}")).toBe("{{closure}}");
    expect(stableName("block_on<prog::main::{async_block_env#0}>")).toBe(
      "block_on<prog::main::{async_block_env}>",
    );
    expect(
      stableName("parse_with<swc::parser::stmt::{impl#3}::parse::{closure_env#1}<L>, ()>"),
    ).toBe("parse_with<swc::parser::stmt::{impl#3}::parse::{closure_env}<L>, ()>");
    expect(stableName("prog::main::{{closure}}")).toBe("prog::main::{{closure}}");
    // gcc's parameter numbers, in braces too, are no closure's.
    expect(stableName("decltype ({parm#1}.f())")).toBe("decltype ({parm#1}.f())");
  });
});

// Campaign br F5: the same leak, spelled out at -O0 and inlined at -O2.
describe("a Rust function or closure inlined at -O2 against its -O0 frame", () => {
  it.each([
    ["inl-O0.txt", "inl-O2.txt"],
    ["inl-O2.txt", "inl-O0.txt"],
    ["make-a-O0.txt", "make-a-O2.txt"],
    ["make-a-O0.txt", "make-b-O2.txt"],
    ["async-O0.txt", "async-O2.txt"],
  ])("is unchanged: %s against %s", async (a, b) => {
    expect(await statuses(a, b)).toEqual(["unchanged"]);
  });
});

describe("two closures of one function", () => {
  it.each(["apart-O0.txt", "apart-v0.txt", "apart-O2.txt"])(
    "stay two groups where the library's frames that call them differ (%s)",
    async (log) => {
      expect((await report(log)).groups.map((g) => g.bytes).sort()).toEqual([24, 32]);
    },
  );

  it.each(["two-O0.txt", "two-v0.txt", "two-O2.txt"])(
    "are one group where the function calls both itself, as legacy -O0 builds made them (%s)",
    async (log) => {
      expect((await report(log)).groups.map((g) => g.bytes)).toEqual([40]);
    },
  );
});

// Campaign v18b F2: at -O2 two types' `make` are both an inlined `make`, and their closures
// both `{closure#0}`; only the impl's number in the library's generic arguments
// (`prog::{impl#0}::make::{closure_env#0}`, `{impl#1}`) tells whose closure leaked.
describe("closures of two types' methods of one name", () => {
  it.each(["impls-O0.txt", "impls-O2.txt", "impls-O2v0.txt"])(
    "are two groups (%s)",
    async (log) => {
      expect((await report(log)).groups.map((g) => g.bytes).sort()).toEqual([20, 30]);
    },
  );

  it("keep a new leak in the other type's closure new", async () => {
    expect(await statuses("impls-new-a-O2.txt", "impls-new-b-O2.txt")).toEqual([
      "new",
      "unchanged",
    ]);
  });
});
