import { describe, expect, it } from "vitest";
import { PIECE, piecesOf } from "../../src/cli/write-text.js";

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
