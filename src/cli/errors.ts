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
