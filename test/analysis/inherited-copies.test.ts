import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, summarize, type Report } from "../../src/index.js";
import { ROOT } from "../helpers/golden.js";
import { summarizeLikeWorkers } from "../helpers/workers.js";

// Real valgrind 3.19 runs of forkown.c, one log per process; see the fixture's README.md.
const FORK_OWN = join(ROOT, "test", "fixtures", "valgrind", "fork-own");
const logsOf = (run: string): [path: string, text: string][] =>
  readdirSync(join(FORK_OWN, run))
    .sort()
    .map((name) => [`${run}/${name}`, readFileSync(join(FORK_OWN, run, name), "utf8")]);

const parsed = (logs: [string, string][]) => logs.map(([path, text]) => parse(text, { path }));
/** The diagnostics as `severity code pid`. */
const codes = (report: Report): string[] =>
  report.diagnostics.map((d) => `${d.severity} ${d.code} ${d.pid ?? ""}`);
/** What the XML run of `nest` counts: its children's <errorcounts> never print the parent's. */
const XML_NEST = { InvalidRead: 4, InvalidWrite: 2, UninitCondition: 1 };

describe("a forked child's own log with -s, beside its parent's", () => {
  it("counts the parent's contexts that the child's recap repeats once", () => {
    const report = summarize(parsed(logsOf("fork-s")));
    expect(report.totals.errors).toEqual({ InvalidRead: 4, InvalidWrite: 1, UninitCondition: 1 });
    expect(codes(report)).toEqual(["info inherited-contexts 28547"]);
    expect(report.diagnostics[0]?.message).toContain("2 error contexts that fork-s/vg.28547.log");
    // The copies stay listed, marked with the parent's log, in no group.
    const copies = report.errors.filter((e) => e.inheritedFrom?.parentLog !== undefined);
    expect(copies.map((e) => [e.pid, e.kind, e.inheritedFrom?.parentLog])).toEqual([
      [28547, "UninitCondition", "fork-s/vg.28534.log"],
      [28547, "InvalidRead", "fork-s/vg.28534.log"],
    ]);
    const members = report.groups.flatMap((g) => g.members.map((m) => `${m.path} ${m.id}`));
    for (const copy of copies) expect(members).not.toContain(`${copy.location.path} ${copy.id}`);
  });

  it("counts what the XML of the same run counts, down to a grandchild, in any input order", () => {
    const xml = summarize(parsed(logsOf("xml-nest")));
    expect(xml.totals.errors).toEqual(XML_NEST);
    expect(xml.diagnostics).toEqual([]);
    const logs = logsOf("nest-s");
    for (const order of [logs, [...logs].reverse()]) {
      const report = summarize(parsed(order));
      expect(report.totals.errors).toEqual(XML_NEST);
      expect(codes(report).sort()).toEqual([
        "info inherited-contexts 28571",
        "info inherited-contexts 28572",
      ]);
    }
  });

  it("counts the copies as the child's when its parent's log is not among the inputs", () => {
    const [, child] = logsOf("idle-s");
    const alone = summarize(parsed([child as [string, string]]));
    expect(alone.totals.errors).toEqual({ InvalidRead: 2, UninitCondition: 1 });
    expect(codes(alone)).toEqual(["info inherited-contexts 28615"]);
    expect(alone.diagnostics[0]?.message).toContain("no input holds in that PID's log");
    // A grandchild beside its grandparent: the child's log that would link them is missing.
    const [parent, , grandchild] = logsOf("nest-s");
    const gap = summarize(parsed([parent, grandchild] as [string, string][]));
    expect(gap.totals.errors).toEqual({ InvalidRead: 5, InvalidWrite: 1, UninitCondition: 2 });
  });

  it("settles the copies of partial reports (the CLI's workers) and of capped ones", () => {
    const byWorkers = (maxRecords: number): Report =>
      summarizeLikeWorkers(logsOf("nest-s"), { maxRecords });
    expect(byWorkers(Number.POSITIVE_INFINITY).totals.errors).toEqual(XML_NEST);
    // Past a worker's cap a copy, or the parent's record it copies, is not listed: no one can
    // settle it, and it counts as the child's. Nothing is lost, some is counted twice.
    const capped = byWorkers(1).totals.errors;
    for (const [kind, count] of Object.entries(XML_NEST)) {
      expect(capped[kind]).toBeGreaterThanOrEqual(count);
    }
    const single = summarize(parsed(logsOf("nest-s")), { maxRecords: 1 });
    expect(single.totals.errors).toEqual(XML_NEST);
    // Settled copies are listed past the cap: they count nowhere else.
    expect(single.errors.filter((e) => e.inheritedFrom?.parentLog !== undefined)).toHaveLength(4);
  });

  it("keeps its counts when the report is read back as an input", () => {
    const first = summarize(parsed(logsOf("nest-s")));
    const again = summarize([parse(JSON.stringify(first), { path: "report.json" })]);
    expect(again.totals.errors).toEqual(XML_NEST);
    expect(again.groups.map((g) => g.occurrences)).toEqual(first.groups.map((g) => g.occurrences));
  });
});
