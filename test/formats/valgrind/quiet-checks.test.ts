import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseChunks } from "../../../src/api/parse.js";
import { summarize } from "../../../src/api/summarize.js";
import type { LeakRecord } from "../../../src/model/index.js";
import { ROOT } from "../../helpers/golden.js";

/*
 * Campaign v22 F8 (test/fixtures/valgrind/quiet-checks/README.md): a -q log prints no LEAK
 * SUMMARY, so a program's own leak check and the check at exit are told apart by the loss-record
 * numbering starting again. Read as one check, a block both listed counted twice.
 */
const DIR = join(ROOT, "test/fixtures/valgrind/quiet-checks");
const text = (name: string) => readFileSync(join(DIR, name), "utf8");
const read = (name: string) => parse(text(name), { path: name });

/** The leak records that count, by kind, amount and allocating line. */
const counted = (leaks: readonly LeakRecord[]) =>
  leaks
    .filter((l) => l.superseded !== true)
    .map((l) => `${l.kind} ${l.bytes}/${l.blocks} ${l.stack.at(-1)?.file}:${l.stack.at(-1)?.line}`);

const definitelyLost = (name: string) => summarize([read(name)]).totals.leaks["definitely-lost"];

/** checks.c at exit, as Valgrind's LEAK SUMMARY of checks.txt counts it: 150 bytes in 3 blocks. */
const AT_EXIT = [
  "definitely-lost 30/1 checks.c:10",
  "definitely-lost 50/1 checks.c:12",
  "definitely-lost 70/1 checks.c:20",
];

describe("a -q log's leak checks", () => {
  it("count a block both checks listed once (dlc.q.txt: 30 bytes, not 60)", () => {
    expect(definitelyLost("dlc.q.txt")).toMatchObject({ bytes: 30, blocks: 1 });
    const report = summarize([read("dlc.q.txt")], {
      gate: { failOn: [], maxBytes: { "definitely-lost": 40 } },
    });
    expect(report.gate?.failed).toBe(false);
  });

  it.each(["checks.q.txt", "checks.q-s.txt"])(
    "%s: the check at exit supersedes the client check, as in the text and XML with summaries",
    (name) => {
      const leaks = read(name).leaks;
      expect(counted(leaks)).toEqual(AT_EXIT);
      expect(counted(read("checks.txt").leaks)).toEqual(AT_EXIT);
      expect(counted(read("checks.xml").leaks)).toEqual(AT_EXIT);
      // The 60 possibly lost bytes of the first check were freed before exit.
      expect(leaks.filter((l) => l.superseded === true).map((l) => l.bytes)).toEqual([30, 50, 60]);
      expect(leaks.map((l) => l.leakCheck)).toEqual([1, 1, 1, 2, 2, 2]);
    },
  );

  it("-s: the recap's ERROR SUMMARY (6 contexts, both checks') raises no mismatch", () => {
    const codes = read("checks.q-s.txt").diagnostics.map((d) => d.code);
    expect(codes).not.toContain("summary-mismatch");
  });

  it("a monitor leak_check under -q (delta or full) is superseded by the check at exit", () => {
    for (const name of ["monitor-q.txt", "monitor-q-full.txt"]) {
      expect(definitelyLost(name), name).toMatchObject({ bytes: 30, blocks: 1 });
    }
  });

  it("keep a first run's records when the next run of its PID repeats none of them", () => {
    // Two -q runs of PID 1 (two `docker run`s) read as one process: `other` lists none of
    // `checks`' loss records, so it cannot be a later check of the same heap.
    expect(counted(read("two-runs.txt").leaks)).toEqual([
      ...AT_EXIT,
      "definitely-lost 11/1 other.c:2",
      "definitely-lost 22/1 other.c:2",
    ]);
  });

  it("read a second run of the same program as a later check of one process", () => {
    // What the log cannot tell apart (see the fixtures' README): 150 bytes, not 300.
    expect(counted(read("same-twice.txt").leaks)).toEqual(AT_EXIT);
  });

  it.each(["leakgrow-q.txt", "leakgrow-q-3.27.txt"])(
    "%s: a grown leak listed under a higher number is a later check's (campaign v23 F1)",
    (name) => {
      expect(definitelyLost(name)).toMatchObject({ bytes: 100, blocks: 10 });
      expect(definitelyLost("leakgrow.txt")).toMatchObject({ bytes: 100, blocks: 10 });
    },
  );

  it("renum-q.txt: a leak whose number moved up is counted once, as its XML counts it", () => {
    expect(definitelyLost("renum-q.txt")).toEqual(definitelyLost("renum.xml"));
    expect(definitelyLost("renum-q.txt")).toMatchObject({ bytes: 10, blocks: 1 });
  });

  it("poss2def-q.txt: a block that changed kind supersedes its earlier record (campaign v23 F2)", () => {
    const kinds = (name: string) => Object.keys(summarize([read(name)]).totals.leaks).sort();
    expect(kinds("poss2def-q.txt")).toEqual(["definitely-lost"]);
    expect(kinds("poss2def.txt")).toEqual(["definitely-lost"]);
  });

  it.each(["qs-mon.txt", "qs-mon-w.txt"])(
    "%s: ERROR SUMMARY counts no record of a -q -s run's monitor check (campaign v23 F5)",
    (name) => {
      expect(read(name).diagnostics.map((d) => d.code)).not.toContain("summary-mismatch");
    },
  );

  it("are read the same whatever the chunking", async () => {
    const whole = read("two-runs.txt").leaks;
    const all = text("two-runs.txt");
    const pieces = Array.from({ length: Math.ceil(all.length / 37) }, (_, i) =>
      all.slice(i * 37, i * 37 + 37),
    );
    const chunked = await parseChunks(pieces, { path: "two-runs.txt" });
    expect(counted(chunked.leaks)).toEqual(counted(whole));
  });
});
