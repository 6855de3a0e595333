import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, summarize, type Report } from "../../src/index.js";
import { ROOT } from "../helpers/golden.js";
import { summarizeLikeWorkers } from "../helpers/workers.js";

// Real valgrind 3.19 runs of forkown.c, one log per process; see the fixture's README.md.
const FORK_OWN = join(ROOT, "test", "fixtures", "valgrind", "fork-own");
const logsOf = (run: string, root = FORK_OWN): [path: string, text: string][] =>
  readdirSync(join(root, run))
    .sort()
    .map((name) => [`${run}/${name}`, readFileSync(join(root, run, name), "utf8")]);
// Real valgrind 3.19 runs of orphan.c, whose parent ends before its child; see its README.md.
const ORPHAN = join(ROOT, "test", "fixtures", "valgrind", "fork-orphan");
/** What the XML run of orphan.c counts: the child's <errorcounts> never print the parent's. */
const XML_ORPHAN = { InvalidRead: 1, InvalidWrite: 1, UninitCondition: 1 };

const parsed = (logs: [string, string][]) => logs.map(([path, text]) => parse(text, { path }));
/**
 * The diagnostics as `severity code pid`, but those of the children's copies of the parent's
 * 40-byte leak (see inherited-loss-records.test.ts).
 */
const codes = (report: Report): string[] =>
  report.diagnostics
    .filter((d) => d.code !== "inherited-loss-records")
    .map((d) => `${d.severity} ${d.code} ${d.pid ?? ""}`);
/** What the XML run of `nest` counts: its children's <errorcounts> never print the parent's. */
const XML_NEST = { InvalidRead: 4, InvalidWrite: 2, UninitCondition: 1 };

/**
 * The nest runs' logs in input order and reversed: each counts what the XML counts, and each
 * child of `children` gets its inherited-contexts info.
 */
function inEitherOrder(
  logs: [string, string][],
  children: number[],
  check: (report: Report) => void = () => undefined,
): void {
  for (const order of [logs, [...logs].reverse()]) {
    const report = summarize(parsed(order));
    expect(report.totals.errors).toEqual(XML_NEST);
    expect(codes(report).sort()).toEqual(children.map((pid) => `info inherited-contexts ${pid}`));
    check(report);
  }
}

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
    expect(codes(xml)).toEqual([]);
    inEitherOrder(logsOf("nest-s"), [28571, 28572]);
  });

  it("counts the copies as the child's when its parent's log is not among the inputs", () => {
    const [, child] = logsOf("idle-s");
    const alone = summarize(parsed([child as [string, string]]));
    expect(alone.totals.errors).toEqual({ InvalidRead: 2, UninitCondition: 1 });
    // Read alone, a child's log cannot be told from a fresh process's that lost 2 error blocks:
    // warned of, as ERROR SUMMARY's check of the same child without -s is (campaign bqb Q4).
    expect(codes(alone)).toEqual(["warning summary-mismatch 28615"]);
    expect(alone.diagnostics[0]?.message).toContain(
      "never printed (error blocks are missing or damaged in the log, unless they were inherited from PID 28612, its parent, whose log is not among the inputs)",
    );
    // A sibling, another child of PID 28612 whose recap lists the same contexts, shows the
    // parent: what they share is its errors, counted in each child as before.
    const [path, text] = child as [string, string];
    const sibling: [string, string] = ["idle-s/vg.28616.log", text.replaceAll("28615", "28616")];
    const siblings = summarize(parsed([[path, text], sibling]));
    expect(codes(siblings)).toEqual([
      "info inherited-contexts 28615",
      "info inherited-contexts 28616",
    ]);
    expect(siblings.diagnostics[0]?.message).toContain(`${path} never printed: errors its parent`);
    // A grandchild beside its grandparent: the child's log that would link them is missing, so
    // the copies go to the process that printed their contexts, the grandparent (3 reads of
    // its own, 2 before the fork; the grandchild's write).
    const [parent, , grandchild] = logsOf("nest-s");
    const gap = summarize(parsed([parent, grandchild] as [string, string][]));
    const [xmlParent, , xmlGrandchild] = logsOf("xml-nest");
    const xmlGap = summarize(parsed([xmlParent, xmlGrandchild] as [string, string][]));
    expect(xmlGap.totals.errors).toEqual({ InvalidRead: 3, InvalidWrite: 1, UninitCondition: 1 });
    expect(gap.totals.errors).toEqual(xmlGap.totals.errors);
    expect(gap.diagnostics.map((d) => d.message)).toEqual([
      expect.stringContaining(
        "PID 28551 printed in nest-s/vg.28551.log: a forked child's copy of errors made before the fork (Valgrind copies its error list on fork; the log of its parent PID 28571 is not among the inputs)",
      ),
    ]);
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

describe("a forked child whose log names no parent, with -s", () => {
  it("counts what the XML counts when -q leaves the children's logs without a preamble", () => {
    const fork = summarize(parsed(logsOf("q-s")));
    expect(fork.totals.errors).toEqual(summarize(parsed(logsOf("fork-s"))).totals.errors);
    expect(codes(fork)).toEqual(["info inherited-contexts 28654"]);
    expect(fork.diagnostics[0]?.message).toContain("PID 28643 printed in q-s/vg.28643.log");
    const logs = logsOf("q-nest-s");
    inEitherOrder(logs, [11301, 11302], (report) => {
      // Child and grandchild copy what the first process printed; its log is named, not a PID.
      const copies = report.errors.filter((e) => e.inheritedFrom?.parentLog !== undefined);
      expect(copies.map((e) => [e.pid, e.inheritedFrom]).sort()).toEqual(
        [11301, 11301, 11302, 11302].map((pid) => [
          pid,
          { parentLog: "q-nest-s/vg.11300.log", printedBy: 11300 },
        ]),
      );
    });
    expect(summarizeLikeWorkers(logs).totals.errors).toEqual(XML_NEST);
  });

  it("counts two children's copies as theirs when no input prints them: neither stands for the other", () => {
    const [, child, grandchild] = logsOf("q-nest-s");
    const report = summarize(parsed([child, grandchild] as [string, string][]));
    // Each child's own errors, and the parent's 2 contexts (1 + 2 errors) once in each child.
    expect(report.totals.errors).toEqual({ InvalidRead: 5, InvalidWrite: 2, UninitCondition: 2 });
    expect(codes(report)).toEqual([
      "info inherited-contexts 11301",
      "info inherited-contexts 11302",
    ]);
    expect(report.diagnostics[0]?.message).toContain("no input prints");
  });

  it("counts a parent's contexts once when the parent ended before its child", () => {
    for (const name of ["one-log-s.txt", "one-log-q-s.txt"]) {
      const text = readFileSync(join(ORPHAN, name), "utf8");
      const report = summarize([parse(text, { path: name })]);
      expect(report.totals.errors, name).toEqual(XML_ORPHAN);
      expect(report.diagnostics.map((d) => d.message)).toEqual([
        expect.stringMatching(
          /2 error contexts that it never printed and PID \d+ printed in one-log/,
        ),
      ]);
    }
    expect(summarize(parsed(logsOf("q-s", ORPHAN))).totals.errors).toEqual(XML_ORPHAN);
    expect(summarize(parsed(logsOf("xml", ORPHAN))).totals.errors).toEqual(XML_ORPHAN);
  });

  it("says once per log what many children of it inherited, not once per child", () => {
    // The orphan's child, twice more under other PIDs: three children of one parent in one log.
    const text = readFileSync(join(ORPHAN, "one-log-q-s.txt"), "utf8");
    const child = text.split("\n").filter((line) => line.startsWith("==11334=="));
    const more = [11335, 11336].flatMap((pid) => child.map((l) => l.replace("11334", `${pid}`)));
    const report = summarize([parse(`${text}${more.join("\n")}\n`, { path: "three.txt" })]);
    expect(report.totals.errors).toEqual({ ...XML_ORPHAN, InvalidWrite: 3 });
    expect(report.diagnostics).toEqual([
      {
        severity: "info",
        code: "inherited-contexts",
        message: expect.stringMatching(
          /^PIDs 11334, 11335, 11336: their -s recaps list 6 error contexts that they never printed and other processes did \(the first: PID 11333 printed in three.txt\)/,
        ),
        path: "three.txt",
      },
    ]);
  });
});

describe("a -s recap context that a fresh process never printed (campaign bqb Q4)", () => {
  const dir = join(ROOT, "test", "fixtures", "valgrind", "recap-lost");
  const read = (name: string) => parse(readFileSync(join(dir, name), "utf8"), { path: name });

  it("is a lost error block, warned of, when no input holds the parent its preamble names", () => {
    const whole = summarize([read("leak.s.txt")]);
    expect(whole.diagnostics).toEqual([]);
    const cut = summarize([read("leak.s.cut.txt")]);
    // The recap still counts the write, for PID 28590; its Parent PID 28471 is the shell.
    expect(cut.totals.errors).toEqual(whole.totals.errors);
    expect(cut.sources[0]?.complete).toBe(true);
    expect(cut.diagnostics).toEqual([
      {
        severity: "warning",
        code: "summary-mismatch",
        message:
          "PID 28590: its -s recap lists 1 error context that leak.s.cut.txt never printed (error blocks are missing or damaged in the log, unless it was inherited from PID 28471, its parent, whose log is not among the inputs); it counts as PID 28590's",
        path: "leak.s.cut.txt",
        line: 41,
        pid: 28590,
      },
    ]);
  });
});
