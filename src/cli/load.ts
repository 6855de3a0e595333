import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parseChunks, parseFile, type ParseResult } from "../api/parse.js";
import { summarize } from "../api/summarize.js";
import {
  parseValgrindSuppressions,
  type ValgrindSuppression,
} from "../analysis/suppressions/valgrind.js";
import type { FormatId, Group } from "../model/index.js";
import { UsageError } from "./errors.js";
import { expandInputs } from "./inputs.js";
import type { CliIO } from "./run.js";

/**
 * Parses every input (files, globs, `-`), reporting unusable ones on stderr. Record ids get the
 * input's index as prefix so that they stay unique across inputs.
 */
export async function loadInputs(
  inputs: readonly string[],
  inputFormat: FormatId | "auto",
  io: CliIO,
): Promise<ParseResult[]> {
  const paths = await expandInputs(inputs);
  const results: ParseResult[] = [];
  for (const [index, path] of paths.entries()) {
    const parseOptions = { inputFormat, idPrefix: `${index}:` };
    const result =
      path === "-"
        ? await parseChunks(io.stdin, { ...parseOptions, path: "-" })
        : await parseFile(resolve(io.cwd, path), { ...parseOptions, path });
    if (result.fatal !== undefined) io.stderr.write(`leaklog: ${path}: ${result.fatal.message}\n`);
    results.push(result);
  }
  return results;
}

/**
 * Reads `--suppressions` files. A file that cannot be read or holds a malformed entry is misuse
 * (Valgrind itself refuses to start): one line naming the file and line, exit 2.
 */
export async function loadSuppressions(
  paths: readonly string[],
  io: CliIO,
): Promise<ValgrindSuppression[]> {
  const all: ValgrindSuppression[] = [];
  for (const path of paths) {
    let text: string;
    try {
      text = await readFile(resolve(io.cwd, path), "utf8");
    } catch (error) {
      const why = (error as { code?: string }).code === "ENOENT" ? "no such file" : String(error);
      throw new UsageError("bad-option", `--suppressions ${path}: cannot read it: ${why}`);
    }
    const parsed = parseValgrindSuppressions(text, path);
    const first = parsed.problems[0];
    if (first !== undefined) {
      const more = parsed.problems.length > 1 ? ` (and ${parsed.problems.length - 1} more)` : "";
      throw new UsageError("bad-option", `${path}:${first.line ?? 1}: ${first.message}${more}`);
    }
    all.push(...parsed.suppressions);
  }
  return all;
}

/**
 * The baseline's groups: a previous `--format json` report (or any log leaklog reads), parsed
 * and grouped like the current inputs. An unusable or damaged baseline is misuse: comparing
 * against nothing would call every finding new.
 */
export async function loadBaseline(path: string, io: CliIO): Promise<{ groups: Group[] }> {
  const result = await parseFile(resolve(io.cwd, path), { path, idPrefix: "baseline:" });
  const bad =
    result.fatal?.message ?? result.diagnostics.find((d) => d.code === "bad-report")?.message;
  if (bad !== undefined) throw new UsageError("bad-option", `baseline ${path}: ${bad}`);
  return { groups: summarize([result]).groups };
}
