import { resolve } from "node:path";
import fg from "fast-glob";
import { UsageError } from "./errors.js";
import { appendAll } from "../lists.js";

const GLOB_CHARS = /[*?[\]{}]/;

/** Whether a command-line input is a glob (else a path taken literally, or `-`). */
export function isGlob(input: string): boolean {
  return GLOB_CHARS.test(input);
}

/**
 * Expands the command line's inputs: `-` is standard input, globs go through fast-glob (sorted,
 * so output order is stable), anything else is a path taken literally so that a missing file is
 * reported as such rather than silently matching nothing. Globs are matched in `cwd`, the
 * directory relative paths are opened from (the CLI's, which is not always the process's).
 * A glob never matches the files in `notInputs` (the command's `--output` and `--baseline`):
 * `summarize "logs/*" -o logs/report.json` run again read its last report as an input, and the
 * totals grew with every run.
 */
export async function expandInputs(
  inputs: readonly string[],
  cwd: string,
  notInputs: readonly (string | undefined)[] = [],
): Promise<string[]> {
  const excluded = new Set(notInputs.flatMap((path) => (path ? [resolve(cwd, path)] : [])));
  const paths: string[] = [];
  for (const input of inputs) {
    if (input === "-" || !isGlob(input)) {
      paths.push(input);
      continue;
    }
    const matches = (await fg(input, { cwd, onlyFiles: true, dot: false }))
      .filter((match) => !excluded.has(resolve(cwd, match)))
      .sort();
    if (matches.length === 0) throw new UsageError("no-match", `no files match ${input}`);
    appendAll(paths, matches);
  }
  // One file named twice (`x.txt ./x.txt`, or a path and a glob) is read once: twice, its
  // records would count double. The first spelling is kept, as the report's path.
  const seen = new Set<string>();
  return paths.filter((path) => {
    const key = path === "-" ? path : resolve(cwd, path);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
