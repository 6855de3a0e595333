import type { IToken } from "chevrotain";
import type { Frame, LeakKind, LossRecordRef } from "../../model/index.js";
import type { ErrorDraft, FindingDraft, ParseSink } from "../types.js";
import type { CountedErrors, ErrorCounts, Inherited } from "./error-counts.js";
import { numbersIn, type LossRecordFields } from "./fields.js";
import type { HeldLeaks } from "./held-leaks.js";
import {
  KNOWN_SILENT,
  NOT_UNDER_QUIET,
  SINGLE_LINE_HANDLERS,
  STACK_SIZE_ADVICE,
} from "./single-lines.js";
import { SummaryBuilder, type RetiredSummaries } from "./summary-builder.js";

/** A finished process's state, reduced to what a later line of its PID would need. */
export interface RetiredProcess {
  retired: true;
  thread: number | undefined;
  noRecap: boolean;
  errorSummaries: number;
  summaries: RetiredSummaries;
}

/**
 * What the parser knows about one process (one PID) of a text log: its current thread, its
 * summaries, its leak-check ordinal and its errors. Errors are held until the end because
 * `-s` repeats them later with their counts (`N errors in context X of Y:`); Valgrind caps a
 * text log at 1000 contexts, so this stays bounded.
 */
export class ProcessState {
  thread: number | undefined;
  readonly summaries: SummaryBuilder;
  private readonly errors: ErrorDraft[] = [];
  private errorsBySignature: Map<string, ErrorDraft> | undefined;
  private recapCount: number | undefined;
  /** The log said `rerun with: -s` (or `-v`): no recap will repeat the errors with counts. */
  private noRecap = false;
  private errorSummaries = 0;
  /** Recap lines that gave a held error its count. */
  private recapped = 0;
  /** The latest new ERROR SUMMARY, until the held errors are checked against it. */
  private counted: CountedErrors | undefined;
  /** Loss records printed per kind since the errors last went out (see ErrorCounts). */
  private readonly lossRecords = new Map<LeakKind, number>();
  /** Valgrind stopped printing errors (1000 contexts): ERROR SUMMARY counts more than shown. */
  private limited = false;
  /** `--xtree-leak=yes` wrote the loss records to a file instead of the log. */
  private leaksElsewhere = false;
  /** The leak check of the latest loss record (0 before any). */
  private recordsCheck = 0;
  /** The process printed its preamble or a HEAP or LEAK SUMMARY: lines that -q leaves out. */
  private printedPreambleOrSummary = false;
  /** What the process may have inherited, had it been forked (see Inherited). */
  private inherited: Inherited;
  /** The parent its preamble names, when the log does not hold it (see ErrorWindow). */
  private parentElsewhere: number | undefined;

  constructor(
    readonly pid: number,
    private readonly sink: ParseSink,
    /** Sends a leak on (through the parser, which holds it while its block may still come). */
    private readonly emitLeak: (draft: FindingDraft) => void,
    /** Tells of each record as it is read, for a following suppression block. */
    private readonly read: (draft: FindingDraft) => void,
    /**
     * Loss records of client-requested leak checks, held until the next full leak check of
     * the process supersedes them or the process ends: only then is it known whether they are
     * the account of what leaked. Checks at exit are not held, so in a normal log nothing is
     * held past one client-requested check.
     */
    private readonly held: HeldLeaks,
    /** The log's check of error contexts against ERROR SUMMARY. */
    private readonly errorCounts: ErrorCounts,
  ) {
    this.summaries = new SummaryBuilder(pid, (summary) => sink.summary(summary));
    this.inherited = errorCounts.inheritable();
  }

  error(draft: ErrorDraft): void {
    const count = this.recapCount;
    this.recapCount = undefined;
    if (count !== undefined) {
      // `-s` recap: the same context again, with its occurrence count. Never counted twice.
      const known = this.bySignature().get(signatureOf(draft));
      this.recapped += 1;
      if (known !== undefined) {
        known.count = Math.max(count, 1);
        return;
      }
      if (this.inheritedContext(draft, count)) return;
      draft.count = Math.max(count, 1);
      // A child with a log of its own: the parent that printed the context is in another log.
      if (this.parentElsewhere !== undefined) {
        draft.inheritedFrom = { parentPid: this.parentElsewhere };
      }
    } else this.errorCounts.contextPrinted();
    this.errorsBySignature?.set(signatureOf(draft), draft);
    this.errors.push(draft);
    this.read(draft);
  }

  /**
   * Whether a recap context that the process never printed is one it inherited: it may have
   * been forked, and another process printed the context (which the parent's printing of it
   * before the fork is). Those are the parent's findings, not the child's; they are only
   * counted for the check. A context the child repeated after the fork is inherited too, and
   * its count mixes both (the child's log never prints it). A parent whose errors already went
   * out (it ended before its child) cannot be looked at: the context is kept as the child's.
   */
  private inheritedContext(draft: ErrorDraft, count: number): boolean {
    const inherited = this.inherited;
    if (inherited.contexts >= inherited.bound) return false;
    if (!this.errorCounts.processes.printedElsewhere(draft, this.pid)) return false;
    inherited.contexts += 1;
    inherited.errors += Math.max(count, 1);
    return true;
  }

  /** Whether the process holds an error context of this signature, not yet sent. */
  holds(draft: ErrorDraft): boolean {
    return this.errors.length > 0 && this.bySignature().has(signatureOf(draft));
  }

  /**
   * The held errors by signature, built at the first recap line: most logs have no recap, and
   * a signature string for every error was 2-3% of parsing the bench log. Built from the held
   * errors in order, it maps each signature to the latest, as adding them one by one did.
   */
  private bySignature(): Map<string, ErrorDraft> {
    if (this.errorsBySignature === undefined) {
      this.errorsBySignature = new Map();
      for (const held of this.errors) this.errorsBySignature.set(signatureOf(held), held);
    }
    return this.errorsBySignature;
  }

  leak(fields: LossRecordFields, stack: Frame[], line: number): void {
    const leakCheck = this.summaries.leakChecks + 1;
    if (leakCheck !== this.recordsCheck) {
      this.recordsCheck = leakCheck;
      // A full check reports the whole heap again: the held checks' records are superseded.
      // A delta check (`(+N)`, VALGRIND_DO_ADDED/CHANGED_LEAK_CHECK) reports only part of it.
      if (!fields.delta) this.releaseHeldLeaks(true);
    }
    this.summaries.lossRecord(fields.kind);
    this.errorCounts.contextPrinted();
    this.lossRecords.set(fields.kind, (this.lossRecords.get(fields.kind) ?? 0) + 1);
    const draft: FindingDraft = {
      type: "leak",
      tool: "valgrind",
      kind: fields.kind,
      toolKind: fields.toolKind,
      bytes: fields.bytes,
      directBytes: fields.directBytes,
      indirectBytes: fields.indirectBytes,
      blocks: fields.blocks,
      pid: this.pid,
      ...(this.thread !== undefined ? { thread: this.thread } : {}),
      lossRecord: lossRecordOf(fields),
      leakCheck,
      stack,
      line,
      ...(fields.delta ? { details: { addedLeakCheck: true } } : {}),
    };
    // Held or not, its --gen-suppressions block comes next.
    this.read(draft);
    // The check at exit follows HEAP SUMMARY (client-requested checks print none): nothing can
    // supersede it, so its records go out at once, as they did before checks were held.
    if (this.summaries.atExit) this.emitLeak(draft);
    else this.held.hold(this.pid, draft);
  }

  /**
   * Emits the process's held leak records: superseded by a later full check, or not (the
   * process ended, at its ERROR SUMMARY or the end of the log). A process whose last check is
   * a delta check keeps every held record counted, as before: no full check came after them.
   */
  releaseHeldLeaks(superseded: boolean): void {
    this.held.release(this.pid, superseded);
  }

  /** One-line items: summaries, preamble, thread headers, notices. */
  singleLine(token: IToken): void {
    const line = token.startLine ?? 0;
    const body = token.image;
    const name = token.tokenType.name;
    const handler = SINGLE_LINE_HANDLERS[name];
    if (handler !== undefined) {
      if (handler(this, body, line) === false) this.unknownLine(token);
    } else if (name === "LeakSummaryLine") {
      if (!this.summaries.leakLine(body, line)) this.unknownLine(token);
    } else if (name === "ToolNotice" && body.startsWith("xtree leak report")) {
      this.leaksElsewhere = true;
    } else if (name === "Hint") {
      if (/rerun with: -[sv]\b/.test(body)) this.noRecap = true;
      else if (body.startsWith("Reachable blocks (those")) this.summaries.kindsHidden();
      else if (body.startsWith("For a detailed leak analysis")) this.noLeakCheck(line);
    } else if (name === "AuxLine" && STACK_SIZE_ADVICE.test(body)) {
      // Read, with nothing to keep: see STACK_SIZE_ADVICE.
    } else if (name === "ErrorSummary") {
      // Counts past 2^53 (grammars/numbers.ts) are not read: the line is not understood.
      const counts = numbersIn(body);
      if (counts === undefined) this.unknownLine(token);
      else this.afterErrorSummary(counts, line);
    } else if (!KNOWN_SILENT.has(name)) this.unknownLine(token);
    if (NOT_UNDER_QUIET.has(name)) this.printedPreambleOrSummary = true;
  }

  /**
   * Whether the process shows that its run prints an ERROR SUMMARY for every process: it printed
   * a line that -q leaves out, or an ERROR SUMMARY (which -q prints only with -s). Checked by a
   * finished log only, so a retired state (always past its ERROR SUMMARY) needs no flag.
   */
  get showsErrorSummaries(): boolean {
    return this.printedPreambleOrSummary || this.summaries.sawErrorSummary;
  }

  /**
   * `--leak-check=no` (mc_main.c prints this advice instead of a LEAK SUMMARY): the blocks in
   * use at exit were never looked at, so no leak is listed or summarised, and a gate on leak
   * kinds cannot fire. Said once per process, with what the HEAP SUMMARY left in use.
   */
  private noLeakCheck(line: number): void {
    const inUse = this.summaries.inUseAtExit;
    if (inUse === undefined || inUse.bytes === 0) return;
    const amount = `${inUse.bytes} bytes in ${inUse.blocks} blocks`;
    this.sink.diagnostic({
      severity: "warning",
      code: "no-leak-check",
      message: `PID ${this.pid}: Valgrind ran no leak check (--leak-check=no): the ${amount} in use at exit were not looked at; rerun with --leak-check=full to see what leaked`,
      line,
      pid: this.pid,
    });
  }

  unknownLine(token: IToken): void {
    this.sink.unrecognized(token.startLine ?? 0, token.image, this.pid);
  }

  /** End of the log: summaries still open, held errors. */
  finish(): void {
    this.summaries.flush();
    this.flushErrors();
  }

  /**
   * Held errors go out once no recap can follow: at once when the log said `rerun with: -s`,
   * else after the recap's closing (second) ERROR SUMMARY. Memory then stays bounded on logs
   * of many processes (`--trace-children=yes`, long test suites).
   */
  private afterErrorSummary(counts: readonly number[], line: number): void {
    this.errorSummaries += 1;
    this.counted = this.summaries.errorSummary(counts, line) ?? this.counted;
    // No leak check follows the process's ERROR SUMMARY.
    this.releaseHeldLeaks(false);
    // Without held errors no recap can follow, and the check need not wait for one; but a
    // forked child's recap lists its inherited contexts, whether it printed any or not.
    const noneHeld =
      this.errors.length === 0 && this.inherited.bound === 0 && !this.mayListUnprinted();
    if (this.noRecap || this.errorSummaries >= 2 || noneHeld) this.flushErrors();
  }

  /**
   * Whether a recap may yet list contexts the process never printed: it names a parent whose
   * log is elsewhere, and ERROR SUMMARY counts more contexts than its loss records
   * (vg.28615.log in test/fixtures/valgrind/fork-own, a child that made no error of its own).
   * Valgrind prints no recap when it holds no error context (clean.c with -s).
   */
  private mayListUnprinted(): boolean {
    if (this.parentElsewhere === undefined || this.counted === undefined) return false;
    let records = 0;
    for (const n of this.lossRecords.values()) records += n;
    return this.counted.contexts > records;
  }

  private flushErrors(): void {
    if (this.counted !== undefined) {
      const window = {
        pid: this.pid,
        errors: this.errors,
        // -s recaps every context it counted; one recap line shows that it was given.
        recapped: this.recapped > 0,
        lossRecords: this.lossRecords,
        unlistedBlocks: this.summaries.takeUnlistedBlocks(),
        limited: this.limited,
        leaksElsewhere: this.leaksElsewhere,
        inherited: this.inherited,
        parentElsewhere: this.parentElsewhere,
      };
      this.errorCounts.settle(window, this.counted);
    }
    for (const draft of this.errors) this.sink.finding(draft);
    this.errors.length = 0;
    this.errorsBySignature = undefined;
    this.counted = undefined;
    this.recapped = 0;
    this.lossRecords.clear();
    this.limited = false;
    this.leaksElsewhere = false;
    // Past its ERROR SUMMARY a process's next one counts anew: only an exec'd PID has one.
    this.startedFresh();
  }

  /** The process's preamble named its parent (see Inherited.bound). */
  parentIs(ppid: number): void {
    if (this.errorCounts.processes.has(ppid)) return;
    this.startedFresh();
    this.parentElsewhere = ppid;
  }

  /** Nothing inherited: the process started afresh, or its errors were settled. */
  private startedFresh(): void {
    this.inherited = { bound: 0, contexts: 0, errors: 0 };
    this.parentElsewhere = undefined;
  }

  /** Valgrind printed that it reports no more errors for this process. */
  errorLimit(): void {
    this.limited = true;
  }

  recap(count: number): void {
    this.recapCount = count;
  }

  /**
   * What must outlive this state once the process has nothing open (no held errors, no open
   * summary, no pending recap count), so that a later line of the same PID (a reused PID, a
   * second recap) is read exactly as if the state had been kept; undefined while anything is
   * open. A log of 21,000 processes kept 20 MB of finished states (measured on the bench log).
   */
  retirement(): RetiredProcess | undefined {
    if (this.errors.length > 0 || this.counted !== undefined || this.recapCount !== undefined) {
      return undefined;
    }
    if (this.held.has(this.pid)) return undefined;
    const summaries = this.summaries.retirement();
    if (summaries === undefined) return undefined;
    return {
      retired: true,
      thread: this.thread,
      noRecap: this.noRecap,
      errorSummaries: this.errorSummaries,
      summaries,
    };
  }

  /** Takes up where a retired state left off (see retirement). */
  restore(retired: RetiredProcess): void {
    this.thread = retired.thread;
    this.noRecap = retired.noRecap;
    this.errorSummaries = retired.errorSummaries;
    // A revived PID's errors were settled: whatever it inherited was counted then.
    this.startedFresh();
    this.summaries.restore(retired.summaries);
  }

  get sinkRef(): ParseSink {
    return this.sink;
  }
}

/** Built from `{}`, so that V8 never pretenures it (see locationOf in the engine). */
function lossRecordOf(fields: LossRecordFields): LossRecordRef {
  const ref = {} as LossRecordRef;
  ref.index = fields.index;
  ref.of = fields.of;
  return ref;
}

/** Same headline and same addresses: the same error context (as Valgrind decides it). */
function signatureOf(draft: ErrorDraft): string {
  return `${draft.kind}\u0000${draft.message}\u0000${draft.stack.map((f) => f.ip ?? "").join(",")}`;
}
