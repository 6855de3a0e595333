import { describe, expect, it } from "vitest";
import { parseFile, summarize } from "../../src/index.js";

const DIR = "test/fixtures/valgrind/cpp-inlining";

async function against(baselineLog: string, log: string, lines = false) {
  const options = lines ? { fingerprint: { frames: 8, lines: true } } : {};
  const baseline = summarize([await parseFile(`${DIR}/${baselineLog}`, options)]);
  const now = summarize([await parseFile(`${DIR}/${log}`, options)], { baseline });
  return { baseline, now, statuses: now.groups.map((g) => g.baseline).sort() };
}

// Campaign ba: gcc's inlining decision changes how Valgrind names a C++ function.
describe("a C++ leak inlined in one build and not in the other", () => {
  it("is unchanged against the baseline, not new and fixed", async () => {
    const { baseline, now, statuses } = await against("inlined.txt", "out-of-line.txt");
    // Two spellings, two fingerprints: the reports still keep each one's own.
    expect(now.groups[0]?.fingerprint).not.toBe(baseline.groups[0]?.fingerprint);
    expect(statuses).toEqual(["unchanged"]);
    expect((await against("out-of-line.txt", "inlined.txt")).statuses).toEqual(["unchanged"]);
  });

  // Campaign v11: templates, operators and lambdas are spelled apart too.
  it.each([
    ["op-O0.txt", "op-O2.txt", 1],
    ["lam-O0.txt", "lam-O2.txt", 2],
  ])("is unchanged for operators, function templates and lambdas (%s)", async (a, b, count) => {
    expect((await against(a, b)).statuses).toEqual(Array(count).fill("unchanged"));
  });

  // Campaign v12: inlined, two specializations' constructors are one `Box` group.
  it("is unchanged when inlining merges two groups into one, either way", async () => {
    expect((await against("box-O0.txt", "box-O2.txt")).statuses).toEqual(["unchanged"]);
    expect((await against("box-O2.txt", "box-O0.txt")).statuses).toEqual([
      "unchanged",
      "unchanged",
    ]);
  });

  it("stays new and fixed when the baseline was grouped by lines too", async () => {
    expect((await against("inlined.txt", "out-of-line.txt", true)).statuses).toEqual([
      "fixed",
      "new",
    ]);
  });
});

// Campaign v11: the first pairing, on last identifiers alone, let new leaks pass.
describe("two C++ functions spelled out that share a last name", () => {
  it.each([
    ["shapes-base.txt", "shapes-pr.txt", 1],
    ["ovl-base.txt", "ovl-pr.xml", 2],
  ])("are two findings: %s against %s", async (a, b, count) => {
    const { statuses } = await against(a, b);
    expect(statuses).toEqual([...Array(count).fill("fixed"), ...Array(count).fill("new")]);
  });
});

// Campaign ca F5: -O2 inlines the thread's lambda and tail-calls the member function from it.
describe("a std::thread running a lambda that calls a member function, -O0 against -O2", () => {
  it.each([
    ["pool-O0.txt", "pool-O2.txt"],
    ["pool-O2.txt", "pool-O0.txt"],
  ])("is unchanged, and so is a task's leak under it (%s, then %s)", async (a, b) => {
    const { baseline, now, statuses } = await against(a, b);
    expect(statuses).toEqual(["unchanged", "unchanged"]);
    // The lambda's frame is hashed where the log prints it: the reports keep each one's own.
    const prints = (report: typeof now) => report.groups.map((g) => g.fingerprint).sort();
    expect(prints(now)).not.toEqual(prints(baseline));
  });

  it("keeps the same function's leak reached from main, not from a std::thread, new", async () => {
    const { now } = await against("pool-O0.txt", "pool-pr-O2.txt");
    const status = (g: (typeof now.groups)[number]) =>
      `${g.baseline} ${g.stack.some((f) => f.function === "main") ? "main" : "thread"}`;
    expect(now.groups.map(status).sort()).toEqual([
      "new main",
      "unchanged thread",
      "unchanged thread",
    ]);
  });
});
