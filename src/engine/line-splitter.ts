import { isAscii } from "node:buffer";

/**
 * Cuts a byte stream into lines. Works on bytes and decodes each line on its own
 * (`buf.toString("utf8", start, end)`): a newline byte never occurs inside a UTF-8 sequence, this
 * is the fastest way Node has to make line strings, and every line is a flat string of its own,
 * so a field a parser keeps (a function name, a command) does not pin the whole chunk it came
 * from in memory. Handles LF and CRLF (terminal captures), a final line with no terminator, and
 * lines longer than `maxLineLength` bytes, which are cut at the limit so that memory stays
 * bounded and no regular expression ever runs on a giant line.
 */
export class LineSplitter {
  /** Bytes of the current, unfinished line (at most maxLineLength of them). */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Bytes of the current line dropped beyond the limit. */
  private dropped = 0;
  /** Whether the last byte kept or dropped of the current line is a CR (its CRLF's half). */
  private endsInCr = false;
  private lineNo = 0;
  /** Whether the input's last line had no line end (see endedMidLine). */
  private unterminated = false;
  /**
   * A parser's byte path (LineParser.asciiLine), tried first on each whole line of an ASCII
   * chunk: the number of lines it took from there (0: none), which never become strings.
   */
  asciiLine: ((buf: Buffer, start: number, end: number, lineNo: number) => number) | undefined;

  constructor(
    private readonly onLine: (text: string, lineNo: number, truncatedFrom?: number) => void,
    private maxLineLength: number,
  ) {}

  /** The cap on a line's bytes now. */
  get lineCap(): number {
    return this.maxLineLength;
  }

  /** Changes the cap, before the first line (see InputFormat.lineCapFor). */
  set lineCap(bytes: number) {
    this.maxLineLength = bytes;
  }

  /** Number of lines emitted so far. */
  get lines(): number {
    return this.lineNo;
  }

  push(chunk: Buffer): void {
    // A chunk of ASCII only (nearly every chunk of a log) decodes byte for byte: Latin-1 gives
    // the same strings faster than UTF-8, which must validate (measured on the 105 MB XML
    // bench log: 210-220 against 260-280 ms for all its lines; the check is 3 ms).
    const ascii = isAscii(chunk);
    const decodeLine = ascii ? decodeAscii : decode;
    let start = 0;
    let nl = chunk.indexOf(10, start);
    while (nl !== -1) {
      // The limit is on the line's text: a CRLF line of exactly the limit is not cut.
      const end = endOfLine(chunk, start, nl);
      if (this.pendingBytes === 0 && this.dropped === 0 && end - start <= this.maxLineLength) {
        // Read per line: the parser, and its byte path, can be chosen in the middle of a chunk.
        const asciiLine = ascii ? this.asciiLine : undefined;
        const taken = asciiLine === undefined ? 0 : asciiLine(chunk, start, end, this.lineNo + 1);
        if (taken === 0) this.emit(decodeLine(chunk, start, end));
        else {
          this.lineNo += taken;
          // The lines taken after this one end in the chunk (LineParser.asciiLine): only
          // their line ends are looked for, natively, with no call per line into the parser.
          for (let more = taken - 1; more > 0; more -= 1) {
            const next = chunk.indexOf(10, nl + 1);
            if (next === -1) break;
            nl = next;
          }
        }
      } else {
        this.keep(chunk, start, nl);
        this.emitPending();
      }
      start = nl + 1;
      nl = chunk.indexOf(10, start);
    }
    if (start < chunk.length) this.keep(chunk, start, chunk.length);
  }

  end(): void {
    if (this.pendingBytes === 0 && this.dropped === 0) return;
    // A line whose CR alone came (a CRLF log cut between the two) is whole.
    this.unterminated = !this.endsInCr;
    this.emitPending();
  }

  /**
   * Whether the input ended inside its last line, with no line end after it: a log cut while
   * it was written (a killed job, `head -c`), whose last line may be any prefix of what was
   * printed. Known after end().
   */
  get endedMidLine(): boolean {
    return this.unterminated;
  }

  /** Keeps bytes of an unfinished line, up to the limit; counts the rest. */
  private keep(chunk: Buffer, start: number, end: number): void {
    // A chunk may end between the CR and the LF: only a non-empty piece moves the line's end.
    if (end > start) this.endsInCr = chunk[end - 1] === 13;
    const room = Math.max(0, this.maxLineLength - this.pendingBytes);
    const take = Math.min(room, end - start);
    if (take > 0) {
      // Copied: the chunk's memory must not stay alive because of a line's first bytes.
      this.pending.push(Buffer.from(chunk.subarray(start, start + take)));
      this.pendingBytes += take;
    }
    this.dropped += end - start - take;
  }

  private emitPending(): void {
    // The line's closing CR is no part of its text or its length, whether it was kept or
    // dropped: a CRLF line one byte over the limit in text lost only its CR, and is not cut.
    const cr = this.endsInCr ? 1 : 0;
    const dropped = this.dropped > 0 ? this.dropped - cr : 0;
    const kept = this.dropped > 0 ? this.pendingBytes : this.pendingBytes - cr;
    const bytes = Buffer.concat(this.pending, this.pendingBytes);
    const text = bytes.toString("utf8", 0, kept);
    const total = kept + dropped;
    const truncated = dropped > 0;
    this.pending = [];
    this.pendingBytes = 0;
    this.dropped = 0;
    this.endsInCr = false;
    if (truncated) {
      this.lineNo += 1;
      this.onLine(text, this.lineNo, total);
    } else this.emit(text);
  }

  private emit(text: string): void {
    this.lineNo += 1;
    this.onLine(text, this.lineNo);
  }
}

/** The end of a line's text: before a CR that precedes the LF. */
function endOfLine(buf: Buffer, start: number, nl: number): number {
  return nl > start && buf[nl - 1] === 13 ? nl - 1 : nl;
}

/**
 * `buf.toString("utf8", start, end)` without the argument checks of toString and slice, which
 * were a twentieth of a Valgrind parse (profiled on 300 MB of the bench log): Buffer's own
 * utf8Slice, which Node has had since its first releases, when it is there.
 */
type Slice = (start: number, end: number) => string;
const { utf8Slice, latin1Slice } = Buffer.prototype as { utf8Slice?: Slice; latin1Slice?: Slice };
const decode: (buf: Buffer, start: number, end: number) => string =
  utf8Slice !== undefined
    ? (buf, start, end) => utf8Slice.call(buf, start, end)
    : (buf, start, end) => buf.toString("utf8", start, end);
/** `buf.toString("latin1", start, end)` (see decode): ASCII bytes as a string, for byte paths. */
export const decodeAscii: (buf: Buffer, start: number, end: number) => string =
  latin1Slice !== undefined
    ? (buf, start, end) => latin1Slice.call(buf, start, end)
    : (buf, start, end) => buf.toString("latin1", start, end);
