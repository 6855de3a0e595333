import { takesEscapeCodes } from "./terminal.js";

/**
 * A one-line progress display on stderr for inputs that take more than a second: bytes read and
 * records found. Only on a terminal (never in pipes, CI jobs or dumb terminals, see
 * showsProgress); it erases itself when done.
 */
export class Progress {
  private bytes = 0;
  private records = 0;
  private shownAt = 0;
  private visible = false;
  private readonly startedAt: number;

  private readonly shown: boolean;

  constructor(
    private readonly stderr: { write(text: string): unknown; isTTY?: boolean },
    env: Readonly<Record<string, string | undefined>>,
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
    this.shown = showsProgress(stderr, env);
  }

  add(bytes: number, records: number): void {
    this.bytes += bytes;
    this.records += records;
    if (!this.shown) return;
    const now = this.now();
    if (now - this.startedAt < 1000 || now - this.shownAt < 250) return;
    this.shownAt = now;
    this.visible = true;
    const mb = (this.bytes / 1e6).toFixed(1);
    this.stderr.write(
      `\r\u001b[Kleaklog: ${mb} MB read, ${this.records.toLocaleString("en-US")} records`,
    );
  }

  /** Erases the line, if shown: when the run is done, or before another line on stderr. */
  done(): void {
    if (this.visible) this.stderr.write("\r\u001b[K");
    this.visible = false;
  }
}

/**
 * Whether stderr takes a progress line: a terminal that takes escape codes (takesEscapeCodes),
 * but not a CI job's. Buildkite runs a job's command in a pseudo-terminal, and its log kept
 * every update of the line; CI systems set `CI` (GitHub, GitLab, Buildkite, Jenkins' plugins,
 * Travis, CircleCI), and `CI=false` or `0` is no CI.
 */
export function showsProgress(
  stderr: { isTTY?: boolean },
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  if (!takesEscapeCodes(stderr, env)) return false;
  const ci = (env["CI"] ?? "").trim().toLowerCase();
  return ci === "" || ci === "false" || ci === "0";
}
