import { posix } from "node:path";
import { relativeToRoot } from "../analysis/paths.js";

/*
 * Where CI formats (SARIF, Code Quality) point a finding: a source file, or, for a finding that
 * has no frame in the program's own code, the log line that reported it. GitHub code scanning
 * reads a relative path as relative to the repository root and GitLab wants a path in the
 * repository, so paths are relative to the working directory (the checkout, in CI) when they
 * lie under it, and a log is a location only if it is a file under the working directory or
 * under the source root.
 */

/** The directories a log path is resolved against (both absolute). */
export interface LogBases {
  /** The program's source root (`--source-root`, else the working directory). */
  sourceRoot?: string;
  /**
   * The directory relative log paths are relative to (the CLI's working directory). When it is
   * not given, the source root stands for it.
   */
  workingDirectory?: string;
}

/** Which directory a path is relative to (they are often the same one). */
export type PathBase = "source-root" | "working-directory";

/** A file in the checkout: its path relative to `base`. */
export interface CheckoutPath {
  /** POSIX path relative to `base`, without `..` segments. */
  path: string;
  base: PathBase;
}

/** A log line that is a file in the checkout: its path relative to `base`. */
export interface LocatedLogLine extends CheckoutPath {
  located: true;
  /** 1-based line. */
  line: number;
}

/**
 * A source file's path (relative to the source root) as CI systems want it: relative to the
 * working directory when the file lies under it, so that `--source-root src` gives `src/foo.c`,
 * which GitLab and GitHub find in the repository, not `foo.c`, which they do not. A file outside
 * the working directory (a source root elsewhere) stays relative to the source root.
 */
export function checkoutPath(rootRelative: string, bases: LogBases): CheckoutPath {
  const { sourceRoot, workingDirectory } = bases;
  if (
    sourceRoot === undefined ||
    workingDirectory === undefined ||
    sameDir(workingDirectory, sourceRoot)
  )
    return { path: rootRelative, base: "source-root" };
  const inCwd = relativeToRoot(posix.join(sourceRoot, rootRelative), workingDirectory);
  return inCwd !== undefined
    ? { path: inCwd, base: "working-directory" }
    : { path: rootRelative, base: "source-root" };
}

/** A log line with no file in the checkout: standard input, or a log outside both bases. */
export interface UnlocatedLogLine {
  located: false;
  /** The log as given (`-` for standard input). */
  log: string;
  /** 1-based line. */
  line: number;
}

export type LogLine = LocatedLogLine | UnlocatedLogLine;

/**
 * Locates line `line` of the log `path` (as the command line gave it). The working directory is
 * tried first, for that is what GitHub and GitLab resolve relative paths against; then the
 * source root, for a log outside the working directory but inside the sources.
 */
export function locateLogLine(path: string, line: number, bases: LogBases): LogLine {
  if (path === "-") return { located: false, log: path, line };
  const { sourceRoot } = bases;
  const cwd = bases.workingDirectory ?? sourceRoot;
  const inCwd = relativeToRoot(path, cwd);
  if (inCwd !== undefined) {
    const base =
      cwd === undefined || sameDir(cwd, sourceRoot) ? "source-root" : "working-directory";
    return { located: true, path: inCwd, line, base };
  }
  const absolute = path.startsWith("/") ? path : cwd !== undefined ? posix.join(cwd, path) : path;
  const inRoot = sourceRoot !== undefined ? relativeToRoot(absolute, sourceRoot) : undefined;
  if (inRoot !== undefined) return { located: true, path: inRoot, line, base: "source-root" };
  return { located: false, log: path, line };
}

/** `line 12 of standard input`, `line 3 of /tmp/vg.log, outside the working directory`. */
export function unlocatedClause(log: UnlocatedLogLine): string {
  return log.log === "-"
    ? `line ${log.line} of standard input`
    : `line ${log.line} of ${log.log}, outside the working directory`;
}

function sameDir(a: string, b: string | undefined): boolean {
  return b !== undefined && trimSlash(a) === trimSlash(b);
}

/** `dir` without its trailing slashes (a loop: `/\/+$/` is quadratic in a run of them). */
function trimSlash(dir: string): string {
  if (dir.length <= 1) return dir;
  let end = dir.length;
  while (end > 0 && dir.charCodeAt(end - 1) === 47) end -= 1;
  return dir.slice(0, end);
}
