import type { TokenType } from "chevrotain";
import * as T from "../../../grammars/memleax/index.js";
import type {
  BlockRule,
  ExpiryEntryCstNode,
  LineToken,
  NullAllocEntryCstNode,
  StatsBlockCstNode,
} from "../../../grammars/memleax/index.js";
import { BlockCaps, type CapNotes } from "../block-caps.js";
import type { LineParser, ParseSink } from "../types.js";
import { BlockSplitter, type BlockHandler } from "./blocks.js";
import { finishRun } from "./finish.js";
import { DIAG, fill, STOP_REASONS } from "./messages.js";
import { ExpiryNotice } from "./notice.js";
import { MemleaxRun } from "./run.js";
import { visitExpiryEntry, visitNullAllocEntry, visitStatsBlock } from "./visitor.js";

// classifyLine lets only safe integers through as counts (grammars/numbers.ts).
const num = (token: LineToken, i: number): number => Number(T.groupsOf(token)[i] ?? NaN);

/** What the cap on a stack's frame lines says of memleax (see BlockCaps). */
const CAP_NOTES: CapNotes = { stack: "memleax prints at most 50 per stack, -l" };

/**
 * Parses memleax output line by line: lines become tokens, the splitter groups them into
 * records, one handler per token kind updates the current run, and the run's records go out when
 * it ends (a new banner or the end of input), because only then are its counts final.
 */
export class MemleaxLineParser implements LineParser, BlockHandler {
  private run = new MemleaxRun();
  private runs = 0;
  /** Monitoring runs per target PID so far: `memleax -e 30 PID >> leaks.log`, run again. */
  private readonly pidRuns = new Map<number, number>();
  private readonly splitter: BlockSplitter;
  private readonly notice: ExpiryNotice;
  /** A line nothing matched, held back one line: at the very end it is a cut line (§8.2). */
  private pending: { line: number; text: string } | undefined;
  private lastLine = 0;
  private help = false;
  /** memleax's first error message (without `== `): why a run that never began checked nothing. */
  private firstError: string | undefined;
  /** What memleax printed instead of a run (its help, its version). */
  private usage: string | undefined;
  private readonly warned = new Set<string>();
  private readonly handlers: ReadonlyMap<TokenType, (t: LineToken) => void>;

  constructor(private readonly sink: ParseSink) {
    this.splitter = new BlockSplitter(this, new BlockCaps(sink, CAP_NOTES));
    this.notice = new ExpiryNotice(sink);
    this.handlers = new Map<TokenType, (t: LineToken) => void>([
      [T.Banner, (t) => this.onBanner(t)],
      [T.ExpireAgain, (t) => this.run.expiredAgain(num(t, 0), num(t, 1), num(t, 2), line(t))],
      [T.FreedAfter, (t) => this.run.freed(num(t, 0), line(t))],
      [T.TooManyFrees, (t) => this.onQuiet(t)],
      [T.StopReason, (t) => this.onStop(t)],
      [T.StatsHeader, (t) => this.onStatsHeader(t)],
      [T.NoExpired, (t) => (this.run.report = { kind: "no-expired", line: line(t) })],
      [T.TooShort, (t) => (this.run.report = { kind: "too-short", line: line(t) })],
      [T.ToolWarning, (t) => this.onWarning(t)],
      [T.ToolError, (t) => this.onError(t)],
      [T.Usage, (t) => this.onUsage(t, "memleax printed its help text")],
      [T.Version, (t) => this.onVersion(t)],
      [T.ShellCommand, (t) => this.sink.programLine(line(t), t.image)],
      [T.Author, () => undefined],
      [T.UsageHint, () => undefined],
      [T.StopHint, () => undefined],
      [T.Interrupt, () => undefined],
      [T.Blank, () => (this.run.reportClosed = this.run.report?.kind === "statistics")],
    ]);
  }

  /**
   * The byte path (see LineParser): a `times again` or `frees after` line (see readStreamLine)
   * between records, with no unmatched line pending, is a single line that counts toward its
   * call stack, as line() would count it, with no string made.
   */
  asciiLine(buf: Buffer, start: number, end: number, lineNo: number): number {
    if (this.pending !== undefined || !this.splitter.idle) return 0;
    const read = T.readStreamLine(buf, start, end);
    if (read === undefined) return 0;
    this.lastLine = lineNo;
    if (read.type === T.ExpireAgain) this.run.expiredAgain(read.id, read.size, read.count, lineNo);
    else this.run.freed(read.id, lineNo);
    return 1;
  }

  line(text: string, lineNo: number): void {
    this.lastLine = lineNo;
    if (this.pending !== undefined) this.sink.unrecognized(this.pending.line, this.pending.text);
    this.pending = undefined;
    this.splitter.push(T.classifyLine(text, lineNo));
  }

  end(endedMidLine = false): void {
    this.splitter.end();
    const pending = this.pending;
    this.pending = undefined;
    const report = this.run.report;
    // memleax ends every line with a newline: a last line without one, or one nothing matched
    // before the report was over, is the line a cut fell in (§8.2, campaign bg F2).
    const reportOpen =
      report === undefined || (report.kind === "statistics" && !this.run.reportClosed);
    const cutLine =
      pending !== undefined && this.run.started && (reportOpen || endedMidLine)
        ? pending.line
        : undefined;
    if (pending !== undefined && cutLine === undefined)
      this.sink.unrecognized(pending.line, pending.text);
    finishRun(this.run, this.sink, {
      lastLine: Math.max(1, this.lastLine),
      ...(cutLine !== undefined ? { cutLine } : {}),
      ...(endedMidLine ? { endedMidLine } : {}),
    });
    if (this.runs === 0 && !this.run.started) this.noRun();
  }

  /** A line owned by no record. */
  single(token: LineToken): void {
    const handler = this.handlers.get(token.tokenType);
    if (handler !== undefined) handler(token);
    else if (this.help) return;
    // Before memleax's first banner: a CI job's or a shell's own lines (see detectMemleax).
    else if (this.runs === 0 && !this.run.started) this.sink.programLine(line(token), token.image);
    else this.pending = { line: line(token), text: token.image };
  }

  grew(rule: BlockRule, tokens: readonly LineToken[]): void {
    if (rule !== "expiryEntry") return;
    const header = tokens[0];
    const isNew = header !== undefined && !this.run.stacks.has(num(header, 0));
    this.notice.grew(tokens, isNew);
  }

  /** A finished record block: check it with the grammar, then account for it. */
  block(rule: BlockRule, tokens: readonly LineToken[]): void {
    const { cst, errors } = T.parseBlock(rule, tokens);
    for (const error of errors) {
      const at = error.token.startLine;
      this.sink.diagnostic({
        severity: "warning",
        code: DIAG.badBlock,
        message: `memleax record not in the expected order: ${error.message}`,
        line: at !== undefined && Number.isFinite(at) ? at : line(tokens[0]),
      });
    }
    if (rule === "expiryEntry") {
      this.notice.ended(tokens);
      this.run.firstExpiry(visitExpiryEntry(cst as ExpiryEntryCstNode));
    } else if (rule === "nullAllocEntry") {
      this.run.nullAlloc(visitNullAllocEntry(cst as NullAllocEntryCstNode));
    } else {
      // A report block without its header (a copied excerpt) still belongs to a report.
      this.run.report ??= { kind: "statistics", line: line(tokens[0]) };
      this.run.stats.push(visitStatsBlock(cst as StatsBlockCstNode));
      this.run.reportClosed = false; // until its empty line comes
    }
  }

  private onBanner(token: LineToken): void {
    if (this.run.started) {
      // Several runs appended to one log: the earlier run is complete as far as it went.
      finishRun(this.run, this.sink, { lastLine: Math.max(1, line(token) - 1) });
      this.run = new MemleaxRun();
    }
    this.runs += 1;
    this.help = false;
    this.run.bannerLine = line(token);
    const pid = num(token, 0);
    this.run.pid = pid;
    // Each banner starts a run, and a PID's next one is a run of its own, as in Valgrind's
    // logs: its report is checked against its own records (campaign bg F4).
    const nth = (this.pidRuns.get(pid) ?? 0) + 1;
    this.pidRuns.set(pid, nth);
    if (nth > 1) this.run.later = nth;
    this.sink.process({ pid, ...(nth > 1 ? { run: nth } : {}) });
  }

  private onStatsHeader(token: LineToken): void {
    this.run.report = { kind: "statistics", line: line(token) };
    this.run.reportClosed = false;
  }

  private onQuiet(token: LineToken): void {
    const id = num(token, 0);
    this.run.quiet(id, line(token));
    this.sink.diagnostic({
      severity: "info",
      code: DIAG.quietStack,
      message: `CallStack[${id}]: too many expired blocks freed later; memleax prints no more lines for it but keeps counting`,
      line: line(token),
    });
  }

  private onStop(token: LineToken): void {
    const [reason = "?", ...groups] = T.groupsOf(token);
    this.run.stop = { reason, line: line(token) };
    const known = STOP_REASONS[reason];
    this.sink.diagnostic({
      severity: known?.severity ?? "info",
      code: DIAG.stopped,
      message: known !== undefined ? fill(known.text, groups) : token.image,
      line: line(token),
    });
  }

  private onWarning(token: LineToken): void {
    // The debug-file warnings are printed twice, once per loading pass (corpus 18).
    if (this.warned.has(token.image)) return;
    this.warned.add(token.image);
    this.sink.diagnostic({
      severity: "warning",
      code: DIAG.toolWarning,
      message: `memleax warning: ${T.groupsOf(token)[0] ?? token.image}`,
      line: line(token),
    });
  }

  private onError(token: LineToken): void {
    this.firstError ??= token.image.replace(/^== /, "");
    this.sink.diagnostic({
      severity: "error",
      code: DIAG.toolError,
      // `== Attach process error:: ...` keeps memleax's own double colon (corpus err-attach-eperm).
      message: `memleax error: ${token.image.replace(/^== /, "")}`,
      line: line(token),
    });
  }

  private onUsage(token: LineToken, message: string): void {
    this.usage ??= message;
    this.help = true; // the rest of the help text is the tool's own, not unknown lines
    this.sink.diagnostic({ severity: "info", code: DIAG.notARun, message, line: line(token) });
  }

  private onVersion(token: LineToken): void {
    this.sink.toolVersion(T.groupsOf(token)[0] ?? "");
    this.onUsage(token, `memleax printed its version (${token.image})`);
  }

  /**
   * Output with no monitoring run: an error-only, help or version output, or something else.
   * memleax checked nothing, so the input is unusable (exit 2), as a Valgrind that never ran the
   * program is: an attach that ptrace refused passed `--fail-on any` as a clean run.
   */
  private noRun(): void {
    if (this.firstError !== undefined) {
      this.sink.unusable(
        `memleax did not monitor any process (${this.firstError}): nothing was checked`,
        DIAG.toolError,
      );
      return;
    }
    if (this.usage === undefined) {
      this.sink.diagnostic({
        severity: "error",
        code: DIAG.noRun,
        message: "no memleax monitoring run in this input (no '== Begin monitoring process' line)",
      });
    }
    this.sink.unusable(
      this.usage !== undefined
        ? `${this.usage}, not a monitoring run: nothing was checked`
        : "memleax did not monitor any process: no leak report can be read",
      DIAG.noRun,
    );
  }
}

function line(token: LineToken | undefined): number {
  return token?.startLine ?? 1;
}
