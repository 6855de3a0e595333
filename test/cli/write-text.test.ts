import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PIECE, piecesOf, writeTextFile } from "../../src/cli/write-text.js";

describe("piecesOf", () => {
  it("gives the text back whole, in pieces that never split a surrogate pair", () => {
    const text = `${"a".repeat(PIECE - 1)}😀${"b".repeat(10)}`;
    const pieces = [...piecesOf(text)];
    expect(pieces.length).toBe(2);
    expect(pieces.join("")).toBe(text);
    // The first piece ends before the emoji's high surrogate, not after it.
    expect(pieces[0]?.length).toBe(PIECE - 1);
  });

  it("gives nothing for an empty text", () => {
    expect([...piecesOf("")]).toEqual([]);
  });
});

describe("writeTextFile", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "leaklog-write-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes every piece in order while the next is being made", async () => {
    const file = join(dir, "out.txt");
    // Pieces of uneven sizes, some above PIECE, so that several writes are in flight in turn.
    const pieces = Array.from(
      { length: 200 },
      (_, i) => `${i}:${"x".repeat((i * 7919) % (PIECE + 100))}\n`,
    );
    await writeTextFile(file, pieces);
    expect(await readFile(file, "utf8")).toBe(pieces.join(""));
  });

  it("rejects when the file cannot be written, with nothing left unhandled", async () => {
    await expect(writeTextFile(dir, ["a", "b"])).rejects.toThrow(/EISDIR|illegal operation/);
  });

  it("rejects with the pieces' own error when making a piece fails mid-write", async () => {
    function* failing(): Generator<string> {
      yield "x".repeat(PIECE);
      throw new Error("renderer broke");
    }
    await expect(writeTextFile(join(dir, "out.txt"), failing())).rejects.toThrow("renderer broke");
  });
});
