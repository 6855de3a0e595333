import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isExtraLine } from "../../grammars/valgrind/suppression-lines.js";

/** The expression isExtraLine scans for; safe to run here, on short lines only. */
const EXTRA_LINE = /^\s*(?:match-leak-kinds:|\S+\(.*\)\s*$)/;

/** Characters that matter to the shape: blanks of every kind, line terminators, parentheses. */
const CHARS = ["(", ")", "a", "_", " ", "\t", "\r", "\n", "\u00a0", "\u2028", "\u3000", "\ufeff"];
const lineArb = fc.oneof(
  fc.array(fc.constantFrom(...CHARS), { maxLength: 24 }).map((cs) => cs.join("")),
  fc
    .tuple(fc.constantFrom("", "   ", "\t"), fc.string({ maxLength: 12 }))
    .map(([blank, rest]) => `${blank}match-leak-kinds:${rest}`),
  fc.string({ maxLength: 24 }),
);

describe("a suppression block's extra line", () => {
  it("is what the expression it stands for matches", () => {
    fc.assert(
      fc.property(lineArb, (line) => {
        expect(isExtraLine(line)).toBe(EXTRA_LINE.test(line));
      }),
      { seed: 7, numRuns: 20_000 },
    );
  });

  it("reads the lines Valgrind writes", () => {
    expect(isExtraLine("   match-leak-kinds: definite")).toBe(true);
    expect(isExtraLine("   write(buf)")).toBe(true);
    expect(isExtraLine("   malloc(size) ")).toBe(true);
    expect(isExtraLine("   fun:main")).toBe(false);
    expect(isExtraLine("   (no name)")).toBe(false);
  });

  it("reads a long line of parentheses in one pass", () => {
    // Found by the fuzz test: as a regular expression, 64 KiB of `(` took 4 s, and 1 MiB hours.
    const opens = "(".repeat(1 << 20);
    expect(isExtraLine(opens)).toBe(false);
    expect(isExtraLine(`${opens})`)).toBe(true);
    expect(isExtraLine(`a${"(".repeat(1 << 20)}\n)`)).toBe(false);
  });
});
