/**
 * A one-line progress display on stderr for inputs that take more than a second: bytes read and
 * records found. Only on a terminal (never in CI logs or pipes); it erases itself when done.
 */
export class Progress {
  private bytes = 0;
  private records = 0;
  private shownAt = 0;
  private visible = false;
  private readonly startedAt: number;

  constructor(
    private readonly stderr: { write(text: string): unknown; isTTY?: boolean },
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
  }

  add(bytes: number, records: number): void {
    this.bytes += bytes;
    this.records += records;
    if (this.stderr.isTTY !== true) return;
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
