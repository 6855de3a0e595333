import { cleanText } from "../report/describe.js";

/**
 * The one stderr line of an input's problem, at its 1-based `line` when one shows it (a damaged
 * report's first bad byte). A file name may hold a line break or a terminal escape
 * (`a\nb/x.txt`): printed raw, it split the line in two.
 */
export function problemLine(path: string, message: string, line?: number): string {
  return `leaklog: ${cleanText(`${placeOf(path, line)}: ${message}`)}\n`;
}

/**
 * `path:line`, as the text report's diagnostics and a merged report's say where, or the path
 * alone. The line moved from a damaged report's message to its diagnostic (aacc888), and the
 * stderr line, all an exit-2 run of the text format prints, lost it (campaign v18a F4).
 */
export function placeOf(path: string, line?: number): string {
  return line !== undefined ? `${path}:${line}` : path;
}

/** Misuse of the CLI or API options: the only thing leaklog throws. Exit code 2. */
export class UsageError extends Error {
  constructor(
    readonly code: "bad-option" | "no-input",
    message: string,
  ) {
    super(message);
    this.name = "UsageError";
  }
}
