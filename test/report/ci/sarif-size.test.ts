import { describe, expect, it } from "vitest";
import { jsonText } from "../../../src/report/describe.js";
import { REPORTERS } from "../../../src/report/index.js";
import { boundCodeFlows } from "../../../src/report/sarif/flow-budget.js";
import { sarifLog } from "../../../src/report/sarif/index.js";
import type { SarifResult } from "../../../src/report/sarif/results.js";
import { CONTEXT, GOLDEN_SAMPLES, reportOf } from "./helpers.js";

type Run = { results: SarifResult[]; invocations: { toolExecutionNotifications?: unknown[] }[] };

const runOf = (log: Record<string, unknown>) => (log["runs"] as Run[])[0] as Run;
const textOf = (results: readonly SarifResult[]) =>
  results.reduce((sum, r) => sum + jsonText(r).length + 1, 0);
const framesOf = (results: readonly SarifResult[]) =>
  results.flatMap((r) => (r.codeFlows ?? []).map((flow) => flow.threadFlows[0]?.locations ?? []));

// Campaign cf F5: 25,000 leaks 24 frames deep made 540 MB of pretty-printed SARIF, past the
// one string GitHub's upload-sarif reads a file into (536,870,888 characters): nothing was
// uploaded. Compact, they are 163 MB.
describe("SARIF's size", () => {
  it("is written compact, a batch of results at a time", async () => {
    const report = await reportOf(...GOLDEN_SAMPLES);
    const pieces = [...(REPORTERS.sarif.renderPieces?.(report, CONTEXT) ?? [])];
    const text = pieces.join("");
    expect(text).toBe(`${JSON.stringify(JSON.parse(text))}\n`);
    expect(text).toBe(REPORTERS.sarif.render(report, CONTEXT));
    expect(pieces.length).toBeGreaterThan(4);
  });

  it("cuts every code flow to the innermost frames that fit, and says so", async () => {
    const report = await reportOf("valgrind/deep_stack_40.txt", "valgrind/use_after_free.txt");
    const whole = runOf(sarifLog(report, CONTEXT)).results;
    const budget = textOf(whole) - 5_000;
    const run = runOf(sarifLog(report, CONTEXT, budget));
    expect(textOf(run.results)).toBeLessThanOrEqual(budget);
    const before = framesOf(whole);
    const after = framesOf(run.results);
    const kept = Math.max(...after.map((steps) => steps.length));
    expect(kept).toBeLessThan(40);
    expect(kept).toBeGreaterThan(3);
    before.forEach((steps, i) => {
      const cut = after[i] ?? [];
      expect(cut).toHaveLength(Math.min(steps.length, kept));
      // The innermost frames stay, renumbered from the outermost one kept.
      expect(cut.map((s) => s.location)).toEqual(steps.slice(-cut.length).map((s) => s.location));
      expect(cut.map((s) => s.nestingLevel)).toEqual(cut.map((_s, depth) => depth));
    });
    const messages = run.results.flatMap((r) => (r.codeFlows ?? []).map((f) => f.message.text));
    expect(messages).toContain(`Allocated at (the innermost ${kept} of 40 frames)`);
    expect(messages).toContain("Invalid read of size 4");
    expect(JSON.stringify(run.invocations[0]?.toolExecutionNotifications)).toContain(
      `3 code flows were cut to their innermost ${kept} frames`,
    );
    expect(runOf(sarifLog(report, CONTEXT)).invocations[0]).toEqual({ executionSuccessful: true });
  });

  it("keeps the code flows whole within the budget, and one frame at least", async () => {
    const report = await reportOf("valgrind/deep_stack_40.txt");
    const { results } = runOf(sarifLog(report, CONTEXT));
    expect(boundCodeFlows(results, textOf(results))).toEqual({ results });
    const { results: least, cut } = boundCodeFlows(results, 1);
    expect(cut).toEqual({ frames: 1, flows: 4 });
    for (const steps of framesOf(least)) expect(steps).toHaveLength(1);
  });
});
