import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { CHEVROTAIN_LOADED_FROM, VERSION } from "../../grammars/chevrotain.js";

describe("grammars/chevrotain.ts", () => {
  it("loads the installed release's one-file bundle", () => {
    // The package's exports hide its package.json: it sits two folders above the entry.
    const entry = createRequire(import.meta.url).resolve("chevrotain");
    const manifest = join(dirname(entry), "..", "..", "package.json");
    const installed = JSON.parse(readFileSync(manifest, "utf8")) as { version: string };
    expect(CHEVROTAIN_LOADED_FROM).toBe("bundle");
    expect(VERSION).toBe(installed.version);
  });
});
