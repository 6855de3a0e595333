import { open, realpath } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";
import type { OwnCode } from "../analysis/own-frames.js";
import { matchSourceFile } from "../analysis/source-match.js";
import type { Report } from "../model/index.js";
import { wantedSourceFiles } from "../report/html/sources.js";

// Bounds: a log names whatever files it likes, and the report should stay a sensible size.
const MAX_FILES = 200;
const MAX_FILE_BYTES = 1024 * 1024;

/**
 * Reads the program's own source files that the report's groups point at, for the HTML report's
 * source lines. Keys are paths as the frames name them (a relative one is read where it names a
 * file under the root, see matchSourceFile); values are the files' lines. Only
 * regular files whose real path is inside the real source root are read: the log is untrusted,
 * and `../../etc/passwd` or a symlink out of the tree must not end up in a report. Files that
 * are missing, too big or unreadable are simply not shown.
 */
export async function readOwnSources(
  report: Report,
  sourceRoot: string,
  { sourceNames, rootAliases }: Pick<OwnCode, "sourceNames" | "rootAliases"> = {},
): Promise<Map<string, string[]>> {
  const sources = new Map<string, string[]>();
  let root: string;
  try {
    root = await realpath(sourceRoot);
  } catch {
    return sources;
  }
  // A relative path names the file it matches under the root (`util.c` for src/a/util.c).
  const where = (file: string): string => {
    const match = matchSourceFile(file, sourceNames);
    return match.kind === "found" ? match.path : file;
  };
  // The root's other spellings too (the shell's $PWD, which compilers record): frames under them
  // were marked the program's own and shown without their lines (campaign bf).
  for (const file of wantedSourceFiles(report, {
    sourceRoot,
    ...(sourceNames !== undefined ? { sourceNames } : {}),
    ...(rootAliases !== undefined ? { rootAliases } : {}),
  }).slice(0, MAX_FILES)) {
    const lines = await readInside(root, isAbsolute(file) ? file : resolve(root, where(file)));
    if (lines !== undefined) sources.set(file, lines);
  }
  return sources;
}

/**
 * The lines of the regular file at `path` when its real path is inside `root` (a real path) and
 * it is at most 1 MiB; undefined otherwise, or when it cannot be read.
 */
export async function readInside(root: string, path: string): Promise<string[] | undefined> {
  try {
    const real = await realpath(path);
    const rel = relative(root, real);
    if (rel === "" || rel.startsWith(`..${sep}`) || rel === ".." || isAbsolute(rel))
      return undefined;
    const handle = await open(real, "r");
    try {
      const stat = await handle.stat();
      if (!stat.isFile() || stat.size > MAX_FILE_BYTES) return undefined;
      const text = await handle.readFile("utf8");
      // Lines as compilers count them for their line tables: a lone CR ends one too (gcc, clang),
      // and one in a comment moved every later line's source by one (campaign bf).
      return text.split(/\r\n?|\n/);
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
}
