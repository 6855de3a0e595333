import { describe, expect, it } from "vitest";
import type { Frame, Group } from "../../src/model/index.js";
import { libraryPaths } from "../../src/report/text/library-paths.js";
import { cli } from "../helpers/cli.js";

const own = (fn: string, line: number): Frame => ({ function: fn, file: "prog.c", line });
const lib = (fn: string | undefined): Frame => ({
  ...(fn !== undefined ? { function: fn } : {}),
  object: "/usr/lib/libreadline.so.8",
});
const malloc: Frame = { function: "malloc", object: "/usr/libexec/valgrind/vgpreload.so" };

function group(fingerprint: string, stack: Frame[], kind = "still-reachable"): Group {
  return { fingerprint, type: "leak", kind, stack } as unknown as Group;
}

/** The paths libraryPaths gives, by fingerprint, with each group's own frames shown. */
function paths(groups: Group[]): Record<string, string> {
  const shown = (g: Group) => g.stack.filter((f) => f.file !== undefined);
  const found = libraryPaths(groups, shown, {});
  return Object.fromEntries([...found].map(([g, path]) => [g.fingerprint, path]));
}

describe("the library calls under a group's own frames in the text summary", () => {
  it("tell apart real leaks that one line of the program reaches through a library", async () => {
    const { stdout } = await cli(["summarize", "test/fixtures/valgrind/library-paths/vg.txt"]);
    expect(stdout).toContain(
      "        at main (prog.c:5)\n        via lib_init > init_terminal\n\n",
    );
    expect(stdout).toContain("        at main (prog.c:5)\n        via lib_init > bind_keys\n\n");
  });

  it("are not shown when the own frames already tell groups apart", async () => {
    const { stdout } = await cli(["summarize", "samples/valgrind/leak_indirect.txt"]);
    expect(stdout).not.toContain(" via ");
  });

  it("go as deep as it takes, and name a stripped frame by its object", () => {
    const main = own("main", 92);
    const found = paths([
      group("a", [
        malloc,
        lib("xmalloc"),
        lib(undefined),
        lib("rl_initialize"),
        lib("readline"),
        main,
      ]),
      group("b", [
        malloc,
        lib("xmalloc"),
        lib("tgetstr"),
        lib("rl_initialize"),
        lib("readline"),
        main,
      ]),
      // Its whole path is the start of the others': that tells it apart too.
      group("c", [malloc, lib("readline"), main]),
    ]);
    expect(found).toEqual({
      a: "via readline > rl_initialize > ??? (in libreadline.so.8)",
      b: "via readline > rl_initialize > tgetstr",
      c: "via readline",
    });
  });

  it("are left out where they cannot tell groups apart, or the groups print apart", () => {
    const path = [malloc, lib("xmalloc"), lib("readline")];
    expect(
      paths([
        // The same library path: the groups differ elsewhere (their callers further out).
        group("a", [...path, own("main", 92)]),
        group("b", [...path, own("main", 92)]),
        // Another kind, or another own line, prints apart already.
        group("c", [...path.slice(0, 2), own("main", 92)], "definitely-lost"),
        group("d", [...path.slice(0, 2), own("main", 93)]),
      ]),
    ).toEqual({});
  });

  it("stop after six calls, saying there are more", () => {
    const deep = (last: string) => [
      malloc,
      lib(last),
      ...["f6", "f5", "f4", "f3", "f2", "f1"].map(lib),
      own("main", 1),
    ];
    expect(paths([group("a", deep("x")), group("b", deep("y"))])).toEqual({
      a: "via f1 > f2 > f3 > f4 > f5 > f6 > ...",
      b: "via f1 > f2 > f3 > f4 > f5 > f6 > ...",
    });
  });

  it("say what tells groups apart where no name does (a stripped program)", async () => {
    // git status under Valgrind (Debian's stripped /usr/bin/git): five still-reachable groups
    // whose shown frames are all `??? (in /usr/bin/git)`.
    const { stdout } = await cli([
      "summarize",
      "test/fixtures/valgrind/stripped-git/git_status.txt",
      "--top",
      "30",
    ]);
    const told = stdout.match(/^ {8}(?:a stack \d+ frames deep|frame \d+: .*|allocated by .*)$/gm);
    expect(told).toHaveLength(5);
    expect(new Set(told).size).toBe(5);
    // Parted at the allocator, a frame the summary does not show: not `frame -1: malloc`.
    expect(told).toContain("        allocated by malloc");
    // Each one's depth where all differ; groups of equal depth say nothing by it.
    const bin = (n: number): Frame => ({ object: "/usr/bin/git", ip: `0x${n}` });
    const same = [malloc, bin(1), bin(2)];
    expect(paths([group("a", same), group("b", [...same, bin(3)])])).toEqual({
      a: "a stack 3 frames deep",
      b: "a stack 4 frames deep",
    });
    expect(paths([group("a", same), group("b", [...same])])).toEqual({});
  });
});

describe("stripped groups that part at the allocator", () => {
  it("name the allocator, a frame the summary does not show, not a frame before the first", () => {
    // git's still-reachable groups: a strdup'd string (malloc under strdup) beside calloc'd
    // blocks, under frames alike; it was `frame -1: malloc`.
    const bin = (n: number): Frame => ({ object: "/usr/bin/git", ip: `0x${n}` });
    const strdup: Frame = { ...malloc, function: "strdup" };
    const calloc: Frame = { ...malloc, function: "calloc" };
    const found = paths([
      group("a", [malloc, strdup, bin(1), bin(2), bin(3)]),
      group("b", [calloc, bin(1), bin(2), bin(3)]),
      group("c", [calloc, bin(1), bin(2), bin(3), bin(4)]),
    ]);
    expect(found["a"]).toBe("allocated by malloc");
  });
});

describe("stripped groups that differ only below the shown frames (real logs)", () => {
  it("name the frame where each parts from the one most like it", async () => {
    const dir = "test/fixtures/valgrind/stripped-alike";
    const two = await cli(["summarize", `${dir}/vg2.txt`]);
    expect(two.stdout.match(/^ {8}frame \d+: .*$/gm)).toEqual([
      "        frame 5: lib_run",
      "        frame 5: lib_run2",
    ]);
    // Two of three are 8 frames deep: their depths do not tell them apart.
    const three = await cli(["summarize", `${dir}/vg3.txt`]);
    const told = three.stdout.match(/^ {8}frame \d+: .*$/gm) ?? [];
    expect(told).toHaveLength(3);
    expect(new Set(told).size).toBe(3);
  });
});

// Fix j: a new group and a fixed one whose frames differ only in a file or an object printed
// alike under `diff`, with nothing under them to say why `--fail-on new` failed.
describe("groups whose frames differ only in a file or an object (real logs)", () => {
  const dir = "test/fixtures/valgrind/alike-places";

  it.each([
    ["file", "init (a.c)", "init (b.c)"],
    ["object", "helper (in liba.so)", "helper (in libb.so)"],
  ])("name the frame with its %s", async (which, fixed, added) => {
    const { stdout } = await cli(["diff", `${dir}/${which}-a.txt`, `${dir}/${which}-b.txt`]);
    expect(stdout).toContain("1 new, 1 fixed");
    expect(stdout.match(/^ {6}frame \d+: .*$/gm)).toEqual([
      `      frame 6: ${added}`,
      `      frame 6: ${fixed}`,
    ]);
  });

  it("and an unsymbolized frame with its offset", () => {
    const at = (offset: string): Frame => ({ object: "/usr/lib/libx.so", offset });
    const stack = (offset: string) => [malloc, at(offset), at("0x10"), own("main", 3)];
    expect(paths([group("a", stack("0x20")), group("b", stack("0x30"))])).toEqual({
      a: "frame 1: ??? (in libx.so+0x20)",
      b: "frame 1: ??? (in libx.so+0x30)",
    });
  });
});

// Campaign bqa F4: a new or fixed group that printed like an unchanged one was not told apart,
// since diff lists no unchanged group, and "Fixed: leak at h" read as gone while it was not.
describe("a new or fixed group that prints like an unchanged one (real logs)", () => {
  const dir = "test/fixtures/valgrind/alike-unchanged";
  const told = (text: string) => text.match(/^ +frame \d+: .*$/gm);

  it.each([
    ["one.txt", "two.txt", "1 new, 0 fixed, 1 unchanged", "New (1)"],
    ["two.txt", "one.txt", "0 new, 1 fixed, 1 unchanged", "Fixed (1)"],
  ])("is told apart by diff %s %s", async (before, after, counts, heading) => {
    const { stdout } = await cli(["diff", `${dir}/${before}`, `${dir}/${after}`]);
    expect(stdout).toContain(`\n${counts}\n`);
    expect(stdout).toContain(`\n${heading}`);
    // The unchanged top_a leak is not listed: only the listed group says what it is.
    expect(told(stdout)).toEqual(["      frame 7: top_c"]);
  });

  it("as the text summary tells its shown groups apart among themselves", async () => {
    const summary = async (run: string, baseline: string) =>
      (await cli(["summarize", `${dir}/${run}`, "--baseline", `${dir}/${baseline}`])).stdout;
    expect(told(await summary("two.txt", "one.txt"))).toEqual([
      "        frame 7: top_a",
      "        frame 7: top_c",
    ]);
    // The fixed top_c leak is only counted there, so the one group shown needs no line: told
    // from every look-alike of the comparison, the shown groups of a stripped program printed
    // alike more often, and 5,000 of them took 40 s (campaign v16b F1).
    expect(told(await summary("one.txt", "two.txt"))).toBeNull();
  });
});
