import { describe, expect, it } from "vitest";
import { crossCheckLeaks } from "../../src/analysis/cross-check.js";
import type { LeakKind, LeakRecord, ToolSummary } from "../../src/model/index.js";
import { leakRecord } from "../helpers/records.js";

function leak(
  kind: LeakKind,
  bytes: number,
  blocks: number,
  where: { path?: string; pid?: number; leakCheck?: number; added?: boolean } = {},
): LeakRecord {
  return leakRecord(
    {
      kind,
      bytes,
      blocks,
      ...(where.pid !== undefined ? { pid: where.pid } : {}),
      ...(where.leakCheck !== undefined ? { leakCheck: where.leakCheck } : {}),
      ...(where.added === true ? { details: { addedLeakCheck: true } } : {}),
    },
    where.path,
  );
}

function summary(
  leak: ToolSummary["leak"],
  where: { path?: string; pid?: number; leakCheck?: number } = {},
): ToolSummary {
  return { path: where.path ?? "a.log", ...where, line: 99, leak };
}

describe("crossCheckLeaks", () => {
  it("is silent when the records add up per source, process and leak check", () => {
    const leaks = [
      leak("definitely-lost", 10, 1, { pid: 7 }),
      leak("definitely-lost", 5, 2, { pid: 7 }),
      leak("definitely-lost", 3, 1, { pid: 8 }),
      leak("definitely-lost", 1, 1, { pid: 7, leakCheck: 2 }),
      leak("definitely-lost", 4, 4, { path: "b.log", pid: 7 }),
    ];
    const summaries = [
      summary({ "definitely-lost": { bytes: 15, blocks: 3 } }, { pid: 7 }),
      summary({ "definitely-lost": { bytes: 3, blocks: 1 } }, { pid: 8 }),
      summary({ "definitely-lost": { bytes: 1, blocks: 1 } }, { pid: 7, leakCheck: 2 }),
      summary({ "definitely-lost": { bytes: 4, blocks: 4 } }, { path: "b.log", pid: 7 }),
    ];
    expect(crossCheckLeaks(leaks, summaries)).toEqual([]);
  });

  it("names the kind, the process and both amounts when they disagree", () => {
    const leaks = [leak("possibly-lost", 10, 1, { pid: 7 }), leak("still-reachable", 1, 1)];
    const summaries = [
      summary({ "possibly-lost": { bytes: 12, blocks: 1 } }, { pid: 7 }),
      summary({ "still-reachable": { bytes: 2, blocks: 1 } }),
    ];
    const found = crossCheckLeaks(leaks, summaries);
    expect(found.map((d) => [d.code, d.severity, d.pid])).toEqual([
      ["summary-mismatch", "warning", 7],
      ["summary-mismatch", "warning", undefined],
    ]);
    expect(found[0]?.message).toContain(
      "possibly-lost for PID 7: records add up to 10 bytes in 1 blocks, the tool's summary says 12 bytes in 1 blocks",
    );
  });

  it("compares only the kinds that were listed as records", () => {
    const leaks = [leak("definitely-lost", 10, 1, { pid: 7 })];
    const summaries = [
      summary(
        {
          "definitely-lost": { bytes: 10, blocks: 1 },
          "still-reachable": { bytes: 500, blocks: 9 },
        },
        { pid: 7 },
      ),
    ];
    expect(crossCheckLeaks(leaks, summaries)).toEqual([]);
  });

  it("only informs when the leak check printed increases alone", () => {
    const leaks = [leak("definitely-lost", 10, 1, { pid: 7, added: true })];
    const summaries = [summary({ "definitely-lost": { bytes: 30, blocks: 3 } }, { pid: 7 })];
    expect(crossCheckLeaks(leaks, summaries).map((d) => d.severity)).toEqual(["info"]);
  });

  it("keeps thousands of processes apart, huge PIDs and ordinals included", () => {
    const pids = [...Array.from({ length: 3000 }, (_, i) => 1000 + i), 2 ** 31 + 5, 2 ** 40];
    const leaks = pids.flatMap((pid) => [
      leak("definitely-lost", pid % 97, 1, { pid }),
      leak("definitely-lost", 1, 1, { pid, leakCheck: 2 ** 21 + 1 }),
    ]);
    const summaries = pids.flatMap((pid) => [
      summary({ "definitely-lost": { bytes: pid % 97, blocks: 1 } }, { pid }),
      summary({ "definitely-lost": { bytes: 1, blocks: 1 } }, { pid, leakCheck: 2 ** 21 + 1 }),
    ]);
    expect(crossCheckLeaks(leaks, summaries)).toEqual([]);
    // One process off by one byte is found, and only that one.
    const off = summaries.map((s) =>
      s.pid === 2 ** 31 + 5 && s.leakCheck === undefined
        ? { ...s, leak: { "definitely-lost": { bytes: 1 + ((2 ** 31 + 5) % 97), blocks: 1 } } }
        : s,
    );
    expect(crossCheckLeaks(leaks, off).map((d) => d.pid)).toEqual([2 ** 31 + 5]);
  });
});
