import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseChunks } from "../../src/api/parse.js";
import { ROOT } from "../helpers/golden.js";

/** Deterministic pseudo-random chunk sizes, so a failure can be reproduced. */
function* chunks(bytes: Uint8Array, seed: number): Generator<Uint8Array> {
  let state = seed;
  let offset = 0;
  while (offset < bytes.length) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const size = 1 + (state % 97);
    yield bytes.subarray(offset, offset + size);
    offset += size;
  }
}

const CASES = [
  "valgrind/leak_indirect.txt",
  "valgrind/gensupp_all.txt",
  "valgrind/fork_single.txt",
  "valgrind/mixed_output.txt",
];

describe("chunking never changes the result", () => {
  it.each(CASES)("%s", async (sample) => {
    const bytes = readFileSync(join(ROOT, "samples", sample));
    const whole = parse(bytes, { path: sample });
    for (const seed of [1, 7, 42]) {
      const pieces = await parseChunks(chunks(bytes, seed), { path: sample });
      expect(pieces).toEqual(whole);
    }
    const byteByByte = await parseChunks(
      [...bytes].map((b) => Uint8Array.of(b)),
      { path: sample },
    );
    expect(byteByByte).toEqual(whole);
  });

  it("decodes a multi-byte character split across chunks", async () => {
    const text =
      "==1== Memcheck, a memory error detector\n==1== Command: ./prog こんにちは\n==1== \n";
    const bytes = new TextEncoder().encode(text);
    const split = bytes.indexOf(0xe3) + 1;
    const result = await parseChunks([bytes.subarray(0, split), bytes.subarray(split)]);
    expect(result.source.processes[0]?.command).toBe("./prog こんにちは");
  });
});
