import { cleanText } from "../report/describe.js";

/**
 * The one stderr line of an input's problem. A file name may hold a line break or a terminal
 * escape (`a\nb/x.txt`): printed raw, it split the line in two.
 */
export function problemLine(path: string, message: string): string {
  return `leaklog: ${cleanText(`${path}: ${message}`)}\n`;
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
