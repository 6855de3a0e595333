import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseChunks, parseFile } from "../../src/api/parse.js";
import { found } from "../helpers/found.js";
import { ROOT } from "../helpers/golden.js";
import { tempDir, write } from "../hostile/helpers.js";

// Windows PowerShell 5 writes redirected output as UTF-16LE with a byte order mark.
const dir = tempDir();
const TEXT = readFileSync(join(ROOT, "samples", "valgrind", "leak_indirect.txt"), "utf8");
const LE = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, "utf16le")]);
const BE = Buffer.from(LE).swap16();

const plain = found(parse(TEXT, { path: "v.txt" }));

describe("UTF-16 logs with a byte order mark", () => {
  it("read as the text they hold: little and big endian, files and text", async () => {
    expect(plain.leaks.length).toBeGreaterThan(0);
    expect(found(parse(LE, { path: "v.txt" }))).toEqual(plain);
    expect(found(parse(BE, { path: "v.txt" }))).toEqual(plain);
    expect(found(await parseFile(write(dir, "v.txt", LE), { path: "v.txt" }))).toEqual(plain);
  });

  it("give the same result however the bytes are chunked, code units cut or not", async () => {
    for (const size of [1, 2, 3, 7, 1000]) {
      const chunks: Uint8Array[] = [];
      for (let at = 0; at < LE.length; at += size) chunks.push(LE.subarray(at, at + size));
      expect(found(await parseChunks(chunks, { path: "v.txt" })), `chunks of ${size}`).toEqual(
        plain,
      );
    }
  });

  it("leave UTF-8 logs, and text passed as strings, as they were", async () => {
    const utf8 = Buffer.from(TEXT, "utf8");
    expect(
      found(await parseChunks([utf8.subarray(0, 1), utf8.subarray(1)], { path: "v.txt" })),
    ).toEqual(plain);
    expect(found(await parseChunks([TEXT], { path: "v.txt" }))).toEqual(plain);
  });
});
