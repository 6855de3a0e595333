import fg from "fast-glob";
import { UsageError } from "./errors.js";
import { appendAll } from "../lists.js";
import { fileIdentity } from "./file-identity.js";

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
  const excluded = new Set(
    await Promise.all(notInputs.flatMap((path) => (path ? [fileIdentity(path, cwd)] : []))),
  );
  // Each path with its file's identity, found once (a glob's matches were stat'ed twice: for
  // the exclusion, then for the duplicates).
  const named: { path: string; key: string }[] = [];
  for (const input of inputs) {
    if (input === "-" || !isGlob(input)) {
      named.push({ path: input, key: input === "-" ? input : await fileIdentity(input, cwd) });
      continue;
    }
    const found = (await fg(input, { cwd, onlyFiles: true, dot: false })).sort();
    const keys = await Promise.all(found.map((match) => fileIdentity(match, cwd)));
    const matches = found
      .map((path, i) => ({ path, key: keys[i] as string }))
      .filter((match) => !excluded.has(match.key));
    if (matches.length === 0) throw new UsageError("no-match", `no files match ${input}`);
    appendAll(named, matches);
  }
  // One file named twice (`x.txt ./x.txt`, a path and a glob, a log and a link to it) is read
  // once: twice, its records would count double. The first name is kept, as the report's path.
  const seen = new Set<string>();
  return named.flatMap(({ path, key }) => {
    if (seen.has(key)) return [];
    seen.add(key);
    return [path];
  });
}
