import { describe, expect, it } from "vitest";
import { summarize } from "../../src/api/summarize.js";
import type { Report } from "../../src/model/index.js";
import { REPORTERS } from "../../src/report/index.js";
import { parseFixture } from "../helpers/golden.js";

// Real runs that grouping got wrong (campaign g): test/fixtures/grouping/README.md.
const DIR = "test/fixtures/grouping";
const report = (...logs: string[]): Report =>
  summarize(logs.map((log) => parseFixture(`${DIR}/${log}`)));
/** Each current group's place and its baseline state, against a baseline of `old` logs. */
const text = (r: Report): string => REPORTERS.text.render(r, { color: false, top: 20 });
const against = (old: string[], logs: string[]) =>
  summarize(
    logs.map((log) => parseFixture(`${DIR}/${log}`)),
    { baseline: { groups: report(...old).groups } },
  ).groups.map((g) => [g.stack[1]?.function, g.baseline]);

describe("a C program's own functions named with a leading underscore", () => {
  it("are the program's: two functions' leaks are two groups, each placed at its function", () => {
    const two = report("underscore/two-leaks.txt");
    expect(two.groups).toHaveLength(2);
    const places = text(two).match(/^ {8}at .*$/gm);
    expect(places).toEqual(["        at _index_put (us.c:5)", "        at _cache_put (us.c:4)"]);
    expect(against(["underscore/one-leak.txt"], ["underscore/two-leaks.txt"])).toEqual([
      ["_index_put", "new"],
      ["_cache_put", "unchanged"],
    ]);
  });
});
