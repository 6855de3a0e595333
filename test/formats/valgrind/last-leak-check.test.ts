import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { parse, parseStream } from "../../../src/api/parse.js";
import { summarize } from "../../../src/api/summarize.js";
import { Summarizer } from "../../../src/api/summarizer.js";
import type { LeakRecord, Report } from "../../../src/model/index.js";
import { ROOT } from "../../helpers/golden.js";

/*
 * Campaign v15a F3 (test/fixtures/valgrind/delta-checks/README.md): a later leak check says
 * that an earlier check's record is gone, and the earlier record must not count: a block freed
 * before a check that prints `All heap blocks were freed` or a summary of 0 possibly lost, and
 * a block that turned from possibly to definitely lost under an ADDED check.
 */
const DIR = join(ROOT, "test/fixtures/valgrind/delta-checks");
const text = (name: string) => readFileSync(join(DIR, name), "utf8");
const read = (name: string) => parse(text(name), { path: name });
const GATE = { gate: { failOn: ["possibly-lost" as const] } };
const report = (name: string) => summarize([read(name)], GATE);

const marks = (leaks: readonly LeakRecord[]) =>
  leaks.map((l) => [l.kind, l.bytes, l.superseded === true]);
const counted = (r: Report) => r.groups.map((g) => [g.kind, g.bytes, g.blocks]);

/** The streaming path: parseStream's events, summarized one at a time. */
async function streamed(name: string): Promise<{ leaks: LeakRecord[]; report: Report }> {
  const summarizer = new Summarizer(GATE);
  const leaks: LeakRecord[] = [];
  for await (const event of parseStream(Readable.from([text(name)]), { path: name })) {
    if (event.type === "finding" && event.finding.type === "leak") leaks.push(event.finding);
    summarizer.event(event);
  }
  return { leaks, report: summarizer.finish() };
}

describe("a block freed after a mid-run leak check", () => {
  it.each([
    // ADDED checks, the last and the one at exit printing `All heap blocks were freed`.
    "harness.txt",
    // --leak-check=no: no check at exit, but `in use at exit: 0 bytes in 0 blocks`.
    "harness_no.txt",
    // Full checks only.
    "harness_full.txt",
    // A reachable block to the end: the last full check's summary says `possibly lost: 0`.
    "harness_keep.txt",
    // XML prints neither: the check at exit, full whatever --leak-check says, lists nothing.
    "harness.xml",
  ])("no longer counts, in parse, parseStream and summarize alike (%s)", async (name) => {
    const parsed = read(name);
    expect(marks(parsed.leaks)).toEqual([["possibly-lost", 116, true]]);
    const r = report(name);
    expect(counted(r)).toEqual([]);
    expect(r.totals.leaks["possibly-lost"]).toBeUndefined();
    // It failed `--fail-on possibly-lost`, though Valgrind said nothing leaked.
    expect(r.gate?.failed).toBe(false);
    const stream = await streamed(name);
    expect(marks(stream.leaks)).toEqual(marks(parsed.leaks));
    expect(counted(stream.report)).toEqual([]);
    expect(stream.report.gate?.failed).toBe(false);
  });

  it.each(["harness.txt", "harness_full.txt"])(
    "leaves Valgrind's last word, a summary of nothing, beside the totals (%s)",
    (name) => {
      const last = read(name).summaries.findLast((s) => s.leak !== undefined);
      expect(last?.leak?.["possibly-lost"]).toEqual({ bytes: 0, blocks: 0 });
      // It showed the mid-run check's 116 bytes as the tool's summary.
      expect(summarize([read(name)]).diagnostics).toEqual([]);
    },
  );
});

describe("a block that changed kind under an ADDED check", () => {
  it.each([
    ["kindchg.txt", "kindchg.xml"],
    // No check at exit: the ADDED check's `possibly lost: 0 (-40)` is the last word.
    ["kindchg_killed.txt", "kindchg.xml"],
  ])("counts once, as Valgrind does (%s, %s)", (textLog, xmlLog) => {
    expect(marks(read(textLog).leaks)).toEqual([
      ["possibly-lost", 40, true],
      ["definitely-lost", 40, false],
    ]);
    const fromText = report(textLog);
    const fromXml = report(xmlLog);
    expect(counted(fromText)).toEqual([["definitely-lost", 40, 1]]);
    expect(counted(fromXml)).toEqual(counted(fromText));
    expect(fromText.gate?.failed).toBe(false);
  });

  it("still counts in a killed XML run, whose client checks print no summary to tell", () => {
    // The XML has `40 (+40) ... definitely lost in loss record 2 of 2` and nothing on record
    // 1: a new definite block beside a possibly lost one that stayed prints the same.
    expect(marks(read("kindchg_killed.xml").leaks)).toEqual([
      ["possibly-lost", 40, false],
      ["definitely-lost", 40, false],
    ]);
  });

  it("stays counted, and says so, when the summary shows only part of the kind gone", () => {
    // Two 40-byte records possibly lost, then `possibly lost: 40 (-40) bytes in 1 (-1)`: one
    // of them is gone, and the log does not say which.
    const r = report("kindsplit.txt");
    expect(counted(r)).toEqual([
      ["possibly-lost", 80, 2],
      ["definitely-lost", 40, 1],
    ]);
    const warned = r.diagnostics.filter((d) => d.code === "summary-mismatch");
    expect(warned.map((d) => [d.severity, d.line])).toEqual([["warning", 32]]);
    expect(warned[0]?.message).toContain("add up to 80 bytes in 2 blocks");
    expect(warned[0]?.message).toContain("says 40 bytes in 1 blocks");
  });
});
