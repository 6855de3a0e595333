import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CstParser } from "chevrotain";
import { generateCstDts } from "../../grammars/chevrotain.js";
import { format } from "prettier";
import { describe, expect, it } from "vitest";
import { MemleaxBlockParser } from "../../grammars/memleax/parser.js";
import { MemwatchParser } from "../../grammars/memwatch/parser.js";
import { reportParser } from "../../grammars/sanitizer/parser.js";
import { ValgrindBlockParser } from "../../grammars/valgrind/block-parser.js";
import { ROOT } from "../helpers/golden.js";

/*
 * Every chevrotain grammar publishes the TypeScript types of its CST, generated from the grammar
 * itself; the visitors read those types. A grammar change without regenerating them fails here
 * (UPDATE_GOLDEN=1 npx vitest run test/grammars rewrites them).
 */
interface Grammar {
  name: string;
  file: string;
  parser: () => CstParser;
  visitorInterfaceName?: string;
}

const GRAMMARS: readonly Grammar[] = [
  { name: "valgrind", file: "grammars/valgrind/cst.ts", parser: () => new ValgrindBlockParser() },
  { name: "memleax", file: "grammars/memleax/cst.ts", parser: () => new MemleaxBlockParser() },
  {
    name: "memwatch",
    file: "grammars/memwatch/cst.ts",
    parser: () => new MemwatchParser(),
    visitorInterfaceName: "MemwatchCstVisitor",
  },
  { name: "sanitizer", file: "grammars/sanitizer/cst.ts", parser: () => reportParser },
];

describe.each(GRAMMARS)("the $name grammar", (grammar) => {
  it("has up-to-date CST types", async () => {
    const file = join(ROOT, grammar.file);
    const header = `// Generated from this folder's grammar by test/grammars/cst-types.test.ts. Do not edit.\n`;
    const options =
      grammar.visitorInterfaceName !== undefined
        ? { visitorInterfaceName: grammar.visitorInterfaceName }
        : {};
    const dts = generateCstDts(grammar.parser().getGAstProductions(), options);
    const text = await format(header + dts, { parser: "typescript", printWidth: 100 });
    if (process.env["UPDATE_GOLDEN"] === "1" || !existsSync(file)) writeFileSync(file, text);
    expect(readFileSync(file, "utf8")).toBe(text);
  });
});
