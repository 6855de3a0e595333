import { stat } from "node:fs/promises";
import { resolve } from "node:path";

/**
 * A file's identity whatever it is called: its device and inode, so that a symbolic link
 * (`latest.log -> vg.1234.log`), a hard link or another spelling of the path is the same file;
 * the absolute path where the file cannot be read (missing: the name is all there is). Comparing
 * paths, `-o vg.log` through a link overwrote the log, and a glob read a linked log twice.
 */
export async function fileIdentity(path: string, cwd: string): Promise<string> {
  const absolute = resolve(cwd, path);
  try {
    const { dev, ino } = await stat(absolute, { bigint: true });
    // Some file systems give no inode number (0): their names are all there is too.
    if (ino !== 0n) return `${dev}:${ino}`;
  } catch {
    // Missing or unreadable: named by its path.
  }
  return absolute;
}
