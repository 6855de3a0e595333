import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseFile, type ParseResult } from "../src/api/parse.js";
import { summarize } from "../src/api/summarize.js";
import { DIAGNOSTIC_CODES, type Diagnostic } from "../src/model/index.js";
import { REPORTERS } from "../src/report/index.js";
import { ROOT } from "./helpers/golden.js";

// Types keep the emitters to registered codes; these tests catch what types cannot see: a code
// compared as a plain string, a severity the registry does not list, a code cast past the types.

const REGISTRY_FILES = ["src/model/diagnostic-codes.ts", "src/model/format-diagnostic-codes.ts"];
const LOGS = [".txt", ".log", ".xml", ".json"];

function walk(dir: string, keep: (path: string) => boolean): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path, keep) : keep(path) ? [path] : [];
    });
}

const registered = new Map<string, readonly string[]>(
  Object.entries(DIAGNOSTIC_CODES).map(([code, info]) => [code, info.severities]),
);

/** `code: "x"`, `code = "x"`, `.code === "x"`: where a diagnostic code is written or read. */
const CODE_LITERAL = /\bcode\s*(?::|=|===|!==)\s*"([^"]+)"/g;
/** The literals of that shape that are not diagnostic codes, and what they are. */
const NOT_DIAGNOSTIC: Readonly<Record<string, string>> = {
  ENOENT: "a Node.js error code",
  EPIPE: "a Node.js error code",
  custom: "a zod issue code",
  invalid_key: "a zod issue code",
  invalid_value: "a zod issue code",
  invalid_union: "a zod issue code",
  "bad-option": "a UsageError code (thrown, exit 2; not a diagnostic)",
};

describe("the diagnostic code registry", () => {
  const sources = walk(join(ROOT, "src"), (p) => p.endsWith(".ts")).filter(
    (p) => !REGISTRY_FILES.includes(relative(ROOT, p)),
  );

  it("registers every code the source writes or compares with", () => {
    const unregistered: string[] = [];
    for (const path of sources) {
      for (const m of readFileSync(path, "utf8").matchAll(CODE_LITERAL)) {
        const code = m[1] as string;
        if (!registered.has(code) && NOT_DIAGNOSTIC[code] === undefined) {
          unregistered.push(`${relative(ROOT, path)}: ${code}`);
        }
      }
    }
    expect(unregistered).toEqual([]);
  });

  it("holds no code the source never names", () => {
    const text = sources.map((p) => readFileSync(p, "utf8")).join("\n");
    const unused = [...registered.keys()].filter((code) => !text.includes(`"${code}"`));
    expect(unused).toEqual([]);
  });

  it("gives every code a severity, a meaning and an action", () => {
    for (const [code, info] of Object.entries(DIAGNOSTIC_CODES)) {
      expect(code).toMatch(/^[a-z]+(?:-[a-z]+)*$/);
      expect(info.severities.length, code).toBeGreaterThan(0);
      expect(info.meaning, code).toMatch(/^\S.*\.$/);
      expect(info.action, code).toMatch(/^\S.*\.$/);
    }
  });
});

/** The codes and severities of diagnostics that the registry does not list. */
function outside(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics
    .filter((d) => !(registered.get(d.code) ?? []).includes(d.severity))
    .map((d) => `${d.path}: ${d.severity} ${d.code}`);
}

describe("every diagnostic of the samples and fixtures", () => {
  const logs = [
    ...walk(join(ROOT, "samples"), (p) => LOGS.some((ext) => p.endsWith(ext))),
    ...walk(join(ROOT, "test", "fixtures"), (p) => LOGS.some((ext) => p.endsWith(ext))),
  ];
  const byFolder = new Map<string, string[]>();
  for (const path of logs)
    byFolder.set(dirname(path), [...(byFolder.get(dirname(path)) ?? []), path]);

  it.each([...byFolder.keys()].map((dir) => relative(ROOT, dir)))(
    "%s: parsed, summarized together and read back as a report, is registered with its severity",
    async (dir) => {
      const paths = byFolder.get(join(ROOT, dir)) ?? [];
      const results: ParseResult[] = [];
      for (const path of paths) results.push(await parseFile(path, { path: relative(ROOT, path) }));
      const report = summarize(results);
      const json = REPORTERS.json.render(report, { color: false, top: 20 });
      const readBack = parse(json, { path: "report.json", inputFormat: "leaklog-json" });
      expect(outside(results.flatMap((r) => r.diagnostics))).toEqual([]);
      expect(outside(report.diagnostics)).toEqual([]);
      // A report of unusable inputs only holds nothing a merge can read (no record or process).
      if (results.some((r) => r.fatal === undefined)) expect(readBack.fatal).toBeUndefined();
      expect(outside(readBack.diagnostics)).toEqual([]);
    },
  );
});
