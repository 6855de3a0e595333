import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../src/api/parse.js";
import { summarize } from "../../src/api/summarize.js";
import { parseValgrindSuppressions } from "../../src/analysis/suppressions/valgrind.js";
import type { Group, Report } from "../../src/model/index.js";
import { REPORTERS } from "../../src/report/index.js";
import { ROOT } from "../helpers/golden.js";

/*
 * A definitely lost node and the child only it points to, both allocated in make_tree and both
 * suppressed (campaign cb1 Q9): Valgrind prints `56 (24 direct, 32 indirect)` for the node and
 * the child's 32 bytes again as an indirectly lost record. Suppressed, the two share a group,
 * which counted the child twice (88 bytes). See test/fixtures/valgrind/kinds-and-errors.
 */
const DIR = "test/fixtures/valgrind/kinds-and-errors";
const read = (name: string) => readFileSync(join(ROOT, DIR, name), "utf8");

function suppressed(text = read("leaks-all.txt"), options: { maxRecords?: number } = {}): Report {
  const supp = parseValgrindSuppressions(read("leaks-all.supp"), "leaks-all.supp");
  const log = parse(text, { path: "leaks-all.txt" });
  return summarize([log], {
    suppressions: { valgrind: supp.suppressions, lsan: [] },
    ...options,
  });
}

const tree = (report: Report): Group | undefined =>
  report.groups.find((g) => g.type === "leak" && g.stack[1]?.function === "make_tree");

const amounts = (group: Group | undefined) =>
  group && { bytes: group.bytes, directBytes: group.directBytes, blocks: group.blocks };

describe("a suppressed group of a node and its indirectly lost child", () => {
  it("counts each block once, as the node's own group does unsuppressed", () => {
    const report = suppressed();
    expect(tree(report)?.kind).toBe("suppressed");
    expect(amounts(tree(report))).toEqual({ bytes: 56, directBytes: 56, blocks: 2 });
    expect(tree(report)?.message).toBe("56 bytes in 2 blocks suppressed");
    const unsuppressed = summarize([parse(read("leaks-all.txt"), { path: "leaks-all.txt" })]);
    expect(tree(unsuppressed)).toMatchObject({ kind: "definitely-lost", bytes: 56 });
  });

  it("adds up to the suppressed bytes of Valgrind's run with the same file", () => {
    // Valgrind, given leaks-all.supp, suppressed 236 bytes in 5 blocks.
    const valgrind = parse(read("leaks-all-suppressed-s.txt"));
    expect(valgrind.summaries[0]?.leak?.suppressed).toEqual({ bytes: 236, blocks: 5 });
    const groups = suppressed().groups.filter((g) => g.kind === "suppressed");
    expect(groups.reduce((sum, g) => sum + g.bytes, 0)).toBe(236);
    expect(groups.reduce((sum, g) => sum + g.blocks, 0)).toBe(5);
  });

  it("counts the same read back from a report that lists some of its records", () => {
    // Two processes of the log, so that a report can list one's node and child and not the
    // other's: what it does not list is the group's bytes less those the listed ones add.
    const log = read("leaks-all.txt");
    const twice = log + log.replaceAll("==27048==", "==27049==");
    expect(amounts(tree(suppressed(twice)))).toEqual({ bytes: 112, directBytes: 112, blocks: 4 });
    for (let maxRecords = 1; maxRecords <= 10; maxRecords++) {
      const report = suppressed(twice, { maxRecords });
      const text = REPORTERS.json.render(report, { color: false, top: 20 });
      const merged = summarize([parse(text, { path: "report.json" })]);
      expect(amounts(tree(merged)), `--max-records ${maxRecords}`).toEqual(amounts(tree(report)));
    }
  });
});

describe("merged reports of CI shards whose logs share a path and a PID", () => {
  /*
   * Each shard ran the program as its container's PID 1 and wrote its report of `vg.1.log`
   * from its own folder (see test/fixtures/suppressed-indirect-shards): the tree run's node is
   * indirectly lost, the list run's holds a leaf. Merged, a group of the two reports counted the
   * tree's node as the list node's indirect bytes: 56 bytes where the logs give 80.
   */
  const at = (name: string) =>
    readFileSync(join(ROOT, "test/fixtures/suppressed-indirect-shards", name), "utf8");
  const supp = parseValgrindSuppressions(at("shards.supp"), "shards.supp");
  const suppressions = { valgrind: supp.suppressions, lsan: [] };
  const shard = (run: string, path = "vg.1.log") =>
    summarize([parse(at(`${run}/vg.1.log`), { path })], { suppressions });
  const node = (report: Report) =>
    report.groups.find((g) => g.type === "leak" && g.stack[1]?.function === "make_node");
  const json = (report: Report) => REPORTERS.json.render(report, { color: false, top: 20 });

  it("count each shard's processes apart, as the logs themselves", () => {
    expect(node(shard("tree"))?.bytes).toBe(24);
    expect(node(shard("list"))?.bytes).toBe(56);
    const logs = summarize(
      ["tree", "list"].map((run) => parse(at(`${run}/vg.1.log`), { path: `${run}/vg.1.log` })),
      { suppressions },
    );
    expect(amounts(node(logs))).toEqual({ bytes: 80, directBytes: 48, blocks: 2 });
    const merged = summarize([
      parse(json(shard("tree")), { path: "tree.json" }),
      parse(json(shard("list")), { path: "list.json" }),
    ]);
    expect(node(merged)?.kind).toBe("suppressed");
    expect(amounts(node(merged))).toEqual(amounts(node(logs)));
  });

  it("count the same from shard reports that list some of their records", () => {
    const logs = summarize(
      ["tree", "list"].map((run) => parse(at(`${run}/vg.1.log`), { path: `${run}/vg.1.log` })),
      { suppressions },
    );
    for (const maxRecords of [1, 2, 3]) {
      const written = (run: string) =>
        REPORTERS.json.render(
          summarize([parse(at(`${run}/vg.1.log`), { path: "vg.1.log" })], {
            suppressions,
            maxRecords,
          }),
          { color: false, top: 20 },
        );
      const merged = summarize([
        parse(written("tree"), { path: "tree.json" }),
        parse(written("list"), { path: "list.json" }),
      ]);
      expect(amounts(node(merged)), `--max-records ${maxRecords}`).toEqual(amounts(node(logs)));
    }
  });
});
