import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readStreamLine } from "../../../grammars/memleax/stream-bytes.js";
import { classifyLine, groupsOf } from "../../../grammars/memleax/tokens.js";
import { MemleaxLineParser } from "../../../src/formats/memleax/parser.js";
import type { FindingDraft } from "../../../src/formats/types.js";
import { quietSink } from "../../helpers/sink.js";

/*
 * memleax's `times again` and `frees after` lines are read from their bytes (readStreamLine),
 * each reader standing for its pattern in tokens.ts: what it takes, classifyLine reads alike;
 * what classifyLine reads as one of them, with numbers of up to 15 digits, it takes.
 */

function read(text: string) {
  // Inside a chunk, as the engine hands a line over: the bytes around it are not its own.
  const bytes = Buffer.from(`x\n${text}\n1 times again`, "latin1");
  return readStreamLine(bytes, 2, 2 + text.length);
}

/** What classifyLine makes of the line, in readStreamLine's terms when it is one of the two. */
function asText(text: string) {
  const token = classifyLine(text, 1);
  const type = token.tokenType.name;
  if (type !== "ExpireAgain" && type !== "FreedAfter") return { type };
  const groups = groupsOf(token);
  if (groups.some((g) => g.replace("-", "").length > 15)) return { type, long: true };
  const [id, size, count] = groups.map(Number);
  return { type, id, size, count: type === "ExpireAgain" ? count : 0 };
}

function asBytes(text: string) {
  const line = read(text);
  return line === undefined ? undefined : { ...line, type: line.type.name };
}

describe("readStreamLine", () => {
  it.each([
    ["CallStack[1]: memory expires with 32 bytes, 22 times again", "ExpireAgain", 1, 32, 22],
    ["CallStack[7]: memory expires with -5 bytes, 3 times again", "ExpireAgain", 7, -5, 3],
    ["CallStack[12]: expired-memory frees after 3 seconds", "FreedAfter", 12, 3, 0],
    ["CallStack[12]: expired-memory frees after 1 second", "FreedAfter", 12, 1, 0],
  ])("reads %s", (text, type, id, size, count) => {
    expect(asBytes(text)).toEqual({ type, id, size, count });
    expect(asText(text)).toEqual({ type, id, size, count });
  });

  it.each([
    "CallStack[1]: memory expires with 32 bytes, backtrace:",
    "CallStack[1]: memory expires with 32 bytes, 22 times again ",
    "CallStack[1]: memory expires with 32 bytes, times again",
    "CallStack[]: expired-memory frees after 3 seconds",
    "CallStack[1]: expired-memory frees after 3 secondss",
    "CallStack[1]: expired-memory frees after -3 seconds",
    "CallStack[1]: may-leak=7 (1400 bytes)",
    "CallStack[1234567890123456]: expired-memory frees after 3 seconds",
    "^CCallStack[1]: expired-memory frees after 3 seconds",
  ])("leaves %s to classifyLine", (text) => {
    expect(read(text)).toBeUndefined();
  });

  it("takes what classifyLine reads alike, and nothing else", () => {
    // Lines near the two shapes: their pieces, each maybe damaged, in any order.
    const piece = fc.constantFrom(
      "CallStack[",
      "]: memory expires with ",
      " bytes, ",
      " times again",
      "]: expired-memory frees after ",
      " second",
      " seconds",
      "s",
      "-",
      "0",
      "1234567890123456",
      "42",
      "-0",
      " ",
      "x",
    );
    const shaped = fc
      .tuple(fc.nat({ max: 10 ** 16 }), fc.integer(), fc.nat(), fc.boolean())
      .map(([id, size, count, again]) =>
        again
          ? `CallStack[${id}]: memory expires with ${size} bytes, ${count} times again`
          : `CallStack[${id}]: expired-memory frees after ${count} second${size % 2 ? "s" : ""}`,
      );
    const line = fc.oneof(
      shaped,
      fc.array(piece, { maxLength: 8 }).map((p) => p.join("")),
    );
    fc.assert(
      fc.property(line, (text) => {
        const bytes = asBytes(text);
        const known = asText(text);
        if (bytes !== undefined) expect(known).toEqual(bytes);
        else expect("id" in known).toBe(false);
      }),
      { seed: 20_261_207, numRuns: Number(process.env["LEAKLOG_FUZZ_RUNS"] ?? 2000) },
    );
  });
});

describe("memleax's byte path", () => {
  const bytesOf = (text: string) => {
    const buf = Buffer.from(`${text}\n`, "latin1");
    return [buf, 0, text.length] as const;
  };

  it("takes the stream lines between records, and counts them as the text path", () => {
    const leaks: FindingDraft[] = [];
    const parser = new MemleaxLineParser(quietSink({ finding: (d) => leaks.push(d) }));
    parser.line("== Begin monitoring process 31337...", 1);
    parser.line("CallStack[1]: memory expires with 64 bytes, backtrace:", 2);
    parser.line(
      "    0x00007ffb54315930  libc.so  __libc_malloc()+0  ../rt/lio_listio-common.c:266",
      3,
    );
    // The line after a backtrace ends its block: the text path reads it.
    const again = (n: number) => `CallStack[1]: memory expires with 64 bytes, ${n} times again`;
    expect(parser.asciiLine(...bytesOf(again(2)), 4)).toBe(0);
    parser.line(again(2), 4);
    expect(parser.asciiLine(...bytesOf(again(3)), 5)).toBe(1);
    const frees = "CallStack[1]: expired-memory frees after 3 seconds";
    expect(parser.asciiLine(...bytesOf(frees), 6)).toBe(1);
    parser.end();
    // No report: the leak is derived from the stream, 3 expired less 1 freed.
    expect(leaks).toMatchObject([
      { blocks: 2, details: { expiredBlocks: 3, expiryLines: 3, freesAfterExpiryLines: 1 } },
    ]);
  });
});
