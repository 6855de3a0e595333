import { fitsSuppressionLine } from "../../../grammars/valgrind/suppression-lines.js";

// A suppression block longer than this is not one: give its lines back as program output.
const MAX_SUPPRESSION_LINES = 500;

/**
 * Reads the unprefixed lines of a text log: `--gen-suppressions` blocks (`{` ... `}`, handed to
 * `closed`) and the program's own output (handed to `programLine`). A block is held only while
 * its lines keep the shape Valgrind writes (grammars/valgrind/suppression-lines.ts); at the
 * first line that breaks it, every held line goes back as program output, so that a program's
 * own `{ ... }` (JSON in jsonout_2to1.txt) is neither taken for a suppression nor lost.
 */
export class SuppressionBlocks {
  private open: OpenBlock | undefined;

  constructor(
    private readonly programLine: (line: number, text: string) => void,
    /** A whole block, and the log line of its `{`. */
    private readonly closed: (block: string, line: number) => void,
  ) {}

  line(text: string, lineNo: number): void {
    if (this.open?.cut === true && this.rejoined(this.open, text)) return;
    const open = this.open;
    if (open !== undefined) {
      if (fitsSuppressionLine(text, open.lines.length)) {
        open.lines.push(text);
        open.lineNos.push(lineNo);
        if (text === "}") this.close(open);
        else if (open.lines.length > MAX_SUPPRESSION_LINES) this.abandon();
        return;
      }
      // This line is read afresh once the held ones are out: it may open a block itself.
      this.abandon();
    }
    if (text === "{") {
      this.open = { lines: [text], lineNos: [lineNo], cut: false };
      return;
    }
    this.programLine(lineNo, text);
  }

  /**
   * The head of an unprefixed line that another process's write cut: Valgrind writes a long
   * block in 510-byte pieces (m_libcprint.c's printf buffer), and a forked child sharing the log
   * can write between two (`   fun:paren==23563==    by 0x109255: ...`, then `t_leaks` on the
   * next line, in test/fixtures/valgrind/gensupp/fork-race.txt). Inside a block, the head is
   * held as it is, and the next unprefixed line is taken for its rest when the two make a line
   * of the block.
   */
  cutLine(text: string, lineNo: number): void {
    const open = this.open;
    if (open === undefined) {
      this.line(text, lineNo);
      // A cut `{`: its rest is the empty rest of its line.
      if (this.open !== undefined) this.open.cut = true;
      return;
    }
    open.lines.push(text);
    open.lineNos.push(lineNo);
    open.cut = true;
  }

  /** End of the log: a block still open was never closed, so it was not one. */
  end(): void {
    if (this.open !== undefined) this.abandon();
  }

  /**
   * Whether `text` was the rest of the block's cut last line, now joined to it. When it is not,
   * a head that is no line of the block either breaks the block, as any such line does.
   */
  private rejoined(open: OpenBlock, text: string): boolean {
    open.cut = false;
    const at = open.lines.length - 1;
    const head = open.lines[at] ?? "";
    const whole = head + text;
    if (at === 0 ? whole === "{" : fitsSuppressionLine(whole, at)) {
      open.lines[at] = whole;
      if (whole === "}") this.close(open);
      return true;
    }
    if (at > 0 && !fitsSuppressionLine(head, at)) this.abandon();
    return false;
  }

  private close(open: OpenBlock): void {
    this.open = undefined;
    this.closed(open.lines.join("\n"), open.lineNos[0] ?? 0);
  }

  private abandon(): void {
    const { lines = [], lineNos = [] } = this.open ?? {};
    this.open = undefined;
    // Each line keeps its own number: another process's prefixed lines may sit between them.
    lines.forEach((text, i) => this.programLine(lineNos[i] ?? 0, text));
  }
}

interface OpenBlock {
  lines: string[];
  lineNos: number[];
  /** The last line was cut by another process's write: its rest may be the next line. */
  cut: boolean;
}
