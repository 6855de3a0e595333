import { DEFAULT_FINGERPRINT_OPTIONS, type FingerprintOptions } from "../analysis/fingerprint.js";
import type { SeverityPolicy } from "../analysis/severity.js";
import {
  FATAL_CODES,
  type FormatId,
  type RegisteredDiagnostic,
  type Source,
} from "../model/index.js";
import type { InputFormat, LineParser, ParseSink } from "../formats/types.js";
import { CiTimestamps } from "./ci-timestamps.js";
import { ConsolePrefixes } from "./console-prefixes.js";
import { CtestVerbose, type Line } from "./ctest-verbose.js";
import { otherOutput } from "./other-outputs.js";
import { embeddedSink, forwardingProgramLines } from "./embedded-sink.js";
import { SharedPids } from "./shared-pids.js";
import { detectFormat, DetectionWindow } from "./detect.js";
import { BINARY_PROBE_BYTES, InputProbe } from "./input-probe.js";
import { LineSplitter } from "./line-splitter.js";
import type { ParseReuse } from "./parse-reuse.js";
import { SourceBuilder, type ParseEvent } from "./source-builder.js";

export interface EngineOptions {
  /** The log's path as the user gave it (`-` for stdin); goes into every location. */
  path: string;
  /** Record id prefix, unique per source within one run (`"0:"`). */
  idPrefix?: string;
  /** A format id, or "auto" to detect from the lines (see DetectionWindow). */
  format?: FormatId | "auto";
  formats: readonly InputFormat[];
  /**
   * Longer lines are cut to this many characters (with a diagnostic) before any parser sees
   * them: it bounds memory on a log with a 20 MB line and keeps every regex linear-time.
   */
  maxLineLength?: number;
  maxLineDiagnostics?: number;
  fingerprint?: FingerprintOptions;
  severityPolicy?: SeverityPolicy | undefined;
  /** An empty input is a clean run with nothing to report, not an unusable one (see below). */
  allowEmpty?: boolean;
  /** Tables shared with the other parses of a run (see ParseReuse). */
  reuse?: ParseReuse;
  onEvent: (event: ParseEvent) => void;
}

/** Why a source gave nothing usable; the CLI exits 2 on it. */
export interface FatalProblem {
  code: (typeof FATAL_CODES)[number];
  message: string;
  /**
   * The 1-based line of the input that shows it, when one does (a damaged report's first bad
   * byte): the error diagnostic's line, where annotations point (campaign v16b F5).
   */
  line?: number;
}

export interface EngineResult {
  source: Source;
  fatal?: FatalProblem;
}

/**
 * The default line cap. Real C++ frames pass 64 KiB: an 82,943-byte `at` line from a nested
 * template (g++ 12, valgrind 3.19; the XML's <fn> line is as long) was cut, so text and XML of
 * one run gave two groups. Every parser's regular expressions are linear, so the cap bounds
 * memory, not time: measured per 1 MiB hostile line (repeated `a<` in <fn>, the worst found),
 * 0.56 s, and 0.99 s at 2 MiB.
 */
const DEFAULT_MAX_LINE_LENGTH = 1 << 20;
/** The line limit below which every line is read as text (see LineParser.asciiLine). */
const MIN_BYTE_PATH_LINE_LENGTH = 1 << 16;
/**
 * An empty input stays unusable (exit 2, see the README), but `valgrind -q` writes an empty log
 * when it has nothing to report (a clean run under valgrind 3.19, or leaks with
 * --leak-check=summary): the message says so, so that a user can tell that from a lost log.
 * `--xml=yes` with a `--log-file` also leaves the text log empty (valgrind 3.19: every record
 * goes to the XML file), and `leaklog summarize "vg.*"` then meets both files.
 */
const EMPTY_INPUT =
  "empty input: no log lines to read (valgrind -q writes nothing when it has no error or leak record to print, nor any leak without --leak-check=full, and --xml=yes writes its records to the XML file only; a tool that crashed before writing leaves nothing either; --allow-empty reads such logs as clean runs)";
/**
 * `valgrind ./prog | leaklog summarize -` pipes the program's output only: the checkers write
 * to standard error. The commonest way to hand leaklog nothing or no log, so standard input's
 * empty and unknown inputs say so.
 */
const PIPE_HINT =
  "; Valgrind and the sanitizers write to standard error, which a pipe carries only with 2>&1: valgrind ./prog 2>&1 | leaklog summarize -";

function withPipeHint(fatal: FatalProblem): FatalProblem {
  if (fatal.code !== "empty-input" && fatal.code !== "unknown-format") return fatal;
  return { ...fatal, message: fatal.message + PIPE_HINT };
}
/**
 * `ctest -T memcheck` runs every test under `valgrind -q --log-file=MemoryChecker.<n>.log`, so
 * each clean test leaves an empty log (seen with CMake 3.25 and valgrind 3.19): with
 * `--allow-empty` those are clean runs, still named in a note so that a lost log stays visible.
 */
const EMPTY_ALLOWED =
  "empty log, read as a clean run (--allow-empty): valgrind -q writes nothing when it has nothing to report (with --leak-check=full: without it, leaks too)";

/**
 * The I/O-free core shared by parse, parseFile and parseStream: push byte or text chunks, call
 * end(). Decodes UTF-8 across chunk borders, refuses binary data, detects the format from the
 * lines (see DetectionWindow), splits lines and feeds them to the format's parser. Chunking
 * never changes the result because every stage keeps its partial state between pushes.
 */
export class ParseEngine {
  private readonly splitter: LineSplitter;
  private readonly builder: SourceBuilder;
  /** The lines held until a format claims them (see DetectionWindow). */
  private readonly window = new DetectionWindow();
  private parser: LineParser | undefined;
  /** The parser of a format that shares the log (InputFormat.embeds): it reads program lines. */
  private embedded: LineParser | undefined;
  /** The PIDs the main and embedded parsers share, when the format embeds another. */
  private sharedPids: SharedPids | undefined;
  private format: InputFormat | undefined;
  private fatal: FatalProblem | undefined;
  private probed = false;
  /** A line with more than blanks was read: a forced format that read nothing met no empty log. */
  private sawText = false;
  /** The input ends its lines with CR alone (see releaseProbe). */
  private crLines = false;
  private readonly probe: InputProbe;
  private bytes = 0;
  /** `ctest -V`'s test numbers before the lines of each test's output (see CtestVerbose). */
  private readonly ctest = new CtestVerbose();
  /** Relay prefixes that may start at any line (console-prefixes.ts), and their PIDs' sources. */
  private readonly consoles = new ConsolePrefixes((message, line) =>
    this.builder.incomplete(message, line),
  );
  /** The CI timestamps on every line, false for none; undefined until a non-blank line tells. */
  private stamps: CiTimestamps | false | undefined;

  constructor(private readonly options: EngineOptions) {
    this.builder = new SourceBuilder({
      path: options.path,
      idPrefix: options.idPrefix ?? "",
      fingerprint: options.fingerprint ?? DEFAULT_FINGERPRINT_OPTIONS,
      severityPolicy: options.severityPolicy,
      maxLineDiagnostics: options.maxLineDiagnostics ?? 100,
      reuse: options.reuse,
      onEvent: options.onEvent,
    });
    this.splitter = new LineSplitter(
      (text, lineNo, truncatedFrom) => this.onStampedLine(text, lineNo, truncatedFrom),
      this.maxLineLength,
    );
    this.probe = new InputProbe(this.maxLineLength);
    if (options.format !== undefined && options.format !== "auto") {
      const chosen = options.formats.find((f) => f.id === options.format);
      if (chosen === undefined) throw new Error(`no input format "${options.format}"`);
      this.start(chosen);
    }
  }

  /**
   * Whether the input is already known to be unusable (binary, another kind of file): nothing
   * more it holds can change that, so its reader may stop. `cat /dev/zero | leaklog summarize -`
   * was read forever after its first 8 KiB were found binary, and a 10 GB core file to its end.
   */
  get refused(): boolean {
    return this.fatal !== undefined;
  }

  push(chunk: Uint8Array | string): void {
    if (this.fatal !== undefined) return;
    const bytes =
      typeof chunk === "string"
        ? Buffer.from(chunk, "utf8")
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.bytes += bytes.byteLength;
    if (this.probed) {
      this.splitter.push(this.crLines ? crToLf(bytes) : bytes);
      return;
    }
    // The first bytes are held until there are enough to judge (see InputProbe).
    if (this.probe.add(bytes)) this.releaseProbe();
  }

  /** Judges the held first bytes (binary or text), then feeds them all on. */
  private releaseProbe(): void {
    this.probed = true;
    const { head, hole, reason } = this.probe.release();
    if (reason !== undefined) {
      this.fatal = { code: "binary-input", message: reason };
      return;
    }
    // Lines ended by CR alone (classic Mac, `tr '\n' '\r'`, a terminal capture's raw mode) were
    // one line that matched nothing, and the log a clean complete run: told by the first 8 KiB
    // (whatever the chunks), which hold a CR and no LF.
    const start = head.subarray(hole, hole + BINARY_PROBE_BYTES);
    this.crLines = start.indexOf(10) === -1 && start.indexOf(13) !== -1;
    // A UTF-8 byte order mark (Notepad, PowerShell's `-Encoding UTF8`, GitHub Actions' log
    // downloads) is no part of the first line: it hid Valgrind's banner and memleax's first line.
    const text = hasUtf8Bom(head) ? head.subarray(3) : head;
    this.useFormatLineCap(text.subarray(0, BINARY_PROBE_BYTES));
    this.splitter.push(this.crLines ? crToLf(text) : text);
  }

  /** A format's own line cap for an input that starts like its documents (see lineCapFor). */
  private useFormatLineCap(head: Buffer): void {
    const forced = this.options.format !== undefined && this.options.format !== "auto";
    const formats = this.options.formats.filter((f) => !forced || f.id === this.options.format);
    const text = head.toString("latin1");
    for (const format of formats) {
      const cap = format.lineCapFor?.(text);
      if (cap !== undefined && cap > this.splitter.lineCap) this.splitter.lineCap = cap;
    }
  }

  /**
   * The input broke where the engine cannot see it (damaged or cut gzip data, see GzipInput; a
   * reader that failed, see DecodedInput): what came before is read, and the source is
   * incomplete; with nothing before, unusable.
   */
  inputBroken(
    reason: string,
    nothingRead: boolean,
    code: "binary-input" | "unreadable-input" = "binary-input",
  ): void {
    if (nothingRead) this.fatal ??= { code, message: reason };
    else this.builder.incomplete(reason);
  }

  /** Bytes after the input's gzip data were ignored (see recoverGunzip): said, not incomplete. */
  inputTrailing(message: string): void {
    this.builder.diagnostic({ severity: "warning", code: "gzip-trailing-garbage", message });
  }

  end(): EngineResult {
    if (!this.probed && this.fatal === undefined) this.releaseProbe();
    if (this.fatal === undefined) {
      this.splitter.end();
      if (this.stamps) this.stamps.end();
      this.ctest.releaseAll(this.readHeld);
      if (this.parser === undefined) this.decide(true);
      try {
        this.parser?.end(this.splitter.endedMidLine);
        this.embedded?.end();
      } catch (error) {
        this.internalError(error);
      }
      const reason = this.builder.unusableReason;
      if (reason !== undefined) this.fatal = reason;
      else if (this.forcedFormatReadNothing()) {
        const id = this.format?.id ?? "?";
        const { programLines, unrecognizedLines } = this.builder.counters;
        const message = `no line of this input is ${id} output (forced with --input-format ${id}; auto detects the format)`;
        // No line at all is the same empty log whatever the format: not a clean run of it.
        // A format that counts no lines of its own (leaklog-json) read text all the same.
        this.fatal =
          programLines + unrecognizedLines > 0 || this.sawText
            ? { code: "wrong-format", message }
            : { code: "empty-input", message: EMPTY_INPUT };
      }
    }
    if (this.fatal?.code === "empty-input" && this.options.allowEmpty === true) {
      this.fatal = undefined;
      const diagnostic: RegisteredDiagnostic = {
        severity: "info",
        code: "empty-input",
        message: EMPTY_ALLOWED,
        path: this.options.path,
      };
      this.options.onEvent({ type: "diagnostic", diagnostic });
    }
    if (this.fatal !== undefined && this.options.path === "-")
      this.fatal = withPipeHint(this.fatal);
    this.builder.counters.bytes = this.bytes;
    this.builder.counters.lines = this.splitter.lines;
    if (this.fatal !== undefined) this.builder.wholeIncomplete();
    const source = this.builder.toSource();
    if (this.fatal !== undefined) {
      const diagnostic: RegisteredDiagnostic = {
        severity: "error",
        code: this.fatal.code,
        message: this.fatal.message,
        path: this.options.path,
        ...(this.fatal.line !== undefined ? { line: this.fatal.line } : {}),
      };
      this.options.onEvent({ type: "diagnostic", diagnostic });
      return { source, fatal: this.fatal };
    }
    return { source };
  }

  /**
   * A format chosen by the caller that read nothing of its own (no record, summary or process):
   * "no leaks" would be a verdict on the wrong format, or on an empty input.
   */
  private forcedFormatReadNothing(): boolean {
    const forced = this.options.format !== undefined && this.options.format !== "auto";
    // What the embedded parser read (the other format's lines) is not the forced format's.
    const read = this.sharedPids?.mainReadAnything ?? this.builder.readAnything;
    return forced && !read;
  }

  private get maxLineLength(): number {
    return this.options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  }

  /** A line as the input has it: its CI timestamp, if the log has them, comes off first. */
  private onStampedLine(text: string, lineNo: number, truncatedFrom?: number): void {
    if (!this.sawText && text.trim() !== "") this.sawText = true;
    if (this.stamps === undefined && text.trim() !== "") {
      const onLine = this.onLine.bind(this);
      this.stamps = CiTimestamps.of(text, onLine, this.maxLineLength) ?? false;
      if (this.stamps === false) this.useBytePath();
    }
    if (this.stamps) this.stamps.line(text, lineNo, truncatedFrom);
    else this.onLine(text, lineNo, truncatedFrom);
  }

  /**
   * A line without its CI stamp; the prefixes a tool relaying it put before it come off here
   * (see console-prefixes.ts), so that detection sees the line the parser reads.
   */
  private onLine(line: string, lineNo: number, truncatedFrom?: number): void {
    const raw = this.consoles.strip(line, lineNo);
    const wasCtest = this.ctest.on;
    const text = this.ctest.strip(raw);
    // Its test numbers come off in the string path only.
    if (this.ctest.on && !wasCtest) this.splitter.asciiLine = undefined;
    if (this.ctest.on && this.ctest.hold({ text, lineNo, truncatedFrom }, this.readHeld)) return;
    this.read(text, lineNo, truncatedFrom);
  }

  /** A line a `ctest -V` test's output held back (see CtestVerbose.hold), read in its turn. */
  private readonly readHeld = (line: Line): void =>
    this.read(line.text, line.lineNo, line.truncatedFrom);

  private read(text: string, lineNo: number, truncatedFrom: number | undefined): void {
    if (truncatedFrom !== undefined) {
      this.builder.diagnostic({
        severity: "warning",
        code: "line-too-long",
        message: `line of ${truncatedFrom} bytes cut to its first ${this.splitter.lineCap} bytes`,
        line: lineNo,
      });
    }
    if (this.parser !== undefined) {
      this.feed(this.parser, text, lineNo);
      return;
    }
    if (this.fatal !== undefined) return;
    const when = this.window.add(text, lineNo);
    if (when !== undefined) this.decide(false, when === "point");
  }

  /**
   * A parser bug must not cost the user the rest of the log: the line is reported as an
   * internal error with its number, the source is marked incomplete, and parsing goes on.
   */
  private feed(parser: LineParser, text: string, lineNo: number): void {
    try {
      parser.line(text, lineNo);
    } catch (error) {
      this.internalError(error, lineNo);
    }
  }

  private internalError(error: unknown, lineNo?: number): void {
    const message = error instanceof Error ? error.message : String(error);
    this.builder.incomplete(
      `internal error in the ${this.format?.id ?? "?"} parser${lineNo !== undefined ? ` at line ${lineNo}` : ""}: ${message} (please report it)`,
      lineNo,
    );
  }

  /**
   * Picks the format from the held lines; `final` when no more lines will come. A full window
   * no format claims slides on (see DetectionWindow.slide), so an input is refused as no log
   * at its end only, when no line of it was a checker's.
   */
  private decide(final: boolean, onlyIfSure = false): void {
    const window = this.window;
    const formats = window.slid
      ? this.options.formats.filter((f) => f.headOnly !== true)
      : this.options.formats;
    const best = detectFormat(formats, window.texts());
    if (onlyIfSure && (best === undefined || best.score < 1)) return;
    if (best !== undefined) return this.start(best.format);
    // A profile holds no checker's output: refused on its first lines, not read to its end.
    const other = otherOutput(window.firstLines);
    if (final || (!window.slid && other?.code === "other-tool")) {
      this.fatal = this.unclaimed(other);
      window.clear();
      return;
    }
    // The dropped lines were the program's (see slide), and are counted so: the non-blank ones,
    // as the XML and sanitizer parsers count them (the Valgrind text parser counts blank ones).
    for (const line of window.slide()) if (line.text.trim() !== "") this.builder.programLine();
  }

  /** Why an input no format claimed is refused. */
  private unclaimed(other: FatalProblem | undefined): FatalProblem {
    if (this.bytes === 0 || !this.window.sawText)
      return { code: "empty-input", message: EMPTY_INPUT };
    if (other !== undefined) return other;
    const tried = this.options.formats.map((f) => f.id).join(", ");
    const lines = this.splitter.lines;
    return {
      code: "unknown-format",
      message: `not a log leaklog can read (tried ${tried} on the whole input, ${lines} line${lines === 1 ? "" : "s"})`,
    };
  }

  private start(format: InputFormat): void {
    this.format = format;
    this.builder.readAs(format.id);
    const parser = format.createParser(this.sinkFor(format), this.options.reuse, this.options.path);
    this.parser = parser;
    for (const { text, lineNo } of this.window.lines) this.feed(parser, text, lineNo);
    this.window.clear();
    if (this.stamps === false) this.useBytePath();
  }

  /**
   * The engine's sink, or, when another format can share the log, one that hands the lines the
   * parser calls the program's to that format's parser: a CI job's log holds a Valgrind step's
   * output and a sanitizer step's, and the one not detected was read as program output.
   */
  private sinkFor(format: InputFormat): ParseSink {
    const embeds = this.options.formats.find((f) => f.id === format.embeds);
    if (embeds === undefined) return this.builder;
    const pids = new SharedPids();
    this.sharedPids = pids;
    const sink = pids.sinkFor("main", this.builder);
    return forwardingProgramLines(sink, (line, text) => {
      if (this.embedded === undefined) {
        if (embeds.startsIn?.(text) === false) return sink.programLine(line, text);
        const embedded = embeddedSink(pids.sinkFor("embedded", this.builder));
        this.embedded = embeds.createParser(embedded, this.options.reuse);
      }
      this.embedded.line(text, line);
    });
  }

  /**
   * Lets the parser read lines from the bytes (see LineParser.asciiLine), once there is a parser
   * and its lines are known to carry no CI timestamps (which only the string path takes off).
   */
  private useBytePath(): void {
    const asciiLine = this.parser?.asciiLine?.bind(this.parser);
    // A parser may read a few KiB past the line it is given (see LineParser.asciiLine).
    if (asciiLine === undefined || this.maxLineLength < MIN_BYTE_PATH_LINE_LENGTH) return;
    if (this.ctest.on) return;
    this.splitter.asciiLine = (buf, start, end, lineNo) => {
      try {
        return asciiLine(buf, start, end, lineNo);
      } catch (error) {
        this.internalError(error, lineNo);
        return 1;
      }
    };
  }
}

function hasUtf8Bom(head: Buffer): boolean {
  return head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
}

/** The bytes with every CR a LF, copied (the caller's chunk is left as it is). */
function crToLf(bytes: Buffer): Buffer {
  const out = Buffer.from(bytes);
  for (let at = out.indexOf(13); at !== -1; at = out.indexOf(13, at + 1)) out[at] = 10;
  return out;
}
