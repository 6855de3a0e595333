import type { Report } from "../model/index.js";

/**
 * Everything a reporter may know besides the report. Reporters are pure: no clock, hostname,
 * environment or working directory inside them, so that golden files stay stable.
 */
export interface ReportContext {
  /** Use ANSI colours (the CLI decides: a TTY and no NO_COLOR). */
  color: boolean;
  /** How many groups to show in human-oriented reports. */
  top: number;
  /** Absolute directory of the program's sources: decides own frames and relative paths. */
  sourceRoot?: string;
}

/** An output format: one folder under src/report and one registry line. */
export interface Reporter {
  /** One line for `--help` and the README. */
  description: string;
  render(report: Report, context: ReportContext): string;
}
