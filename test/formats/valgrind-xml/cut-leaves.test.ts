import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ParseResult } from "../../../src/api/parse.js";
import type { ErrorRecord, Frame, LeakRecord, Stack } from "../../../src/model/index.js";
import { ROOT } from "../../helpers/golden.js";
import { codes, parseXml } from "./helpers.js";

// A real run's log (campaign v22 F6): see fixtures/valgrind-xml/cut-leaves.
const big = readFileSync(
  join(ROOT, "test", "fixtures", "valgrind-xml", "cut-leaves", "big.xml"),
  "utf8",
);
const truth = parseXml(big);
// A log cut before its `<state>RUNNING` is a preamble alone, read as a traced exec's (README,
// Cross-checks); one cut inside `</valgrindoutput>` lacks nothing.
const records = big.indexOf("<state>RUNNING");
const closed = big.lastIndexOf("</valgrindoutput>") + "</valgrindoutput".length;
const cutAt = (end: number): ParseResult => parseXml(big.slice(0, end));
const byUnique = <T extends LeakRecord | ErrorRecord>(records: T[], unique: unknown): T =>
  records.find((r) => r.details?.["unique"] === unique) as T;

/** Each field of `frame` is the whole frame's; a cut field is left out. */
function framePart(frame: Frame, whole: Frame | undefined): Frame {
  const part: Frame = {};
  for (const key of Object.keys(frame) as (keyof Frame)[]) {
    if (whole?.[key] === frame[key]) Object.assign(part, { [key]: frame[key] });
  }
  return part;
}

const stackPart = (stack: Stack, whole: Stack | undefined): Stack =>
  stack.map((f, i) => framePart(f, whole?.[i]));

/** A leak's amounts and kind: a cut log's must be the whole log's, never what the cut left. */
const amounts = (leak: LeakRecord) => {
  const { kind, bytes, directBytes, indirectBytes, blocks, lossRecord } = leak;
  return JSON.stringify({ kind, bytes, directBytes, indirectBytes, blocks, lossRecord });
};

/** Whether a cut log's stack holds only whole frames' fields of the whole log's stack. */
const partOf = (stack: Stack, whole: Stack | undefined): boolean =>
  JSON.stringify(stackPart(stack, whole)) === JSON.stringify(stack);

/** What a cut log's leaks say that the whole log's do not. */
function wrongLeaks(cut: ParseResult): string[] {
  const wrong: string[] = [];
  for (const leak of cut.leaks) {
    const whole = byUnique(truth.leaks, leak.details?.["unique"]);
    if (amounts(leak) !== amounts(whole)) wrong.push(amounts(leak));
    if (leak.thread !== undefined && leak.thread !== whole.thread) wrong.push(`${leak.thread}`);
    if (!partOf(leak.stack, whole.stack)) wrong.push(JSON.stringify(leak.stack));
  }
  return wrong;
}

/** What a cut log's errors say that the whole log's do not; a message left out is "". */
function wrongErrors(cut: ParseResult): string[] {
  const wrong: string[] = [];
  for (const error of cut.errors) {
    const whole = byUnique(truth.errors, error.details?.["unique"]);
    if (error.kind !== whole.kind) wrong.push(`kind ${error.kind}`);
    if (error.message !== "" && error.message !== whole.message) wrong.push(error.message);
    error.aux.forEach((aux, i) => {
      if (aux.message !== whole.aux[i]?.message) wrong.push(`aux ${aux.message}`);
      if (!partOf(aux.stack ?? [], whole.aux[i]?.stack)) wrong.push(`aux stack ${i}`);
    });
    if (!partOf(error.stack, whole.stack)) wrong.push(JSON.stringify(error.stack));
  }
  return wrong;
}

/** What a cut log says of its process that the whole log does not. */
function wrongProcesses(cut: ParseResult): string[] {
  const [process] = truth.source.processes;
  return cut.source.processes.flatMap((p) => [
    ...(p.pid !== process?.pid ? [`pid ${p.pid}`] : []),
    ...(p.ppid !== undefined && p.ppid !== process?.ppid ? [`ppid ${p.ppid}`] : []),
    ...(p.command !== undefined && p.command !== process?.command ? [p.command] : []),
  ]);
}

describe("a real XML log cut at any byte (campaign v22 F6)", () => {
  it("never keeps a field the cut left part of: sizes, aux lines, kinds, frames, processes", () => {
    const wrong: string[] = [];
    for (let end = 0; end < big.length; end += 1) {
      const cut = cutAt(end);
      const found = [...wrongLeaks(cut), ...wrongErrors(cut), ...wrongProcesses(cut)];
      if (end >= records && end < closed && cut.source.complete) found.push("complete");
      wrong.push(...found.map((what) => `${end}: ${what}`));
    }
    expect(wrong).toEqual([]);
  });

  it("takes a loss record's size from its whole <text> when the cut is in <leakedbytes>", () => {
    // cut2421.xml of the campaign: `<leakedbytes>12` was a 12-byte leak that passed a
    // `--max-bytes definitely-lost=100` gate; the record's own <text> says 12,345 bytes.
    for (const end of ["<leakedbytes>12", "<leakedbytes>12345</leakedbytes>\n    <leakedblocks>"]) {
      const result = cutAt(big.lastIndexOf("<leakedbytes>") + end.length);
      expect(result.leaks.map((l) => [l.kind, l.bytes, l.blocks, l.lossRecord])).toEqual([
        ["still-reachable", 777, 1, { index: 1, of: 2 }],
        ["definitely-lost", 12345, 1, { index: 2, of: 2 }],
      ]);
      expect(result.source.complete).toBe(false);
    }
  });

  it("drops a loss record that the cut left no size of, rather than call it 0 bytes", () => {
    // cut2330.xml: `<text>12` before any <leakedbytes> read `definitely-lost 0 bytes in 0
    // blocks`, a known size of nothing; the record has no stack either (it comes later).
    const result = cutAt(big.lastIndexOf("<text>") + "<text>12".length);
    expect(result.leaks.map((l) => [l.kind, l.bytes])).toEqual([["still-reachable", 777]]);
    expect(result.diagnostics.map((d) => d.message)).toContainEqual(
      expect.stringMatching(/Leak_DefinitelyLost.* before its size was whole: dropped$/),
    );
    expect(codes(result)).toEqual(expect.arrayContaining(["incomplete", "xml-truncated-record"]));
    expect(result.source.complete).toBe(false);
  });

  it("leaves out an aux line cut inside its closing tag, and keeps the error", () => {
    // cut1163.xml: the aux line read `... alloc'd</auxwhat`, part of its end tag included.
    const result = cutAt(big.indexOf("</auxwhat>") + "</auxwhat".length);
    expect(result.errors.map((e) => [e.kind, e.message, e.aux])).toEqual([
      ["InvalidWrite", "Invalid write of size 1", []],
    ]);
    expect(result.errors[0]?.details?.["truncated"]).toBe(true);
  });
});
