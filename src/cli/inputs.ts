import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import fg from "fast-glob";
import { appendAll } from "../lists.js";
import type { FatalProblem } from "../engine/engine.js";
import { fileIdentity } from "./file-identity.js";
import { globFileSystem } from "./glob-file-system.js";
import { globMatch } from "./glob-matches.js";

const GLOB_CHARS = /[*?[\]{}]/;

/** Whether a command-line input is a glob (else a path taken literally, or `-`). */
export function isGlob(input: string): boolean {
  return GLOB_CHARS.test(input);
}

/** What the command line names: the files to read, and the inputs that name none. */
export interface ExpandedInputs {
  paths: string[];
  /**
   * Unusable inputs found while expanding, each reported like a file that cannot be read (the
   * other inputs are still read, the report still written, exit 2): a glob that matches
   * nothing, a directory a glob could not read, and a match a glob does not read (see
   * globMatch).
   */
  problems: { path: string; fatal: FatalProblem }[];
}

/**
 * Expands the command line's inputs: `-` is standard input, globs go through fast-glob (sorted,
 * so output order is stable; a match named `-` is that file, returned as `./-`), anything else
 * is a path taken literally so that a missing file is reported as such rather than silently
 * matching nothing. A path with glob characters that names an existing file is taken literally
 * too (`memcheck[release-1.2].log`). Globs are matched in `cwd`, the directory relative paths
 * are opened from (the CLI's, which is not always the process's). A glob never matches the
 * files in `notInputs` (the command's `--output` and `--baseline`): `summarize "logs/*" -o
 * logs/report.json` run again read its last report as an input, and the totals grew with every
 * run.
 */
export async function expandInputs(
  inputs: readonly string[],
  cwd: string,
  notInputs: readonly (string | undefined)[] = [],
): Promise<ExpandedInputs> {
  const excluded = new Set(
    await Promise.all(notInputs.flatMap((path) => (path ? [fileIdentity(path, cwd)] : []))),
  );
  // Each path with its file's identity, found once (a glob's matches were stat'ed twice: for
  // the exclusion, then for the duplicates).
  const named: { path: string; key: string }[] = [];
  const problems: ExpandedInputs["problems"] = [];
  for (const input of inputs) {
    if (input === "-" || !isGlob(input) || (await isFile(resolve(cwd, input)))) {
      named.push({ path: input, key: input === "-" ? input : await fileIdentity(input, cwd) });
      continue;
    }
    const files = globFileSystem(cwd);
    const entries = (
      await fg(literalNames(input), {
        cwd,
        // Every match, to say what is not read (see globMatch): onlyFiles dropped a dangling
        // link, a pipe or a directory named `*.log` without a word (campaign cg Q3).
        onlyFiles: false,
        objectMode: true,
        dot: false,
        fs: files.adapter,
        // A directory that cannot be read is reported below, as an unusable input.
        suppressErrors: true,
      })
    ).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    for (const path of files.unreadable()) problems.push(unreadableDirectory(path));
    // What a glob walks past (the directories of `logs/**`) is not looked at again.
    const kept = entries.flatMap((entry) => {
      const match = globMatch(entry, input);
      return "skip" in match ? [] : [{ entry, match }];
    });
    const keys = await Promise.all(kept.map(({ entry }) => fileIdentity(entry.path, cwd)));
    const matches: typeof named = [];
    let matched = false;
    for (const [i, { entry, match }] of kept.entries()) {
      const key = keys[i] as string;
      if (excluded.has(key)) continue;
      matched = true;
      if ("problem" in match) problems.push({ path: entry.path, fatal: match.problem });
      // A match is a file, and `-` names standard input everywhere after here: a file named `-`
      // that `*` matched was read from stdin, a hang on a terminal (campaign bi F3).
      else matches.push({ path: match.read === "-" ? "./-" : match.read, key });
    }
    if (!matched) {
      problems.push({
        path: input,
        fatal: { code: "no-match", message: `no files match ${input}` },
      });
    }
    appendAll(named, matches);
  }
  // One file named twice (`x.txt ./x.txt`, a path and a glob, a log and a link to it) is read
  // once: twice, its records would count double. The first name is kept, as the report's path.
  const seen = new Set<string>();
  const paths = named.flatMap(({ path, key }) => {
    if (seen.has(key)) return [];
    seen.add(key);
    return [path];
  });
  return { paths, problems };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * The glob with its names that hold no glob character (isGlob's) escaped: fast-glob reads `(`,
 * `)`, `!`, `@` and `+` as pattern syntax too, and `"build (debug)/*.log"` matched nothing. A
 * name with a glob character keeps all of fast-glob's syntax.
 */
function literalNames(glob: string): string {
  return glob
    .split("/")
    .map((name) => (name === "" || isGlob(name) ? name : fg.escapePath(name)))
    .join("/");
}

function unreadableDirectory({ path, why }: { path: string; why: string }) {
  return {
    path,
    fatal: {
      code: "unreadable-input" as const,
      message: `cannot read directory ${path}, which a glob searches: ${why}`,
    },
  };
}
