import type { InputFormat } from "../formats/types.js";

/**
 * The lines detection looks at together. Sanitizer reports and Valgrind output mixed into a
 * program's stderr can start after thousands of lines of the program's own output, and a CI
 * job's log after a build of tens of thousands: when no format claims a full window, it slides
 * on (see DetectionWindow), so detection reads the whole input, never more than this at once.
 */
export const DETECTION_LINES = 10_000;
/** Characters of held lines at most (bounds memory while no format has claimed the log). */
export const DETECTION_CHARS = 4 << 20;
/**
 * The lines a window keeps when it slides (at most a quarter of DETECTION_CHARS): the start of
 * a record whose next lines make the next window claimed. A Valgrind record needs three
 * `==PID==` lines to be claimed (valgrind/index.ts), a sanitizer report's separator line comes
 * before its header; 64 lines also keep program output interleaved there, for 0.6% more
 * detection work.
 */
const KEPT_LINES = 64;
/** The non-blank first lines of an input that tell a known other output (see other-outputs.ts). */
const FIRST_LINES = 8;

/** Detection runs on the first 8 lines, then at every power of two: cheap on long heads. */
export function isDetectionPoint(lines: number): boolean {
  return lines <= 8 || (lines & (lines - 1)) === 0;
}

/** The format most sure of the head, or undefined when none claims it at all. */
export function detectFormat(
  formats: readonly InputFormat[],
  head: readonly string[],
): { format: InputFormat; score: number } | undefined {
  let best: { format: InputFormat; score: number } | undefined;
  for (const format of formats) {
    const score = format.detect(head);
    if (score > 0 && (best === undefined || score > best.score)) best = { format, score };
  }
  return best;
}

/** A line held for detection, with its 1-based line number in the input. */
export interface HeldLine {
  text: string;
  lineNo: number;
}

/**
 * The lines held while no format has claimed the input: its first lines, then, once a full
 * window was claimed by none (campaign bs F1: a CI job's log whose build printed 12,000 lines
 * before its Valgrind step was "not a log leaklog can read"), the last lines, the older ones
 * dropped (see slide). Memory stays bounded by DETECTION_CHARS and one line.
 */
export class DetectionWindow {
  readonly lines: HeldLine[] = [];
  /** Whether lines were dropped: the window is past the input's first lines. */
  slid = false;
  /** The input's first non-blank lines (a known other output is told by them). */
  readonly firstLines: string[] = [];
  private chars = 0;

  /**
   * Holds a line, and says when to detect: `full` (a format must be found, or the window
   * slides), `point` (a sure format may claim the input's first lines early), or undefined.
   * Detection points are for the first window only: a later window is tried when full, so
   * each line costs the detectors about one look.
   */
  add(text: string, lineNo: number): "full" | "point" | undefined {
    this.lines.push({ text, lineNo });
    this.chars += text.length;
    if (this.firstLines.length < FIRST_LINES && text.trim() !== "") this.firstLines.push(text);
    if (this.lines.length >= DETECTION_LINES || this.chars >= DETECTION_CHARS) return "full";
    return !this.slid && isDetectionPoint(this.lines.length) ? "point" : undefined;
  }

  /** Whether a line so far held more than blanks. */
  get sawText(): boolean {
    return this.firstLines.length > 0;
  }

  texts(): string[] {
    return this.lines.map((l) => l.text);
  }

  /**
   * Drops the oldest lines of a full window no format claimed, keeping the last KEPT_LINES
   * (within a quarter of DETECTION_CHARS, so that the next window takes new lines), and returns
   * the dropped ones. Losing them is safe because no detector found its format in them, so they
   * are the program's output (or another tool's), and the claiming format's parser starts from
   * the window with their line numbers: Valgrind's XML is claimed at its `<?xml` or
   * `<valgrindoutput>` line, so nothing of its document comes before; a sanitizer at any line of
   * its reports' shapes, and MEMWATCH at its banner or any of its messages, so none of theirs
   * is dropped; Valgrind's text at its banner, a summary or its third `==PID==` line, so at most
   * two of its lines are dropped, which the kept lines hold when they start a record the next
   * window claims (test/fixtures/late-start/q.txt). What parsers learn from program lines
   * (valgrind/split-writes.ts: their shapes) they learn from the window's. memleax and
   * leaklog-json are not looked for past the first window (InputFormat.headOnly).
   */
  slide(): HeldLine[] {
    let kept = 0;
    let keptChars = 0;
    for (let i = this.lines.length - 1; i >= 0 && kept < KEPT_LINES; i -= 1) {
      const chars = (this.lines[i] as HeldLine).text.length;
      if (keptChars + chars > DETECTION_CHARS / 4) break;
      kept += 1;
      keptChars += chars;
    }
    this.slid = true;
    this.chars = keptChars;
    return this.lines.splice(0, this.lines.length - kept);
  }

  clear(): void {
    this.lines.length = 0;
    this.chars = 0;
  }
}
