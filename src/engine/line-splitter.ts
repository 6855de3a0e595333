/**
 * Cuts a stream of text chunks into lines. Handles LF and CRLF (terminal captures), a final line
 * with no terminator, and lines longer than `maxLineLength`, which are cut at the limit so that
 * memory stays bounded and no regular expression ever runs on a giant line.
 */
export class LineSplitter {
  private pending = "";
  private overflowing = false;
  private lineNo = 0;

  constructor(
    private readonly onLine: (text: string, lineNo: number, truncatedFrom?: number) => void,
    private readonly maxLineLength: number,
  ) {}

  /** Number of lines emitted so far. */
  get lines(): number {
    return this.lineNo;
  }

  push(chunk: string): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf("\n", start);
      if (nl === -1) break;
      this.take(chunk.slice(start, nl), true);
      start = nl + 1;
    }
    if (start < chunk.length) this.take(chunk.slice(start), false);
  }

  end(): void {
    if (this.pending.length > 0 || this.overflowing) this.emit();
  }

  private take(piece: string, complete: boolean): void {
    if (this.overflowing) {
      this.droppedLength += piece.length;
    } else if (this.pending.length + piece.length > this.maxLineLength) {
      const room = this.maxLineLength - this.pending.length;
      this.droppedLength = piece.length - room;
      this.pending += piece.slice(0, room);
      this.overflowing = true;
    } else {
      this.pending = this.pending.length === 0 ? piece : this.pending + piece;
    }
    if (complete) this.emit();
  }

  private droppedLength = 0;

  private emit(): void {
    let text = this.pending;
    if (text.endsWith("\r")) text = text.slice(0, -1);
    this.lineNo += 1;
    if (this.overflowing) this.onLine(text, this.lineNo, this.pending.length + this.droppedLength);
    else this.onLine(text, this.lineNo);
    this.pending = "";
    this.overflowing = false;
    this.droppedLength = 0;
  }
}
