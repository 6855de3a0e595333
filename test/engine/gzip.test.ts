import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parse, parseChunks, parseFile } from "../../src/api/parse.js";
import { cli } from "../helpers/cli.js";
import { found } from "../helpers/found.js";
import { ROOT } from "../helpers/golden.js";
import { tempDir, write } from "../hostile/helpers.js";

// CI systems keep logs as .gz artifacts: leaklog reads them as the logs they hold.
const dir = tempDir();
const TEXT = readFileSync(join(ROOT, "samples", "valgrind", "leak_indirect.txt"));
const XML = readFileSync(join(ROOT, "samples", "valgrind-xml", "leak_indirect.xml"));
const GZ = gzipSync(TEXT);

describe("gzip-compressed logs", () => {
  it("read as the logs they hold: files, chunks and text", async () => {
    const plain = found(parse(TEXT, { path: "v.txt" }));
    expect(plain.leaks.length).toBeGreaterThan(0);
    expect(found(await parseFile(write(dir, "v.txt.gz", GZ), { path: "v.txt" }))).toEqual(plain);
    expect(found(parse(GZ, { path: "v.txt" }))).toEqual(plain);
    const xml = gzipSync(XML);
    expect(found(parse(xml, { path: "v.xml" }))).toEqual(found(parse(XML, { path: "v.xml" })));
  });

  it("give the same result however the compressed bytes are chunked", async () => {
    const whole = found(parse(GZ, { path: "-" }));
    for (const size of [1, 2, 3, 7, 100, 4096]) {
      const chunks: Uint8Array[] = [];
      for (let at = 0; at < GZ.length; at += size) chunks.push(GZ.subarray(at, at + size));
      expect(found(await parseChunks(chunks, { path: "-" })), `chunks of ${size}`).toEqual(whole);
    }
  });

  it("concatenated (`cat a.gz b.gz`) read as one log", async () => {
    const both = Buffer.concat([gzipSync(TEXT.subarray(0, 2000)), gzipSync(TEXT.subarray(2000))]);
    expect(found(await parseChunks([both], { path: "-" }))).toEqual(
      found(parse(TEXT, { path: "-" })),
    );
  });

  it("cut short keep every record of the part before the cut, incomplete", async () => {
    // A big log, so that the cut leaves much decompressed: its processes repeat the sample's.
    const big = Buffer.from(
      Array.from({ length: 400 }, (_, i) =>
        TEXT.toString("utf8").replaceAll("==20777==", `==${30000 + i}==`),
      ).join(""),
    );
    const cut = gzipSync(big).subarray(0, 20000);
    const result = await parseChunks([cut], { path: "cut.gz" });
    expect(result.fatal).toBeUndefined();
    expect(result.source.complete).toBe(false);
    const breaks = result.diagnostics.filter((d) => d.code === "incomplete");
    expect(breaks[0]?.message).toMatch(/^the gzip data breaks after \d+ decompressed bytes/);
    // Every record of the processes the cut left whole is there, as in the plain log's prefix.
    const prefix = parse(big.subarray(0, result.source.counters.bytes), { path: "cut.gz" });
    expect(result.leaks).toEqual(prefix.leaks);
    expect(result.leaks.length).toBeGreaterThan(100);
  });

  it("on standard input and in a glob, through the CLI", async () => {
    const fromStdin = await cli(
      ["summarize", "-", "-f", "json"],
      [GZ.subarray(0, 1), GZ.subarray(1)],
    );
    expect(fromStdin.code).toBe(0);
    const plain = await cli(["summarize", "-", "-f", "json"], [TEXT]);
    const leaks = (out: string) => (JSON.parse(out) as { leaks: unknown[] }).leaks;
    expect(leaks(fromStdin.stdout)).toEqual(leaks(plain.stdout));
    write(dir, "a.log.gz", GZ);
    const globbed = await cli(["summarize", `${dir}/*.log.gz`]);
    expect(globbed.code).toBe(0);
    expect(globbed.stdout).toContain("a.log.gz  valgrind 3.19.0");
  });
});
