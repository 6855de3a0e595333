import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseInto, summarize, Summarizer, type Report } from "../../src/index.js";
import { ROOT } from "../helpers/golden.js";

// Real valgrind 3.19 logs of t13_fork_leak.c under --log-file=vg.%p.log: the parent (10105)
// leaks 12 bytes via lib_dup before fork() and 24 after it, the child (10168) 48 of its own
// and lists the 12 it inherited again (see test/fixtures/valgrind/fork-leaks/t13/make.sh).
const DIR = join(ROOT, "test", "fixtures", "valgrind", "fork-leaks", "t13", "3.19", "text");
const PARENT = readFileSync(join(DIR, "vg.10105.log"), "utf8");
const CHILD = readFileSync(join(DIR, "vg.10168.log"), "utf8");
/** Another run of the parent's program, its PIDs moved: the log of another process. */
const OTHER = PARENT.replace(/==10105==/g, "==20105==").replace(
  "Parent PID: 10070",
  "Parent PID: 20070",
);

const summarized = (logs: [string, string][], options = {}): Report =>
  summarize(
    logs.map(([path, text]) => parse(text, { path })),
    options,
  );
const definitelyLost = (report: Report) => report.totals.leaks["definitely-lost"];
const uncompared = (report: Report) =>
  report.diagnostics.filter((d) => d.code === "inherited-loss-records-uncompared");

/** What a streaming summarizer keeps, past `maxRecords`, to compare its loss records. */
async function keptToCompare(logs: [string, string][], maxRecords: number) {
  const summarizer = new Summarizer({ maxRecords });
  for (const [path, text] of logs) {
    const end = await parseInto([text], { path }, (event) => summarizer.event(event));
    summarizer.source(end.source);
  }
  return summarizer.finishPartial().facts.countedLeaks?.map((leak) => leak.path);
}

describe("past --max-records, a log that shows the preambles of more than one PID", () => {
  // The bench's 1 GB log of 21,000 processes holds a million loss records: keeping what
  // comparing each takes grew memory with the log's size (campaign cg F2).
  it("keeps nothing to compare its records, where a log of one PID keeps them", async () => {
    const job: [string, string] = ["job.log", PARENT + CHILD];
    expect(await keptToCompare([job], 1)).toEqual([]);
    expect(await keptToCompare([["vg.10105.log", PARENT]], 1)).toEqual([
      "vg.10105.log",
      "vg.10105.log",
    ]);
    // Its first PID's records are dropped at the second PID's preamble.
    const kept = await keptToCompare([["vg.10105.log", PARENT], job], 1);
    expect(kept).toEqual(["vg.10105.log", "vg.10105.log"]);
  });

  // With --xml-file and --log-file a forked child's document nests in its parent's XML file,
  // naming its parent in its header: one family's, still compared past the cap (campaign cg F1).
  it("keeps an XML file's records where each document names a PID of the file as its parent", async () => {
    const xml = join(ROOT, "test", "fixtures", "valgrind", "fork-leaks", "t13", "3.19");
    const nested = readFileSync(join(xml, "xml", "vg.10193.xml"), "utf8");
    const kept = await keptToCompare([["vg.10193.xml", nested]], 1);
    expect(kept?.length).toBeGreaterThan(0);
    expect(new Set(kept)).toEqual(new Set(["vg.10193.xml"]));
    // Two programs' documents in one file: the second names no PID of the file.
    const parent = readFileSync(join(xml, "xmlonly", "vg.10232.xml"), "utf8");
    const other = parent.replace(/10232/g, "20232").replace("<ppid>10070<", "<ppid>20070<");
    expect(await keptToCompare([["two.xml", parent + other]], 1)).toEqual([]);
    const files: [string, string][] = [["two.xml", parent + other]];
    expect(summarized(files, { maxRecords: 1 }).totals).toEqual(summarized(files).totals);
  });

  it("counts its records as their processes' as it does with every record listed", () => {
    // Two programs' logs put in one (`cat vg.*.log`): the child's copy names no parent there.
    const job: [string, string][] = [["job.log", PARENT + CHILD]];
    const all = summarized(job);
    expect(definitelyLost(all)).toEqual({ bytes: 96, blocks: 4 });
    for (const maxRecords of [1, 3]) {
      const capped = summarized(job, { maxRecords });
      expect(capped.totals).toEqual(all.totals);
      expect(uncompared(capped)).toEqual([]);
    }
  });

  it("says where a forked child's copies may count again, as they are not compared", () => {
    // The child's own log holds another program too; its parent's is a log of one PID.
    const logs: [string, string][] = [
      ["vg.10105.log", PARENT],
      ["job.log", CHILD + OTHER],
    ];
    const all = summarized(logs);
    expect(definitelyLost(all)).toEqual({ bytes: 120, blocks: 5 });
    expect(uncompared(all)).toEqual([]);
    const capped = summarized(logs, { maxRecords: 1 });
    expect(definitelyLost(capped)).toEqual({ bytes: 132, blocks: 6 });
    expect(uncompared(capped)).toEqual([
      {
        severity: "warning",
        code: "inherited-loss-records-uncompared",
        message:
          "past --max-records, the loss records of a log that shows the preambles of more than one PID are not kept to compare: PID 10168 of job.log, whose family this log holds, may count copies of a parent's loss records again; --max-records 0 compares them",
        path: "job.log",
        pid: 10168,
      },
    ]);
  });
});

describe("a merged report that counts loss records it does not list", () => {
  it("says that forked children's copies beside it may count again", () => {
    const logs: [string, string][] = [
      ["vg.10105.log", PARENT],
      ["vg.10168.log", CHILD],
    ];
    const written = summarized([["other.log", OTHER]], { maxRecords: 1 });
    expect(written.recordsOmitted?.leaks).toBe(1);
    const merged = summarized([["other.json", JSON.stringify(written)], ...logs]);
    expect(definitelyLost(merged)).toEqual({ bytes: 132, blocks: 6 });
    expect(uncompared(merged)).toMatchObject([{ severity: "warning", path: "other.json" }]);
    // Written with every record listed, it gives nothing up.
    const whole = summarized([["other.log", OTHER]]);
    const listed = summarized([["other.json", JSON.stringify(whole)], ...logs]);
    expect(definitelyLost(listed)).toEqual({ bytes: 120, blocks: 5 });
    expect(uncompared(listed)).toEqual([]);
  });
});
