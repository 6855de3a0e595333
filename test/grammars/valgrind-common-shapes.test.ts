import type { IToken, TokenType } from "chevrotain";
import { createTokenInstance } from "../../grammars/chevrotain.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ValgrindBlockParser } from "../../grammars/valgrind/block-parser.js";
import { commonShapeCst } from "../../grammars/valgrind/common-shapes.js";
import * as T from "../../grammars/valgrind/line-kinds.js";

/*
 * commonShapeCst is a shortcut past the chevrotain parser for the usual blocks. It must never
 * change a result: where it answers, its tree is the parser's tree, token for token.
 */
const parser = new ValgrindBlockParser();

function tokensOf(types: readonly TokenType[]): IToken[] {
  return types.map((type, i) =>
    createTokenInstance(type, `${type.name} ${i}`, 0, 1, i + 1, i + 1, 1, 1),
  );
}

function parsed(tokens: IToken[]): unknown {
  parser.input = tokens;
  const cst = parser.block();
  expect(parser.errors).toEqual([]);
  return cst;
}

// The common shapes' tokens come up often, so that long runs of real items are generated.
const COMMON = [T.LossRecord, T.ErrorHeadline, T.FrameLine, T.FrameLine, T.AuxLine];
const anyToken = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...COMMON) },
  { weight: 1, arbitrary: fc.constantFrom(...T.ALL_LINE_TOKENS) },
);

describe("commonShapeCst", () => {
  it("builds the parser's tree wherever it answers (random token sequences)", () => {
    let answered = 0;
    fc.assert(
      fc.property(fc.array(anyToken, { maxLength: 14 }), (types) => {
        const tokens = tokensOf(types);
        const shortcut = commonShapeCst(tokens);
        if (shortcut === undefined) return;
        answered += 1;
        expect(shortcut).toEqual(parsed(tokens));
      }),
      { seed: 7, numRuns: 3000 },
    );
    // The property would hold vacuously if the shortcut never answered.
    expect(answered).toBeGreaterThan(300);
  });

  it("answers for loss records, known errors with aux entries, and single lines", () => {
    const blocks: TokenType[][] = [
      [T.LossRecord, T.FrameLine, T.FrameLine],
      [T.ErrorHeadline, T.FrameLine, T.AuxLine, T.FrameLine, T.AuxLine],
      [T.LeakSummaryHeader, T.LeakSummaryLine, T.LeakSummaryLine],
      [T.LossRecord, T.ErrorHeadline, T.AuxLine, T.AuxLine],
    ];
    for (const types of blocks) {
      const tokens = tokensOf(types);
      expect(commonShapeCst(tokens)).toEqual(parsed(tokens));
    }
  });

  it("leaves every other block to the parser", () => {
    for (const types of [[T.FrameLine], [T.TextLine, T.FrameLine], [T.OpenFd], [T.FatalSignal]]) {
      expect(commonShapeCst(tokensOf(types))).toBeUndefined();
    }
  });
});
