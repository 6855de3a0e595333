import type { TokenType } from "chevrotain";
import { classifyLine } from "../../../grammars/valgrind/line-kinds.js";
import * as T from "../../../grammars/valgrind/line-kinds.js";
import type { ParseSink } from "../types.js";
import { findGluedPrefix, type GluedPrefix, type PrefixedLine } from "./prefix.js";

// `==193==19319== Invalid write`: an exec'd child reopened the log and clobbered a line.
const CLOBBERED = /^[=*-]?\d+([=*-])\1 ?/;
// Searches for glued lines in one log line. Real ones hold one (forkexec.txt, mixed2_q.txt); a
// hostile `==7== 1 ==7== 1 ...` was cut once per prefix, recursing as deep, and classifying each
// rest: the 60,000-character lines of test/hostile/lines.test.ts took 0.7 s instead of 0.13 s.
const MAX_GLUED_PER_LINE = 4;

/**
 * Whether a line of kind `kind` may hide another process's line glued after its cut. A line
 * Valgrind's grammar does not know may hold one anywhere. A line of a known kind may be cut too:
 * an exec'd child reopening a shared --log-file writes over its parent's lines, and the parent's
 * next write ends a line of the child's where it lands, whatever its kind. What is left still
 * reads as that kind by its start (`   at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload`
 * then `==3760== 9 bytes in 1 blocks are ...`, a frame line; `indirectly lost: 0 bytes in
 * 0==26302== Invalid read`, a summary line), or by the glued line's end (`10 bytes in 1 blocks
 * are definitely lost in los==2993== 9 bytes in 1 blocks are definitely lost in loss record 1 of
 * 1`, a loss record's headline; test/fixtures/valgrind/log-file-shared/glued-records). Such a
 * line is searched only when it holds `==`, which Valgrind's own words never do (a program's
 * names and arguments may: `operator==`), so few are; a frame line that holds a prefix is not
 * known from its bytes either (see FrameLines), and comes here.
 */
function mayHideGluedLine(kind: TokenType, body: string): boolean {
  return kind === T.TextLine || body.includes("==");
}

/**
 * The kind of what is left of a line of kind `kind` before another process's line glued after
 * its cut: a line not understood, for it is damaged (a cut frame line may have lost digits of
 * its line number: `main (lone.c:9` of `lone.c:93)`), but for a loss record's headline, whose
 * kind the glued line's `in loss record 1 of 1` made: it stays one, which is not read and is
 * told of as a loss record lost (its leak not counted, the log incomplete), not as an error of
 * unknown kind or a line alone.
 */
function cutHeadKind(kind: TokenType, head: string): TokenType {
  return kind === T.LossRecord && LOSS_RECORD_START.test(head) ? T.LossRecord : T.TextLine;
}

/**
 * A loss record headline's start, `10 bytes in` or `82 (32 direct, ...`; the other lines that
 * start with a count (`N errors in context X of Y:`) go on with a word of their own.
 */
const LOSS_RECORD_START = /^[\d,]+ [b(]/;

/** A log line cut by another process's line glued after the cut (see GluedLines.afterCut). */
export interface CutLine {
  /** The glued line's prefix. */
  prefixed: PrefixedLine;
  /** What is left of the cut line, and the kind to read it as (see cutHeadKind). */
  head: { kind: TokenType; text: string } | undefined;
  /** The glued line, from its prefix on. */
  rest: string;
}

/**
 * Finds the Valgrind line that another write left inside a log line: glued after program text
 * or after a cut Valgrind line, or clobbered into a prefix. Which prefix is taken there, and
 * how often one log line is searched, is decided here; the text parser reads what is found.
 */
export class GluedLines {
  /** The log line last searched for glued lines, and how many searches it has had. */
  private gluedLineNo = 0;
  private gluedSearches = 0;

  constructor(
    private readonly sink: ParseSink,
    /** True once a Valgrind line (not only text lines a program may fake) came with this PID. */
    private readonly spokeFor: (pid: number) => boolean,
  ) {}

  /** The Valgrind line glued after the program text that starts `text`, if any. */
  afterProgramText(text: string, lineNo: number): GluedPrefix | undefined {
    // `E         ==16069== ERROR SUMMARY: ...`: an assertion message quoting Valgrind's stderr
    // made a process of the quoted lines, cut after its -s recap: a false incomplete (campaign
    // v14 F4). A whole quoted run was read as a real one, its errors and leaks with it.
    if (PYTEST_REPORT_LINES.some((pattern) => pattern.test(text))) return undefined;
    if (!this.mayCut(lineNo)) return undefined;
    const glued = findGluedPrefix(text, 1, this.acceptAfterProgramText);
    // Quoted text, `\n==16068== ERROR SUMMARY: ... (suppressed: 0 from 0)\n").returncode`:
    // pytest's repr of a CompletedProcess holding Valgrind's stderr, its line ends escaped, made
    // a second run of the PID and a false summary-mismatch (campaign bl). An escaped line end
    // before the prefix alone is program text that ends so (`"hello\n`, campaign v14): the line
    // after it must hold one too, which none of Valgrind's does.
    if (glued === undefined) return undefined;
    const before = text.slice(Math.max(0, glued.at - 2), glued.at);
    const quoted =
      ESCAPED_LINE_END.test(before) && ESCAPED_LINE_END_INSIDE.test(text.slice(glued.at));
    return quoted ? undefined : glued;
  }

  /**
   * Another process's line glued after the cut of `body`, a line of kind `kind` (see
   * mayHideGluedLine), and what is left of the cut line, if anything.
   */
  afterCut(kind: TokenType, body: string, lineNo: number): CutLine | undefined {
    if (!mayHideGluedLine(kind, body) || !this.mayCut(lineNo)) return undefined;
    const glued = findGluedPrefix(body, 0, this.acceptAfterCut);
    if (glued === undefined) return undefined;
    const text = body.slice(0, glued.at);
    const head = text === "" ? undefined : { kind: cutHeadKind(kind, text), text };
    return { prefixed: glued.prefixed, head, rest: body.slice(glued.at) };
  }

  /**
   * Whether a prefix found after program text is Valgrind's. The shape alone is not enough:
   * programs print `==` (`a == b`) and even fake `==1234== ...` lines (mixed_2to1.txt). A PID
   * Valgrind has already spoken for is taken whatever follows (an empty body closes a block:
   * `tail without newline==15189== `); a new PID only when its body is a line Valgrind writes,
   * because with -q the glued line can be a log's very first (mixed2_q.txt).
   */
  private readonly acceptAfterProgramText = (prefixed: PrefixedLine): boolean =>
    this.spokeFor(prefixed.pid) ||
    (prefixed.marker === "=" && classifyLine(prefixed.body) !== T.TextLine);

  /**
   * Inside a Valgrind line that is not understood, any `==PID== ` is taken: the line was an
   * unrecognized line whole, so a wrong cut only makes it two. The PID is often new there: the
   * clobbering child overwrote the earlier lines (forkexec.txt), or a concatenated log starts
   * a process (`82 (32 direct, 50 ind==12851== Memcheck, a memory error detector`). `--PID--`
   * and `**PID**` still need a known PID: their bodies are dropped or kept as client messages.
   */
  private readonly acceptAfterCut = (prefixed: PrefixedLine): boolean =>
    prefixed.marker === "=" || this.spokeFor(prefixed.pid);

  /** Counts one more search for a glued line in log line `lineNo`; false past the cap. */
  private mayCut(lineNo: number): boolean {
    if (this.gluedLineNo !== lineNo) {
      this.gluedLineNo = lineNo;
      this.gluedSearches = 0;
    }
    this.gluedSearches += 1;
    return this.gluedSearches <= MAX_GLUED_PER_LINE;
  }

  /** Warns of a clobbered line (see isClobbered) and returns the inner line to read instead. */
  clobberedInner(text: string, body: string, lineNo: number): string {
    this.sink.diagnostic({
      severity: "warning",
      code: "clobbered-line",
      message: `two processes wrote into one log line; read the inner one: ${JSON.stringify(text.slice(0, 80))}`,
      line: lineNo,
    });
    return body.startsWith("=") || body.startsWith("-") || body.startsWith("*")
      ? body
      : `==${body}`;
  }
}

/** Whether a prefixed line's body starts with another prefix, or its rest (see CLOBBERED). */
export function isClobbered(body: string): boolean {
  return mayBeClobbered(body) && CLOBBERED.test(body);
}

/** Only a body starting with a digit or a prefix marker can be a clobbered line. */
function mayBeClobbered(body: string): boolean {
  const c = body.charCodeAt(0);
  return (c >= 48 && c <= 57) || c === 61 || c === 45 || c === 42;
}

/** pytest's `--color=yes` (a CI's choice) puts SGR sequences (`ESC[1mESC[31m`) before a marker. */
const SGR = String.raw`(?:\x1b\[[\d;]{0,12}m){0,3}`;
/**
 * Lines of pytest's report of failed tests, which quote what a test held (`assert
 * r.returncode == 0, r.stderr` quotes a run's whole stderr); Valgrind writes nothing after them.
 * Its `FormattedExcinfo` puts `E` before each line of the exception's message and `>` before the
 * failing source line, then at least three spaces (four and the source line's indent, less the
 * marker's column); its short test summary, `FAILED test_x.py::test_a - AssertionError: ...`,
 * quotes the message's first line.
 */
const PYTEST_REPORT_LINES = [
  new RegExp(`^${SGR}[E>] {3}`),
  new RegExp(`^${SGR}(?:FAILED|ERROR)${SGR} [^ ]{0,200}\\.py(?:::| )`),
] as const;

/** `\n` or `\r` as a string literal or a repr spells a line end. */
const ESCAPED_LINE_END = /^\\[nr]$/;
const ESCAPED_LINE_END_INSIDE = /\\[nr]/;
