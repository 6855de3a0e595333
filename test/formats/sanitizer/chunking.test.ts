import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseChunks } from "../../../src/api/parse.js";
import { ROOT, sampleFiles } from "../../helpers/golden.js";

function* chunks(bytes: Uint8Array, size: number): Generator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

// The line engine keeps partial state between pushes; a sanitizer parser must not add any.
describe("sanitizer parsing does not depend on chunking", () => {
  const names = [
    "asan-color.log",
    "asan-recover-multi.log",
    "lsan-cpp-templates.log",
    "gen-glued-error.log",
  ];
  for (const name of names) {
    it(name, async () => {
      const bytes = readFileSync(join(ROOT, "samples", "sanitizer", name));
      const whole = parse(bytes, { path: name });
      for (const size of [1, 7, 64, 4096]) {
        expect(await parseChunks(chunks(bytes, size), { path: name })).toEqual(whole);
      }
    });
  }

  it("gives the same records for every sample fed byte by byte", async () => {
    for (const name of sampleFiles("sanitizer", [".log"])) {
      const bytes = readFileSync(join(ROOT, "samples", "sanitizer", name));
      const whole = parse(bytes, { path: name });
      expect(await parseChunks(chunks(bytes, 3), { path: name }), name).toEqual(whole);
    }
  });
});
