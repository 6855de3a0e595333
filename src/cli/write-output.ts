import type { Stats } from "node:fs";
import { chmod, chown, copyFile, realpath, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { removeOnSignal } from "./remove-on-signal.js";
import { writeTextFile } from "./write-text.js";

/** A report that could not be written to `--output`: one line, exit 2 (not an "internal error"). */
export class OutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OutputError";
  }
}

/**
 * Writes `--output`: into a file beside it, renamed over it once whole, so that a run killed
 * while writing (a cancelled CI job) leaves the previous report, not a cut, invalid one that an
 * `always()` upload step then publishes; SIGINT or SIGTERM deletes the file beside it before the
 * run ends (SIGKILL cannot). A device or pipe (`-o /dev/stdout`) is written in place;
 * a link is followed, and its target replaced. A failure (a full disk, no permission) says so.
 */
export async function writeOutput(
  output: string,
  cwd: string,
  pieces: Iterable<string>,
): Promise<void> {
  const path = await realpath(resolve(cwd, output)).catch(() => resolve(cwd, output));
  const existing = await stat(path).catch(() => undefined);
  const inPlace = existing !== undefined && !existing.isFile();
  const failed = (error: unknown) => {
    const why = error instanceof Error ? error.message : String(error);
    return new OutputError(`cannot write --output ${output}: ${why}`);
  };
  const writeInPlace = () =>
    writeTextFile(path, pieces).catch((error: unknown) => Promise.reject(failed(error)));
  if (inPlace) return writeInPlace();
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const forget = () => rm(temporary, { force: true }).catch(() => undefined);
  // A Ctrl-C or a cancelled CI job while the report was written left this file behind, as big
  // as the report, one more each run (campaign bi F4).
  const stopWatching = removeOnSignal(temporary);
  try {
    try {
      await writeTextFile(temporary, pieces);
    } catch (error) {
      await forget();
      // No file can be made beside the report (a report file made writable in a read-only
      // directory): it is written in place, as `> FILE` does. Nothing of `pieces` was taken: the
      // temporary file failed to open.
      if (!CANNOT_CREATE.has(codeOf(error))) throw failed(error);
      return writeInPlace();
    }
    // A file system that keeps no modes (a FAT mount) takes the report all the same.
    if (existing !== undefined) await keepModeAndOwner(temporary, existing).catch(() => undefined);
    try {
      await rename(temporary, path);
    } catch (error) {
      // A file bind-mounted into a container (`docker -v $PWD/report.sarif:/out/report.sarif`)
      // cannot be replaced, only written: the whole report is copied into it.
      let copied = false;
      if (codeOf(error) === "EBUSY")
        copied = await copyFile(temporary, path).then(succeeded, failedTo);
      await forget();
      if (!copied) throw failed(error);
    }
  } finally {
    stopWatching();
  }
}

/** Why no file could be created in a directory: its permissions, or a read-only file system. */
const CANNOT_CREATE: ReadonlySet<string> = new Set(["EACCES", "EPERM", "EROFS"]);

const succeeded = () => true;
const failedTo = () => false;

function codeOf(error: unknown): string {
  return (error as { code?: string } | undefined)?.code ?? "";
}

/**
 * The report replacing a file keeps the file's permissions, as `> FILE` does: the new file had
 * the default mode, so a report kept private (0600) became readable by all under umask 022.
 * Its owner too where this process may set it (root, whose new file would be root's).
 */
async function keepModeAndOwner(temporary: string, was: Stats): Promise<void> {
  // Not its setuid, setgid or sticky bits: a write by `> FILE` clears the first two.
  await chmod(temporary, was.mode & 0o777);
  if (process.getuid?.() === 0 && (was.uid !== 0 || was.gid !== 0)) {
    await chown(temporary, was.uid, was.gid).catch(() => undefined);
  }
}
