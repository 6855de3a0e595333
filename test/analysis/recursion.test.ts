import { describe, expect, it } from "vitest";
import { compareWithBaseline } from "../../src/analysis/baseline.js";
import { fingerprintStack } from "../../src/analysis/fingerprint.js";
import type { Frame, Group } from "../../src/model/index.js";
import { parseFile, summarize } from "../../src/index.js";
import { diffCounts } from "../helpers/cli.js";

// Campaign ca Q2: one fault reached through a recursion was a group per depth. Real runs of
// nest.c: test/fixtures/valgrind/recursion/README.md.
const DIR = "test/fixtures/valgrind/recursion";

async function report(log: string, baselineLog?: string) {
  const baseline =
    baselineLog === undefined ? undefined : summarize([await parseFile(`${DIR}/${baselineLog}`)]);
  return summarize([await parseFile(`${DIR}/${log}`)], baseline === undefined ? {} : { baseline });
}

/** Each group as [its leaking function and the caller of parse_doc, occurrences, state]. */
async function groups(log: string, baselineLog?: string): Promise<[string, number, string][]> {
  return (await report(log, baselineLog)).groups
    .map((g): [string, number, string] => {
      const names = g.stack.map((f) => f.function ?? "");
      const loader = names.find((n) => n.startsWith("load_") || n === "index_words") ?? "";
      return [`${names[1]} ${loader}`, g.occurrences, g.baseline ?? ""];
    })
    .sort();
}

describe("a leak reached through a recursion", () => {
  it("is one group at every depth, mutual recursion and direct, and its callers stay two", async () => {
    // copy_key's leak one to three objects deep (parse_object and parse_value calling each
    // other), from load_config and from load_rules; insert's in a tree one to five deep.
    expect(await groups("nested.txt")).toEqual([
      ["copy_key load_config", 3, ""],
      ["copy_key load_rules", 3, ""],
      ["insert index_words", 5, ""],
    ]);
  });

  it("is unchanged against a flat run's baseline, -O0 or -O2", async () => {
    const unchanged = [
      ["copy_key load_config", 3, "unchanged"],
      ["copy_key load_rules", 3, "unchanged"],
      ["insert index_words", 5, "unchanged"],
    ];
    expect(await groups("nested.txt", "flat.txt")).toEqual(unchanged);
    expect(await groups("nested-O2.txt", "flat.txt")).toEqual(unchanged);
  });

  it("is one group seven objects deep, where --num-callers shows the whole stack", async () => {
    // deep-40.txt: --num-callers=40; the stacks reach 19 frames.
    expect(await groups("deep-40.txt", "flat.txt")).toEqual([
      ["copy_key load_config", 7, "unchanged"],
      ["copy_key load_rules", 1, "unchanged"],
      ["insert index_words", 2, "unchanged"],
    ]);
  });

  it("still parts where --num-callers cut the stack inside the recursion", async () => {
    // deep.txt: the default 12 frames; below three objects the stack shows no caller.
    const config = (await groups("deep.txt")).filter(([name]) => name.startsWith("copy_key"));
    expect(config.map(([name, count]) => [name, count])).toEqual([
      ["copy_key ", 1],
      ["copy_key load_config", 1],
      ["copy_key load_config", 3],
      ["copy_key load_rules", 1],
    ]);
  });

  it("still parts by a function the recursion passes through once (a list in the path)", async () => {
    // lists.txt: objects in lists; parse_list is on some keys' paths only.
    const lists = (await report("lists.txt")).groups.filter((g) =>
      g.stack.some((f) => f.function === "load_config"),
    );
    expect(lists.map((g) => g.stack.some((f) => f.function === "parse_list")).sort()).toEqual([
      false,
      true,
    ]);
  });

  it("reads a baseline written before this rule as the run it was written from", async () => {
    // nested.before.json: `summarize --format json` of nested.txt by leaklog before this
    // change, with a group per depth.
    const { code, counts } = await diffCounts(`${DIR}/nested.before.json`, `${DIR}/nested.txt`);
    expect(code).toBe(0);
    expect(counts).toMatchObject({ new: 0, fixed: 0, unchanged: 3 });
  });
});

describe("the frames a fingerprint leaves out as a recursion's", () => {
  const malloc: Frame = { function: "malloc", object: "vgpreload_memcheck-amd64-linux.so" };
  const at = (...frames: Frame[]) => fingerprintStack([malloc, ...frames]);
  const fn = (name: string, file = "walk.c", line = 1): Frame => ({ function: name, file, line });

  it("are a function's frames below its first, in the same file, whatever their lines", () => {
    const once = at(fn("walk", "walk.c", 3), fn("main"));
    expect(at(fn("walk", "walk.c", 3), fn("walk", "walk.c", 9), fn("main"))).toBe(once);
    // gcc's clone of one function is that function.
    expect(at(fn("walk.part.0", "walk.c", 3), fn("walk", "walk.c", 9), fn("main"))).toBe(once);
    // Two files' static functions of one name are two.
    expect(at(fn("walk", "walk.c", 3), fn("walk", "tree.c", 9), fn("main"))).not.toBe(once);
  });

  it("let the window reach the callers below the recursion", () => {
    const deep = (caller: string) =>
      at(
        ...Array.from({ length: 10 }, (_, i) => fn(i % 2 === 0 ? "a" : "b", "r.c", i)),
        fn(caller),
      );
    expect(deep("load_config")).not.toBe(deep("load_rules"));
  });

  it("are the same function as the log names it, not as hashed", () => {
    // Rust's closures of one file are all hashed `{{closure}}`, gcc's lambdas of one signature
    // alike: an async fn's body inlined into an async block's is no recursion.
    const body = fn("{async_fn#0}", "prog.rs", 7);
    const block = fn("{async_block#0}", "prog.rs", 23);
    expect(at(body, block, fn("main", "prog.rs"))).not.toBe(at(body, fn("main", "prog.rs")));
  });

  it("are never frames that name no function", () => {
    const stripped: Frame = { object: "/usr/bin/git" };
    expect(at(stripped, stripped, fn("main"))).not.toBe(at(stripped, fn("main")));
    const inlined: Frame = { function: "UnknownInlinedFun", file: "s.c", line: 8 };
    expect(at(inlined, inlined, fn("main"))).not.toBe(at(inlined, fn("main")));
  });
});

describe("baseline pairing across an inlining change", () => {
  const group = (stack: Frame[]): Group => ({
    fingerprint: fingerprintStack(stack),
    type: "leak",
    kind: "definitely-lost",
    severity: "error",
    bytes: 2,
    directBytes: 2,
    blocks: 1,
    occurrences: 1,
    message: "2 bytes definitely-lost",
    stack,
    tools: ["valgrind"],
    pids: [1],
    members: [{ id: "0:1", path: "a.txt", line: 3 }],
  });
  const alloc: Frame = { function: "operator new(unsigned long)", object: "vgpreload.so" };
  const insert: Frame = { function: "Tree::insert(int)", file: "tree.cpp", line: 21 };
  const below: Frame[] = [
    { function: "build()", file: "tree.cpp", line: 30 },
    { function: "main", file: "tree.cpp", line: 40 },
  ];

  it("pairs a recursion's leak at another depth, a frame above it inlined", () => {
    // -O0 calls make_node(int) from Tree::insert one level deep; -O2 inlines make_node (a bare
    // `make_node`) and the run went three levels deep: compared frame by frame with the
    // repeats in, build() met Tree::insert and the leak was new and fixed.
    const before = group([
      alloc,
      { function: "make_node(int)", file: "node.cpp" },
      insert,
      ...below,
    ]);
    const inlined: Frame = { function: "make_node", file: "node.cpp", line: 3 };
    const now = group([alloc, inlined, insert, insert, insert, ...below]);
    expect(now.fingerprint).not.toBe(before.fingerprint);
    expect(compareWithBaseline([now], [before]).map((g) => g.baseline)).toEqual(["unchanged"]);
  });
});
