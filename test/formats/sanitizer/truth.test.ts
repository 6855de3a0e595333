import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { leakTotals, readManifestChecks } from "../../../scripts/corpus/sanitizer.js";
import { parseSample, ROOT, sampleFiles } from "../../helpers/golden.js";

interface ErrorTruth {
  kind: string;
  access?: string;
  size?: number;
  thread?: number;
  stacks: number;
}
interface CaseTruth {
  tool?: string;
  leaks?: Record<string, [string, number, number][]>;
  errors?: ErrorTruth[];
  suppressed?: { bytes: number; blocks: number };
  omitted?: number;
  programLines?: number;
  incomplete?: boolean;
  /** Frames of the first record's stack. */
  frames?: number;
}

const FIXTURES = join(ROOT, "test", "fixtures", "sanitizer");
const truth = JSON.parse(readFileSync(join(FIXTURES, "truth.json"), "utf8")) as Record<
  string,
  CaseTruth
>;
const manifest = readManifestChecks(readFileSync(join(FIXTURES, "MANIFEST.md"), "utf8"));

describe("sanitizer samples agree with their ground truth", () => {
  for (const file of sampleFiles("sanitizer", [".log"])) {
    const name = file.replace(/\.log$/, "");
    const t = truth[name];
    it(`${name}: records, stacks and totals`, async () => {
      expect(t, `truth.json has no entry for ${name}`).toBeDefined();
      const r = await parseSample("sanitizer", file);
      expect(r.source.format).toBe("sanitizer");
      expect(r.source.counters.unrecognizedLines).toBe(0);
      expect(r.diagnostics.filter((d) => d.code === "sanitizer-syntax")).toEqual([]);
      expect(r.source.complete).toBe(!(t?.incomplete === true || t?.omitted !== undefined));
      const leaks = Object.fromEntries(
        [...new Set(r.leaks.map((l) => String(l.pid)))].map((pid) => [
          pid,
          r.leaks
            .filter((l) => String(l.pid) === pid)
            .map((l) => [l.toolKind.split(" ")[0], l.bytes, l.blocks]),
        ]),
      );
      expect(leaks).toEqual(t?.leaks ?? {});
      for (const leak of r.leaks) expect(leak.tool).toBe(t?.tool);
      const errors = r.errors.map((e) => ({
        kind: e.kind,
        ...(e.details?.["access"] !== undefined ? { access: e.details["access"] } : {}),
        ...(e.details?.["accessSize"] !== undefined ? { size: e.details["accessSize"] } : {}),
        ...(e.thread !== undefined ? { thread: e.thread } : {}),
        stacks: 1 + e.aux.filter((a) => a.stack !== undefined && a.stack.length > 0).length,
      }));
      expect(errors).toEqual(t?.errors ?? []);
      if (t?.programLines !== undefined)
        expect(r.source.counters.programLines).toBe(t.programLines);
    });

    it(`${name}: Direct + Indirect records add up to each SUMMARY and to MANIFEST.md`, async () => {
      const r = await parseSample("sanitizer", file);
      // Leak summaries only: ThreadSanitizer's count of its warnings is checked by its parser.
      for (const summary of r.summaries.filter((s) => s.leak !== undefined)) {
        const pid = summary.pid ?? 0;
        const totals = leakTotals(r, pid);
        const listed = {
          bytes: totals.direct.bytes + totals.indirect.bytes,
          blocks: totals.direct.blocks + totals.indirect.blocks,
        };
        const omitted = r.diagnostics.find((d) => d.code === "leaks-omitted" && d.pid === pid);
        if (t?.omitted === undefined) {
          expect(listed).toEqual(totals.summary);
          expect(omitted).toBeUndefined();
        } else {
          expect(listed).not.toEqual(totals.summary);
          expect(omitted?.severity).toBe("info");
          expect(omitted?.message).toContain(`omitted ${t.omitted} leak record(s)`);
        }
        const expected = manifest.get(name)?.find((m) => m.pid === pid);
        if (expected !== undefined) {
          expect(totals.direct).toEqual(expected.direct);
          expect(totals.indirect).toEqual(expected.indirect);
          expect(totals.summary).toEqual(expected.summary);
        }
      }
      expect(r.diagnostics.filter((d) => d.code === "summary-mismatch")).toEqual([]);
      if (t?.suppressed !== undefined)
        expect(r.summaries[0]?.leak?.suppressed).toEqual(t.suppressed);
    });
  }

  it("covers every MANIFEST.md case", () => {
    const samples = sampleFiles("sanitizer", [".log"]);
    for (const name of manifest.keys()) expect(samples).toContain(`${name}.log`);
  });
});
