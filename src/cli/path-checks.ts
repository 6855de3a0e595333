import { open, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parse } from "../api/parse.js";
import { DETECTION_CHARS } from "../engine/detect.js";
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
  if (output === "") throw new UsageError("bad-option", "--output needs a file name");
  if ((await kindOf(target)) === "directory") {
    throw new UsageError("bad-option", `--output ${output} is a directory, not a file`);
  }
  const log = await checkerLogFormat(target);
  if (log !== undefined) {
    throw new UsageError(
      "bad-option",
      `--output ${output} is a ${log} log, not a report: writing the report would overwrite it`,
    );
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

/** Bytes of an existing --output read to tell a checker's log: a detection window's at most. */
const HEAD_BYTES = DETECTION_CHARS;

/**
 * The format of the checker log an existing `--output` holds, if it is one: a glob never takes
 * the run's own `--output` (a report beside the logs), so `"vg.*.log" -o vg.2.log` left that log
 * unread and then wrote the report over it. Its head is parsed as an input would be (gzip, CI and
 * CTest prefixes, program output before a sanitizer's report), and a log is one of which a
 * checker's format read something. leaklog's own reports are none (JSON is leaklog-json, the
 * others read as nothing), so rewriting one stays allowed.
 */
async function checkerLogFormat(path: string): Promise<string | undefined> {
  // Only a regular file holds a log to lose: opening a named pipe to read waits for a writer,
  // and the only one was this run, after the check (campaign be: `-o report.fifo` hung).
  if ((await kindOf(path)) !== "file") return undefined;
  let head: Buffer;
  try {
    const file = await open(path, "r");
    try {
      const { buffer, bytesRead } = await file.read(Buffer.alloc(HEAD_BYTES), 0, HEAD_BYTES, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  } catch {
    return undefined; // missing, or not readable: nothing to lose by this check
  }
  const result = parse(head, { path });
  const format = result.source.format;
  if (result.fatal !== undefined || format === "unknown" || format === "leaklog-json")
    return undefined;
  const read =
    result.source.processes.length + result.leaks.length + result.errors.length > 0 ||
    result.summaries.length > 0;
  return read ? format : undefined;
}

async function kindOf(path: string): Promise<"directory" | "file" | "other" | "missing"> {
  try {
    const stats = await stat(path);
    return stats.isDirectory() ? "directory" : stats.isFile() ? "file" : "other";
  } catch {
    return "missing";
  }
}
