import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, summarize } from "../../src/index.js";
import { ROOT } from "../helpers/golden.js";

// Real runs: a ctypes-loaded library closed before exit (see the fixture's README.md).
const DIR = join(ROOT, "test/fixtures/valgrind/dlclose");
const read = (name: string) => parse(readFileSync(join(DIR, name), "utf8"), { path: name });
const bareInfo = (name: string) =>
  read(name).diagnostics.filter(
    (d) => d.code === "unnamed-frames" && d.message.includes("addresses alone"),
  );

describe("frames that are addresses alone (a library dlclose'd before the leak check)", () => {
  it("say once per input that their leaks are one group, and how to rerun", () => {
    for (const name of ["close.txt", "close.xml"]) {
      const told = bareInfo(name);
      expect(told, name).toHaveLength(1);
      expect(told[0]?.severity).toBe("info");
      expect(told[0]?.message).toContain("--keep-debuginfo=yes");
      // Two call sites, one group: what the info warns of.
      const groups = summarize([read(name)]).groups.filter((g) => g.kind === "definitely-lost");
      expect(groups.map((g) => [g.bytes, g.occurrences])).toEqual([[800, 2]]);
    }
  });

  it("say nothing where the frames are named, and the rerun it advises tells the sites apart", () => {
    expect(bareInfo("noclose.txt")).toEqual([]);
    expect(bareInfo("keep-debuginfo.txt")).toEqual([]);
    const groups = summarize([read("keep-debuginfo.txt")]).groups;
    const lost = groups.filter((g) => g.kind === "definitely-lost");
    expect(lost.map((g) => g.bytes)).toEqual([600, 200]);
  });

  // Campaign camp2 Q7: a merge told it twice, at the JSON file and as the report had it, as
  // the log's place before the replayed message hid which of the two infos it was.
  it("say it once in a report read back", () => {
    for (const name of ["close.txt", "close.xml"]) {
      const json = JSON.stringify(summarize([read(name)]));
      const merged = summarize([parse(json, { path: "merged.json" })]);
      const told = merged.diagnostics.filter((d) => d.code === "unnamed-frames");
      expect(
        told.map((d) => d.message.includes("addresses alone")),
        name,
      ).toEqual([true]);
    }
  });
});
