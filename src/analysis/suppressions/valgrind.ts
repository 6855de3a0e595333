import type { RegisteredDiagnostic } from "../../model/index.js";
import { readExtraLine, recogniseKind, type ExtraInfo } from "./valgrind-kinds.js";

/**
 * Valgrind suppression files, as the manual's "Suppressing errors" section describes them and
 * coregrind/m_errormgr.c (load_one_suppressions_file) reads them:
 *
 *     {
 *        name
 *        Memcheck:Leak                      tool1,tool2:Kind
 *        match-leak-kinds: definite,possible  (Leak only; Param and FishyValue take a line too)
 *        fun:malloc                         fun:, obj:, src:file[:line] or "..."
 *        ...
 *     }
 *
 * Blank lines and lines starting with `#` are skipped everywhere, and lines are trimmed.
 */

/** Valgrind's default `--num-callers`. */
export const DEFAULT_NUM_CALLERS = 12;

/** One location line of a suppression, innermost first like the stacks it matches. */
export type SuppressionFrame =
  | { type: "fun" | "obj"; pattern: string }
  | { type: "src"; pattern: string; line?: number }
  | { type: "..." };

/** The four leak kinds `match-leak-kinds:` names (mc_leakcheck.c's Reachedness tokens). */
export type ValgrindLeakKind = "definite" | "indirect" | "possible" | "reachable";

/** One `{ ... }` entry of a suppression file. */
export interface ValgrindSuppression {
  name: string;
  /** The tools of `tool1,tool2:Kind` (`Memcheck`, `CoreError`, `Helgrind`, ...). */
  tools: string[];
  /** The kind after the colon: `Leak`, `Addr4`, `Param`, `FdNotClosed`, ... */
  kind: string;
  /**
   * False for entries of other tools (Helgrind, DRD): Valgrind skips them without complaint, and
   * so do leaklog's matcher and its unused-suppression list.
   */
  memcheck: boolean;
  /** Param's syscall line (`write(buf)`), FishyValue's `function(argument)`. */
  extra?: string;
  /** Leak kinds the entry matches; every kind when the file gives no `match-leak-kinds:`. */
  leakKinds?: ValgrindLeakKind[];
  frames: SuppressionFrame[];
  /** The suppression file's path as given. */
  path: string;
  /** 1-based line of the entry's name, where Valgrind's `-v` output points too. */
  line: number;
}

/** The entries of one file and what was wrong with it (file and line on every problem). */
export interface ValgrindSuppressionFile {
  suppressions: ValgrindSuppression[];
  problems: RegisteredDiagnostic[];
}

interface Line {
  text: string;
  no: number;
}

/** Thrown inside the parser only; becomes a diagnostic and the reader skips to the next `}`. */
class SyntaxProblem extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/**
 * Parses a Valgrind suppression file. Valgrind stops at the first malformed entry ("FATAL: in
 * suppressions file ... near line N"); here each malformed entry is an error diagnostic with
 * its file and line, and reading resumes after the entry's closing brace.
 */
export function parseValgrindSuppressions(
  text: string,
  path = "<suppressions>",
): ValgrindSuppressionFile {
  const lines = meaningfulLines(text);
  const out: ValgrindSuppressionFile = { suppressions: [], problems: [] };
  let at = 0;
  while (at < lines.length) {
    const start = at;
    try {
      const reader = new Reader(lines, at, lines[lines.length - 1]?.no ?? 1);
      out.suppressions.push(readEntry(reader, path));
      for (const note of reader.notes) {
        out.problems.push({ severity: "warning", code: "bad-suppression", path, ...note });
      }
      at = reader.at;
    } catch (error) {
      if (!(error instanceof SyntaxProblem)) throw error;
      out.problems.push({
        severity: "error",
        code: "bad-suppression",
        message: error.message,
        path,
        line: error.line,
      });
      at = skipPastBrace(lines, start);
    }
  }
  return out;
}

/**
 * m_errormgr.c's get_nbnc_line: lines trimmed, blank lines and `#` comments dropped (their line
 * numbers are kept for messages).
 */
function meaningfulLines(text: string): Line[] {
  const lines: Line[] = [];
  text.split("\n").forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed !== "" && !trimmed.startsWith("#")) lines.push({ text: trimmed, no: index + 1 });
  });
  return lines;
}

/** After a malformed entry: resume after its `}` (or at the next `{` when the `}` is missing). */
function skipPastBrace(lines: readonly Line[], start: number): number {
  for (let i = start + 1; i < lines.length; i += 1) {
    const text = lines[i]?.text;
    if (text === "}") return i + 1;
    if (text === "{") return i;
  }
  return lines.length;
}

/** A cursor over the meaningful lines. */
export class Reader {
  /** Problems Valgrind would not see with its default options: the entry is kept. */
  readonly notes: { message: string; line: number }[] = [];

  constructor(
    private readonly lines: readonly Line[],
    public at: number,
    private readonly lastLine: number,
  ) {}

  /** The next line, or a problem naming what was expected. */
  next(expected: string): Line {
    const line = this.lines[this.at];
    if (line === undefined)
      throw new SyntaxProblem(`unexpected end of file (${expected})`, this.lastLine);
    this.at += 1;
    return line;
  }

  peek(): Line | undefined {
    return this.lines[this.at];
  }

  fail(message: string, line: number): never {
    throw new SyntaxProblem(message, line);
  }
}

function readEntry(reader: Reader, path: string): ValgrindSuppression {
  const open = reader.next("expecting '{'");
  if (open.text !== "{")
    reader.fail(`expected '{' or end of file, found ${quote(open.text)}`, open.no);
  const name = reader.next("expecting the suppression's name");
  if (name.text === "}" || name.text === "{") reader.fail("unexpected '}': missing name", name.no);
  const toolLine = reader.next("expecting tool:kind");
  const colon = toolLine.text.indexOf(":");
  // `:Leak` names no tool: Valgrind skips it as another tool's entry (tool_name_present).
  if (colon < 0) {
    reader.fail(`malformed 'tool1,tool2,...:kind' line ${quote(toolLine.text)}`, toolLine.no);
  }
  const tools = toolLine.text.slice(0, colon).split(",");
  const kind = toolLine.text.slice(colon + 1);
  const memcheck = recogniseKind(tools, kind, toolLine.no, reader);
  const extra: ExtraInfo = memcheck ? readExtraLine(kind, reader) : {};
  const frames = memcheck ? readFrames(reader) : skipEntry(reader);
  return { name: name.text, tools, kind, memcheck, ...extra, frames, path, line: name.no };
}

/** Other tools' entries are skipped up to their `}`, as Valgrind does. */
function skipEntry(reader: Reader): SuppressionFrame[] {
  while (reader.next("expecting '}' of a skipped entry").text !== "}");
  return [];
}

function readFrames(reader: Reader): SuppressionFrame[] {
  const frames: SuppressionFrame[] = [];
  let line = reader.next("reading the stack; missing '}'?");
  while (line.text !== "}") {
    // VG_DEEPEST_BACKTRACE: Valgrind refuses longer stacks.
    if (frames.length === 500)
      reader.fail("too many callers in stack trace (500 at most)", line.no);
    const frame =
      frames.length < DEFAULT_NUM_CALLERS
        ? parseFrame(line, reader)
        : beyondCallers(line, reader, frames.length);
    if (frame === undefined) {
      while (line.text !== "}") line = reader.next("reading the stack; missing '}'?");
      break;
    }
    frames.push(frame);
    line = reader.next("reading the stack; missing '}'?");
  }
  if (frames.length === 0) {
    reader.fail("missing stack trace: no fun:, obj:, src: or ... line", line.no);
  }
  if (frames.every((f) => f.type === "...")) {
    reader.fail('the stack needs at least one location line that is not "..."', line.no);
  }
  return frames;
}

/**
 * A location line past the 12th. Valgrind reads no more lines than its `--num-callers` (12 by
 * default) and skips the rest unread: with a malformed one it runs, unless given more callers,
 * so the line is a warning (Reader.notes), and the entry keeps the lines before it (undefined).
 */
function beyondCallers(line: Line, reader: Reader, read: number): SuppressionFrame | undefined {
  try {
    return parseFrame(line, reader);
  } catch (error) {
    if (!(error instanceof SyntaxProblem)) throw error;
    reader.notes.push({
      message: `location line ${read + 1} ${quote(line.text)} is malformed: Valgrind reads only the first --num-callers lines (12 by default) and refuses it with more`,
      line: line.no,
    });
    return undefined;
  }
}

/** setLocationTy: `fun:`, `obj:`, `src:file[:line]` or exactly `...`. */
function parseFrame(line: Line, reader: Reader): SuppressionFrame {
  const { text } = line;
  if (text === "...") return { type: "..." };
  const prefix = text.slice(0, 4);
  const pattern = text.slice(4);
  if (prefix === "fun:" || prefix === "obj:")
    return { type: prefix === "fun:" ? "fun" : "obj", pattern };
  if (prefix === "src:") {
    const colon = pattern.indexOf(":");
    if (colon === -1) return { type: "src", pattern };
    const lineNo = Number(pattern.slice(colon + 1));
    // Valgrind refuses line 0 too (`src:x.c:0` is no "any line").
    if (!Number.isInteger(lineNo) || lineNo < 1)
      reader.fail(`bad line number in ${quote(text)}`, line.no);
    return { type: "src", pattern: pattern.slice(0, colon), line: lineNo };
  }
  if (text === "{") reader.fail("unexpected '{': the previous entry has no '}'", line.no);
  return reader.fail(
    `location should be "...", or start with "fun:", "obj:" or "src:", found ${quote(text)}`,
    line.no,
  );
}

function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}...` : text);
}
