import { createReadStream } from "node:fs";
import { describeFsError } from "../api/fs-errors.js";
import { resolve } from "node:path";
import { parseLsanSuppressions } from "../analysis/suppressions/lsan.js";
import { firstEntryType } from "../analysis/suppressions/sanitizer-lines.js";
import type { SuppressionSet } from "../analysis/suppressions/suppressor.js";
import { parseTsanSuppressions, TSAN_SUPPRESSION_TYPES } from "../analysis/suppressions/tsan.js";
import { parseValgrindSuppressions } from "../analysis/suppressions/valgrind.js";
import type { RegisteredDiagnostic } from "../model/index.js";
import { UsageError } from "./errors.js";
import type { CliIO } from "./run.js";
import { appendAll } from "../lists.js";

/**
 * Reads `--suppressions` files, Valgrind's (`{ ... }` blocks), LeakSanitizer's (`leak:PATTERN`
 * lines) or ThreadSanitizer's (`race:PATTERN`, ...), told apart by their first entry. A file
 * that cannot be read or holds a malformed entry is misuse (Valgrind and the sanitizers
 * themselves refuse to start): one line naming the file and line, exit 2.
 */
export async function loadSuppressions(
  paths: readonly string[],
  io: CliIO,
): Promise<SuppressionSet> {
  const set: {
    valgrind: SuppressionSet["valgrind"][number][];
    lsan: SuppressionSet["lsan"][number][];
    lsanPath?: string;
    tsan: NonNullable<SuppressionSet["tsan"]>[number][];
    tsanPath?: string;
    warnings: RegisteredDiagnostic[];
  } = {
    valgrind: [],
    lsan: [],
    tsan: [],
    warnings: [],
  };
  for (const path of paths) {
    const text = await readText(path, io);
    const first = firstEntryType(text);
    if (first === undefined) {
      const parsed = parseValgrindSuppressions(text, path);
      refuse(path, parsed.problems, set.warnings);
      appendAll(set.valgrind, parsed.suppressions);
    } else if (first.type === "leak") {
      const parsed = parseLsanSuppressions(text, path);
      refuse(path, parsed.problems, set.warnings);
      appendAll(set.lsan, parsed.suppressions);
      set.lsanPath ??= path;
    } else if (isTsanType(first.type)) {
      const parsed = parseTsanSuppressions(text, path);
      refuse(path, parsed.problems, set.warnings);
      appendAll(set.tsan, parsed.suppressions);
      set.tsanPath ??= path;
    } else {
      throw new UsageError(
        "bad-option",
        `${path}:${first.line}: unknown suppression type "${first.type}": leaklog applies Valgrind files, LeakSanitizer's (leak:) and ThreadSanitizer's (${TSAN_SUPPRESSION_TYPES.join(", ")})`,
      );
    }
  }
  return set;
}

function isTsanType(type: string): boolean {
  return (TSAN_SUPPRESSION_TYPES as readonly string[]).includes(type);
}

/**
 * Far beyond any real suppression file (Debian's biggest, GLib's and GTK's, are under 100 KB):
 * `--suppressions /dev/urandom` grew to 1 GB before failing as "Invalid string length", and
 * `/dev/zero` read on until then.
 */
const MAX_SUPPRESSION_BYTES = 64 << 20;

async function readText(path: string, io: CliIO): Promise<string> {
  const refuse = (why: string) =>
    new UsageError("bad-option", `--suppressions ${path}: cannot read it: ${why}`);
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of createReadStream(resolve(io.cwd, path))) {
      const bytes = chunk as Buffer;
      if (size === 0 && bytes.subarray(0, 8192).includes(0)) {
        throw refuse("binary data, no suppression file");
      }
      size += bytes.byteLength;
      if (size > MAX_SUPPRESSION_BYTES) throw refuse("larger than 64 MiB, no suppression file");
      parts.push(bytes);
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw refuse(describeFsError(error));
  }
  return Buffer.concat(parts, size).toString("utf8");
}

/**
 * Refuses a file with errors; a warning (an empty or blank-led pattern) lets it through, and
 * goes into the report: it was dropped, so `leak:` with no pattern hid every leak unsaid.
 */
function refuse(
  path: string,
  diagnostics: readonly RegisteredDiagnostic[],
  warnings: RegisteredDiagnostic[],
): void {
  appendAll(
    warnings,
    diagnostics.filter((d) => d.severity !== "error"),
  );
  const problems = diagnostics.filter((d) => d.severity === "error");
  const first = problems[0];
  if (first === undefined) return;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : "";
  throw new UsageError("bad-option", `${path}:${first.line ?? 1}: ${first.message}${more}`);
}
