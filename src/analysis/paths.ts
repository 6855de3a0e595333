import { posix } from "node:path";
import type { AuxEntry, Frame, Group, Report } from "../model/index.js";
import { baseName, framePath, pathUnder } from "./frame-paths.js";
import { sourceRoots, type OwnCode } from "./own-frames.js";
import { matchFrameFile } from "./source-match.js";

/** One `--path-map FROM=TO` rule: a build machine's path prefix and what it is here. */
export interface PathMapping {
  from: string;
  to: string;
}

/**
 * Rewrites build-machine path prefixes in every frame's `file` and `dir` (records, aux stacks and
 * groups), so that a log written on another machine (a container's `/build/src`, a CI runner's
 * workspace) points into this checkout. A prefix matches whole path segments only (`/build/src`
 * matches `/build/src/a.c`, not `/build/srcx/a.c`); the longest matching prefix wins, so the
 * order of the rules does not matter. Fingerprints are left alone: they use base names only.
 * Returns the report itself when there are no rules.
 */
export function applyPathMap(report: Report, mappings: readonly PathMapping[]): Report {
  if (mappings.length === 0) return report;
  // Longest first, so that `/build/src/vendor` beats `/build/src`.
  const rules = [...mappings].sort((a, b) => b.from.length - a.from.length);
  const stack = (frames: readonly Frame[]): Frame[] => frames.map((f) => mapFrame(f, rules));
  const aux = (entries: readonly AuxEntry[]): AuxEntry[] =>
    entries.map((e) => (e.stack !== undefined ? { ...e, stack: stack(e.stack) } : e));
  const group = (g: Group): Group => ({
    ...g,
    stack: stack(g.stack),
    ...(g.aux !== undefined ? { aux: aux(g.aux) } : {}),
  });
  return {
    ...report,
    leaks: report.leaks.map((leak) => ({ ...leak, stack: stack(leak.stack) })),
    errors: report.errors.map((e) => ({ ...e, stack: stack(e.stack), aux: aux(e.aux) })),
    groups: report.groups.map(group),
  };
}

function mapFrame(frame: Frame, rules: readonly PathMapping[]): Frame {
  const file = frame.file !== undefined ? mapPath(frame.file, rules) : undefined;
  const dir = frame.dir !== undefined ? mapPath(frame.dir, rules) : undefined;
  if (file === frame.file && dir === frame.dir) return frame;
  return {
    ...frame,
    ...(file !== undefined ? { file } : {}),
    ...(dir !== undefined ? { dir } : {}),
  };
}

/** `path` with the longest matching prefix of `rules` (already sorted longest first) replaced. */
export function mapPath(path: string, rules: readonly PathMapping[]): string {
  for (const { from, to } of rules) {
    const prefix = from.endsWith("/") && from.length > 1 ? from.slice(0, -1) : from;
    if (path === prefix) return to;
    if (path.startsWith(prefix) && (prefix.endsWith("/") || path[prefix.length] === "/")) {
      const rest = path.slice(prefix.endsWith("/") ? prefix.length : prefix.length + 1);
      return to === "" ? rest : `${to.replace(/\/$/, "")}/${rest}`;
    }
  }
  return path;
}

/**
 * The frame's source path relative to the source root, POSIX style, or undefined when it has no
 * file or lies outside the root. A relative path is the file under the root that it names (see
 * matchFrameFile: `util.c` is src/a/util.c when that is the only util.c) when the root's files
 * are known, and else counts as relative to the root (the compiler ran there: Valgrind's text
 * log prints `leak.c`); an absolute one must be under the root. Without a root only relative
 * names qualify. Paths that climb out (`../x.c`) do not: SARIF consumers reject `..` segments
 * and GitLab wants paths inside the repository.
 */
export function relativeSourcePath(frame: Frame, ownCode: OwnCode = {}): string | undefined {
  if (frame.file === undefined || frame.file === "") return undefined;
  const path = framePath(frame);
  if (!path.startsWith("/")) {
    const names = ownCode.sourceNames;
    const match = matchFrameFile(frame, names);
    if (match.kind === "found") return match.path;
    // A name the whole root has no file of is no file there (a library's `gmem.c` with debug
    // info): SARIF's code flows linked `src/gmem.c`, where the result's own location, by
    // isOwnFrame, had already skipped that frame. Nor is a namesake that cannot hold the frame
    // (matchFrameFile: glibc's `__alloc_dir (opendir.c:115)` and a project's opendir.c).
    const unknown =
      names?.paths !== undefined ? match.kind === "unknown" : !names?.names.has(baseName(path));
    if (names?.complete === true && unknown) return undefined;
  }
  return relativeToRoot(path, sourceRoots(ownCode));
}

const WINDOWS_ABSOLUTE = /^(?:[A-Za-z]:[\\/]|\\\\)/;

/**
 * `path` relative to `sourceRoot` (see relativeSourcePath; several roots: the first it lies
 * under), or undefined when outside it.
 */
export function relativeToRoot(
  path: string,
  sourceRoot: string | readonly string[] = [],
): string | undefined {
  // A Windows path (MSVC's AddressSanitizer: `C:\proj\src\leak.c`) is no path under a root
  // here: taken as relative, it became a checkout path `C:\proj\...` in GitHub annotations.
  if (WINDOWS_ABSOLUTE.test(path)) return undefined;
  const roots = typeof sourceRoot === "string" ? [sourceRoot] : sourceRoot;
  const relative = path.startsWith("/") ? pathUnder(path, roots) : path;
  if (relative === undefined) return undefined;
  const normal = posix.normalize(relative);
  if (normal === "." || normal === ".." || normal.startsWith("../")) return undefined;
  return normal;
}
