import { realpath } from "node:fs/promises";
import { isAbsolute, relative, resolve } from "node:path";
import type { CliIO } from "./run.js";

/**
 * A directory's other spellings (see OwnCode.rootAliases): its real path, and its path through
 * the shell's working directory (PWD, a logical path that the process's own, real, working
 * directory is not), which a compiler run in that shell records.
 */
export async function aliasesOf(directory: string, io: CliIO): Promise<string[]> {
  const real = await realpath(directory).catch(() => directory);
  const aliases = new Set([real]);
  const logical = await throughPwd(directory, real, io);
  if (logical !== undefined) aliases.add(logical);
  aliases.delete(directory);
  return [...aliases];
}

/**
 * The directory reached from PWD as from the working directory, or undefined when PWD is no
 * other spelling of the working directory (a PWD inherited from another directory: a process
 * started elsewhere keeps its parent's) or that path is no spelling of the directory.
 */
async function throughPwd(directory: string, real: string, io: CliIO): Promise<string | undefined> {
  const pwd = io.env["PWD"];
  const cwd = resolve(io.cwd);
  if (pwd === undefined || !isAbsolute(pwd) || pwd === cwd) return undefined;
  const pwdReal = await realpath(pwd).catch(() => undefined);
  if (pwdReal !== (await realpath(cwd).catch(() => cwd))) return undefined;
  // Not only under the working directory: a root above or beside it (`--source-root ..` from a
  // CMake or meson build/ directory) is PWD's `..`, taken lexically as `cd ..` does; gcc run in
  // link/build records link/build/../src, under link (campaign bqa F3). But where the working
  // directory is itself a link (build -> /elsewhere/b), PWD's `..` is not the real `..` the root
  // was resolved against: that path names another directory, and its files are not the root's.
  const logical = resolve(pwd, relative(cwd, directory));
  return (await realpath(logical).catch(() => undefined)) === real ? logical : undefined;
}
