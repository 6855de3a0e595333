import type { LeakKind } from "../../model/index.js";
import type { ErrorDraft, FindingDraft, ParseSink } from "../types.js";
import {
  surelyCounted,
  type CountedErrors,
  type ErrorCounts,
  type ErrorWindow,
  type Inherited,
} from "./error-counts.js";
import type { SummaryBuilder } from "./summary-builder.js";
import { BannerThread } from "./banner-thread.js";
import { CountedLossRecords } from "./counted-loss-records.js";

/** What a finished process keeps of its errors (see ProcessState.retirement). */
export interface RetiredErrors {
  noRecap: boolean;
  errorSummaries: number;
}

/**
 * One process's error contexts, held until no `-s` recap can follow: the recap repeats them
 * later with their counts (`N errors in context X of Y:`). Then they are checked against the
 * process's ERROR SUMMARY (see ErrorCounts) and sent. Valgrind caps a text log at 1000
 * contexts, so this stays bounded.
 */
export class HeldErrors {
  private readonly errors: ErrorDraft[] = [];
  private errorsBySignature: Map<string, ErrorDraft> | undefined;
  private recapCount: number | undefined;
  /** The recap context announced last is one a suppression hid (see takeSuppressed). */
  private recapSuppressed = false;
  /**
   * The process printed a line -q leaves out: its preamble, a HEAP or LEAK SUMMARY (set by
   * ProcessState.singleLine; see ErrorWindow.notQuiet).
   */
  notQuiet = false;
  /** The log said `rerun with: -s` (or `-v`): no recap will repeat the errors with counts. */
  noRecap = false;
  /** ERROR SUMMARY lines read: a recap ends with the second. */
  errorSummaries = 0;
  /** Recap lines that gave a held error its count. */
  private recapped = 0;
  /** The last recap context that matched no held error, while it is the last one read. */
  private recapOnly: ErrorDraft | undefined;
  /** The latest new ERROR SUMMARY, until the held errors are checked against it. */
  private counted: CountedErrors | undefined;
  /**
   * What the process's check against its first ERROR SUMMARY was put off with, once its -s recap
   * began (see ErrorCounts.defer): that recap lists the contexts the check lacked.
   */
  private deferred: ErrorWindow | undefined;
  /** Loss records printed since the errors last went out, by whether they count. */
  readonly lossRecords = new CountedLossRecords();
  /**
   * ERROR SUMMARY counts a descriptor left open as an error (Valgrind 3.23 and later), as the
   * banner's version says; undefined with no banner (-q).
   */
  fdsCounted: boolean | undefined;
  /** Valgrind stopped printing errors (1000 contexts): ERROR SUMMARY counts more than shown. */
  private limited = false;
  /** `--xtree-leak=yes` wrote the loss records to a file instead of the log. */
  leaksElsewhere = false;
  /** What the process may have inherited, had it been forked (see Inherited). */
  private inherited: Inherited;
  /** The parent its preamble names, when the log does not hold it (see ErrorWindow). */
  private parentElsewhere: number | undefined;
  /** The errors given thread 1 by the banner alone, and whether they keep it. */
  readonly bannerThread = new BannerThread();

  constructor(
    private readonly pid: number,
    private readonly sink: ParseSink,
    /** Tells of each record as it is read, for a following suppression block. */
    private readonly read: (draft: FindingDraft) => void,
    /** The log's check of error contexts against ERROR SUMMARY. */
    private readonly errorCounts: ErrorCounts,
    private readonly summaries: SummaryBuilder,
  ) {
    this.inherited = errorCounts.inheritable();
  }

  /** An error block, or a recap's repeat of one with its count (see recap). */
  add(draft: ErrorDraft): void {
    const count = this.recapCount;
    this.recapCount = undefined;
    this.recapSuppressed = false;
    if (count !== undefined) {
      // `-s` recap: the same context again, with its occurrence count. Never counted twice.
      const known = this.bySignature().get(signatureOf(draft));
      this.recapped += 1;
      this.recapOnly = undefined;
      if (known !== undefined) {
        known.count = Math.max(count, 1);
        return;
      }
      const heldElsewhere = this.errorCounts.processes.printedElsewhere(draft, this.pid);
      if (heldElsewhere && this.inheritedContext(count)) return;
      draft.count = Math.max(count, 1);
      // A child with a log of its own: the parent that printed the context is in another log.
      if (this.parentElsewhere !== undefined) {
        draft.inheritedFrom = { parentPid: this.parentElsewhere };
      } else if (!this.limited && !heldElsewhere) {
        // Valgrind prints each context when it first occurs (up to its error limit): one the
        // process never printed came with its error list from the process that forked it, which
        // nothing names (-q prints no preamble; a child in its parent's log prints none), or
        // which ended before it (fork-orphan in test/fixtures/valgrind). The summary of the
        // inputs looks for the process that printed it (see InheritedCopies).
        draft.inheritedFrom = {};
      }
      this.recapOnly = draft;
    } else this.errorCounts.contextPrinted(draft.kind);
    this.errorsBySignature?.set(signatureOf(draft), draft);
    this.errors.push(draft);
    this.read(draft);
  }

  /**
   * Whether a recap context that the process never printed, and that another process of the
   * log holds, is one it inherited: it may have been forked (within the contexts it can have
   * inherited), and the parent printed the context before the fork. Those are the parent's
   * findings, not the child's; they are only counted for the check. A context the child
   * repeated after the fork is inherited too, and its count mixes both (the child's log never
   * prints it). A parent whose errors already went out (it ended before its child) holds
   * nothing: add marks the context for the summary to settle.
   */
  private inheritedContext(count: number): boolean {
    const inherited = this.inherited;
    if (inherited.contexts >= inherited.bound) return false;
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

  /** One more loss record of this kind, of leak check `check`, for ERROR SUMMARY's check. */
  lossRecord(kind: LeakKind, check: number): void {
    this.lossRecords.record(kind, check);
  }

  /**
   * Held errors go out once no recap can follow: at once when the log said `rerun with: -s`,
   * else after the recap's closing (second) ERROR SUMMARY. Memory then stays bounded on logs
   * of many processes (`--trace-children=yes`, long test suites).
   */
  errorSummary(counted: CountedErrors | undefined): void {
    this.errorSummaries += 1;
    this.counted = counted ?? this.counted;
    // Without held errors no recap can follow, and the check need not wait for one; but a
    // forked child's recap lists its inherited contexts, whether it printed any or not.
    const noneHeld =
      this.errors.length === 0 && this.inherited.bound === 0 && !this.mayListUnprinted();
    if (this.noRecap || this.errorSummaries >= 2 || noneHeld) this.flush();
  }

  /**
   * Whether an ERROR SUMMARY was read whose recap has not begun: no `rerun with: -s` came, and
   * the process printed error contexts Valgrind counts, or the summary counts contexts no loss
   * record can be (the recap lists those, never leaks). A fatal signal and 3.19's open
   * descriptors are no counted errors: a log of a failed assert() or of SIGPIPE run with -s
   * ends at its one ERROR SUMMARY, `0 errors from 0 contexts`, and was called cut.
   */
  private recapAwaited(): boolean {
    if (this.counted === undefined) return false;
    return this.errors.some((e) => surelyCounted(e.kind)) || this.unprintedContexts() > 0;
  }

  /**
   * Whether a recap may yet list contexts the process never printed: it names a parent whose
   * log is elsewhere, and ERROR SUMMARY counts contexts no loss record can be (vg.28615.log in
   * test/fixtures/valgrind/fork-own, a child that made no error of its own). Valgrind prints
   * no recap when it holds no error context (clean.c with -s).
   */
  private mayListUnprinted(): boolean {
    return this.parentElsewhere !== undefined && this.unprintedContexts() > 0;
  }

  /**
   * The contexts ERROR SUMMARY counts beyond the loss records: those printed, and at most one
   * per block that a full check summarised but hid and Valgrind counts by default (see
   * SummaryBuilder.hiddenCountedBlocks). A whole -s log of a possibly-lost block hidden by
   * `--show-leak-kinds=definite` ends at `1 errors from 1 contexts` with no recap, and was
   * called cut (campaign v16a F3). The most the hidden records can be, so that no such log is:
   * a child whose inherited contexts those blocks can account for is not waited for, and its
   * recap's contexts are marked as any unnamed parent's are (see add). A descriptor left open
   * is no such context either: 3.23 and later count each as an error, and recap none, like a
   * leak: a whole `-s --track-fds=yes` log of a descriptor left open and no error was called cut
   * "inside Valgrind's -s recap" (campaign bx F2).
   */
  private unprintedContexts(): number {
    if (this.counted === undefined) return 0;
    const unprinted = this.counted.contexts - this.summaries.hiddenCountedBlocks;
    const records = unprinted - this.lossRecords.mayCount;
    return this.countsFds() ? records - this.fdContexts() : records;
  }

  /** The descriptors left open that the process printed. */
  private fdContexts(): number {
    let fds = 0;
    for (const e of this.errors) if (e.kind === "FdNotClosed") fds += 1;
    return fds;
  }

  /**
   * Whether ERROR SUMMARY counts the descriptors left open: the banner's version says (3.23 and
   * later). With no banner (-q), only if it counts as many contexts: 3.19 lists a child's 4
   * descriptors and counts 1 context, the error it inherited (campaign v23 F3); a 3.27 run with
   * 2 descriptors and 2 loss records, one of them still reachable, counts 3 (campaign v24 F1).
   */
  private countsFds(): boolean {
    if (this.fdsCounted !== undefined) return this.fdsCounted;
    return this.counted !== undefined && this.counted.contexts >= this.fdContexts();
  }

  /**
   * The log's end. A recap that no closing ERROR SUMMARY ended was cut (a size limit, a full
   * disk, a killed runner): the log is incomplete, and the context read last, if the process
   * never printed it, is the cut one (its stack short, it matched nothing): dropped, where it
   * was a second error with its count, said to be inherited from a parent that never forked.
   */
  end(): void {
    if (this.recapped > 0 || this.recapCount !== undefined || this.recapAwaited()) {
      this.sink.incomplete(
        `PID ${this.pid}: the log ends inside Valgrind's -s recap, before its closing ERROR SUMMARY (file truncated or run cut short)`,
        undefined,
        undefined,
        this.pid,
      );
      const cut = this.recapOnly;
      if (cut !== undefined && this.errors.at(-1) === cut) {
        this.errors.pop();
        this.errorsBySignature = undefined;
      }
    }
    this.flush();
  }

  /** Checks the held errors against the latest ERROR SUMMARY, if any, and sends them. */
  flush(): void {
    // Contexts it never printed, listed by its -s recap or counted by its ERROR SUMMARY.
    let inherited = this.errors.some((e) => e.inheritedFrom !== undefined);
    if (this.counted !== undefined) {
      const records = this.lossRecords.settle();
      const unlisted = this.summaries.takeUnlistedBlocks();
      const own: ErrorWindow = {
        pid: this.pid,
        errors: this.errors,
        // -s recaps every context it counted; one recap line shows that it was given.
        recapped: this.recapped > 0,
        lossRecords: records.counted,
        uncertainRecords: records.uncertain,
        monitorRecords: records.monitor,
        unlistedBlocks: unlisted.blocks,
        hiddenCountedBlocks: unlisted.hiddenCounted,
        notQuiet: this.notQuiet || this.noRecap,
        fdsCounted: this.countsFds(),
        limited: this.limited,
        leaksElsewhere: this.leaksElsewhere,
        inherited: this.inherited,
        parentElsewhere: this.parentElsewhere,
      };
      const window = { ...own, ...this.deferredPart(own) };
      // The window's map and list are this state's, emptied below: the put-off check keeps copies.
      if (this.mayRecapUnprinted())
        this.errorCounts.defer(
          {
            ...window,
            errors: [],
            lossRecords: new Map(window.lossRecords),
            uncertainRecords: new Map(window.uncertainRecords),
          },
          this.counted,
        );
      else if (this.errorCounts.settle(window, this.counted)) inherited = true;
    }
    this.bannerThread.settle(inherited);
    for (const draft of this.errors) this.sink.finding(draft);
    this.errors.length = 0;
    this.errorsBySignature = undefined;
    this.counted = undefined;
    this.deferred = undefined;
    this.recapped = 0;
    this.recapOnly = undefined;
    this.lossRecords.clear();
    this.limited = false;
    this.leaksElsewhere = false;
    // Past its ERROR SUMMARY a process's next one counts anew: only an exec'd PID has one.
    this.startedFresh();
  }

  /**
   * Drops the held errors unsent, those from line `from` on if given: the process, or its run
   * from that line on, turned out to be another Valgrind tool's (see OtherTools.threadToolLine),
   * and Memcheck's grammar had made them up. A -q Memcheck run's errors before it are its own
   * (see QuietRuns).
   */
  discard(from = 0): void {
    const kept = this.errors.filter((draft) => draft.line < from);
    this.errors.length = 0;
    this.errors.push(...kept);
    this.errorsBySignature = undefined;
    this.recapOnly = undefined;
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

  /** A recap's context header: `suppressed` when it names the suppression that hid it. */
  recap(count: number, suppressed: boolean): void {
    this.recapCount = count;
    this.recapSuppressed = suppressed;
    // The recap of a process whose check was put off at its first ERROR SUMMARY (see
    // mayRecapUnprinted), revived by this line: its check waits for the recap's close.
    if (this.counted !== undefined || this.errorSummaries !== 1) return;
    const deferred = this.errorCounts.takeDeferred(this.pid);
    if (deferred === undefined) return;
    this.counted = deferred.counted;
    this.deferred = deferred.window;
  }

  /**
   * Whether the check against the first ERROR SUMMARY, of a process that printed no error, is
   * put off (see ErrorCounts.defer): the summary counts contexts that no loss record printed
   * can be, and the log did not say that no -s recap follows. A -q -s child writing a log of its
   * own (`--log-file=vg.%p.log`, forked after an error) prints its ERROR SUMMARY, then a recap of
   * the contexts it inherited: checked at once, it was "error blocks are missing or damaged"
   * (campaign v22 F1). Hidden loss records are counted with no recap, which may never come.
   */
  private mayRecapUnprinted(): boolean {
    return (
      this.errorSummaries === 1 &&
      !this.noRecap &&
      this.errors.length === 0 &&
      this.recapped === 0 &&
      this.unprintedContexts() > 0
    );
  }

  /** What the put-off check knew that a revived process no longer holds (see recap). */
  private deferredPart(now: ErrorWindow): Partial<ErrorWindow> {
    const d = this.deferred;
    if (d === undefined) return {};
    return {
      lossRecords: sumByKind(d.lossRecords, now.lossRecords),
      uncertainRecords: sumByKind(d.uncertainRecords, now.uncertainRecords),
      monitorRecords: d.monitorRecords + now.monitorRecords,
      unlistedBlocks: d.unlistedBlocks,
      hiddenCountedBlocks: d.hiddenCountedBlocks,
      notQuiet: d.notQuiet || now.notQuiet,
      leaksElsewhere: d.leaksElsewhere,
    };
  }

  /**
   * Whether the record read now is a context that a suppression hid, which 3.23+'s
   * `--show-error-list=all` lists after the others, each under `N errors (suppressed by NAME) in
   * context X of Y:`: part of the recap, yet no finding. ERROR SUMMARY's `suppressed: N from M`
   * counts it, and the XML of the same run lists none (its <suppcounts> names the suppression).
   * Held as an error, it failed `--fail-on error` on a run Valgrind calls clean, and after a run
   * with no error to recap it made a second run of the PID, cut (campaign bw F2).
   */
  takeSuppressed(): boolean {
    if (!this.recapSuppressed) return false;
    this.recapSuppressed = false;
    this.recapCount = undefined;
    // A recap line all the same: a log that ends after it was cut before the closing summary.
    this.recapped += 1;
    this.recapOnly = undefined;
    return true;
  }

  /** Whether anything would be lost with this state: held errors, a check, a recap count. */
  get open(): boolean {
    return this.errors.length > 0 || this.counted !== undefined || this.recapCount !== undefined;
  }

  /** Takes up where a retired process left off (see ProcessState.retirement). */
  restore(retired: RetiredErrors): void {
    this.noRecap = retired.noRecap;
    this.errorSummaries = retired.errorSummaries;
    // A revived PID's errors were settled: whatever it inherited was counted then.
    this.startedFresh();
  }
}

/** Same headline and same addresses: the same error context (as Valgrind decides it). */
function signatureOf(draft: ErrorDraft): string {
  return `${draft.kind}\u0000${messageOfContext(draft)}\u0000${draft.stack.map((f) => f.ip ?? "").join(",")}`;
}

/**
 * The part of an error's message that names its context. Valgrind 3.27's -s recap prints a
 * double close's path from memory the close freed (`File descriptor 3: ` then garbage `is already
 * closed`): matched whole, the recap's copy was a second occurrence of its own.
 */
function messageOfContext(draft: ErrorDraft): string {
  if (draft.kind !== "FdBadClose") return draft.message;
  return /^File descriptor -?\d+/.exec(draft.message)?.[0] ?? draft.message;
}

/** Two tallies by kind, added. */
function sumByKind<K>(a: ReadonlyMap<K, number>, b: ReadonlyMap<K, number>): Map<K, number> {
  const sum = new Map(a);
  for (const [kind, n] of b) sum.set(kind, (sum.get(kind) ?? 0) + n);
  return sum;
}
