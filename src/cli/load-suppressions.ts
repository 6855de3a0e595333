import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parseLsanSuppressions } from "../analysis/suppressions/lsan.js";
import type { SuppressionSet } from "../analysis/suppressions/suppressor.js";
import { parseValgrindSuppressions } from "../analysis/suppressions/valgrind.js";
import type { Diagnostic } from "../model/index.js";
import { UsageError } from "./errors.js";
import type { CliIO } from "./run.js";
import { appendAll } from "../lists.js";

/**
 * Reads `--suppressions` files, Valgrind's (`{ ... }` blocks) or LeakSanitizer's (`leak:PATTERN`
 * lines), told apart by their first entry. A file that cannot be read or holds a malformed entry
 * is misuse (Valgrind and LSan themselves refuse to start): one line naming the file and line,
 * exit 2.
 */
export async function loadSuppressions(
  paths: readonly string[],
  io: CliIO,
): Promise<SuppressionSet> {
  const set: {
    valgrind: SuppressionSet["valgrind"][number][];
    lsan: SuppressionSet["lsan"][number][];
    lsanPath?: string;
  } = {
    valgrind: [],
    lsan: [],
  };
  for (const path of paths) {
    const text = await readText(path, io);
    if (isLsanFile(text)) {
      const parsed = parseLsanSuppressions(text, path);
      refuse(
        path,
        parsed.problems.filter((p) => p.severity === "error"),
      );
      appendAll(set.lsan, parsed.suppressions);
      set.lsanPath ??= path;
    } else {
      const parsed = parseValgrindSuppressions(text, path);
      refuse(path, parsed.problems);
      appendAll(set.valgrind, parsed.suppressions);
    }
  }
  return set;
}

/** LSan files are `type:pattern` lines; Valgrind files open their entries with `{`. */
function isLsanFile(text: string): boolean {
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    return /^[a-z_]+:/.test(line);
  }
  return false;
}

async function readText(path: string, io: CliIO): Promise<string> {
  try {
    return await readFile(resolve(io.cwd, path), "utf8");
  } catch (error) {
    const why = (error as { code?: string }).code === "ENOENT" ? "no such file" : String(error);
    throw new UsageError("bad-option", `--suppressions ${path}: cannot read it: ${why}`);
  }
}

function refuse(path: string, problems: readonly Diagnostic[]): void {
  const first = problems[0];
  if (first === undefined) return;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : "";
  throw new UsageError("bad-option", `${path}:${first.line ?? 1}: ${first.message}${more}`);
}
