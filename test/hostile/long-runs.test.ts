import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { classifyLine } from "../../grammars/sanitizer/classify.js";
import { parseFrameLine } from "../../grammars/sanitizer/frame.js";
import {
  classifyLine as classifyValgrindLine,
  LossRecord,
} from "../../grammars/valgrind/line-kinds.js";
import { withoutTemplateArguments } from "../../src/analysis/suppressions/cpp-mangle.js";
import { parseLsanSuppressions } from "../../src/analysis/suppressions/lsan.js";
import { checkoutPath } from "../../src/report/log-location.js";

/*
 * Regular expressions that took time quadratic in a hostile line (a 1 MiB line under the
 * default cap: minutes to hours): trailing runs (`/=+$/`, `/[ \t\r]+$/`, `/\/+$/`, `/<.*>$/`),
 * each restarting at every character of a long run that ends in something else, and a
 * Valgrind loss record's `.*` pair. Each is now a scan or a few searches, held here to what the
 * expression gave on short text, and run on a 1 MiB run.
 */

const RUN = 1 << 20;
const textOf = (chars: readonly string[]) =>
  fc.array(fc.constantFrom(...chars), { maxLength: 16 }).map((cs) => cs.join(""));

describe("trailing runs of a hostile line", () => {
  it("a sanitizer separator line loses the `=`s glued before it", () => {
    const separator = "=".repeat(65);
    fc.assert(
      fc.property(textOf(["=", "x", " "]), (head) => {
        const glued = head.replace(/=+$/, "");
        const line = classifyLine(`${head}${separator}`);
        expect(line.glued).toBe(glued === "" ? undefined : glued);
      }),
      { seed: 1, numRuns: 2_000 },
    );
    const long = classifyLine(`x${"=".repeat(RUN)}y${separator}`);
    expect(long.glued).toBe(`x${"=".repeat(RUN)}y`);
  });

  it("ThreadSanitizer's shapes are told apart on 1 MiB lines without backtracking", () => {
    const cases: [string, string][] = [
      [`WARNING: ThreadSanitizer: ${"x (pid=1".repeat(RUN / 8)}`, "Text"],
      [`WARNING: ThreadSanitizer: ${" (pid=".repeat(RUN / 6)}1)`, "TsanHeader"],
      [`    #1 a${" (b+0x1".repeat(RUN / 7)}`, "Text"],
      [`    #1 a${" (b+0x1)".repeat(RUN / 8)}x`, "Text"],
      [`    #1 ${"a:1 ".repeat(RUN / 4)}(m+0x1)`, "Frame"],
      [`  ${"x:".repeat(RUN / 2)}y`, "Text"],
      [`  ${"x:".repeat(RUN / 2)}`, "TsanStackHeader"],
      [`${"=".repeat(RUN)}x${"=".repeat(18)}`, "TsanSeparator"],
      // A run of `=` longer than 18 ends in ASan's separator, not in TSan's.
      [`x${"=".repeat(RUN)}`, "Separator"],
    ];
    for (const [line, type] of cases) expect(classifyLine(line).type.name).toBe(type);
    expect(parseFrameLine(`    #1 ${"a:1 ".repeat(RUN / 4)}(m+0x1)`)?.line).toBe(1);
  });

  it("an LSan suppression loses its trailing blanks, and only those", () => {
    fc.assert(
      fc.property(textOf([" ", "\t", "\r", "a"]), (rest) => {
        const [entry] = parseLsanSuppressions(`leak:a${rest}`).suppressions;
        expect(entry?.pattern).toBe(`a${rest}`.replace(/[ \t\r]+$/, ""));
      }),
      { seed: 2, numRuns: 2_000 },
    );
    const [long] = parseLsanSuppressions(`leak:f${" ".repeat(RUN)}x\t\r `).suppressions;
    expect(long?.pattern).toBe(`f${" ".repeat(RUN)}x`);
  });

  it("an operator's template arguments are cut from the first `<`", () => {
    fc.assert(
      fc.property(textOf(["<", ">", " ", "a", "\n", "\r", "\u2028"]), (written) => {
        expect(withoutTemplateArguments(written, "<")).toBe(written.replace(/<.*>$/, ""));
        expect(withoutTemplateArguments(written, " <")).toBe(written.replace(/ <.*>$/, ""));
      }),
      { seed: 3, numRuns: 5_000 },
    );
    const opens = "<".repeat(RUN);
    expect(withoutTemplateArguments(`${opens}a`, "<")).toBe(`${opens}a`);
    expect(withoutTemplateArguments(`a${opens}>`, "<")).toBe("a");
    expect(withoutTemplateArguments(`${" <".repeat(RUN)}x`, " <")).toBe(`${" <".repeat(RUN)}x`);
  });

  it("a source root with a run of slashes inside is no working directory", () => {
    const bases = { sourceRoot: `/r${"/".repeat(RUN)}x`, workingDirectory: "/r" };
    expect(checkoutPath("f.c", bases)).toEqual({ path: "x/f.c", base: "working-directory" });
    expect(checkoutPath("f.c", { sourceRoot: "/r///", workingDirectory: "/r" })).toEqual({
      path: "f.c",
      base: "source-root",
    });
  });

  it("a Valgrind loss record headline is found in three searches", () => {
    const kinds = "(?:definitely lost|indirectly lost|possibly lost|still reachable|suppressed)";
    const expression = new RegExp(
      `^[\\d,]+ .*blocks are ${kinds} in .*loss record [\\d,]+ of [\\d,]+`,
    );
    // A headline's pieces in order, each kept, dropped or doubled, with filler between.
    const pieces = [
      "1,6",
      " ",
      "blocks are ",
      "still reachable",
      " in ",
      "loss record ",
      "2",
      " of ",
      "9",
    ];
    const filler = textOf(["x", " ", "1", "\r", "\u2028", "\n", "blocks are suppressed in "]);
    const body = fc
      .tuple(
        ...pieces.map((piece) =>
          fc.tuple(
            fc.constantFrom(piece, piece, piece, "", `${piece}${piece}`),
            fc.oneof({ arbitrary: fc.constant(""), weight: 3 }, { arbitrary: filler, weight: 1 }),
          ),
        ),
      )
      .map((parts) => parts.map(([piece, after]) => `${piece}${after}`).join(""))
      .filter((text) => !text.startsWith(" "));
    let found = 0;
    fc.assert(
      fc.property(body, (text) => {
        const expected = expression.test(text);
        if (expected) found += 1;
        expect(classifyValgrindLine(text) === LossRecord).toBe(expected);
      }),
      { seed: 4, numRuns: 20_000 },
    );
    // Not only lines that are none: hundreds are headlines (320 with this seed).
    expect(found).toBeGreaterThan(200);
    const typical = "8 bytes in 1 blocks are definitely lost in loss record 1 of 2";
    expect(classifyValgrindLine(typical)).toBe(LossRecord);
    const repeated = `1 ${"blocks are definitely lost in ".repeat(RUN / 30)}`;
    expect(classifyValgrindLine(repeated)).not.toBe(LossRecord);
    expect(classifyValgrindLine(`${repeated}loss record 1 of 1`)).toBe(LossRecord);
  });
});
