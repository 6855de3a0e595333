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
  private open: { lines: string[]; lineNos: number[] } | undefined;

  constructor(
    private readonly programLine: (line: number, text: string) => void,
    /** A whole block, and the log line of its `{`. */
    private readonly closed: (block: string, line: number) => void,
  ) {}

  line(text: string, lineNo: number): void {
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
      this.open = { lines: [text], lineNos: [lineNo] };
      return;
    }
    this.programLine(lineNo, text);
  }

  /** End of the log: a block still open was never closed, so it was not one. */
  end(): void {
    if (this.open !== undefined) this.abandon();
  }

  private close(open: { lines: string[]; lineNos: number[] }): void {
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
