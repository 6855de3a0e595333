import { posix } from "node:path";
import { baseName } from "./frame-paths.js";

/*
 * A frame's relative path names a file somewhere under the source root, not necessarily at its
 * top: Valgrind's text log prints `util.c` for src/a/util.c, `--fullpath-after=/build/` prints
 * `src/a/util.c` for a root that is src/, and a sanitizer prints `../src/a/util.c` when the
 * compiler ran in build/. The file is the one under the root that shares the longest tail of
 * whole path segments with what the log gives; two at that length cannot be told apart. A leaf
 * beside own-frames.ts, which needs it too, so that neither imports the other in a circle.
 */

/**
 * The base names of the files under the source root, so that a frame whose file is a relative
 * name (Valgrind's text log prints `dl-tls.c`, no directory) can be checked against the tree
 * without touching the file system here. The CLI walks the root once per run (see
 * src/cli/source-names.ts); library users may fill it themselves.
 */
export interface SourceNames {
  names: ReadonlySet<string>;
  /**
   * The files under the root by base name, as POSIX paths relative to the root: where a frame
   * that names `util.c` or `a/util.c` is (see matchSourceFile). Without it, a relative path is
   * taken as relative to the root.
   */
  paths?: ReadonlyMap<string, readonly string[]>;
  /** False when the walk stopped at its bound: a name it did not reach may still be there. */
  complete: boolean;
}

/** What a frame's relative path names under the source root. */
export type SourceMatch =
  /** One file: its POSIX path relative to the source root. */
  | { kind: "found"; path: string }
  /** Several files, equally good (paths relative to the source root, sorted). */
  | { kind: "ambiguous"; candidates: string[] }
  /** No file of that name, or no list of the root's files to look in. */
  | { kind: "unknown" };

/** Matches a relative path (as a frame names it) against the files under the source root. */
export function matchSourceFile(path: string, sourceNames: SourceNames | undefined): SourceMatch {
  const files = sourceNames?.paths?.get(baseName(path));
  if (files === undefined || files.length === 0) return { kind: "unknown" };
  // `..` and `.` say where the compiler ran, not where the file is: only the tail counts.
  const wanted = posix
    .normalize(path)
    .split("/")
    .filter((s) => s !== ".." && s !== ".");
  let best: string[] = [];
  let bestLength = 0;
  for (const file of files) {
    const length = sharedTail(wanted, file.split("/"));
    if (length > bestLength) [best, bestLength] = [[file], length];
    else if (length === bestLength) best.push(file);
  }
  const [only] = best;
  if (best.length === 1 && only !== undefined) return { kind: "found", path: only };
  return { kind: "ambiguous", candidates: [...best].sort() };
}

/** How many trailing segments two paths share. */
function sharedTail(a: readonly string[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n += 1;
  return n;
}
