import type {
  AuxEntry,
  Details,
  ErrorRecord,
  FormatId,
  LeakRecord,
  ProcessInfo,
  ToolSummary,
} from "../model/index.js";

/**
 * A leak as a format produces it: the engine adds `id`, `fingerprint`, `severity` and the log
 * path, so that formats only translate syntax into meaning.
 */
export type LeakDraft = Omit<LeakRecord, "id" | "fingerprint" | "severity" | "location"> & {
  line: number;
};

/** An error as a format produces it (see LeakDraft). */
export type ErrorDraft = Omit<ErrorRecord, "id" | "fingerprint" | "severity" | "location"> & {
  line: number;
};

export type FindingDraft = LeakDraft | ErrorDraft;

/** What a format reports while it parses; the engine owns ids, counters and paths. */
export interface ParseSink {
  finding(draft: FindingDraft): void;
  /** A tool's own totals; `path` is filled in by the engine. */
  summary(summary: Omit<ToolSummary, "path">): void;
  diagnostic(d: {
    severity: "error" | "warning" | "info";
    code: string;
    message: string;
    line?: number;
    pid?: number;
  }): void;
  /** A process seen in the log; repeated calls for the same pid merge. */
  process(info: ProcessInfo): void;
  toolVersion(version: string): void;
  /**
   * The log is known to lack findings (truncated, error limit, stream cut); a warning with
   * `code` (default `incomplete`) says why.
   */
  incomplete(reason: string, line?: number, code?: string): void;
  /** A line that is the program's own output, kept out of the records. */
  programLine(line: number, text: string): void;
  /**
   * The input holds nothing this format can read (another tool's log in its shape); the engine
   * ends with this message as the input's unusable-input problem (exit 2).
   */
  unusable(message: string): void;
  /** A line the format did not understand; becomes a diagnostic (capped) and a counter. */
  unrecognized(line: number, text: string, pid?: number): void;
}

/** Receives the log one line at a time (no line terminator, CR stripped). */
export interface LineParser {
  line(text: string, lineNo: number): void;
  /** No more input: flush open blocks, report truncation. */
  end(): void;
}

/** The per-format contract: detection and a parser factory. Registered in formats/index.ts. */
export interface InputFormat {
  id: FormatId;
  /** One line for `--help` and the README. */
  description: string;
  /**
   * How sure the format is that a log starting with these lines is its own: 0 (no) to 1 (sure).
   * Called with the first lines only; must be cheap.
   */
  detect(head: readonly string[]): number;
  createParser(sink: ParseSink): LineParser;
}

export type { AuxEntry, Details };
