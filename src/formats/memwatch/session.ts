import type { DiagnosticCode } from "../../model/index.js";
import type { FindingDraft, ParseSink } from "../types.js";
import { SiteStacks } from "./frames.js";
import { checkSession, dropCutValue, type SessionStats } from "./statistics.js";

/**
 * One MEMWATCH run inside a log file. MEMWATCH 2.71 prints no process id, so the session's
 * 1-based ordinal in the file stands in for one (`pid` on every record of the session).
 */
export interface Session {
  pid: number;
  firstLine: number;
  lastLine: number;
  /** False for events before any banner or after a second footer (mwTerm, then reuse). */
  banner: boolean;
  stoppedLine?: number;
  stats?: SessionStats;
  anomalies?: { count: number; line: number };
  unfreedBlocks: number;
  unfreedBytes: number;
  /** Records of lines MEMWATCH counts as anomalies (memwatch.md 5.11). */
  counted: number;
}

/** How many TRACE lines become info diagnostics per source; the counter keeps counting. */
const MAX_TRACE_DIAGNOSTICS = 50;

/**
 * Splits the log into sessions (memwatch.md 6.1) and closes each with its summary and checks:
 * a session with no `Stopped at` or no statistics did not finish, which makes the source
 * incomplete rather than clean.
 */
export class Sessions {
  private current: Session | undefined;
  private ordinal = 0;
  private traces = 0;
  private anyLine = false;
  /** The log's last line, when it has no line end: the file was cut inside it. */
  private cutLine: number | undefined;

  /** The call sites' shared stacks (see SiteStacks). */
  readonly sites = new SiteStacks();

  constructor(readonly sink: ParseSink) {}

  /** The open session, if any. */
  get session(): Session | undefined {
    return this.current;
  }

  /** Notes that the log has a non-blank line (for the empty-log verdict). */
  touch(line: number): void {
    this.anyLine = true;
    if (this.current !== undefined) this.current.lastLine = line;
  }

  /** Starts a session at a banner, or (banner false) for events that have no session. */
  open(line: number, banner: boolean): Session {
    this.close();
    this.ordinal += 1;
    const session: Session = {
      pid: this.ordinal,
      firstLine: line,
      lastLine: line,
      banner,
      unfreedBlocks: 0,
      unfreedBytes: 0,
      counted: 0,
    };
    this.current = session;
    this.sink.process({ pid: session.pid });
    if (!banner) {
      this.sink.diagnostic({
        severity: "info",
        code: "session-without-banner",
        message: `MEMWATCH output with no banner: counted as session ${session.pid}`,
        line,
        pid: session.pid,
      });
    }
    return session;
  }

  /** The open session, or a banner-less one for events outside any session. */
  ensure(line: number): Session {
    const s = this.current;
    // A second footer after the statistics means mwTerm() and reuse (memwatch.md 6.1).
    if (s === undefined || s.stats !== undefined) return this.open(line, false);
    return s;
  }

  /** Passes a finding on, stamped with the session, and counts it toward the anomalies. */
  finding(draft: FindingDraft, counted: boolean): void {
    const s = this.ensure(draft.line);
    if (counted) s.counted += 1;
    if (draft.type === "leak") {
      s.unfreedBlocks += 1;
      s.unfreedBytes += draft.bytes;
    }
    // Stamped in place, not copied: drafts are fresh per line, and this runs for every record.
    draft.pid = s.pid;
    this.sink.finding(draft);
  }

  /** TRACE text or other program text inside a session; outside one it is not understood. */
  text(line: number, text: string): void {
    const s = this.current;
    if (s === undefined || s.stats !== undefined) {
      this.sink.unrecognized(line, text, s?.pid);
      return;
    }
    this.sink.programLine(line, text);
    this.traces += 1;
    if (this.traces > MAX_TRACE_DIAGNOSTICS) return;
    const shown = text.length > 120 ? `${text.slice(0, 120)}...` : text;
    this.info("trace", `TRACE output: ${JSON.stringify(shown)}`, line);
  }

  /** An info diagnostic attached to the open session. */
  info(code: DiagnosticCode, message: string, line: number): void {
    this.note("info", code, message, line);
  }

  /** A diagnostic attached to the open session. */
  note(severity: "info" | "warning", code: DiagnosticCode, message: string, line: number): void {
    const pid = this.current?.pid;
    this.sink.diagnostic({ severity, code, message, line, ...(pid !== undefined ? { pid } : {}) });
  }

  /** Closes the open session: summary, cross-checks, truncation. */
  close(): void {
    const s = this.current;
    if (s === undefined) return;
    this.current = undefined;
    const cut =
      this.cutLine !== undefined
        ? `; the log is cut inside line ${this.cutLine}, which has no line end`
        : "";
    let why: string | undefined;
    if (s.stoppedLine === undefined) {
      why =
        'has no "Stopped at" footer: the run did not finish (crash, abort, _exit, a forked ' +
        "child, or mwInit() without mwTerm()), so its unfreed blocks were never listed";
    } else if (s.stats === undefined || !s.stats.complete) {
      why = "ends before its statistics block is complete";
    } else if (cut !== "") why = "is not whole";
    // The session's pid says which run of an appended log is cut (campaign bg F6).
    if (why !== undefined)
      this.sink.incomplete(
        `session ${s.pid} (line ${s.firstLine}) ${why}${cut}`,
        s.lastLine,
        undefined,
        s.pid,
      );
    checkSession(this.sink, s);
  }

  /**
   * No more lines: closes the last session; an empty log is an incomplete source.
   * `endedMidLine`: the last line has no line end, which MEMWATCH always writes (memwatch.md
   * §2), so the file was cut inside it (campaign bg F5).
   */
  end(lastLine: number, endedMidLine = false): void {
    if (endedMidLine && lastLine > 0) {
      this.cutLine = lastLine;
      const stats = this.current?.stats;
      if (stats !== undefined) dropCutValue(stats, lastLine);
    }
    this.close();
    if (this.ordinal > 0) return;
    if (!this.anyLine) {
      this.sink.incomplete(
        "empty MEMWATCH log: a run that crashes before its first anomaly leaves a 0-byte " +
          "memwatch.log (crash_before_anomaly.log), so this says nothing about leaks",
      );
    } else {
      this.sink.incomplete("no MEMWATCH session in this log", lastLine > 0 ? lastLine : undefined);
    }
  }
}
