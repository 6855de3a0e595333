import { readdir, realpath } from "node:fs/promises";
import { join } from "node:path";
import { baseName, framePath } from "../analysis/frame-paths.js";
import { needsSourceFacts, needsSourceNames, type SourceNames } from "../analysis/own-frames.js";
import type { SourceFileFacts } from "../analysis/source-match.js";
import type { Report } from "../model/index.js";
import { functionDefinitions } from "../analysis/c-definitions.js";
import { groupFrames } from "../analysis/source-files.js";
import { readInside } from "./sources.js";

// Bound on the walk: `--source-root` may be a monorepo or, by mistake, `/`. 50,000 entries cover
// the source tree of most programs and take about half a second at worst (measured: /usr cut at 50,000
// entries, 0.4-0.5 s; /usr/include, 8,758 entries, 55-145 ms). A bigger tree leaves the index
// incomplete, and the names it did not reach are then judged as if there were no index (see
// isOwnFrame), so the bound costs precision, never correctness of what was found.
const MAX_ENTRIES = 50_000;

// Bound on the files read for what they hold (SourceNames.files): only those named like a frame
// of the runtime's, a project's own opendir.c or regcomp.c, usually none; but a log names what it
// likes. Files past the bound may hold any frame of their name, as before they were read.
const MAX_FILES_READ = 200;

// Dependencies and version control: never the program's sources, and often most of the tree.
const SKIPPED_DIRECTORIES = new Set(["node_modules", ".git"]);

/**
 * The files under the source root by base name, for logs whose frames name files by a relative
 * path (Valgrind's text log: `util.c`): whether a frame is the program's, and which file it is.
 * Undefined when no frame of the report needs it (see needsSourceNames), so that XML and
 * sanitizer runs, whose frames carry absolute paths, do not walk the tree. Symbolic links count
 * by name but are not followed (a link back up would loop); unreadable directories are skipped.
 * The files named like the runtime's frames are read as well (see withFacts).
 */
export async function sourceNamesFor(
  report: Report,
  sourceRoot: string,
): Promise<SourceNames | undefined> {
  const needed = report.groups.some((group) => groupFrames(group).some(needsSourceNames));
  return needed ? await withFacts(await walkNames(sourceRoot), report, sourceRoot) : undefined;
}

/**
 * The walk with what the root's files named like the runtime's frames hold (needsSourceFacts),
 * read once here so that the analysis stays free of I/O: with glibc's debug info, `__alloc_dir
 * (opendir.c:115)` named a project's one-line src/lib/opendir.c (campaign bz F2), and the
 * functions they define tell a program's static `dup (leak.c:3)` from glibc's (campaign cf Q7).
 */
async function withFacts(names: SourceNames, report: Report, root: string): Promise<SourceNames> {
  const wanted = new Set<string>();
  for (const group of report.groups) {
    for (const frame of groupFrames(group).filter(needsSourceFacts))
      for (const path of names.paths?.get(baseName(framePath(frame))) ?? []) wanted.add(path);
  }
  if (wanted.size === 0) return names;
  let realRoot: string;
  try {
    realRoot = await realpath(root);
  } catch {
    return names;
  }
  const files = new Map<string, SourceFileFacts>();
  for (const path of [...wanted].slice(0, MAX_FILES_READ)) {
    const lines = await readInside(realRoot, join(realRoot, path));
    if (lines !== undefined) files.set(path, factsOf(lines));
  }
  return { ...names, files };
}

function factsOf(lines: readonly string[]): SourceFileFacts {
  const words = new Set<string>();
  for (const line of lines)
    for (const [word] of line.matchAll(/[A-Za-z_$][\w$]*/g)) words.add(word);
  // A last newline ends the last line; it starts none.
  const count = lines.at(-1) === "" ? lines.length - 1 : lines.length;
  return { lines: count, words, definitions: functionDefinitions(lines) };
}

async function walkNames(root: string): Promise<SourceNames> {
  const paths = new Map<string, string[]>();
  const done = (complete: boolean): SourceNames => ({
    names: new Set(paths.keys()),
    paths,
    complete,
  });
  // Directories as paths relative to the root ("" for the root itself), POSIX style.
  const pending = [""];
  let entries = 0;
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    let list;
    try {
      list = await readdir(join(root, dir), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of list) {
      entries += 1;
      if (entries > MAX_ENTRIES) return done(false);
      const path = dir === "" ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) pending.push(path);
      } else {
        const same = paths.get(entry.name);
        if (same !== undefined) same.push(path);
        else paths.set(entry.name, [path]);
      }
    }
  }
  return done(true);
}
