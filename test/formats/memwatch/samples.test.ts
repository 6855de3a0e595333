import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, type ParseResult } from "../../../src/api/parse.js";
import { expectGolden, parseSample, ROOT, sampleFiles } from "../../helpers/golden.js";

const FOLDER = "memwatch";
const FIVE = ["DoubleFree", "WildFree", "NullFree", "Overflow", "Underflow"] as const;
/** Error kinds MEMWATCH does not add to its anomaly count (memwatch.md 5.1, 5.4). */
const UNCOUNTED = new Set(["NullFree", "GrabbedMemoryHit"]);

interface SessionTruth {
  unfreed: number;
  bytes: number;
  anomalies?: number;
  statsUnfreed?: number;
  [kind: string]: number | undefined;
}
interface FileTruth {
  complete: boolean;
  sessions: SessionTruth[];
}

const truth = JSON.parse(
  readFileSync(join(ROOT, "test", "fixtures", FOLDER, "truth.json"), "utf8"),
) as Record<string, FileTruth>;

/** What the parse says about one session (pid = session ordinal). */
function sessionView(result: ParseResult, pid: number): SessionTruth {
  const leaks = result.leaks.filter((l) => l.pid === pid);
  // The truth counts MEMWATCH's event lines: an unfreed block's [overflowed] is on its leak's line.
  const errors = result.errors.filter((e) => e.pid === pid && e.details?.["unfreed"] !== true);
  const view: SessionTruth = {
    unfreed: leaks.length,
    bytes: leaks.reduce((sum, l) => sum + l.bytes, 0),
  };
  for (const kind of FIVE) view[kind] = errors.filter((e) => e.kind === kind).length;
  view.anomalies = leaks.length + errors.filter((e) => !UNCOUNTED.has(e.kind)).length;
  const summary = result.summaries.find((s) => s.pid === pid);
  const stats = summary?.leak?.["definitely-lost"]?.bytes;
  if (stats !== undefined) view.statsUnfreed = stats;
  return view;
}

function expected(session: SessionTruth): SessionTruth {
  const out: SessionTruth = { ...session };
  for (const kind of FIVE) out[kind] = session[kind] ?? 0;
  if (session.anomalies === undefined) delete out.anomalies;
  return out;
}

const names = sampleFiles(FOLDER, [".log"]);

describe("memwatch samples", () => {
  it("has a truth entry for every sample", () => {
    expect(names.length).toBeGreaterThanOrEqual(18);
    for (const name of names) expect(truth[name], name).toBeDefined();
  });

  for (const name of names) {
    it(`${name}: matches its golden file`, async () => {
      expectGolden(FOLDER, name, await parseSample(FOLDER, name));
    });

    it(`${name}: agrees with the ground truth, session by session`, () => {
      const file = truth[name] as FileTruth;
      const text = readFileSync(join(ROOT, "samples", FOLDER, name));
      const result = parse(text, { inputFormat: "memwatch" });
      expect(result.source.complete).toBe(file.complete);
      expect(result.source.processes.map((p) => p.pid)).toEqual(file.sessions.map((_, i) => i + 1));
      file.sessions.forEach((session, i) => {
        const view = sessionView(result, i + 1);
        if (session.anomalies === undefined) delete view.anomalies;
        if (session.statsUnfreed === undefined) delete view.statsUnfreed;
        expect(view, `${name} session ${i + 1}`).toEqual(expected(session));
      });
    });
  }
});

describe("memwatch unfreed blocks with damaged guards", () => {
  it("are an Overflow or Underflow as well as a leak, not counted again", async () => {
    // Kept in the leak's details alone, `--fail-on Overflow` passed a block written past its
    // end and never freed.
    const result = await parseSample(FOLDER, "overflow_underflow.log");
    const flagged = result.errors.filter((e) => e.details?.["unfreed"] === true);
    expect(flagged.map((e) => [e.kind, e.stack[0]?.line])).toEqual([
      ["Overflow", 11],
      ["Underflow", 11],
      ["Underflow", 10],
      ["Overflow", 9],
    ]);
    expect(flagged[3]?.message).toBe(
      "unfreed: <4> overflow_underflow.c(9), 24 bytes at 0x55e175b0e820 [overflowed]",
    );
    expect(result.diagnostics.filter((d) => d.severity !== "info")).toEqual([]);
  });
});
