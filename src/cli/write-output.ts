import { realpath, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
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
 * `always()` upload step then publishes. A device or pipe (`-o /dev/stdout`) is written in place;
 * a link is followed, and its target replaced. A failure (a full disk, no permission) says so.
 */
export async function writeOutput(
  output: string,
  cwd: string,
  pieces: Iterable<string>,
): Promise<void> {
  const path = await realpath(resolve(cwd, output)).catch(() => resolve(cwd, output));
  const inPlace = await stat(path).then(
    (s) => !s.isFile(),
    () => false,
  );
  const target = inPlace ? path : join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await writeTextFile(target, pieces);
    if (!inPlace) await rename(target, path);
  } catch (error) {
    if (!inPlace) await rm(target, { force: true }).catch(() => undefined);
    const why = error instanceof Error ? error.message : String(error);
    throw new OutputError(`cannot write --output ${output}: ${why}`);
  }
}
