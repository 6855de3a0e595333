import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { parse, parseFile, type ParseResult } from "../../src/api/parse.js";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The sample files of one input format folder (`samples/<folder>`), sorted. */
export function sampleFiles(folder: string, extensions: readonly string[]): string[] {
  const dir = join(ROOT, "samples", folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => extensions.some((ext) => name.endsWith(ext)))
    .sort();
}

/** Parses `samples/<folder>/<name>` with a repository-relative path, so goldens are stable. */
export async function parseSample(folder: string, name: string): Promise<ParseResult> {
  return parseFile(join(ROOT, "samples", folder, name), { path: `samples/${folder}/${name}` });
}

/** Parses a fixture by its repository-relative path, which its locations then carry. */
export function parseFixture(path: string): ParseResult {
  return parse(readFileSync(join(ROOT, path), "utf8"), { path });
}

/**
 * Compares a value with `test/golden/<folder>/<name>.json`. Run with UPDATE_GOLDEN=1 to write
 * the file; review the diff before committing it.
 */
export function expectGolden(folder: string, name: string, value: unknown): void {
  const file = join(ROOT, "test", "golden", folder, `${name}.json`);
  compareWithGolden(file, `${JSON.stringify(value, null, 2)}\n`, (text, golden) =>
    expect(JSON.parse(text)).toEqual(JSON.parse(golden)),
  );
}

/** Compares text, exactly, with `test/golden/<relative>` (UPDATE_GOLDEN=1 writes it). */
export function expectGoldenText(relative: string, text: string): void {
  compareWithGolden(join(ROOT, "test", "golden", relative), text, (got, golden) =>
    expect(got).toBe(golden),
  );
}

/** A missing golden file is written locally (for review) and is an error in CI. */
function compareWithGolden(
  file: string,
  text: string,
  compare: (text: string, golden: string) => void,
): void {
  if (process.env["UPDATE_GOLDEN"] === "1" || !existsSync(file)) {
    if (process.env["CI"] === "true" && !existsSync(file)) {
      throw new Error(`missing golden file ${file}: run UPDATE_GOLDEN=1 npx vitest and commit it`);
    }
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return;
  }
  compare(text, readFileSync(file, "utf8"));
}
