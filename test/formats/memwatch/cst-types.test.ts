import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateCstDts } from "chevrotain";
import { format, resolveConfig } from "prettier";
import { describe, expect, it } from "vitest";
import { MemwatchParser } from "../../../grammars/memwatch/parser.js";
import { ROOT } from "../../helpers/golden.js";

const FILE = join(ROOT, "grammars", "memwatch", "cst.ts");

/** The CST types as chevrotain generates them from the grammar, formatted like the repo. */
async function generated(): Promise<string> {
  const productions = new MemwatchParser().getGAstProductions();
  const dts = generateCstDts(productions, { visitorInterfaceName: "MemwatchCstVisitor" });
  const header =
    "// Generated from grammars/memwatch/parser.ts by test/formats/memwatch/cst-types.test.ts\n" +
    "// (run it with UPDATE_GOLDEN=1 after changing the grammar). Do not edit.\n";
  const options = (await resolveConfig(FILE)) ?? {};
  return format(header + dts, { ...options, parser: "typescript" });
}

describe("memwatch CST types", () => {
  it("grammars/memwatch/cst.ts matches the grammar", async () => {
    const text = await generated();
    if (process.env["UPDATE_GOLDEN"] === "1" || !existsSync(FILE)) writeFileSync(FILE, text);
    expect(readFileSync(FILE, "utf8")).toBe(text);
  });
});
