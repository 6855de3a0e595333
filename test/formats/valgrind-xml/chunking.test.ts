import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseChunks } from "../../../src/api/parse.js";
import { ROOT } from "../../helpers/golden.js";
import { sampleText } from "./helpers.js";

/** Cuts bytes at the given sizes, cycling through them. */
function* chunks(bytes: Uint8Array, sizes: readonly number[]): Generator<Uint8Array> {
  let at = 0;
  for (let i = 0; at < bytes.length; i += 1) {
    const size = sizes[i % sizes.length] ?? 1;
    yield bytes.subarray(at, at + size);
    at += size;
  }
}

/** Fixed pseudo-random chunk sizes, so that a failure can be replayed. */
function sizes(seed: number): number[] {
  let x = seed;
  return Array.from({ length: 64 }, () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return 1 + (x % 97);
  });
}

const CASES: [string, string][] = [
  ["gensupp_all.xml", sampleText("gensupp_all.xml")],
  ["client_requests.xml", sampleText("client_requests.xml")],
  ["use_after_free.xml", sampleText("use_after_free.xml")],
  [
    "protocol6",
    readFileSync(join(ROOT, "test/fixtures/valgrind-xml/damage/protocol6-3.26.0.xml"), "utf8"),
  ],
];

describe("valgrind-xml: any chunking gives the same result", () => {
  for (const [name, text] of CASES) {
    it(name, async () => {
      const whole = parse(text, { path: name });
      const bytes = new TextEncoder().encode(text);
      for (const pattern of [[1], [7, 3], sizes(42)]) {
        const pieces = await parseChunks(chunks(bytes, pattern), { path: name });
        expect(pieces).toEqual(whole);
      }
    });
  }
});
