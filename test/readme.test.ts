import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { INPUT_FORMATS } from "../src/formats/index.js";
import { DIAGNOSTIC_CODES, KNOWN_ERROR_KINDS } from "../src/model/index.js";
import { REPORTERS } from "../src/report/index.js";
import { ROOT } from "./helpers/golden.js";
import { README } from "./helpers/readme.js";

// The README's tables are written by hand; this keeps them honest about the registries.
const row = (option: string) => README.split("\n").find((l) => l.startsWith(`| \`${option}`)) ?? "";

describe("the README", () => {
  it("lists every output format in the --format row", () => {
    for (const id of Object.keys(REPORTERS)) expect(row("-f, --format"), id).toContain(`\`${id}\``);
  });

  it("lists every input format in the --input-format row and the format table", () => {
    for (const format of INPUT_FORMATS) {
      expect(row("--input-format"), format.id).toContain(`\`${format.id}\``);
      expect(README, format.id).toContain(`| \`${format.id}\` |`);
    }
  });

  it("lists every error kind --fail-on accepts", () => {
    for (const kind of KNOWN_ERROR_KINDS) expect(README, kind).toContain(`\`${kind}\``);
  });

  it("points only at files and folders of the repository that exist", () => {
    const paths = [...README.matchAll(/(?<![\w/.-])(?:samples|test\/fixtures)\/[\w./-]*/g)];
    expect(paths.length).toBeGreaterThan(3);
    for (const [path] of paths)
      expect(existsSync(join(ROOT, path.replace(/\.$/, ""))), path).toBe(true);
  });

  it("shows the two quick-start commands", () => {
    expect(README).toMatch(/npm install && npx leaklog summarize samples\/\S+/);
    expect(README).toContain("npm test");
  });
});

/** The rows of the table under `### Diagnostic codes`, cells trimmed, header rows left out. */
function diagnosticCodeRows(): string[][] {
  const section = README.split("\n### Diagnostic codes\n")[1]?.split("\n#")[0] ?? "";
  return section
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .map((line) => line.slice(2, -2).split(" | "));
}

describe("the README's diagnostic codes", () => {
  it("are the registry's, in its order, with the same severities, meaning and action", () => {
    const registry = Object.entries(DIAGNOSTIC_CODES).map(([code, info]) => [
      `\`${code}\``,
      info.severities.join(", "),
      info.meaning,
      info.action,
    ]);
    expect(diagnosticCodeRows()).toEqual(registry);
  });
});
