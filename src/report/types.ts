import type { SourceNames } from "../analysis/own-frames.js";
import type { Report } from "../model/index.js";

/**
 * Everything a reporter may know besides the report. Reporters are pure: no clock, hostname,
 * environment or working directory inside them, so that golden files stay stable.
 */
export interface ReportContext {
  /** Use ANSI colours (the CLI decides: a TTY, no NO_COLOR, no TERM=dumb). */
  color: boolean;
  /** How many groups to show in human-oriented reports. */
  top: number;
  /** Absolute directory of the program's sources: decides own frames and relative paths. */
  sourceRoot?: string;
  /**
   * Absolute directory that relative log paths are relative to (the CLI's working directory;
   * the checkout, in CI). SARIF and Code Quality write source files under it, and the log line
   * of a finding without an own frame, relative to it; without it, the source root stands for it.
   */
  workingDirectory?: string;
  /**
   * The files under `sourceRoot`: a frame with a relative file name is the program's only if its
   * name is one of them that can hold it, and is the file its path matches (see matchFrameFile,
   * in src/analysis/source-match.ts). The CLI walks
   * `--source-root` for them (reporters stay free of I/O); without them, relative names are
   * judged by their function names alone and taken as relative to the root.
   */
  sourceNames?: SourceNames;
  /**
   * The program's own allocation wrappers (`xmalloc`; Valgrind's globs): right under the
   * allocator's frames they are the allocator's, so that a leak shows and points where the
   * program called them (see OwnCode.allocFns).
   */
  allocFns?: readonly string[];
  /**
   * Lines of the program's own source files, keyed by the path as the frames name it
   * (`framePath`: the file joined with its directory). The CLI reads them under the source root
   * so that reporters stay free of I/O; reporters show a few lines around own-code frames.
   */
  sources?: ReadonlyMap<string, readonly string[]>;
  /**
   * The CI job the logs come from (`--job-name`, GitLab's `$CI_JOB_NAME`): Code Quality tells
   * the issues at one log path apart by it, when parallel jobs of a pipeline each wrote a log
   * of that path (GitLab merges their reports and keeps one issue per fingerprint). The CLI
   * passes it as given; a reporter reads no environment.
   */
  jobName?: string;
}

/** An output format: one folder under src/report and one registry line. */
export interface Reporter {
  /** One line for `--help` and the README. */
  description: string;
  /**
   * The format writes source paths (SARIF, Code Quality), which need a source root: the CLI
   * then defaults `sourceRoot` to its working directory when `--source-root` is not given.
   */
  relativePaths?: boolean;
  render(report: Report, context: ReportContext): string;
  /**
   * The same text as `render`, in pieces, for formats whose output grows with the log (the CLI
   * writes pieces as they come, so the whole text is never held at once).
   */
  renderPieces?(report: Report, context: ReportContext): Iterable<string>;
  /**
   * What to say, in one line, of a report of this format once written, `bytes` long: that its
   * consumer will refuse it whole (JUnit over GitLab's 30 MiB); undefined when all is well. The
   * CLI prints it on stderr: nothing reads a notice inside a file its consumer refused.
   */
  sizeNotice?(bytes: number): string | undefined;
}
