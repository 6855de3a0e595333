import { posix } from "node:path";
import type { RegisteredDiagnostic, Frame, Group, Report } from "../model/index.js";
import { baseName, framePath } from "./frame-paths.js";
import { isOwnFrame, type OwnCode, type SourceNames } from "./own-frames.js";

/*
 * A frame's relative path names a file somewhere under the source root, not necessarily at its
 * top: Valgrind's text log prints `util.c` for src/a/util.c, `--fullpath-after=/build/` prints
 * `src/a/util.c` for a root that is src/, and a sanitizer prints `../src/a/util.c` when the
 * compiler ran in build/. The file is the one under the root that shares the longest tail of
 * whole path segments with what the log gives; two at that length cannot be told apart.
 */

/** What a frame's relative path names under the source root. */
export type SourceMatch =
  /** One file: its POSIX path relative to the source root. */
  | { kind: "found"; path: string }
  /** Several files, equally good (paths relative to the source root, sorted). */
  | { kind: "ambiguous"; candidates: string[] }
  /** No file of that name, or no list of the root's files to look in. */
  | { kind: "unknown" };

/** Matches a relative path (as a frame names it) against the files under the source root. */
export function matchSourceFile(path: string, sourceNames: SourceNames | undefined): SourceMatch {
  const files = sourceNames?.paths?.get(baseName(path));
  if (files === undefined || files.length === 0) return { kind: "unknown" };
  // `..` and `.` say where the compiler ran, not where the file is: only the tail counts.
  const wanted = posix
    .normalize(path)
    .split("/")
    .filter((s) => s !== ".." && s !== ".");
  let best: string[] = [];
  let bestLength = 0;
  for (const file of files) {
    const length = sharedTail(wanted, file.split("/"));
    if (length > bestLength) [best, bestLength] = [[file], length];
    else if (length === bestLength) best.push(file);
  }
  const [only] = best;
  if (best.length === 1 && only !== undefined) return { kind: "found", path: only };
  return { kind: "ambiguous", candidates: [...best].sort() };
}

/** How many trailing segments two paths share. */
function sharedTail(a: readonly string[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n += 1;
  return n;
}

// A diagnostic names a few candidates; a vendored tree may hold dozens of `util.c`.
const CANDIDATES_NAMED = 5;

/**
 * One `ambiguous-source-file` warning per relative path of an own frame that names several files
 * under the source root: its frames then show no source lines and CI formats point at the path
 * as the log wrote it, which is no file; without a word, that looked like a finding in a file
 * that does not exist. The diagnostic is placed at the first record whose group has such a frame.
 */
export function ambiguousSourceFiles(report: Report, ownCode: OwnCode): RegisteredDiagnostic[] {
  if (ownCode.sourceNames?.paths === undefined) return [];
  const seen = new Set<string>();
  const diagnostics: RegisteredDiagnostic[] = [];
  for (const group of report.groups) {
    const member = group.members[0];
    if (member === undefined) continue;
    for (const frame of groupFrames(group)) {
      const path = framePath(frame);
      if (path.startsWith("/") || seen.has(path) || !isOwnFrame(frame, ownCode)) continue;
      const match = matchSourceFile(path, ownCode.sourceNames);
      if (match.kind !== "ambiguous") continue;
      seen.add(path);
      diagnostics.push({
        severity: "warning",
        code: "ambiguous-source-file",
        message: ambiguityMessage(path, match.candidates),
        path: member.path,
        line: member.line,
      });
    }
  }
  return diagnostics;
}

function ambiguityMessage(path: string, candidates: readonly string[]): string {
  const named = candidates.slice(0, CANDIDATES_NAMED).join(", ");
  const more = candidates.length - CANDIDATES_NAMED;
  const list = more > 0 ? `${named} and ${more} more` : named;
  return (
    `${path} names ${candidates.length} files under the source root (${list}) and the log does ` +
    `not say which: its frames show no source lines, and CI reports place them at ${path} ` +
    `under the source root. Run Valgrind with --fullpath-after= (text logs) or --xml=yes to ` +
    `name their directories`
  );
}

/** All frames of a group: its stack, then its aux stacks ("freed at", "allocated at"). */
export function groupFrames(group: Group): Frame[] {
  return [...group.stack, ...(group.aux ?? []).flatMap((entry) => entry.stack ?? [])];
}
