import { realpath } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import type { CliIO } from "./run.js";

/**
 * A directory's other spellings (see OwnCode.rootAliases): its real path, and its path through
 * the shell's working directory (PWD, a logical path that the process's own, real, working
 * directory is not) when it lies there.
 */
export async function aliasesOf(directory: string, io: CliIO): Promise<string[]> {
  const real = await realpath(directory).catch(() => directory);
  const aliases = new Set([real]);
  const pwd = io.env["PWD"];
  const cwd = resolve(io.cwd);
  if (pwd !== undefined && isAbsolute(pwd) && pwd !== cwd) {
    const pwdReal = await realpath(pwd).catch(() => undefined);
    const inside = directory === cwd || directory.startsWith(`${cwd}/`);
    if (pwdReal === (await realpath(cwd).catch(() => cwd)) && inside) {
      aliases.add(pwd + directory.slice(cwd.length));
    }
  }
  aliases.delete(directory);
  return [...aliases];
}
