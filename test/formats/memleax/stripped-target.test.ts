import { describe, expect, it } from "vitest";
import { strictlyOwnFrames } from "../../../src/analysis/own-frames.js";
import { summarize } from "../../../src/api/summarize.js";
import { parseSample } from "../../helpers/golden.js";

// Campaign bg: a stripped program's stack is `malloc < exits < exits < libc.so ?()
// get-rounding-mode.h:118 < __libc_start_main < exits` (its unnamed `_start`).
describe("memleax: a stripped target's leak", () => {
  it("is placed in the program, not in glibc's start-up code", async () => {
    const report = summarize([await parseSample("memleax", "06-stripped-target-exits.log")]);
    const stack = report.groups[0]?.stack ?? [];
    expect(stack.some((f) => f.file?.includes("get-rounding-mode"))).toBe(true);
    expect(strictlyOwnFrames(stack)).toEqual([]);
    // Told apart by the program's object alone, as Valgrind's stripped frames are.
    expect(report.diagnostics.map((d) => d.code)).toContain("unnamed-frames");
  });
});
