import { describe, expect, it } from "vitest";
import { fingerprintStack, frameKey } from "../../src/analysis/fingerprint.js";
import type { Frame } from "../../src/model/index.js";
import { parseFile, summarize } from "../../src/index.js";
import { diffCounts } from "../helpers/cli.js";

// Campaign ca F3: a `-O2 -flto` build under Valgrind 3.19 and 3.24, which name what the link
// inlined across files `UnknownInlinedFun`: test/fixtures/valgrind/lto-unnamed/README.md.
const DIR = "test/fixtures/valgrind/lto-unnamed";

async function report(log: string, baselineLog?: string) {
  const baseline =
    baselineLog === undefined ? undefined : summarize([await parseFile(`${DIR}/${baselineLog}`)]);
  return summarize([await parseFile(`${DIR}/${log}`)], baseline === undefined ? {} : { baseline });
}

describe("leaks whose frames Valgrind names UnknownInlinedFun", () => {
  it("are a group each, told apart by their files' lines, in text and XML, 3.19 and 3.24", async () => {
    const fingerprints = async (log: string) =>
      (await report(log)).groups.map((g) => [g.bytes, g.fingerprint]);
    const text = await fingerprints("pr.txt");
    // make_label's 32 bytes (store.c:15, main.c:10) and make_key's 10 (store.c:8, main.c:7).
    expect(text.map(([bytes]) => bytes)).toEqual([32, 10]);
    expect(await fingerprints("pr.xml")).toEqual(text);
    expect(await fingerprints("pr-3.24.txt")).toEqual(text);
  });

  it("make the PR's new leak new against the baseline, as 3.27's names do", async () => {
    const states = async (log: string) =>
      (await report(log, "base.txt")).groups.map((g) => [g.bytes, g.baseline]);
    expect(await states("pr.txt")).toEqual([
      [32, "new"],
      [10, "unchanged"],
    ]);
    const named = await report("pr-3.27.txt");
    expect(named.groups.map((g) => g.stack[1]?.function)).toEqual(["make_label", "make_key"]);
  });

  it("read a baseline written before this rule as the run it was written from", async () => {
    // pr.before.json: `summarize --format json` of pr.txt by leaklog before this change, when
    // the two leaks were one group.
    const { code, counts } = await diffCounts(`${DIR}/pr.before.json`, `${DIR}/pr.txt`);
    expect(code).toBe(0);
    expect(counts).toMatchObject({ new: 0, fixed: 0, unchanged: 2 });
  });

  it("are hashed as `???` in their file and line, as frameKey spells them", () => {
    const inlined = (file: string, line: number, object?: string): Frame => ({
      function: "UnknownInlinedFun",
      file,
      line,
      ...(object === undefined ? {} : { object }),
    });
    const stack = (...frames: Frame[]) =>
      fingerprintStack([{ function: "malloc" }, ...frames, { function: "main", file: "main.c" }]);
    expect(stack(inlined("store.c", 8))).not.toBe(stack(inlined("store.c", 15)));
    // The XML names the frame's object; the text log does not.
    expect(stack(inlined("store.c", 8, "/ci/a.out"))).toBe(stack(inlined("/src/store.c", 8)));
    expect(stack(inlined("store.c", 8))).toBe(stack({ file: "store.c", line: 8 }));
    expect(frameKey(inlined("store.c", 8, "/ci/a.out"))).toEqual({
      name: "???",
      place: " store.c:8",
    });
  });
});
