import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { GzipInput, gunzipWhole } from "../../src/api/gzip-input.js";
import { parse, parseChunks, parseFile } from "../../src/api/parse.js";
import { cli } from "../helpers/cli.js";
import { found } from "../helpers/found.js";
import { ROOT } from "../helpers/golden.js";
import { tempDir, write } from "../hostile/helpers.js";

// Campaign bi F2: Node's zlib drops the output of the call that fails, so gzip data that broke
// lost up to 256 KiB it had decompressed fine (a small file all of it: "nothing could be
// decompressed"), where `gzip -dc` and Python's zlib keep every byte before the damage.
const FIXTURES = join(ROOT, "test", "fixtures", "gzip");
const fixture = (name: string): Buffer => readFileSync(join(FIXTURES, name));
const dir = tempDir();

/** `cat log.gz; printf 'x\n'`: a whole gzip member, then two bytes that are no gzip data. */
const SMALL = fixture("vg-trailing.log.gz");
/** The same of a 438 KB log: more than one 256 KiB chunk of zlib's output. */
const BIG = fixture("big-trailing.log.gz");
const member = (trailing: Buffer): Buffer => trailing.subarray(0, trailing.byteLength - 2);

/** The big log's member with one byte flipped: zlib stops at an invalid distance. */
function corrupt(): Buffer {
  const bytes = Buffer.from(member(BIG));
  bytes[3174] = (bytes[3174] as number) ^ 0xff;
  return bytes;
}

// What Python's zlib gives fed byte by byte (`zlib.decompressobj(31)`, every byte decompressed
// before the call that raised), as the length and SHA-256 of the bytes.
const CORRUPT_PYTHON = {
  bytes: 27974,
  sha256: "b509203ce791981a9d9b0796f43b8e927772eecff5418bc233add6b590efa848",
};
// 40 bytes flipped mid-stream decompress into other bytes; zlib stops at the CRC.
const FLIP_PYTHON = {
  bytes: 438611,
  sha256: "45d0071db02f506c0577193ca16f1b1c1fce6bb2316e0293f2200a4f07469977",
};

const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

/** What GzipInput yields of `bytes` in chunks of `size`, and what it says of the end. */
async function streamed(bytes: Buffer, size = 1 << 18) {
  const input = new GzipInput();
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  const out: Uint8Array[] = [];
  for await (const chunk of input.chunks(chunks)) out.push(chunk as Uint8Array);
  return { data: Buffer.concat(out), damage: input.damage, trailing: input.trailing };
}

describe("damaged gzip data keeps every byte zlib decompresses before the damage", () => {
  it.each([
    ["small", SMALL],
    ["big", BIG],
  ])(
    "a %s log with bytes after its gzip data: all of it, complete, with a warning",
    async (_, gz) => {
      const whole = gunzipSync(member(gz));
      for (const size of [3, 4096, 1 << 18]) {
        const got = await streamed(gz, size);
        expect(got.data.equals(whole), `chunks of ${size}`).toBe(true);
        expect(got.damage).toBeUndefined();
        expect(got.trailing).toMatch(/^bytes after the gzip data are not gzip data \(incorrect/);
      }
      expect(gunzipWhole(gz)?.data.equals(whole)).toBe(true);
      const plain = found(parse(whole, { path: "v.log" }));
      expect(plain.diagnostics).toEqual([]);
      for (const result of [
        await parseFile(write(dir, "trailing.log.gz", gz), { path: "v.log" }),
        parse(gz, { path: "v.log" }),
      ]) {
        expect(result.fatal).toBeUndefined();
        expect(result.source.complete).toBe(true);
        expect(result.source.counters.bytes).toBe(whole.byteLength);
        expect({ ...found(result), diagnostics: [] }).toEqual(plain);
        expect(result.diagnostics.map((d) => [d.severity, d.code])).toEqual([
          ["warning", "gzip-trailing-garbage"],
        ]);
      }
    },
  );

  it.each([
    ["a corrupt byte", corrupt(), CORRUPT_PYTHON, "invalid distance too far back"],
    ["corrupt bytes found at the CRC", fixture("big-flip.log.gz"), FLIP_PYTHON, "incorrect data"],
  ])("%s: the bytes Python's zlib gives, incomplete", async (_, gz, python, why) => {
    for (const got of [await streamed(gz), await streamed(gz, 1000), gunzipWhole(gz)]) {
      expect(got?.data.byteLength).toBe(python.bytes);
      expect(sha256(got?.data ?? Buffer.alloc(0))).toBe(python.sha256);
      expect(got?.damage).toBe(
        `the gzip data breaks after ${python.bytes} decompressed bytes (${why}${
          why.endsWith("data") ? " check" : ""
        }): the log is read up to there`,
      );
      expect(got?.trailing).toBeUndefined();
    }
    const result = await parseChunks([gz], { path: "v.log" });
    expect(result.fatal).toBeUndefined();
    expect(result.source.complete).toBe(false);
    expect(result.source.counters.bytes).toBe(python.bytes);
  });

  it("bytes that start like a gzip member and break are damage, not trailing bytes", async () => {
    const gz = Buffer.concat([member(SMALL), Buffer.from([0x1f, 0x8b, 0x63, 0, 0])]);
    const got = await streamed(gz);
    expect(got.data.equals(gunzipSync(member(SMALL)))).toBe(true);
    expect(got.damage).toMatch(/^the gzip data breaks after 1750 decompressed bytes \(unknown/);
    expect(got.trailing).toBeUndefined();
  });

  it("of a stream over 1 MiB compressed, says that the last part zlib dropped is lost", async () => {
    // Incompressible text: its gzip is bigger than what GzipInput keeps to decompress again.
    let x = 7;
    const text = Array.from({ length: 40000 }, () => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return `${x.toString(36)}${(x * 31).toString(36)}${(x * 97).toString(36)}\n`;
    }).join("");
    const gz = Buffer.concat([gzipSync(Buffer.from(text.repeat(3))), Buffer.from("x\n")]);
    expect(gz.byteLength).toBeGreaterThan(1 << 20);
    const got = await streamed(gz);
    expect(got.damage).toMatch(/: the log is read up to there, less the last part zlib dropped/);
    expect(got.data.byteLength).toBeLessThan(text.length * 3);
    expect(gunzipWhole(gz)?.data.byteLength).toBe(text.length * 3);
  });

  it("through the CLI: a log with bytes after it passes --fail-on incomplete", async () => {
    const small = await cli([
      "summarize",
      join(FIXTURES, "vg-trailing.log.gz"),
      "--fail-on",
      "incomplete",
    ]);
    expect(small.code).toBe(0);
    expect(small.stdout).toContain("definitely-lost  180 bytes in 5 blocks");
    expect(small.stdout).toContain("ignored [gzip-trailing-garbage]");
    const fromStdin = await cli(
      ["summarize", "-", "-f", "json"],
      [BIG.subarray(0, 5), BIG.subarray(5)],
    );
    expect(fromStdin.code).toBe(0);
    const plain = await cli(["summarize", "-", "-f", "json"], [gunzipSync(member(BIG))]);
    const leaks = (out: string) => (JSON.parse(out) as { leaks: unknown[] }).leaks;
    expect(leaks(fromStdin.stdout)).toEqual(leaks(plain.stdout));
    const flipped = await cli([
      "summarize",
      join(FIXTURES, "big-flip.log.gz"),
      "--fail-on",
      "incomplete",
    ]);
    expect(flipped.code).toBe(1);
    expect(flipped.stdout).toContain(
      "breaks after 438611 decompressed bytes (incorrect data check)",
    );
  });
});
