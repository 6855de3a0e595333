import type { RegisteredDiagnostic, Frame, Group, Report } from "../model/index.js";
import { framePath } from "./frame-paths.js";
import { isOwnFrame, type OwnCode } from "./own-frames.js";
import { matchFrameFile } from "./source-match.js";

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
      const match = matchFrameFile(frame, ownCode.sourceNames);
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
