import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseChunks, type ParseResult } from "../../../src/api/parse.js";
import { ROOT } from "../../helpers/golden.js";
import { sampleText } from "./helpers.js";

// Logs cut inside memleax's final report (campaign bg F2, test/fixtures/memleax-cut-report).
const fixture = (name: string): string =>
  readFileSync(join(ROOT, "test", "fixtures", "memleax-cut-report", name), "utf8");
const asMemleax = (text: string): ParseResult => parse(text, { inputFormat: "memleax" });
const incomplete = (r: ParseResult): string[] =>
  r.diagnostics.filter((d) => d.code === "incomplete").map((d) => d.message);
const callStacks = (r: ParseResult): unknown[] => r.leaks.map((l) => l.details?.["callStack"]);

describe("memleax: a log cut inside its final report", () => {
  it("is incomplete when cut mid-line, and keeps the stack the report had not reached", () => {
    const result = asMemleax(fixture("report-cut.log"));
    expect(result.source.complete).toBe(false);
    expect(incomplete(result)).toEqual([
      "memleax's final report is cut short (line 28 ends mid-line); 1 call stack(s) missing from it are derived from the event stream",
    ]);
    // CallStack[1] (hold_buffer) went quiet after "too many expired-free": only the event
    // stream knows it, and it still leaks (256 bytes in 2 blocks in the whole log).
    expect(callStacks(result).sort()).toEqual([1, 2]);
    const quiet = result.leaks.find((l) => l.details?.["callStack"] === 1);
    expect(quiet?.details?.["source"]).toBe("stream");
    expect(quiet?.stack[1]?.function).toBe("hold_buffer");
    // The blocks the cut report reached add up to no total memleax printed.
    expect(result.summaries).toEqual([]);
    expect(result.diagnostics.map((d) => d.code)).not.toContain("summary-mismatch");
  });

  it("is incomplete when cut inside the last block's frames", () => {
    const result = asMemleax(fixture("last-frame-cut.log"));
    expect(result.source.complete).toBe(false);
    expect(incomplete(result)).toEqual([
      "memleax's final report is cut short (line 78 ends mid-line)",
    ]);
    expect(callStacks(result).sort()).toEqual([1, 2, 3]);
  });

  it("is incomplete when cut after a block's frame line, before its empty line", () => {
    const whole = sampleText("02-multi-stacks-malloc-calloc-realloc.log");
    expect(whole.endsWith("\n\n")).toBe(true);
    const result = asMemleax(whole.slice(0, -1));
    expect(result.source.complete).toBe(false);
    expect(incomplete(result)).toEqual(["memleax's final report is cut short"]);
    expect(asMemleax(whole).source.complete).toBe(true);
  });

  it("is incomplete when cut inside the header of a block after an empty line", () => {
    const whole = sampleText("03-expire-then-free.log");
    const cut = whole.slice(0, whole.lastIndexOf("CallStack[1]: may-leak") + "CallStack[".length);
    const result = asMemleax(cut);
    expect(result.source.complete).toBe(false);
    expect(result.diagnostics.map((d) => d.code)).not.toContain("unrecognized-line");
    expect(callStacks(result).sort()).toEqual([1, 2]);
  });

  it("reads a cut report the same in any chunks", async () => {
    const bytes = Buffer.from(fixture("report-cut.log"));
    const pieces = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) =>
      bytes.subarray(i * 7, i * 7 + 7),
    );
    const options = { inputFormat: "memleax", path: "cut.log" } as const;
    const chunked = await parseChunks(pieces, options);
    expect(chunked).toEqual(parse(bytes.toString("utf8"), options));
    expect(chunked.source.complete).toBe(false);
  });
});
