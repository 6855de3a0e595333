import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, summarize, type LeakRecord, type Report } from "../../src/index.js";
import { parseValgrindSuppressions } from "../../src/analysis/suppressions/valgrind.js";
import type { Group } from "../../src/model/index.js";
import { REPORTERS } from "../../src/report/index.js";
import { cli } from "../helpers/cli.js";
import { ROOT } from "../helpers/golden.js";
import { groupAmounts } from "../helpers/records.js";
import { summarizeLikeWorkers } from "../helpers/workers.js";

// Real valgrind 3.19 and 3.27 runs of deathleak.cpp (gtest death tests) and forkleak.c (fork
// without exec); see the fixture's README.md.
const DIR = join(ROOT, "test", "fixtures", "valgrind", "fork-leaks");
const read = (name: string): [path: string, text: string] => [
  name,
  readFileSync(join(DIR, name), "utf8"),
];
const folder = (name: string): [string, string][] =>
  readdirSync(join(DIR, name))
    .sort()
    .map((file) => read(`${name}/${file}`));
const summarized = (logs: [string, string][], options = {}): Report =>
  summarize(
    logs.map(([path, text]) => parse(text, { path })),
    options,
  );

/** The one leak the program made, as the parent's check at its exit lists it. */
const ONE_LEAK = { bytes: 7, blocks: 1 };
/** glibc's thread-local storage of the parent's joined threads, in the aborting child only. */
const THREAD_STORAGE = { bytes: 576, blocks: 2 };

const copies = (report: Report): LeakRecord[] =>
  report.leaks.filter((l) => l.inheritedFrom !== undefined);
const infos = (report: Report) =>
  report.diagnostics.filter((d) => d.code === "inherited-loss-records");
const groupOf = (report: Report, kind: string) => report.groups.filter((g) => g.kind === kind);
/** What a report counts of leaks, whatever records it lists. */
const leakTotals = ({ totals }: Report) => [totals.leaks, totals.inheritedLeaks];
const leakGroups = (report: Report) => report.groups.filter((g) => g.type === "leak").map(counted);
/** What a group counts and lists, whatever records a report lists. */
const counted = (group: Group) => {
  const { members, membersOmitted } = group;
  return { ...groupAmounts(group), members, membersOmitted };
};

describe("a gtest death test's child, in the test program's log", () => {
  it.each(["death.txt", "death-327.txt", "death.xml", "death-327.xml"])(
    "%s: counts the parent's leak once, and lists the children's copies",
    (name) => {
      const report = summarized([read(name)]);
      expect(report.totals.leaks).toEqual({
        "definitely-lost": ONE_LEAK,
        "possibly-lost": THREAD_STORAGE,
      });
      const [group] = groupOf(report, "definitely-lost");
      expect(group).toMatchObject({ ...ONE_LEAK, occurrences: 1 });
      expect(group?.pids).toHaveLength(1);
      // Both children's copies stay listed, marked with the parent's record, in no group.
      expect(copies(report)).toHaveLength(2);
      const counted = report.leaks.find(
        (l) => l.kind === "definitely-lost" && l.inheritedFrom === undefined,
      );
      for (const copy of copies(report)) {
        expect(copy.inheritedFrom).toMatchObject({
          parentPid: counted?.pid,
          parentLog: name,
          parentLine: counted?.location.line,
        });
        expect(group?.members.map((m) => m.id)).not.toContain(copy.id);
      }
      expect(report.totals.inheritedLeaks).toEqual({ "definitely-lost": { bytes: 14, blocks: 2 } });
      // Valgrind's per-process LEAK SUMMARYs count the copies: they still add up.
      expect(report.diagnostics.filter((d) => d.code === "summary-mismatch")).toEqual([]);
      expect(infos(report)).toHaveLength(1);
      expect(infos(report)[0]?.message).toContain(
        "2 loss records (14 bytes in 2 blocks) repeat ones of PID",
      );
    },
  );

  it("passes a gate on the program's own bytes, which failed on the copies", () => {
    const gate = { failOn: [], maxBytes: { "definitely-lost": 10 } };
    for (const name of ["death.txt", "death.xml"]) {
      expect(summarized([read(name)], { gate }).gate?.failed).toBe(false);
    }
  });

  it("says in the text report's Totals how much of Valgrind's summaries were copies", () => {
    const report = summarized([read("death.txt")]);
    const text = REPORTERS.text.render(report, { color: false, top: 20 });
    expect(text).toContain(
      "definitely-lost  7 bytes in 1 blocks  (tool's summary: 21 bytes in 3 blocks; 14 bytes in 2 blocks of them forked children's copies of their parents', counted once)",
    );
    expect(REPORTERS.html.render(report, { color: false, top: 20 })).toContain(
      "21 bytes in 3 blocks <span class=\"muted\">(14 bytes in 2 blocks of them forked children's copies of their parents', counted once)</span>",
    );
  });

  it("keeps glibc's thread storage, which the parent never lists, as the child's", () => {
    const report = summarized([read("death.txt")]);
    const dtv = report.leaks.filter((l) => l.kind === "possibly-lost");
    expect(dtv.map((l) => [l.bytes, l.inheritedFrom])).toEqual([
      [288, undefined],
      [288, undefined],
    ]);
  });
});

describe("leaklog diff", () => {
  it("counts the copies once, as summarize does: the parent's leak did not grow", async () => {
    // diff printed no records and listed none, so it held none to tell the copies by.
    const log = "test/fixtures/valgrind/fork-leaks/death.txt";
    const { stdout } = await cli(["diff", log, log]);
    expect(stdout).toContain("\n0 new, 0 fixed, 4 unchanged\n");
  });
});

describe("forked children that wrote logs of their own (%p)", () => {
  it.each(["death-p", "death-px"])(
    "%s: count the parent's leak once, in any input order",
    (dir) => {
      const logs = folder(dir);
      for (const order of [logs, [...logs].reverse()]) {
        const report = summarized(order);
        expect(report.totals.leaks).toEqual({
          "definitely-lost": ONE_LEAK,
          "possibly-lost": THREAD_STORAGE,
        });
        expect(copies(report).map((l) => l.inheritedFrom?.parentLog)).toEqual([
          logs[0]?.[0],
          logs[0]?.[0],
        ]);
        // One info per child: each is a log of its own.
        expect(infos(report).map((d) => d.pid)).toHaveLength(2);
      }
    },
  );

  it("count a child's copies as its own when the parent's log is not among the inputs", () => {
    const [, ...children] = folder("death-p");
    const report = summarized(children);
    expect(report.totals.leaks["definitely-lost"]).toEqual({ bytes: 14, blocks: 2 });
    expect(copies(report)).toEqual([]);
  });

  it("settle alike when workers summarize each log apart", () => {
    for (const dir of ["death-p", "death-px", "fork-p"]) {
      const logs = folder(dir);
      const whole = summarized(logs);
      expect(summarizeLikeWorkers(logs)).toEqual(whole);
    }
    const shared = [read("death.txt"), read("death.xml")];
    expect(summarizeLikeWorkers(shared)).toEqual(summarized(shared));
  });

  it("count every copy once past --max-records too, alike on workers", () => {
    // Past the cap the records count as they come, and the copies are taken back at the end.
    const logs = [read("death.txt"), ...folder("death-p")];
    const all = summarized(logs);
    for (const maxRecords of [2, 6]) {
      const whole = summarized(logs, { maxRecords });
      expect(summarizeLikeWorkers(logs, { maxRecords })).toEqual(whole);
      expect(leakTotals(whole)).toEqual(leakTotals(all));
      expect(whole.totals.leaks["definitely-lost"]).toEqual({ bytes: 14, blocks: 2 });
      expect(leakGroups(whole)).toEqual(leakGroups(all));
      expect(infos(whole)).toEqual(infos(all));
    }
  });
});

describe("a --gtest_repeat=3 run's death tests", () => {
  it("count each of the parent's leaks once, as the parent's check lists them", () => {
    const report = summarized([read("rep3.txt")]);
    // The parent leaked 3 blocks, one per round; the children of rounds 2 and 3 list 1 and 2.
    expect(report.totals.leaks["definitely-lost"]).toEqual({ bytes: 21, blocks: 3 });
    expect(groupOf(report, "definitely-lost")[0]).toMatchObject({ occurrences: 1 });
    expect(copies(report).map((l) => l.blocks)).toEqual([1, 2]);
    expect(report.diagnostics.filter((d) => d.code === "summary-mismatch")).toEqual([]);
  });

  it("leave glibc's thread storage new against a one-round baseline: no parent lists it", () => {
    const baseline = summarized([read("rep1.txt")]);
    const report = summarized([read("rep3.txt")], {
      baseline,
      gate: { failOn: ["new"] },
    });
    const states = report.groups.map((g) => `${g.kind} ${g.baseline ?? ""}`);
    expect(states).toEqual([
      "FatalSignal unchanged",
      "possibly-lost new",
      "definitely-lost unchanged",
    ]);
    expect(report.gate?.reasons).toEqual([expect.stringContaining("1,152 bytes possibly-lost")]);
  });

  it("in one XML file, count only the children's records alike in every amount once", () => {
    // The children's 1 and 2 blocks differ from the parent's 3 in the file's last run: which
    // run is whose the file does not say (xml-forked-child), so they count, with an info.
    const report = summarized([read("rep3.xml")]);
    expect(report.totals.leaks["definitely-lost"]).toEqual({ bytes: 42, blocks: 6 });
    expect(copies(report)).toEqual([]);
    expect(infos(report)[0]?.message).toContain(
      "have other blocks or bytes, and count as their own",
    );
  });
});

describe("fork without exec (forkleak.c)", () => {
  /** What the parent lost: 26 bytes in 1 block and 2 blocks of 16, Valgrind's one LEAK SUMMARY. */
  const PARENT = { "definitely-lost": { bytes: 58, blocks: 3 } };

  it.each(["fork.txt", "fork-327.txt", "fork.xml"])(
    "%s: counts the inherited blocks once, in the parent's records",
    (name) => {
      const report = summarized([read(name)]);
      expect(report.totals.leaks).toEqual(PARENT);
      expect(copies(report)).toHaveLength(2);
      expect(report.groups.map((g) => g.occurrences)).toEqual([1, 1]);
    },
  );

  it("counts the inherited blocks once with a log per process too", () => {
    expect(summarized(folder("fork-p")).totals.leaks).toEqual(PARENT);
  });

  it("counts a child's record with more blocks than its parent's whole, as its own", () => {
    const report = summarized([read("fork-more.txt")]);
    // The parent's 58 bytes, and the child's leak_round() record of 3 blocks (2 inherited).
    expect(report.totals.leaks["definitely-lost"]).toEqual({ bytes: 106, blocks: 6 });
    expect(copies(report).map((l) => l.bytes)).toEqual([26]);
    expect(infos(report)[0]?.message).toContain(
      "1 loss record (48 bytes in 3 blocks) of the kind and allocation stack of one of PID 31415's has more blocks or bytes than its parent's, and counts as its own",
    );
  });

  it("cannot tell a child's own leak through the parent's very path, no further than it", () => {
    // Each process leaked one block more through leak_round() after the fork: 3 blocks each.
    // The child's record is taken for a copy; the group still shows, with the parent's amounts.
    const report = summarized([read("fork-both.txt")]);
    expect(report.totals.leaks["definitely-lost"]).toEqual({ bytes: 74, blocks: 4 });
    expect(report.groups.map((g) => [g.bytes, g.blocks])).toEqual([
      [48, 3],
      [26, 1],
    ]);
  });

  it("matches nothing in a -q log, which names no parent", () => {
    const report = summarized([read("fork-q.txt")]);
    expect(report.totals.leaks["definitely-lost"]).toEqual({ bytes: 116, blocks: 6 });
    expect(infos(report)).toEqual([]);
  });

  it("takes no process that starts after the parent ended for its child", () => {
    // A -q run appended to the log after the parent's run: its processes print no preamble,
    // as forked children do, but their records come after the parent's.
    const [, whole] = read("fork.txt");
    const [, quiet] = read("fork-q.txt");
    const report = summarized([["appended.txt", `${whole}${quiet}`]]);
    expect(report.totals.leaks["definitely-lost"]).toEqual({ bytes: 58 + 116, blocks: 3 + 6 });
    expect(copies(report).map((l) => l.pid)).toEqual([31384, 31384]);
  });

  it("keeps the copies out when its JSON report is read back", () => {
    const first = summarized([read("fork.txt")]);
    const again = summarized([["fork.json", JSON.stringify(first)]]);
    expect(again.totals.leaks).toEqual(PARENT);
    expect(again.totals.inheritedLeaks).toEqual(first.totals.inheritedLeaks);
    expect(copies(again)).toHaveLength(2);
  });
});

describe("a forked child's record of an inherited block under another kind (forkkinds.c)", () => {
  const suppressedBy = (path: string) => {
    const supp = parseValgrindSuppressions(readFileSync(join(DIR, path), "utf8"), path);
    return { suppressions: { valgrind: supp.suppressions, lsan: [] } };
  };
  // The child's 32 bytes are still reachable, the parent's definitely lost: not a copy.
  const CHILD_REACHABLE = { bytes: 143, blocks: 2 };

  it("counts the child's still reachable record as the child's own", () => {
    const report = summarized(folder("kinds-p"));
    expect(report.totals.leaks["still-reachable"]).toEqual(CHILD_REACHABLE);
    expect(report.totals.inheritedLeaks).toBeUndefined();
    expect(copies(report)).toEqual([]);
  });

  it("still does once --suppressions has made both records suppressed", () => {
    const report = summarized(folder("kinds-p"), suppressedBy("kinds-p.supp"));
    expect(report.totals.suppressedLeaks?.["still-reachable"]).toEqual(CHILD_REACHABLE);
    expect(report.totals.suppressedLeaks?.["definitely-lost"]).toEqual({ bytes: 254, blocks: 2 });
    expect(report.totals.inheritedLeaks).toBeUndefined();
    expect(copies(report)).toEqual([]);
  });

  it("and so does the suppressed run's JSON report read back", () => {
    const first = summarized(folder("kinds-p"), suppressedBy("kinds-p.supp"));
    const again = summarized([["kinds.json", JSON.stringify(first)]]);
    expect(again.totals.suppressedLeaks).toEqual(first.totals.suppressedLeaks);
    expect(again.totals.inheritedLeaks).toBeUndefined();
  });
});

describe("a forked child's XML document in its parent's file (t13_fork_leak.c)", () => {
  // With --xml-file=vg.%p.xml and --log-file both given (CTest's XML setup), Valgrind writes the
  // child's whole document into its parent's file. The program leaked 12 bytes before the fork,
  // which both processes list, then 48 in the child and 24 in the parent: 84 bytes in 3 blocks.
  const PROGRAM = { bytes: 84, blocks: 3 };
  const versions = ["3.19", "3.24", "3.27"];

  it.each(versions)("%s: counts the child's copy once, as the text log of the run does", (v) => {
    for (const style of ["text", "xml", "xmlonly"]) {
      const logs = folder(`t13/${v}/${style}`);
      const report = summarized(logs);
      expect(report.totals.leaks["definitely-lost"]).toEqual(PROGRAM);
      expect(copies(report).map((l) => l.bytes)).toEqual([12]);
      expect(infos(report)).toHaveLength(1);
    }
    const [[path, text] = ["", ""]] = folder(`t13/${v}/xml`);
    const report = summarized([[path, text]], {
      gate: { failOn: [], maxBytes: { "definitely-lost": 90 } },
    });
    expect(report.gate?.failed).toBe(false);
    const [copy] = copies(report);
    expect(copy?.inheritedFrom).toMatchObject({ parentLog: path });
    expect(infos(report)[0]?.message).toContain("its parent's in this log");
  });

  it("counts it once in the file of an older run, whose parent leaked on after the fork", () => {
    // fk.c leaks 11 bytes before its fork, 22 in the child and 33 in the parent.
    const nested = join(ROOT, "test", "fixtures", "valgrind-xml", "nested", "fork.22279.xml");
    const report = summarized([["fork.22279.xml", readFileSync(nested, "utf8")]]);
    expect(report.totals.leaks["definitely-lost"]).toEqual({ bytes: 66, blocks: 3 });
    expect(copies(report).map((l) => [l.bytes, l.pid])).toEqual([[11, 22292]]);
  });

  it("finds the parent in the file whichever of the two documents comes first", () => {
    // The documents of a file each (no --log-file), put in one: each names its PID and parent.
    const [parent, child] = folder("t13/3.27/xmlonly").map(([, text]) => text);
    for (const text of [`${parent}${child}`, `${child}${parent}`]) {
      const report = summarized([["one.xml", text]]);
      expect(report.totals.leaks["definitely-lost"]).toEqual(PROGRAM);
      expect(copies(report)).toHaveLength(1);
    }
  });

  it("takes a process of the file that runs another command for no forked child", () => {
    // An exec'd program names its parent too, and its heap starts afresh: the same file's
    // child document, made to run another program, keeps its 12 bytes.
    const [parent, child = ""] = folder("t13/3.27/xmlonly").map(([, text]) => text);
    const execed = child.replaceAll("./bin/t13_fork_leak", "./bin/t13_other");
    const report = summarized([["one.xml", `${parent}${execed}`]]);
    expect(report.totals.leaks["definitely-lost"]).toEqual({ bytes: 96, blocks: 4 });
    expect(copies(report)).toEqual([]);
  });
});

describe("past --max-records (10,000 loss records by default)", () => {
  // Campaign cg F2: past the cap every copy counted again, without a word, so a suite that grew
  // got other totals for the same leaks, and a --max-bytes gate flipped.
  it.each(["death.txt", "death.xml", "rep3.txt", "rep3.xml", "fork.txt", "fork.xml"])(
    "%s: counts what it counts with every record listed, alike on workers",
    (name) => {
      const logs = [read(name)];
      const all = summarized(logs);
      for (const maxRecords of [1, 2]) {
        const capped = summarized(logs, { maxRecords });
        expect(summarizeLikeWorkers(logs, { maxRecords })).toEqual(capped);
        expect(leakTotals(capped)).toEqual(leakTotals(all));
        expect(leakGroups(capped)).toEqual(leakGroups(all));
        expect(infos(capped)).toEqual(infos(all));
        // The copies it lists are marked, as every one is without the cap.
        const listed = new Set(capped.leaks.map((l) => l.id));
        const marked = copies(all).filter((l) => listed.has(l.id));
        expect(copies(capped).map((l) => l.inheritedFrom)).toEqual(
          marked.map((l) => l.inheritedFrom),
        );
      }
    },
  );

  it.each(["3.19", "3.24", "3.27"])("%s: t13's copy counts once whatever the cap", (v) => {
    for (const style of ["text", "xml", "xmlonly"]) {
      for (const maxRecords of [1, 2, 3]) {
        const report = summarized(folder(`t13/${v}/${style}`), { maxRecords });
        expect(report.totals.leaks["definitely-lost"]).toEqual({ bytes: 84, blocks: 3 });
        expect(report.totals.inheritedLeaks).toEqual({
          "definitely-lost": { bytes: 12, blocks: 1 },
        });
        expect(infos(report)).toHaveLength(1);
      }
    }
  });

  it("says how much of the tool's summary were copies, listed or not, and passes the gate", async () => {
    const dir = "test/fixtures/valgrind/fork-leaks/t13/3.19/text";
    const args = ["summarize", `${dir}/*.log`, "--max-bytes", "definitely-lost=90"];
    for (const cap of ["1", "2", "0"]) {
      const { stdout, code } = await cli([...args, "--max-records", cap]);
      expect(code).toBe(0);
      expect(stdout).toContain(
        "definitely-lost  84 bytes in 3 blocks  (tool's summary: 96 bytes in 4 blocks; 12 bytes in 1 blocks of them forked children's copies of their parents', counted once)",
      );
    }
  });

  it("keeps a copy the cap left out of its report out when the report is read back", () => {
    const first = summarized(folder("t13/3.19/text"), { maxRecords: 1 });
    expect(copies(first)).toEqual([]);
    const again = summarized([["t13.json", JSON.stringify(first)]]);
    expect(leakTotals(again)).toEqual(leakTotals(first));
    expect(again.totals.leaks["definitely-lost"]).toEqual({ bytes: 84, blocks: 3 });
  });

  it("counts a suite's copies once however many logs it grows to", () => {
    // 40 runs of t13, PIDs renumbered: 80 logs, 120 loss records, past a cap of 50.
    const runs = Array.from({ length: 40 }, (_, i) =>
      renumbered(folder("t13/3.19/text"), i),
    ).flat();
    const all = summarized(runs);
    const capped = summarized(runs, { maxRecords: 50 });
    expect(capped.totals.leaks["definitely-lost"]).toEqual({ bytes: 40 * 84, blocks: 40 * 3 });
    expect(leakTotals(capped)).toEqual(leakTotals(all));
    expect(leakGroups(capped)).toEqual(leakGroups(all));
    expect(summarizeLikeWorkers(runs, { maxRecords: 50 })).toEqual(capped);
    // The group of the inherited block lists its parents' records alone, the first 20 of them.
    const [dup] = capped.groups.filter((g) => g.stack.some((f) => f.function === "lib_dup"));
    expect([dup?.occurrences, dup?.members.length, dup?.membersOmitted]).toEqual([40, 20, 20]);
    expect(dup?.pids).toHaveLength(40);
  });
});

/** Run `i` of a parent's and a child's logs: their PIDs moved on by `i` thousand. */
function renumbered(logs: [string, string][], i: number): [string, string][] {
  const moved = (text: string) =>
    text.replace(/(==|Parent PID: |vg\.)(\d+)/g, (_, before: string, pid: string) => {
      const old = Number(pid);
      return `${before}${old < 10100 ? old : old + 1000 * i}`;
    });
  return logs.map(([path, text]) => [moved(path), moved(text)]);
}
