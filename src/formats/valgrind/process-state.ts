import type { IToken } from "chevrotain";
import type { Amount, Frame, LeakKind, LossRecordRef, ProcessInfo } from "../../model/index.js";
import type { FindingDraft, ParseSink } from "../types.js";
import { RECORD_LEAK_KINDS } from "../../analysis/memcheck-kinds.js";
import { processFields } from "../process-fields.js";
import type { ErrorCounts } from "./error-counts.js";
import { numbersIn, type LossRecordFields } from "./fields.js";
import { HeldErrors, type RetiredErrors } from "./held-errors.js";
import type { HeldLeaks } from "./held-leaks.js";
import {
  KNOWN_SILENT,
  NOT_UNDER_QUIET,
  NOT_UNDER_QUIET_HINT,
  PREAMBLE,
  quietOmittedStart,
  SINGLE_LINE_HANDLERS,
  STACK_SIZE_ADVICE,
} from "./single-lines.js";
import { allocationKey } from "../repeated-loss-records.js";
import { RecordGaps, type Gap } from "./record-gaps.js";
import { NONE, SummaryBuilder, type RetiredSummaries } from "./summary-builder.js";

/** `xtree leak report: FILE`, which Memcheck prints where the leak check's records went. */
const XTREE_REPORT = "xtree leak report:";
/**
 * --gen-suppressions' word for an error with no stack, in place of its suppression: written to
 * the text log even when --xml=yes sends the error to the XML file, so, alone, the text log of
 * an XML run (3.24's inherited descriptors; campaign v24), which read as a clean log.
 */
const NO_ORIGIN = "(No origin, error cannot be suppressed)";

/** What mc_leakcheck.c prints after the LEAK SUMMARY of a summary-only check (see SummaryBuilder). */
const SUMMARY_MODE_HINT = "Rerun with --leak-check=full to see details of leaked memory";

/**
 * What a leak check that a monitor command ran prints after its LEAK SUMMARY when it hid
 * reachable blocks: see CountedLossRecords.
 */
const MONITOR_REACHABLE_HINT = "To see them, add 'reachable any' args to leak_check";

/**
 * A finished process's state, reduced to what a later line of its PID would need: one flat
 * object per process, for a log can hold tens of thousands of them (see retirement).
 */
export interface RetiredProcess extends RetiredErrors, RetiredSummaries {
  retired: true;
  thread: number | undefined;
  threadName: string | undefined;
  run: number | undefined;
}

/**
 * What the parser knows about one process (one PID) of a text log: its current thread, its
 * summaries, its leak-check ordinal and its errors (held until no recap can follow: see
 * HeldErrors).
 */
export class ProcessState {
  thread: number | undefined;
  /**
   * The name the last thread header gave (`Thread 2 worker:`, pthread_setname_np), until the
   * error it was printed for takes it (see takeThreadName).
   */
  threadName: string | undefined;
  readonly summaries: SummaryBuilder;
  readonly errors: HeldErrors;
  /** The leak check of the latest loss record (0 before any). */
  private recordsCheck = 0;
  /**
   * The loss records of that check, while none of its LEAK SUMMARY is known: how many, and
   * their direct bytes and blocks per kind listed (see hiddenKinds and leakSummaryLine).
   */
  private listing:
    | {
        listed: number;
        of: number;
        last: number;
        amounts: Map<LeakKind, Amount>;
        /** The records' kinds and stacks, while the process printed nothing -q leaves out. */
        keys: Set<string>;
      }
    | undefined;
  /** The current check is a full one that followed another with no LEAK SUMMARY (see leak). */
  private afterQuietCheck = false;
  /** The process printed a line of its preamble: the log did not start after it. */
  private printedPreamble = false;
  /**
   * The block being read is the one the log ended in, with no blank line after it: a loss
   * record's stack may be cut (a run killed mid-report), and its draft says so
   * (`details.truncated`, as the XML reader's do).
   */
  cutByEnd = false;
  /**
   * The process printed what a `--xml=yes` run leaves in its text log (see onlyXmlRunRemnants):
   * a descriptor left open with neither the stack that opened it nor `<inherited from parent>`
   * (Valgrind before 3.23 writes that stack to the XML file and the rest of the listing here),
   * or the stack size advice after a fatal signal (STACK_SIZE_ADVICE).
   */
  xmlRunRemnant = false;
  /**
   * An XML file among the descriptors inherited from the parent (see inheritedXmlFile): with
   * no descriptor listed with its stack, which a `--xml=yes` run writes to the XML file, the
   * listing is that run's (see onlyXmlRunRemnants).
   */
  inheritedXmlFile: string | undefined;
  /** A descriptor left open was listed with the stack that opened it: a text run's listing. */
  fdStackListed = false;
  /**
   * The banner's Valgrind is 3.15 or later, whose -v no longer prints the ERROR SUMMARY twice
   * (see QuietRuns.verboseLine).
   */
  since315 = false;
  /** A record was read other than a descriptor left open (see onlyXmlRunRemnants). */
  private readRecord = false;
  /** `--leak-check=no`'s hint came: no LEAK SUMMARY follows the HEAP SUMMARY (see cutExitCheck). */
  private noCheckAtExit = false;
  /** Items of the process's blocks read so far: none before a stack means the log starts cut. */
  itemsRead = 0;
  /** The log was said to start inside this process's output (once per process). */
  startCut = false;
  /** Revived after its retirement (see restore): the log holds its earlier lines. */
  private revived = false;
  /**
   * A Memcheck process's preamble came before this process's first line: with none of its
   * own, it may be that process's forked child (see ForkParents), not a run whose start the
   * log lost. Set by the parser as the state is made.
   */
  mayBeForked = false;
  /**
   * Where the log starts, and its line, when the process's first line is one that only a run
   * without -q prints (see startsPastPreamble).
   */
  private startPast: { where: string; line: number } | undefined;
  /** Loss record numbers skipped where lines were not understood (see RecordGaps). */
  readonly gaps = new RecordGaps();

  constructor(
    readonly pid: number,
    /** The PID's run in the log, from its second on (see ProcessInfo.run). */
    readonly run: number | undefined,
    private readonly sink: ParseSink,
    /** Sends a leak on (through the parser, which holds it while its block may still come). */
    private readonly emitLeak: (draft: FindingDraft) => void,
    /** Tells of each record as it is read, for a following suppression block. */
    private readonly tell: (draft: FindingDraft) => void,
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
    this.summaries = new SummaryBuilder(pid, run, (summary) => sink.summary(summary));
    this.errors = new HeldErrors(pid, sink, this.read, errorCounts, this.summaries);
  }

  /**
   * The name of the thread of an error on thread `thread`, once: Valgrind prints a thread's
   * header only when an error's thread differs from the last one printed (m_errormgr.c,
   * pp_Error), with the name the thread has then, so it names the error it comes before. A
   * later error of that id with no header of its own may be another thread's, which reused the
   * id of one joined, or the same one renamed: it gets no name, where it got the last header's
   * (`reader` for the errors of a thread `io writer: 2`, whose XML names it, campaign ce F2).
   */
  takeThreadName(thread: number | undefined): string | undefined {
    const name = thread !== undefined && thread === this.thread ? this.threadName : undefined;
    this.threadName = undefined;
    return name;
  }

  /** Every record read, an error's or a leak's (see tell, and onlyXmlRunRemnants). */
  private readonly read = (draft: FindingDraft): void => {
    if (draft.kind !== "FdNotClosed") this.readRecord = true;
    this.tell(draft);
  };

  leak(fields: LossRecordFields, stack: Frame[], line: number): void {
    // A -q log prints no LEAK SUMMARY: a check ends where the next one's numbering starts again.
    const key = this.errors.notQuiet ? undefined : fields.kind + allocationKey(stack);
    const quietRestart = this.numberingRestarts(fields, key);
    if (quietRestart) {
      this.hiddenKinds();
      this.summaries.checkWithoutSummary();
      this.errors.lossRecords.quietCheckEnded();
    }
    const leakCheck = this.summaries.leakChecks + 1;
    if (leakCheck !== this.recordsCheck) {
      this.hiddenKinds();
      this.gaps.newCheck();
      this.recordsCheck = leakCheck;
      this.afterQuietCheck = quietRestart && !fields.delta;
      // A full check reports the whole heap again: the held checks' records are superseded.
      // A delta check (`(+N)`, VALGRIND_DO_ADDED/CHANGED_LEAK_CHECK) reports only the records
      // that changed, each superseding its earlier record alone (see HeldLeaks.holdDelta).
      // After a -q check, see HeldLeaks.holdAfterQuietCheck.
      if (!fields.delta && !quietRestart) this.releaseHeldLeaks(true, line);
    }
    this.summaries.lossRecord(fields.kind);
    this.listing ??= { listed: 0, of: 0, last: 0, amounts: new Map(), keys: new Set() };
    if (key !== undefined) this.listing.keys.add(key);
    this.listing.listed += 1;
    this.listing.of = Math.max(this.listing.of, fields.of);
    this.listing.last = fields.index;
    const amount = this.listing.amounts.get(fields.kind);
    if (amount === undefined)
      this.listing.amounts.set(fields.kind, { bytes: fields.directBytes, blocks: fields.blocks });
    else {
      amount.bytes += fields.directBytes;
      amount.blocks += fields.blocks;
    }
    this.recordsLost(this.gaps.record(this.pid, fields.index, fields.of));
    // The leak check at exit comes after any fork: its records are no child's inheritance, and
    // counted as such they hid the records another process's log had lost (campaign bl).
    if (!this.summaries.atExit) this.errorCounts.contextPrinted();
    this.errors.lossRecord(fields.kind, leakCheck);
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
      ...(fields.delta || this.cutByEnd
        ? {
            details: {
              ...(fields.delta ? { addedLeakCheck: true } : {}),
              ...(this.cutByEnd ? { truncated: true } : {}),
            },
          }
        : {}),
    };
    // Set after, not spread in: drafts are made per record, and nearly every process is a run 1.
    if (this.run !== undefined) draft.run = this.run;
    // Held or not, its --gen-suppressions block comes next.
    this.read(draft);
    // The check at exit follows HEAP SUMMARY (client-requested checks print none): nothing can
    // supersede it, so its records go out at once, as they did before checks were held.
    if (this.summaries.atExit) this.emitLeak(draft);
    else if (fields.delta) this.held.holdDelta(this.pid, draft);
    else if (this.afterQuietCheck) this.held.holdAfterQuietCheck(this.pid, draft, line);
    else this.held.hold(this.pid, draft);
  }

  /**
   * Whether loss record `fields` starts a leak check after one whose records no LEAK SUMMARY
   * followed (a -q log): memcheck numbers a check's records from 1, in rising order, all `of`
   * one total (as the XML's LeakCheckBoundaries reads them). Without this, a -q run's client
   * check (VALGRIND_DO_LEAK_CHECK, a monitor `leak_check full`) and its check at exit read as
   * one check, and a block both listed counted twice: 60 bytes for 30 (campaign v22 F8).
   */
  private numberingRestarts(fields: LossRecordFields, key: string | undefined): boolean {
    const listing = this.listing;
    if (listing === undefined || this.summaries.leakChecks >= this.recordsCheck) return false;
    if (fields.of !== listing.of || fields.index <= listing.last) return true;
    // Nor does a check list one loss record (kind and stack) twice. Numbered by size, a leak
    // that grew moves up: `10 bytes ... loss record 1 of 3`, then, at exit, `100 bytes ... 3 of
    // 3`, read as one check, counted 110 bytes (campaign v23 F1).
    return key !== undefined && listing.keys.has(key);
  }

  /**
   * A LEAK SUMMARY line of the current check: when its own records of `kind` add up to the
   * whole amount (none, when it listed none), the earlier checks' records of that kind that it
   * did not repeat hold no block now. A delta check's summary says so (`possibly lost: 0 (-40)`
   * after a block became definitely lost, which counted 40 bytes twice), and so does a full
   * check that lists nothing (a block freed since): campaign v15a F3. Below the whole amount,
   * which earlier records still hold the rest is not known: they stay counted, and the
   * overcount is said unless a later full check supersedes them (see HeldLeaks.summarised).
   */
  private leakSummaryLine(kind: LeakKind, whole: Amount, line: number): void {
    if (kind === "suppressed") return;
    const check = this.summaries.leakChecks;
    const own = this.recordsCheck === check ? this.listing?.amounts.get(kind) : undefined;
    this.held.summarised(this.pid, kind, check, { whole, own: own ?? NONE, line });
  }

  /**
   * The heap holds no block (see SummaryBuilder.heapEmpty): every held record of the process
   * is superseded, as by a full check that lists none. Its leak check at exit printed `All heap
   * blocks were freed`, but a record of a mid-run check still failed `--fail-on
   * possibly-lost` (campaign v15a F3).
   */
  heapEmptied(line: number): void {
    this.releaseHeldLeaks(true, line);
    this.summaries.heapEmpty(line);
  }

  /**
   * Emits the process's held leak records: superseded by a later full check, or not (the
   * process ended, at its ERROR SUMMARY or the end of the log). A process whose last check is
   * a delta check keeps counted every held record that no later delta check repeated.
   */
  releaseHeldLeaks(superseded: boolean, line?: number): void {
    this.held.release(this.pid, superseded, line);
  }

  /** One-line items: summaries, preamble, thread headers, notices. */
  singleLine(token: IToken): void {
    const line = token.startLine ?? 0;
    const body = token.image;
    const name = token.tokenType.name;
    if (this.itemsRead === 0) this.firstLine(name, body, line);
    if (name !== "LeakSummaryLine")
      this.summaries.lineRead(name === "Hint" && body.startsWith(SUMMARY_MODE_HINT));
    const handler = SINGLE_LINE_HANDLERS[name];
    if (handler !== undefined) {
      if (handler(this, body, line) === false) this.unknownLine(token);
    } else if (name === "LeakSummaryLine") {
      const read = this.summaries.leakLine(body, line);
      if (read === undefined) this.unknownLine(token);
      else this.leakSummaryLine(read.kind, read.amount, line);
    } else if (name === "ToolNotice" && body.startsWith(XTREE_REPORT)) {
      const file = body.slice(XTREE_REPORT.length).trim();
      this.errors.leaksElsewhere = true;
      this.summaries.xtreeReport(file);
      this.sink.incomplete(
        `PID ${this.pid}: leaks were written to ${file} (--xtree-leak=yes), not to this log: leaklog cannot count them; run without --xtree-leak for loss records`,
        line,
        "xtree-leak-file",
        this.pid,
      );
    } else if (name === "Hint") this.hint(body, line);
    else if (
      (name === "AuxLine" && STACK_SIZE_ADVICE.test(body)) ||
      (name === "ToolNotice" && body.startsWith(NO_ORIGIN))
    ) {
      // Read, with nothing to keep: see STACK_SIZE_ADVICE and NO_ORIGIN.
      this.xmlRunRemnant = true;
    } else if (name === "ErrorSummary") {
      // Counts past 2^53 (grammars/numbers.ts) are not read: the line is not understood.
      const counts = numbersIn(body);
      if (counts === undefined) this.unknownLine(token);
      else this.afterErrorSummary(counts, line);
    } else if (!KNOWN_SILENT.has(name)) {
      // An aux line continues an error's block: first in the process, it is where a log cut
      // inside the block starts (`tail -n 69` at ` Address 0x... is 0 bytes after a block`,
      // which was blamed on a damaged loss record: campaign v16a Q1).
      if (name === "AuxLine" && this.itemsRead === 0)
        this.logStartsCut(
          "inside a record's block (its first lines were cut off): the records before are lost",
          line,
        );
      this.unknownLine(token);
    }
    if (NOT_UNDER_QUIET.has(name)) this.errors.notQuiet = true;
    if (PREAMBLE.has(name)) this.printedPreamble = true;
  }

  /** A hint of Valgrind's: what it tells of the run, the leak check it closes. */
  private hint(body: string, line: number): void {
    if (NOT_UNDER_QUIET_HINT.test(body)) this.summaries.notQuietHint(line);
    if (/rerun with: -[sv]\b/.test(body)) this.errors.noRecap = true;
    else if (body.startsWith("Reachable blocks (those")) this.summaries.kindsHidden();
    else if (body.startsWith(MONITOR_REACHABLE_HINT))
      this.errors.lossRecords.monitorCheck(this.summaries.leakChecks);
    else if (body.startsWith("For a detailed leak analysis")) {
      this.noCheckAtExit = true;
      this.noLeakCheck(line);
    }
  }

  /**
   * The blocks in use at exit of a leak check at exit the log ends in: its HEAP SUMMARY read, and
   * no LEAK SUMMARY after it. A run killed during the leak search said only that the log ended
   * before its ERROR SUMMARY, not that 12 MB in use were never classified (campaign ce Q2).
   */
  cutExitCheck(): { bytes: number; blocks: number } | undefined {
    if (!this.summaries.atExit || this.noCheckAtExit) return undefined;
    const inUse = this.summaries.inUseAtExit;
    return inUse !== undefined && inUse.blocks > 0 ? inUse : undefined;
  }

  /**
   * Whether the process shows that its run prints an ERROR SUMMARY for every process: it printed
   * a line that -q leaves out, or an ERROR SUMMARY (which -q prints only with -s). Checked by a
   * finished log only, so a retired state (always past its ERROR SUMMARY) needs no flag.
   */
  get showsErrorSummaries(): boolean {
    return this.errors.notQuiet || this.summaries.sawErrorSummary;
  }

  /**
   * The process's part of the text log of a `--xml=yes` run: what Valgrind still writes there
   * (see xmlRunRemnant), and no preamble, summary or record, which went to the XML file. A
   * `-q` text run lists each descriptor left open with its stack or `<inherited from parent>`,
   * and gives its stack size advice after the fatal signal's record (campaign bd). A listing of
   * inherited descriptors alone, one of them an XML file not the log itself, is an XML run's
   * too: the program left none of its own open (campaign bs F2).
   */
  get onlyXmlRunRemnants(): boolean {
    const xmlListing = this.inheritedXmlFile !== undefined && !this.fdStackListed;
    return (this.xmlRunRemnant || xmlListing) && !this.readRecord && !this.showsErrorSummaries;
  }

  /**
   * `--leak-check=no` (mc_main.c prints this advice instead of a LEAK SUMMARY): the blocks in
   * use at exit were never looked at, so no leak is listed or summarised. Said once per
   * process, with what the HEAP SUMMARY left in use; not at all with no block in use, when
   * nothing can have leaked (0 bytes in 1 block can: a `malloc(0)` never freed is a definite
   * leak to a full check, test/fixtures/valgrind/no-leak-check/zero.c). A gate on leak kinds
   * fails on the warning as unable to tell (see uncountedKinds; it passed: campaign bqb Q2). A
   * process whose program ran leak checks of its own (VALGRIND_DO_LEAK_CHECK and the like) had
   * them looked at up to its last one, whose records count: "not looked at" was untrue there
   * (campaign bo F1).
   */
  private noLeakCheck(line: number): void {
    const inUse = this.summaries.inUseAtExit;
    if (inUse === undefined || inUse.blocks === 0) return;
    const amount = `${inUse.bytes} bytes in ${inUse.blocks} blocks`;
    const checks = Math.max(this.summaries.leakChecks, this.recordsCheck);
    const looked =
      checks === 0
        ? `the ${amount} in use at exit were not looked at`
        : `the program's own ${checks === 1 ? "leak check" : `${checks} leak checks`} (client requests) looked at the heap, but whatever of the ${amount} in use at exit leaked after the last of them was not looked at`;
    this.sink.diagnostic({
      severity: "warning",
      code: "no-leak-check",
      message: `PID ${this.pid}: Valgrind ran no leak check at exit (--leak-check=no): ${looked}; rerun with --leak-check=full to see what leaked`,
      line,
      pid: this.pid,
    });
  }

  unknownLine(token: IToken): void {
    this.sink.unrecognized(token.startLine ?? 0, token.image, this.pid);
    this.gaps.notUnderstood(token.startLine ?? 0);
  }

  /**
   * A loss record header with garbage in it (isDamagedLossRecord), with its stack: the record
   * is lost, not a memory error of unknown kind (an error-severity group failed `--fail-on
   * error` on a damaged log line: campaign v16b Q4). Its leak is not counted: damage that
   * overwrites bytes (a NUL run) may have changed a number as well, and a guessed amount would
   * pass or fail `--max-bytes` unsaid, where `incomplete` says the account lacks it (as a loss
   * record line whose numbers do not read, campaign bj F4). A gap in the numbers tells of it,
   * or RecordGaps does.
   */
  damagedLossRecord(token: IToken): void {
    this.sink.unrecognized(token.startLine ?? 0, token.image, this.pid);
    this.gaps.damagedRecord(token.startLine ?? 0);
  }

  /** After each item of the process (see RecordGaps.itemDone). */
  itemDone(): void {
    this.itemsRead += 1;
    this.recordsLost(this.gaps.itemDone(this.pid));
  }

  /**
   * Loss records damaged where the check skipped their numbers: the log lacks them. One of
   * them at least was printed, so it counts as listed (see hiddenKinds).
   */
  private recordsLost(gap: Gap | undefined): void {
    if (gap === undefined) return;
    // The log starts cut inside a record (see logStartsCut) and the lines not understood are
    // that record's end: the skipped numbers may be hidden kinds' (record 1 of 2 of tail69.txt
    // is a still-reachable one), and the cut record an error (campaign v16a Q1). The warning
    // that the log starts cut says what was lost.
    if (gap.atStart && this.startCut) return;
    this.sink.incomplete(gap.message, gap.line, undefined, this.pid);
    if (this.listing !== undefined) this.listing.listed += 1;
  }

  /** End of the log: summaries still open, held errors. */
  finish(): void {
    this.hiddenKinds();
    this.recordsLost(this.gaps.finish(this.pid));
    this.summaries.flush();
    this.errors.end();
  }

  /**
   * A leak check with no LEAK SUMMARY (`-q` prints none) that listed fewer loss records than
   * its `loss record N of M` count: `--show-leak-kinds` hid the others, of kinds the log does
   * not say, so none it did not list is known to be absent (a baseline's indirect leaks read
   * "fixed" against a default `-q` run). A check whose LEAK SUMMARY came says its kinds itself.
   */
  private hiddenKinds(): void {
    const listing = this.listing;
    if (listing !== undefined) this.recordsLost(this.gaps.end(this.pid, listing.of));
    this.listing = undefined;
    if (listing === undefined || this.summaries.leakChecks >= this.recordsCheck) return;
    if (listing.listed >= listing.of) return;
    this.sink.hiddenLeakKinds(RECORD_LEAK_KINDS.filter((kind) => !listing.amounts.has(kind)));
  }

  /**
   * The log starts cut off in this process's output: its first lines are a stack of no record
   * (see BlockVisitor.strayFrames) or, at its ERROR SUMMARY, a LEAK SUMMARY or a hint that -q
   * leaves out with no HEAP SUMMARY (see SummaryBuilder.notQuietWithoutHeap). Said once per
   * process.
   */
  /** Whether the log is taken to start cut in this process (said now or before). */
  logStartsCut(where: string, line: number): boolean {
    // A revived process's ERROR SUMMARY is in the log: the PID's lines after it (a second
    // container's PID 1 writing at once) start no cut log (compose-two-pid1.txt, whose client's
    // `For lists of detected ...` came after the server's ERROR SUMMARY).
    if (this.revived) return false;
    if (this.startCut) return true;
    this.startCut = true;
    this.sink.incomplete(`PID ${this.pid}: the log starts ${where}`, line, undefined, this.pid);
    return true;
  }

  /** The process's first line, a one-line item: see startsPastPreamble. */
  private firstLine(name: string, body: string, line: number): void {
    const where = quietOmittedStart(name, body);
    if (where !== undefined) this.startPast = { where, line };
  }

  /**
   * A process whose first line is one that only a run without -q prints (a HEAP or LEAK SUMMARY
   * line, or a hint after them), with no preamble before it in the log: Valgrind started no
   * such process there (it would have printed its preamble first) and forked none (its child's
   * lines follow the parent's preamble), so the log starts past the process's start. `tail -n
   * 6` to `10` of a run with one invalid write start at or inside its HEAP SUMMARY, and read as
   * a whole, clean run that passed --fail-on error,incomplete, while `tail -n 2` to `5` were
   * incomplete (campaign v17 F2).
   */
  private startsPastPreamble(): void {
    const start = this.startPast;
    if (start === undefined || this.mayBeForked) return;
    this.logStartsCut(
      `${start.where}, with no preamble before it in the log, which a run without -q prints first (a forked child's lines follow its parent's): the log's first lines were cut off, and any record or error printed before is lost`,
      start.line,
    );
  }

  /** Its held leaks go out (no leak check follows), its errors once no recap can follow. */
  private afterErrorSummary(counts: readonly number[], line: number): void {
    // A whole log's ERROR SUMMARY had the exit's HEAP SUMMARY before it; a LEAK SUMMARY or a
    // hint that -q leaves out, without one or a preamble, is the end of a run whose start is cut
    // (`tail -n 9`: it read as complete, and its unlisted definite leaks sent users to rerun
    // with --show-leak-kinds=all: campaign v15a F6; `tail -n 2` to `5`, the hints alone, read as
    // a clean run with 3 errors counted: campaign v16a F4). After a preamble, lines were lost in
    // the middle: a log written over says so.
    const headless = this.summaries.notQuietWithoutHeap;
    if (headless !== undefined && !this.printedPreamble)
      this.logStartsCut(
        "after the process's HEAP SUMMARY, which Valgrind prints at every exit of a run without -q (the log's first lines were cut off): any record or error printed before is lost",
        headless,
      );
    else this.startsPastPreamble();
    this.hiddenKinds();
    const counted = this.summaries.errorSummary(counts, line);
    // No leak check follows the process's ERROR SUMMARY.
    this.releaseHeldLeaks(false);
    this.errors.errorSummary(counted);
  }

  /**
   * What must outlive this state once the process has nothing open (no held errors, no open
   * summary, no pending recap count), so that a later line of the same PID (a reused PID, a
   * second recap) is read exactly as if the state had been kept; undefined while anything is
   * open. A log of 21,000 processes kept 20 MB of finished states (measured on the bench log).
   * One literal of numbers: with the summaries' counters and the last ERROR SUMMARY as objects
   * of their own, a retired process took about 170 bytes of a streaming parse's heap, 90 now.
   */
  retirement(): RetiredProcess | undefined {
    if (this.errors.open || this.held.has(this.pid)) return undefined;
    const summaries = this.summaries.retirement();
    if (summaries === undefined) return undefined;
    return {
      retired: true,
      thread: this.thread,
      threadName: this.threadName,
      run: this.run,
      noRecap: this.errors.noRecap,
      errorSummaries: this.errors.errorSummaries,
      sawErrorSummary: summaries.sawErrorSummary,
      leakChecks: summaries.leakChecks,
      lastErrors: summaries.lastErrors,
      lastContexts: summaries.lastContexts,
    };
  }

  /** The process's facts, told to the sink under its PID and run. */
  facts(info: Omit<ProcessInfo, "pid" | "run">): void {
    this.sink.process({ ...processFields(this.pid, this.run), ...info });
  }

  /**
   * Starts as the next run of `previous`'s PID (see ProcessInfo.run): leak checks are numbered
   * on, so that a PID and an ordinal still name one leak check.
   */
  continues(previous: ProcessState): void {
    this.summaries.leakChecks = previous.summaries.leakChecks;
  }

  /** Takes up where a retired state left off (see retirement). */
  restore(retired: RetiredProcess): void {
    this.revived = true;
    this.thread = retired.thread;
    this.threadName = retired.threadName;
    this.errors.restore(retired);
    this.summaries.restore(retired);
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
