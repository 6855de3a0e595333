import { stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { UsageError } from "./errors.js";
import { fileIdentity } from "./file-identity.js";
import { isGlob } from "./inputs.js";

/**
 * Refuses an `--output` that cannot be written before any input is read, in one line: a
 * missing directory or a directory as the file (found only after a gigabyte parse, they were an
 * "internal error"), or one of the inputs by any name (`-o valgrind.txt`, or a link to it,
 * would overwrite the log). Globs
 * are not expanded here: a report matching one is written after the glob was read.
 */
export async function checkOutputPath(
  output: string | undefined,
  inputs: readonly string[],
  cwd: string,
): Promise<void> {
  if (output === undefined) return;
  const target = resolve(cwd, output);
  const written = await fileIdentity(output, cwd);
  const named = inputs.filter((i) => i !== "-" && !isGlob(i));
  const identities = await Promise.all(named.map((i) => fileIdentity(i, cwd)));
  if (identities.includes(written)) {
    throw new UsageError(
      "bad-option",
      `--output ${output} is an input: it would overwrite the log`,
    );
  }
  if ((await kindOf(target)) === "directory") {
    throw new UsageError("bad-option", `--output ${output} is a directory, not a file`);
  }
  if ((await kindOf(dirname(target))) !== "directory") {
    throw new UsageError("bad-option", `--output ${output}: no directory ${dirname(output)}`);
  }
}

/** `--source-root` must be a directory: a typo would silently leave every frame unowned. */
export async function checkSourceRoot(sourceRoot: string, cwd: string): Promise<void> {
  if ((await kindOf(resolve(cwd, sourceRoot))) !== "directory") {
    throw new UsageError("bad-option", `--source-root ${sourceRoot} is not a directory`);
  }
}

async function kindOf(path: string): Promise<"directory" | "other" | "missing"> {
  try {
    return (await stat(path)).isDirectory() ? "directory" : "other";
  } catch {
    return "missing";
  }
}
