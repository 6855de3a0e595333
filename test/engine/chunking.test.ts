import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseChunks } from "../../src/api/parse.js";
import { ROOT, sampleFiles } from "../helpers/golden.js";

/*
 * Every stage keeps its partial state between pushes, so any way of cutting the input into
 * chunks gives the same result. Checked here for every sample of every input format (and, with
 * mutated inputs, by test/hostile/fuzz.test.ts).
 */

/** Cuts bytes at the given sizes, cycling through them (1 = byte by byte). */
function* chunks(bytes: Uint8Array, sizes: readonly number[]): Generator<Uint8Array> {
  let at = 0;
  for (let i = 0; at < bytes.length; i += 1) {
    const size = sizes[i % sizes.length] ?? 1;
    yield bytes.subarray(at, at + size);
    at += size;
  }
}

/** Fixed pseudo-random chunk sizes (1 to 97), so that a failure can be replayed. */
function randomSizes(seed: number): number[] {
  let state = seed;
  return Array.from({ length: 64 }, () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return 1 + (state % 97);
  });
}

const FOLDERS = ["valgrind", "valgrind-xml", "memleax", "memwatch", "sanitizer"];
const SAMPLES = FOLDERS.flatMap((folder) =>
  sampleFiles(folder, [".txt", ".xml", ".log"]).map((name) => `${folder}/${name}`),
);
// Byte-by-byte feeding is slow on the few big samples; they get the other splits.
const SMALL = 64 * 1024;

describe("chunking never changes the result", () => {
  it("covers every input format's samples", () => {
    expect(SAMPLES.length).toBeGreaterThan(100);
  });

  it.each(SAMPLES)("%s", async (sample) => {
    const file = join(ROOT, "samples", sample);
    const bytes = readFileSync(file);
    const whole = parse(bytes, { path: sample });
    const splits = [[7, 3], [4096], randomSizes(42)];
    if (statSync(file).size <= SMALL) splits.push([1]);
    for (const sizes of splits) {
      const pieces = await parseChunks(chunks(bytes, sizes), { path: sample });
      expect(pieces, `chunks of ${sizes.slice(0, 3).join(",")}...`).toEqual(whole);
    }
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
