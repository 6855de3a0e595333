import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { needsSourceNames, type SourceNames } from "../analysis/own-frames.js";
import type { Report } from "../model/index.js";
import { groupFrames } from "../analysis/source-files.js";

// Bound on the walk: `--source-root` may be a monorepo or, by mistake, `/`. 50,000 entries cover
// the source tree of most programs and take about half a second at worst (measured: /usr cut at 50,000
// entries, 0.4-0.5 s; /usr/include, 8,758 entries, 55-145 ms). A bigger tree leaves the index
// incomplete, and the names it did not reach are then judged as if there were no index (see
// isOwnFrame), so the bound costs precision, never correctness of what was found.
const MAX_ENTRIES = 50_000;

// Dependencies and version control: never the program's sources, and often most of the tree.
const SKIPPED_DIRECTORIES = new Set(["node_modules", ".git"]);

/**
 * The files under the source root by base name, for logs whose frames name files by a relative
 * path (Valgrind's text log: `util.c`): whether a frame is the program's, and which file it is.
 * Undefined when no frame of the report needs it (see needsSourceNames), so that XML and
 * sanitizer runs, whose frames carry absolute paths, do not walk the tree. Symbolic links count
 * by name but are not followed (a link back up would loop); unreadable directories are skipped.
 */
export async function sourceNamesFor(
  report: Report,
  sourceRoot: string,
): Promise<SourceNames | undefined> {
  const needed = report.groups.some((group) => groupFrames(group).some(needsSourceNames));
  return needed ? await walkNames(sourceRoot) : undefined;
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
