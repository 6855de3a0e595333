import { describe, expect, it } from "vitest";
import { parse, type ParseResult } from "../../../src/api/parse.js";
import { sampleText } from "./helpers.js";

// A real memleax stream (sample 02's first 30 lines: memleax still running, so the stream's
// backtraces are all there is) with a line of the target's output written into a backtrace,
// as when the target and memleax share a terminal or a CI log (campaign bg F7).
const LOG = `${sampleText("02-multi-stacks-malloc-calloc-realloc.log").split("\n").slice(0, 30).join("\n")}\n`;
const PROGRAM_LINE = "[server] handled request 3 in 3 ms";
const read = (text: string): ParseResult => parse(text, { inputFormat: "memleax" });
const stacks = (r: ParseResult) =>
  r.leaks.map((l) => [l.details?.["callStack"], l.stack.map((f) => f.function)]);

/** The log with `line` inserted after its line `after` (1-based). */
function withLine(after: number, line: string): string {
  const lines = LOG.split("\n");
  lines.splice(after, 0, line);
  return lines.join("\n");
}

describe("memleax: a line of the target's output inside a backtrace", () => {
  const frame = LOG.split("\n").findIndex((l) => l.includes("leak_malloc()")) + 1;

  it("does not end the backtrace: the frames after it are the stack's", () => {
    const result = read(withLine(frame, PROGRAM_LINE));
    expect(stacks(result)).toEqual(stacks(read(LOG)));
    expect(result.diagnostics.filter((d) => d.code === "unrecognized-line")).toEqual([
      expect.objectContaining({ line: frame + 1, message: expect.stringContaining("[server]") }),
    ]);
  });

  it("ends it when no frame follows, and at the log's end", () => {
    const twice = read(withLine(frame, `${PROGRAM_LINE}\n${PROGRAM_LINE}`));
    const cut = twice.leaks.find((l) => l.details?.["callStack"] === 1);
    expect(cut?.stack.map((f) => f.function)).not.toContain("main");
    const head = LOG.split("\n").slice(0, frame).join("\n");
    const last = read(`${head}\n${PROGRAM_LINE}\n`);
    expect(last.diagnostics.map((d) => d.line)).toContain(frame + 1);
  });
});
