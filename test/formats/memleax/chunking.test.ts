import { describe, expect, it } from "vitest";
import { parse, parseChunks } from "../../../src/api/parse.js";
import { sampleFiles } from "../../helpers/golden.js";
import { sampleText } from "./helpers.js";

/** Cuts bytes at the given sizes, cycling through them (1 = byte by byte). */
function* chunks(bytes: Uint8Array, sizes: readonly number[]): Generator<Uint8Array> {
  let at = 0;
  for (let i = 0; at < bytes.length; i += 1) {
    const size = sizes[i % sizes.length] ?? 1;
    yield bytes.subarray(at, at + size);
    at += size;
  }
}

/** A fixed pseudo-random list of chunk sizes, so failures can be replayed. */
function randomSizes(seed: number, count: number): number[] {
  let state = seed;
  return Array.from({ length: count }, () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return 1 + (state % 97);
  });
}

describe("memleax chunking", () => {
  const splits: readonly (readonly number[])[] = [[1], [2, 3], [17], [4096], randomSizes(7, 50)];
  for (const name of sampleFiles("memleax", [".log"])) {
    it(`gives the same result for any chunk split of ${name}`, async () => {
      const bytes = Buffer.from(sampleText(name), "utf8");
      const whole = parse(bytes, { path: name });
      for (const sizes of splits) {
        expect(await parseChunks(chunks(bytes, sizes), { path: name })).toEqual(whole);
      }
    });
  }
});
