import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateCstDts } from "chevrotain";
import { format } from "prettier";
import { describe, expect, it } from "vitest";
import { reportParser } from "../../../grammars/sanitizer/parser.js";
import { ROOT } from "../../helpers/golden.js";

const FILE = join(ROOT, "grammars", "sanitizer", "cst.d.ts");
const HEADER =
  "/* Generated from grammars/sanitizer/parser.ts by test/formats/sanitizer/cst-types.test.ts (UPDATE_GOLDEN=1). Do not edit. */\n";

describe("sanitizer grammar", () => {
  it("has CST type declarations that match the grammar", async () => {
    // Formatted like the rest of the code, so that `prettier --write` leaves the file alone.
    const generated = HEADER + generateCstDts(reportParser.getGAstProductions());
    const text = await format(generated, { parser: "typescript", printWidth: 100 });
    if (process.env["UPDATE_GOLDEN"] === "1" || !existsSync(FILE)) writeFileSync(FILE, text);
    expect(readFileSync(FILE, "utf8")).toBe(text);
  });
});
