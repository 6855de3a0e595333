import type {
  Amount,
  AuxEntry,
  Details,
  Diagnostic,
  DiagnosticCode,
  ErrorRecord,
  FormatId,
  Group,
  LeakKind,
  LeakRecord,
  ProcessInfo,
  RegisteredDiagnostic,
  Severity,
  SummaryOnlyLeak,
  ToolSummary,
  UsedSuppression,
} from "../model/index.js";
import type { IncompleteCode } from "../analysis/input-states.js";
import type { ParseReuse } from "../engine/parse-reuse.js";

/** The codes of an input a format found unusable (see ParseSink.unusable). */
export type UnusableCode = Extract<
  DiagnosticCode,
  | "other-tool"
  | "xml-run-text-log"
  | "valgrind-failed"
  | "memleax-error"
  | "memleax-no-run"
  | "bad-report"
>;

/**
 * A leak as a format produces it: the engine adds `id`, `fingerprint`, `severity` and the log
 * path, so that formats only translate syntax into meaning.
 */
export type LeakDraft = Omit<LeakRecord, "id" | "fingerprint" | "severity" | "location"> &
  DraftPlace;

/** An error as a format produces it (see LeakDraft). */
export type ErrorDraft = Omit<ErrorRecord, "id" | "fingerprint" | "severity" | "location"> &
  DraftPlace;

interface DraftPlace {
  line: number;
  /**
   * Only of a leaklog report read back: the severity the report gives the record, which the
   * engine keeps unless this parse's severityPolicy names the kind (see severityOf).
   */
  severity?: Severity;
}

export type FindingDraft = LeakDraft | ErrorDraft;

/**
 * What a leaklog report (the leaklog-json format) holds beyond its records, as the run that
 * wrote it worked it out from all of them. A merge takes it as it is, because it cannot work it
 * out again: a report written with --max-records lists only some records, and records of two
 * logs, all pointing into one JSON file now, can no longer be told apart by path (two runs of one
 * PID would be cross-checked as one process).
 */
export interface ReportPart {
  /** The tools' summaries, already checked against the records (`path` is set by the engine). */
  summaries: Omit<ToolSummary, "path">[];
  /** Leaks only summaries report, and kinds a check did not show (`path` set by the engine). */
  summaryOnlyLeaks: Omit<SummaryOnlyLeak, "path">[];
  unshownLeaks: Omit<SummaryOnlyLeak, "path">[];
  /**
   * Per group, what its records the report does not list add up to (--max-records): no
   * members, `membersOmitted` counts them. Fingerprint and severity are set by the engine.
   */
  unlisted: Group[];
  /**
   * Per group whose records the report all lists, the processes it counts that replaying them
   * does not (see UnreplayedProcesses). Fingerprints are set by the engine.
   */
  unreplayedProcesses: UnreplayedProcesses[];
  /**
   * Per error kind, the suppressed occurrences among the records the report does not list: its
   * totals' `suppressedErrors` less the listed records' (a group may be partly suppressed).
   */
  unlistedSuppressedErrors: Record<string, number>;
  /**
   * Per kind the tool gave them, the leaks --suppressions took among the records the report does
   * not list: its totals' `suppressedLeaks` less the listed records'.
   */
  unlistedSuppressedLeaks: Record<string, Amount>;
  /**
   * Per leak kind, the forked children's copies of their parents' loss records among the
   * records the report does not list: its totals' `inheritedLeaks` less the listed copies'.
   */
  unlistedInheritedLeaks: Record<string, Amount>;
  /** The records the report counts but does not list. */
  recordsOmitted: { leaks: number; errors: number };
}

/**
 * A group of a report read back whose listed records name fewer processes than it counts
 * (its `processCount`): replayed, they all have the report's path, so PID 1 of c1.log and of
 * c2.log (two `docker run`s) are one process (campaign v18a F3), and a group merged from
 * several reports counted each one's processes, which its records no longer show.
 */
export interface UnreplayedProcesses extends Pick<
  Group,
  "type" | "kind" | "fingerprint" | "stack"
> {
  /** The processes the group counts beyond those its records name as they are replayed. */
  processes: number;
}

/** What a format reports while it parses; the engine owns ids, counters and paths. */
export interface ParseSink {
  finding(draft: FindingDraft): void;
  /** A tool's own totals; `path` is filled in by the engine. */
  summary(summary: Omit<ToolSummary, "path">): void;
  /** Something noticed about the input; its code must be in DIAGNOSTIC_CODES. */
  diagnostic(d: Omit<RegisteredDiagnostic, "path">): void;
  /**
   * A diagnostic copied from a leaklog report read back: its code is the writing version's, which
   * may be one this version does not register.
   */
  replayed(d: Omit<Diagnostic, "path">): void;
  /** A process seen in the log; repeated calls for the same pid merge. */
  process(info: ProcessInfo): void;
  /**
   * Suppressions Valgrind says it used, in processes told with `usedSuppressionsListed`: summed
   * into the source's, per entry (see Source.usedSuppressions).
   */
  usedSuppressions(entries: readonly UsedSuppression[]): void;
  toolVersion(version: string): void;
  /** The Valgrind tool that wrote the log, where it is not Memcheck (see Source.tool). */
  tool(name: string): void;
  /** Leak kinds the run's options keep out of its loss records (see Source.hiddenLeakKinds). */
  hiddenLeakKinds(kinds: readonly LeakKind[]): void;
  /** Valgrind listed the descriptors left open at exit (see Source.descriptorsListed). */
  descriptorsListed(): void;
  /**
   * A leaklog report read back: the severityPolicy its logs were read with (see
   * Source.severityPolicy), recorded under this parse's own.
   */
  writtenPolicy(policy: Readonly<Record<string, Severity>>): void;
  /** What a leaklog report says beyond its records (see ReportPart). */
  reportPart(part: ReportPart): void;
  /**
   * The log is known to lack findings (truncated, error limit, stream cut); a warning with
   * `code` (default `incomplete`) says why, of process `pid` when one process's part is cut.
   */
  incomplete(reason: string, line?: number, code?: IncompleteCode, pid?: number): void;
  /** A line that is the program's own output, kept out of the records. */
  programLine(line: number, text: string): void;
  /**
   * The input holds nothing this format can read (another tool's log in its shape, the text log
   * of a `--xml=yes` run); the engine ends with this message as the input's fatal problem, of
   * `code` (default `other-tool`), and the CLI exits 2. `line` is where the input shows it (a
   * damaged report's first bad byte), for annotations to point at.
   */
  unusable(message: string, code?: UnusableCode, line?: number): void;
  /** A line the format did not understand; becomes a diagnostic (capped) and a counter. */
  unrecognized(line: number, text: string, pid?: number): void;
}

/** Receives the log one line at a time (no line terminator, CR stripped). */
export interface LineParser {
  line(text: string, lineNo: number): void;
  /**
   * An optional byte path: a line of ASCII bytes `buf[start, end)` (no line end), before any
   * string is made of it. Returns how many lines it took: 0 declines the line (it is then
   * decoded and given to line()), 1 takes it, n > 1 takes it and the n - 1 lines after it,
   * which must end in `buf` (each with its LF, none with a CR). What it takes must leave the
   * parser as line() would have. It may read up to 4 KiB past the line: the engine gives a
   * parser this path only with a line limit of 64 KiB or more, so no line it reads ahead is
   * one the engine would have cut.
   */
  asciiLine?(buf: Buffer, start: number, end: number, lineNo: number): number;
  /**
   * No more input: flush open blocks, report truncation. `endedMidLine`: the input's last line
   * had no line end, so it may be cut anywhere (see LineSplitter.endedMidLine).
   */
  end(endedMidLine?: boolean): void;
}

/** The per-format contract: detection and a parser factory. Registered in formats/index.ts. */
export interface InputFormat {
  id: FormatId;
  /** One line for `--help` and the README. */
  description: string;
  /**
   * Another format whose output can share this format's logs (a CI job's log of a Valgrind step
   * and a sanitizer step): the lines this format's parser calls the program's own are read by
   * that format's parser too (see the engine's start).
   */
  embeds?: FormatId;
  /**
   * For a format embedded in another's logs: whether a line of such a log can be the first of
   * this format's output that matters. The embedding parser's program lines are handed over
   * from the first such line on (none before: a log without it costs nothing); without it,
   * from the first program line.
   */
  startsIn?(line: string): boolean;
  /**
   * How sure the format is that a log starting with these lines is its own: 0 (no) to 1 (sure).
   * Called with the first lines, then, while no format claims them, with each later window of
   * lines (see DetectionWindow); must be cheap.
   */
  detect(head: readonly string[]): number;
  /**
   * Whether the format's output only ever starts an input (a report document, a tool's own
   * stream): it is looked for in the input's first lines only, not in the later windows.
   */
  headOnly?: boolean;
  /**
   * For a format whose documents may be one long line: the line cap (bytes) to use instead of
   * the caller's when the input's first bytes (`head`, up to 8 KiB decoded as Latin-1) are such
   * a document; undefined to keep the caller's.
   */
  lineCapFor?(head: string): number | undefined;
  /**
   * `logPath`: the input's path as the user gave it (`-` for stdin), for a format whose log can
   * name itself (Valgrind's --track-fds listing names its own --log-file).
   */
  createParser(sink: ParseSink, reuse?: ParseReuse, logPath?: string): LineParser;
}

export type { AuxEntry, Details };
