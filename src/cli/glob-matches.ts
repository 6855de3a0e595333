import type { Entry } from "fast-glob";
import { directoryGiven } from "../api/fs-errors.js";
import type { FatalProblem } from "../engine/engine.js";

/** What to do with one thing a glob matched: read it, report it unusable unopened, or pass it. */
export type GlobMatch = { read: string } | { problem: FatalProblem } | { skip: true };

/** A glob's last part made of wildcards only (`*`, `**`, `?`): it takes whatever is there. */
const WILDCARDS_ONLY = /^[*?]+$/;

/**
 * What one of a glob's matches is to the run (fast-glob's `onlyFiles` dropped all but regular
 * files without a word, campaign cg Q3):
 * - A regular file is read.
 * - A symbolic link that leads nowhere (`vg.1234.log -> ...`, a log that was not uploaded, or a
 *   link loop) is read too, so that it is the unusable input it is when named alone; skipped,
 *   a run whose logs were all such links was `no-match`, and one with some of them passed.
 * - A named pipe, socket or device is unusable and never opened: opening a pipe to read waits
 *   for a writer, and a glob's stray `fifo.log` hung the run. Named alone, one is read (a
 *   `mkfifo` pipe, `<(zcat vg.log.gz)`).
 * - A directory is unusable, as one named alone is, where the glob's last part names files of
 *   some kind (`*.log` matched `subdir.log`), and passed where that part is wildcards only
 *   (`logs/*`, `logs/**`): such a glob takes whatever is there, and a directory is what it walks.
 */
export function globMatch(entry: Entry, glob: string): GlobMatch {
  const { dirent, path } = entry;
  if (dirent.isFile() || dirent.isSymbolicLink()) return { read: path };
  if (dirent.isDirectory()) {
    const lastPart = glob.split("/").pop() ?? "";
    return WILDCARDS_ONLY.test(lastPart) ? { skip: true } : unusable(path, directoryGiven(path));
  }
  return unusable(
    path,
    `${specialKind(entry)}, not a log file: a glob reads regular files only, as opening a pipe waits for its writer (name it alone to read from it)`,
  );
}

function specialKind({ dirent }: Entry): string {
  if (dirent.isFIFO()) return "a named pipe";
  if (dirent.isSocket()) return "a socket";
  return "a device";
}

function unusable(path: string, why: string): GlobMatch {
  return { problem: { code: "unreadable-input", message: `cannot read ${path}: ${why}` } };
}
