import { describe, expect, it } from "vitest";
import { parseSample, sampleFiles } from "../../helpers/golden.js";
import { siteOf, TRUTH } from "./helpers.js";

describe("memleax samples against their ground truth", () => {
  it("has a truth entry for every sample", () => {
    const names = sampleFiles("memleax", [".log"]).map((n) => n.replace(/\.log$/, ""));
    expect(names.sort()).toEqual(
      Object.keys(TRUTH)
        .filter((k) => !k.startsWith("$"))
        .sort(),
    );
  });

  for (const name of sampleFiles("memleax", [".log"])) {
    const truth = TRUTH[name.replace(/\.log$/, "")];
    if (truth === undefined) continue;
    it(name, async () => {
      const result = await parseSample("memleax", name);
      if (truth.checkedNothing === true)
        expect(result.fatal?.message).toMatch(/nothing was checked/);
      else expect(result.fatal).toBeUndefined();
      expect(result.source.format).toBe("memleax");
      expect(result.source.complete).toBe(truth.complete);
      expect(
        result.leaks.map((l) => ({
          callStack: l.details?.["callStack"],
          blocks: l.blocks,
          bytes: l.bytes,
        })),
      ).toEqual(truth.leaks.map(({ callStack, blocks, bytes }) => ({ callStack, blocks, bytes })));
      truth.leaks.forEach((t, i) => {
        const leak = result.leaks[i];
        expect(leak).toMatchObject({ tool: "memleax", kind: "possibly-lost", toolKind: "expired" });
        if (t.site !== undefined) expect(siteOf(leak?.stack ?? [])).toBe(t.site);
        if (t.frames !== undefined) expect(leak?.stack).toHaveLength(t.frames);
        if (t.expired !== undefined) expect(leak?.details?.["expiredBlocks"]).toBe(t.expired);
        if (t.freeExpired !== undefined) {
          expect(leak?.details?.["freeExpiredBlocks"]).toBe(t.freeExpired);
        }
      });
      const summaries = result.summaries.map((s) => s.leak?.["possibly-lost"]);
      expect(summaries).toEqual(truth.summary !== undefined ? [truth.summary] : []);
      // memleax's own error lines; an unusable input's reason (no line) repeats the first.
      const errors = result.diagnostics.filter(
        (d) => d.code === "memleax-error" && d.line !== undefined,
      );
      expect(errors).toHaveLength(truth.toolErrors ?? 0);
      const warnings = result.diagnostics.filter((d) => d.code === "memleax-warning");
      expect(warnings).toHaveLength(truth.toolWarnings ?? 0);
      expect(result.source.counters.unrecognizedLines).toBe(0);
      if (truth.toolVersion !== undefined)
        expect(result.source.toolVersion).toBe(truth.toolVersion);
      const nulls = truth.nullAllocs;
      expect(result.errors).toHaveLength(nulls?.records ?? 0);
      if (nulls !== undefined) {
        expect(result.errors[0]).toMatchObject({ kind: "AllocReturnsNull", count: nulls.count });
        expect(siteOf(result.errors[0]?.stack ?? [])).toBe(nulls.site);
      }
    });
  }
});
