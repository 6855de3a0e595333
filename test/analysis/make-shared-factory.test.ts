import { describe, expect, it } from "vitest";
import { fingerprintStack } from "../../src/analysis/fingerprint.js";
import { ownFrames } from "../../src/analysis/own-frames.js";
import type { Frame } from "../../src/model/index.js";
import { parseFile, summarize } from "../../src/index.js";
import { diffCounts } from "../helpers/cli.js";

// Campaign ca F2: std::make_shared puts seven of libstdc++'s frames between `operator new` and
// the program: test/fixtures/valgrind/make-shared/README.md.
const DIR = "test/fixtures/valgrind/make-shared";

async function report(log: string, baselineLog?: string) {
  const baseline =
    baselineLog === undefined ? undefined : summarize([await parseFile(`${DIR}/${baselineLog}`)]);
  return summarize([await parseFile(`${DIR}/${log}`)], baseline === undefined ? {} : { baseline });
}

/** Each group as [the program's function under the factory, its state against a baseline]. */
async function callers(log: string, baselineLog?: string): Promise<[string, string][]> {
  return (await report(log, baselineLog)).groups
    .map((g): [string, string] => [ownFrames(g.stack)[1]?.function ?? "", g.baseline ?? ""])
    .sort();
}

describe("leaks of two callers of one std::make_shared factory", () => {
  it("are two groups at -O0 and at -O2, as Valgrind's two loss records are", async () => {
    for (const log of ["pr-O0.txt", "pr-O2.txt"]) {
      expect(await callers(log), log).toEqual([
        ["build_ring(int)", ""],
        ["link_pair()", ""],
      ]);
    }
  });

  it("make the PR's new one new against the baseline, in either build and across them", async () => {
    const expected = [
      ["build_ring(int)", "unchanged"],
      ["link_pair()", "new"],
    ];
    expect(await callers("pr-O0.txt", "base-O0.txt")).toEqual(expected);
    expect(await callers("pr-O2.txt", "base-O2.txt")).toEqual(expected);
    // -O2 names the library's frames bare (`allocate (new_allocator.h:137)`): paired by name.
    expect(await callers("pr-O2.txt", "base-O0.txt")).toEqual(expected);
  });

  it("stay two findings across -O0 and -O2 when their callers share a last name", async () => {
    // Circle::clone() at -O0, Square::clone() at -O2, each under make_node(): compared over
    // the factory's frames and make_node() alone, the two paired as one unchanged leak.
    expect(await callers("shapes-pr-O2.txt", "shapes-base-O0.txt")).toEqual([
      ["Circle::clone() const", "fixed"],
      ["Square::clone() const", "new"],
    ]);
  });

  it("read a baseline written before this rule as the run it was written from", async () => {
    // pr-O0.before.json: `summarize --format json` of pr-O0.txt by leaklog before this change,
    // when the two leaks were one group.
    const { code, counts } = await diffCounts(`${DIR}/pr-O0.before.json`, `${DIR}/pr-O0.txt`);
    expect(code).toBe(0);
    expect(counts).toMatchObject({ new: 0, fixed: 0, unchanged: 2 });
  });
});

describe("the fingerprint's window under the runtime's frames", () => {
  const runtime: Frame[] = [
    { function: "allocate", file: "new_allocator.h", line: 137 },
    { function: "allocate", file: "alloc_traits.h", line: 464 },
    { function: "make_shared<Node>", file: "shared_ptr.h", line: 1010 },
  ];
  const program = (last: string): Frame[] => [
    ...Array.from({ length: 7 }, (_, i) => ({ function: `f${i}`, file: "app.cpp" })),
    { function: last, file: "app.cpp" },
    { function: "main", file: "app.cpp" },
  ];

  it("holds 8 frames below the runtime's, whatever the runtime put above them", () => {
    const at = (last: string, above = runtime) => fingerprintStack([...above, ...program(last)]);
    // The eighth frame below make_shared counts, the ninth does not.
    expect(at("caller_a")).not.toBe(at("caller_b"));
    expect(fingerprintStack([...runtime, ...program("x").slice(0, 8), { function: "g" }])).toBe(
      fingerprintStack([...runtime, ...program("x").slice(0, 8), { function: "h" }]),
    );
    // The runtime's frames are still hashed: a vector's growth and make_shared are two.
    const vector = [{ function: "_M_realloc_insert<int>", file: "vector.tcc", line: 4 }];
    expect(at("caller_a", vector)).not.toBe(at("caller_a"));
  });
});
