import { readdir, type Dirent } from "node:fs";
import { realpath } from "node:fs/promises";
import { dirname, relative } from "node:path";
import type { Options } from "fast-glob";
import { describeFsError } from "../api/fs-errors.js";

type Adapter = NonNullable<Options["fs"]>;
type ReadDirectory = NonNullable<Adapter["readdir"]>;
type Done = (error: NodeJS.ErrnoException | null, entries: Dirent[] | string[]) => void;

/** A directory a glob could not read, relative to the glob's directory, and why. */
export interface UnreadableDirectory {
  path: string;
  why: string;
}

/**
 * The file system fast-glob walks for one glob, with two things fast-glob leaves out:
 * - A directory reached through a symbolic link to itself or to a directory above it (`latest
 *   -> .`) is not read again. fast-glob follows links without noticing loops, and two such
 *   links made a walk of 2^40 paths (memory rising past 1.4 GB); one named the log by a
 *   40-level path. bash's `**` does not descend through links at all; here a link to anywhere
 *   else is still followed (`logs/latest -> run-42`).
 * - A directory that cannot be read (`EACCES`) is remembered, to be reported as an unusable
 *   input, where fast-glob either stopped the whole run or, told to go on, said nothing.
 */
export function globFileSystem(cwd: string): {
  adapter: Adapter;
  unreadable: () => UnreadableDirectory[];
} {
  const failed: UnreadableDirectory[] = [];
  const realPaths = new Map<string, Promise<string | undefined>>();
  const realPathOf = (path: string): Promise<string | undefined> => {
    let known = realPaths.get(path);
    if (known === undefined) {
      known = realpath(path).catch(() => undefined);
      realPaths.set(path, known);
    }
    return known;
  };
  /** Whether `directory` is one of the directories above it, reached again through a link. */
  const isLoop = async (directory: string): Promise<boolean> => {
    const real = await realPathOf(directory);
    if (real === undefined) return false;
    for (let above = dirname(directory); ; above = dirname(above)) {
      if ((await realPathOf(above)) === real) return true;
      if (dirname(above) === above) return false;
    }
  };
  const read = (directory: string, ...rest: unknown[]): void => {
    const done = rest[rest.length - 1] as Done;
    const options = rest.length > 1 ? (rest[0] as { withFileTypes: true }) : undefined;
    isLoop(directory).then(
      (loop) => {
        if (loop) return done(null, []);
        const remember: Done = (error, entries) => {
          if (error !== null && error.code !== "ENOENT") {
            failed.push({ path: relative(cwd, directory) || ".", why: describeFsError(error) });
          }
          done(error, entries);
        };
        if (options === undefined) readdir(directory, remember as never);
        else readdir(directory, options, remember as never);
      },
      (error: NodeJS.ErrnoException) => done(error, []),
    );
  };
  return {
    adapter: { readdir: read as unknown as ReadDirectory },
    unreadable: () => [...failed].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
  };
}
