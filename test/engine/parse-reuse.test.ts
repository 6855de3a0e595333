import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseFile, ParseReuse, type ParseOptions } from "../../src/index.js";

const DIRS = [
  "samples/valgrind",
  "test/fixtures/valgrind",
  "samples/valgrind-xml",
  "test/fixtures/valgrind-xml",
];
const logs = DIRS.flatMap((dir) =>
  readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((name) => /\.(txt|log|xml)$/.test(name))
    .map((name) => join(dir, name)),
);

describe("ParseReuse", () => {
  it("keeps a table until it is spent", () => {
    const reuse = new ParseReuse();
    let made = 0;
    const make = () => ({ n: (made += 1), full: false });
    const first = reuse.table("t", make, (t) => t.full);
    expect(reuse.table("t", make, (t) => t.full)).toBe(first);
    expect(reuse.table("other", make)).not.toBe(first);
    first.full = true;
    const fresh = reuse.table("t", make, (t) => t.full);
    expect(fresh).not.toBe(first);
    expect(reuse.table("t", make, (t) => t.full)).toBe(fresh);
    expect(made).toBe(3);
  });

  it("changes no result of Valgrind text and XML logs parsed one after another", async () => {
    expect(logs.filter((path) => path.endsWith(".xml")).length).toBeGreaterThan(30);
    expect(logs.length).toBeGreaterThan(80);
    const reuse = new ParseReuse();
    // Twice over, so that the second pass finds every frame, stack and fingerprint made; with
    // other fingerprint options in between, which must not take the default's fingerprints.
    const options: ParseOptions[] = [{}, { fingerprint: { frames: 2, lines: true } }, {}];
    for (const fingerprint of options) {
      for (const path of logs) {
        const alone = await parseFile(path, fingerprint);
        const shared = await parseFile(path, { ...fingerprint, reuse });
        expect(shared, path).toEqual(alone);
      }
    }
  });
});
