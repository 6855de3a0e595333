import { describe, expect, it } from "vitest";
import { BlockCaps, MAX_BLOCK_LINES } from "../../src/formats/block-caps.js";
import type { ParseSink } from "../../src/formats/types.js";

/** A sink that keeps only what the caps say: their incomplete warnings. */
function capsWithSink(): { caps: BlockCaps; said: string[] } {
  const said: string[] = [];
  const sink = { incomplete: (reason: string) => said.push(reason) } as unknown as ParseSink;
  const caps = new BlockCaps(sink, {
    stack: "note",
    block: (limit) => `a report of more than ${limit} lines`,
  });
  return { caps, said };
}

describe("a block past its cap", () => {
  it("names the cap it passed: a record's, or a whole report's (campaign bm F4)", () => {
    const record = capsWithSink();
    expect(record.caps.lineFits(MAX_BLOCK_LINES, 9, 7)).toBe(false);
    expect(record.said).toEqual(["PID 7: a report of more than 16,384 lines"]);
    const report = capsWithSink();
    expect(report.caps.lineFits(MAX_BLOCK_LINES, 9, 7, 1 << 20)).toBe(true);
    expect(report.caps.lineFits(1 << 20, 9, 7, 1 << 20)).toBe(false);
    expect(report.said).toEqual(["PID 7: a report of more than 1,048,576 lines"]);
  });
});
