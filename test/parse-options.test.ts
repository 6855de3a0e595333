import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseFile, parseStream } from "../src/api/parse.js";
import { ROOT } from "./helpers/golden.js";

// Options a plain-JavaScript caller can get wrong (campaign s): each was taken, and made the
// log's problem or a clean-looking run. Now each throws before any input is read.
const LOG = join(ROOT, "samples/valgrind/leak_indirect.txt");

const misuse: [string, unknown, RegExp][] = [
  [
    "inputFormat in the wrong case",
    { inputFormat: "Valgrind" },
    /inputFormat "Valgrind" is no input format; expected one of auto, /,
  ],
  [
    "maxLineLength NaN",
    { maxLineLength: Number.NaN },
    /maxLineLength must be a whole number of bytes, at least 80/,
  ],
  ["maxLineLength 0", { maxLineLength: 0 }, /maxLineLength/],
  ["maxLineLength 10", { maxLineLength: 10 }, /maxLineLength/],
  [
    "fingerprint.frames 0",
    { fingerprint: { frames: 0, lines: false } },
    /fingerprint\.frames must be a whole number of frames, at least 1/,
  ],
  [
    "fingerprint.lines as a string, frames left out",
    { fingerprint: { lines: "yes" } },
    /fingerprint\.lines must be true or false/,
  ],
  ["fingerprint that is no object", { fingerprint: true }, /fingerprint must be an object/],
  ["a reuse that is no ParseReuse", { reuse: {} }, /reuse must be a ParseReuse/],
  ["a path that is no string", { path: 5 }, /path must be a string/],
  ["null options", null, /parse options: an object/],
  ["allowEmpty as a string", { allowEmpty: "yes" }, /allowEmpty must be true or false/],
];

describe("parse options that cannot be meant", () => {
  it.each(misuse)(
    "are thrown by parseFile, not made the file's problem: %s",
    async (_, options, message) => {
      await expect(parseFile(LOG, options as never)).rejects.toThrow(message);
    },
  );

  it.each(misuse)("are thrown by parse and parseStream too: %s", async (_, options, message) => {
    expect(() => parse("", options as never)).toThrow(message);
    const events = parseStream((async function* () {})(), options as never);
    await expect(events.next()).rejects.toThrow(message);
  });

  it("refuse a log that is neither text nor bytes, and a path that is no string", async () => {
    expect(() => parse(undefined as never)).toThrow(/parse: the log must be a string or bytes/);
    await expect(parseFile(Buffer.from(LOG) as never)).rejects.toThrow(/the path must be a string/);
  });

  it("take Infinity for no cap, as before", async () => {
    const options = { maxLineLength: Infinity, fingerprint: { frames: Infinity, lines: false } };
    expect((await parseFile(LOG, options)).leaks.length).toBeGreaterThan(0);
  });

  // Campaign bs Q1: { lines: true } threw that frames must be a number "(default 8)".
  it("give a fingerprint field left out its default, as the CLI does", async () => {
    const grouped = async (fingerprint: object) =>
      (await parseFile(LOG, { fingerprint })).leaks.map((l) => l.fingerprint);
    const full = await grouped({ frames: 8, lines: true });
    expect(await grouped({ lines: true })).toEqual(full);
    expect(await grouped({ frames: 8 })).toEqual(await grouped({ frames: 8, lines: false }));
    expect(await grouped({})).toEqual((await parseFile(LOG)).leaks.map((l) => l.fingerprint));
    expect(await grouped({ lines: true })).not.toEqual(await grouped({}));
  });

  it("take every documented value", async () => {
    const result = await parseFile(LOG, {
      inputFormat: "valgrind",
      maxLineLength: 80,
      fingerprint: { frames: 1, lines: true },
      allowEmpty: false,
      path: "x.txt",
      idPrefix: "a:",
    });
    expect(result.fatal).toBeUndefined();
    expect(result.leaks.length).toBeGreaterThan(0);
  });
});
