import { MEMCHECK_DEFAULT_KINDS, RECORD_LEAK_KINDS } from "../../analysis/memcheck-kinds.js";
import type { LeakKind } from "../../model/index.js";
import type { ErrorDraft, ParseSink } from "../types.js";

/** `ERROR SUMMARY: N errors from M contexts`, and its 1-based line. */
export interface CountedErrors {
  errors: number;
  contexts: number;
  line: number;
}

/** What one process's ERROR SUMMARY is checked against, gathered until its errors go out. */
export interface ErrorWindow {
  pid: number;
  /** The process's error contexts as read, about to go out. */
  errors: readonly ErrorDraft[];
  /** Every context got its count from a `-s` recap (`N errors in context X of Y`). */
  recapped: boolean;
  /** Loss records printed per kind that ERROR SUMMARY counts (see CountedLossRecords). */
  lossRecords: ReadonlyMap<LeakKind, number>;
  /**
   * Loss records printed per kind by mid-run leak checks that a client request (counted) or a
   * monitor command (not counted) may have run (see CountedLossRecords).
   */
  uncertainRecords: ReadonlyMap<LeakKind, number>;
  /** Loss records printed by leak checks that a monitor command ran: never counted. */
  monitorRecords: number;
  /**
   * Blocks of the kinds that the process's LEAK SUMMARYs total but no record lists: at most
   * this many unprinted loss records (see SummaryBuilder.takeUnlistedBlocks).
   */
  unlistedBlocks: number;
  /**
   * Of those, the definite and possible blocks of full checks, whose records Valgrind counts by
   * default although --show-leak-kinds hid them: at most this many contexts that no log of the
   * process prints, inherited or not (see SummaryBuilder.hiddenCountedBlocks).
   */
  hiddenCountedBlocks: number;
  /**
   * The run printed a line -q leaves out (its preamble, a summary, a hint). A -q run prints no
   * LEAK SUMMARY, so the loss records its --show-leak-kinds hid, which --errors-for-leak-kinds
   * may count, are not known in number.
   */
  notQuiet: boolean;
  /** ERROR SUMMARY counts descriptors left open (see HeldErrors.countsFds). */
  fdsCounted: boolean;
  /** mc_errors.c stopped printing (1000 contexts): the log lacks contexts by design. */
  limited: boolean;
  /** `--xtree-leak=yes` wrote the loss records to a file: they count, unprinted. */
  leaksElsewhere: boolean;
  /** What the process may have inherited from the process that forked it. */
  inherited: Inherited;
  /**
   * The parent that the process's preamble names, when the log does not hold it: the process
   * may be a forked child that wrote a log of its own, whose parent's log is elsewhere.
   */
  parentElsewhere: number | undefined;
}

/** What ErrorCounts asks about the log's other processes. */
export interface LogProcesses {
  /** Whether a process other than `pid` printed this error block (held, not yet sent). */
  printedElsewhere(draft: ErrorDraft, pid: number): boolean;
  /** Whether Valgrind spoke for this PID in the log. */
  has(pid: number): boolean;
}

/**
 * A forked child inherits its parent's error list (fork copies Valgrind with the process), so
 * its ERROR SUMMARY also counts the errors its parent made before the fork, which only the
 * parent's part of the log prints (forkerr.c in test/fixtures/valgrind/fork: the child prints 3
 * contexts and 2 loss records, its ERROR SUMMARY says 7 contexts, 2 of them the parent's), and
 * its `-s` recap lists those contexts too.
 */
export interface Inherited {
  /**
   * At most this many contexts: all that other processes printed before the process's first
   * line, since a child's first line follows its fork. A forked child writing into its
   * parent's log prints no preamble, and one writing a log of its own (`%p` in --log-file)
   * prints a fresh one naming its parent (`Parent PID:`); so 0 for a process whose preamble
   * names a parent that is not in the log: a process started afresh (or such a child whose
   * parent's log is elsewhere, which a log alone cannot tell).
   */
  bound: number;
  /** `-s` recap contexts that another process of the log printed, and their errors. */
  contexts: number;
  errors: number;
}

/**
 * Checks each process's error contexts against its ERROR SUMMARY, and fills in the occurrence
 * counts the text log leaves out. Without `-s`, Valgrind prints each context once, at its first
 * occurrence, and only ERROR SUMMARY has the totals (loop.c, one error repeated 10 times: one
 * block, `10 errors from 1 contexts`, `<count>10</count>` in the XML of the same run).
 *
 * Each loss record of a kind in `--errors-for-leak-kinds` (default definite,possible) is one
 * more error and one more context (m_errormgr.c's VG_(unique_error) adds 1 to both), so
 * N - M is the non-leak contexts' repeats whatever the options were. Which kinds counted is not
 * in the log: any set of printed kinds is accepted, and counts are inferred only under the
 * default set. A counted kind need not be printed (`--show-leak-kinds=definite
 * --errors-for-leak-kinds=all`: 2 definite records printed, 7 contexts for 1 error and 6 loss
 * records), so a difference that such records can make up is told as info, not warned of.
 */
export class ErrorCounts {
  /** The once-per-log advice to rerun with -s was given. */
  private advised = false;
  /** Error blocks and loss records printed so far by all the log's processes. */
  private printed = 0;
  /** An error context that Valgrind counts was printed (see quietEnd). */
  private errorPrinted = false;
  /** Some process's ERROR SUMMARY was read (see settle). */
  private summarized = false;
  /** Checks put off, by PID (see defer): a window of counts, no error, each. */
  private readonly deferred = new Map<number, { window: ErrorWindow; counted: CountedErrors }>();

  constructor(
    private readonly sink: ParseSink,
    /** The log's processes, as far as the check of a forked child needs them. */
    readonly processes: LogProcesses,
  ) {}

  /** One more error block or loss record printed (not a recap's repeat). */
  contextPrinted(kind?: string): void {
    this.printed += 1;
    if (kind !== undefined && surelyCounted(kind)) this.errorPrinted = true;
  }

  /**
   * At the end of a log that printed no ERROR SUMMARY (`valgrind -q` without -s, as `ctest -T
   * memcheck` runs it): its error contexts are printed once each, however often they occurred,
   * and no summary said so, so the once-per-log advice to rerun with -s was never given and
   * every count read 1 in silence (campaign bl).
   */
  quietEnd(): void {
    if (this.advised || this.summarized || !this.errorPrinted) return;
    this.advised = true;
    this.sink.diagnostic({
      severity: "info",
      code: "error-counts-unknown",
      message: `the log prints each error context once and no ERROR SUMMARY (-q): the errors' counts are 1 here, however often they occurred; rerun with -s (or --xml=yes) for per-context counts`,
    });
  }

  /**
   * Puts off a process's check against its first ERROR SUMMARY until its -s recap closes (see
   * HeldErrors.mayRecapUnprinted), or, with no recap, the end of the log (see finish).
   */
  defer(window: ErrorWindow, counted: CountedErrors): void {
    this.deferred.set(window.pid, { window, counted });
  }

  /** The check put off for `pid`, for its recap to complete. */
  takeDeferred(pid: number): { window: ErrorWindow; counted: CountedErrors } | undefined {
    const deferred = this.deferred.get(pid);
    this.deferred.delete(pid);
    return deferred;
  }

  /**
   * The log's end: the checks whose recap never came are made as they stand; `quiet`: the log
   * printed no ERROR SUMMARY (see quietEnd).
   */
  finish(quiet: boolean): void {
    if (quiet) this.quietEnd();
    for (const { window, counted } of this.deferred.values()) this.settle(window, counted);
    this.deferred.clear();
  }

  /** What a process starting now may have inherited (see Inherited). */
  inheritable(): Inherited {
    return { bound: this.printed, contexts: 0, errors: 0 };
  }

  /**
   * Called with a process's errors just before they go out; may set their counts. True when
   * ERROR SUMMARY counts contexts beyond the log's that a parent elsewhere may have printed
   * before forking the process (see fromParentElsewhere and BannerThread).
   */
  settle(window: ErrorWindow, counted: CountedErrors): boolean {
    this.summarized = true;
    if (window.limited) return false;
    const inherited = window.inherited;
    const errors = window.errors.filter((e) => COUNTED.has(e.kind));
    const fdContexts = window.errors.filter((e) => MAYBE_COUNTED.has(e.kind)).length;
    const leakContexts = counted.contexts - errors.length - inherited.contexts;
    if (!leakContextsFit(leakContexts, fdContexts, 0, window)) {
      // Contexts a forked child may have inherited that its recap did not name (without -s, all).
      const unnamed = Math.max(0, inherited.bound - inherited.contexts);
      // Then ERROR SUMMARY's numbers mix the parent's with the child's: nothing to infer from.
      if (leakContextsFit(leakContexts, fdContexts, unnamed, window)) return false;
      const message = contextsMessage(window, errors.length, counted) + inheritedNote(unnamed);
      // Unprinted loss records may make up the difference; whether they counted is not in the
      // log, so the difference is told, not warned of (the `-s` recap's check still runs).
      const hidden = window.unlistedBlocks;
      if (!leakContextsFit(leakContexts, fdContexts, hidden + unnamed, window)) {
        const fromParent = this.fromParentElsewhere(window, leakContexts, fdContexts, hidden);
        const why = fromParent
          ? ` (error blocks are missing or damaged in the log, unless ${atLeast(fromParent.contexts)} inherited from PID ${fromParent.parentPid}, its parent, whose log this is not)`
          : window.notQuiet || !((missingContexts(leakContexts, fdContexts, window) ?? 0) > 0)
            ? " (error blocks are missing or damaged in the log)"
            : " (unless --errors-for-leak-kinds counted loss records that --show-leak-kinds hid, which a -q log neither prints nor summarises; else error blocks are missing or damaged in the log)";
        this.mismatch(window, counted, message + why, "warning", fromParent);
        return fromParent !== undefined;
      }
      const why = ` (unless --errors-for-leak-kinds counted loss records that --show-leak-kinds hid: the LEAK SUMMARY has ${hidden} blocks of kinds no record lists; else error blocks are missing or damaged in the log)`;
      this.mismatch(window, counted, message + why, "info");
      // Hidden loss records or inherited contexts: either may be why; a summary-only leak
      // check's hide none (nc.18716.txt in test/fixtures/valgrind/fork-thread). Every banner
      // names a parent, the shell's for a fresh process, so only contexts beyond the records
      // that a full check hid and counted by default tell of a fork: a fresh process's one
      // hidden possibly-lost record lost its errors' thread 1 (campaign v16a F1). Their blocks
      // are the most records they can be; fewer, one per kind, took a fresh process with two
      // hidden possibly-lost records for a child (poss2.txt in fixtures/valgrind/hidden-counted).
      return (
        window.parentElsewhere !== undefined &&
        !leakContextsFit(leakContexts, fdContexts, window.hiddenCountedBlocks, window)
      );
    }
    this.inferCounts(window, counted, errors, leakContexts, fdContexts);
    return false;
  }

  /** Fills in the error contexts' counts, or advises -s, once ERROR SUMMARY's contexts fit. */
  private inferCounts(
    window: ErrorWindow,
    counted: CountedErrors,
    errors: readonly ErrorDraft[],
    leakContexts: number,
    fdContexts: number,
  ): void {
    const inherited = window.inherited;
    if (errors.length === 0) return;
    // Errors less contexts: what repeats. A descriptor notice is uncounted (3.19) or one error
    // in one context (3.26) and never repeats, so it leaves this alone either way.
    const repeats = counted.errors - counted.contexts;
    if (window.recapped) {
      if (fdContexts > 0) return;
      const sum = errors.reduce((total, e) => total + e.count, inherited.errors);
      const contexts = errors.length + inherited.contexts;
      if (sum - contexts !== repeats) {
        const left = counted.errors - leakContexts;
        const message = `PID ${window.pid}: the -s recap counts ${sum} errors in ${contexts} contexts; ERROR SUMMARY's ${counted.errors} errors from ${counted.contexts} contexts leave ${left} for them (recap lines are missing or damaged in the log)`;
        this.mismatch(window, counted, message);
      }
      return;
    }
    if (repeats <= 0) return;
    const onlyContext = errors.length === 1 ? errors[0] : undefined;
    // No loss record counted (--errors-for-leak-kinds=none), or the default kinds' did: each
    // leak context is one error, and the one error context has the rest. So is each descriptor
    // context, where 3.23 and later count them: 14 errors from 10 contexts, 5 of them
    // descriptors and 4 leaks, left the lone error's 5 occurrences at 1 (campaign bx Q3).
    const leaksKnown = (contexts: number): boolean =>
      contexts === 0 || (!window.leaksElsewhere && defaultLeakContextsFit(contexts, window));
    // Where the version counts them (3.19's uncounted descriptors stood in for a child's
    // inherited contexts, and gave its one error the parent's repeats: campaign v24 F2).
    const known =
      leaksKnown(leakContexts) ||
      (window.fdsCounted && fdContexts > 0 && leaksKnown(leakContexts - fdContexts));
    if (onlyContext !== undefined && known) {
      onlyContext.count = repeats + 1;
      return;
    }
    this.advise(window, counted);
  }

  /**
   * The contexts that ERROR SUMMARY counts beyond the log's, for a process whose parent's log
   * is elsewhere: a forked child writing its own log (vg.9358.log) counts the errors its parent
   * made before the fork, which only the parent's log prints. Undefined when the process names
   * no such parent, or when the log shows more than ERROR SUMMARY counts, which no inheritance
   * explains.
   */
  private fromParentElsewhere(
    window: ErrorWindow,
    leakContexts: number,
    fdContexts: number,
    hidden: number,
  ): { parentPid: number; contexts: number } | undefined {
    const parentPid = window.parentElsewhere;
    if (parentPid === undefined) return undefined;
    const missing = missingContexts(leakContexts, fdContexts + hidden, window);
    return missing !== undefined && missing > 0 ? { parentPid, contexts: missing } : undefined;
  }

  private mismatch(
    window: ErrorWindow,
    counted: CountedErrors,
    message: string,
    severity: "warning" | "info" = "warning",
    maybeInherited?: { parentPid: number; contexts: number },
  ): void {
    this.sink.diagnostic({
      severity,
      code: "summary-mismatch",
      message,
      line: counted.line,
      pid: window.pid,
      ...(maybeInherited !== undefined ? { maybeInherited } : {}),
    });
  }

  private advise(window: ErrorWindow, counted: CountedErrors): void {
    if (this.advised) return;
    this.advised = true;
    this.sink.diagnostic({
      severity: "info",
      code: "error-counts-unknown",
      message: `Valgrind counted ${counted.errors} errors in ${counted.contexts} contexts for PID ${window.pid}, but its text log prints each context once: the errors' counts are 1 here; rerun with -s (or --xml=yes) for per-context counts`,
      line: counted.line,
      pid: window.pid,
    });
  }
}

/**
 * Kinds that are not Valgrind errors: it prints the fatal signal as a notice, outside the
 * error manager (segv.txt: 1 error printed beside it, `1 errors from 1 contexts`).
 */
const NOT_COUNTED: ReadonlySet<string> = new Set(["FatalSignal"]);
/**
 * `--track-fds=yes` notices: Valgrind 3.19 prints them uncounted (fd_leak.txt: 7 open
 * descriptors, `0 errors from 0 contexts`), 3.26 counts them as errors (protocol6-3.26.0.xml).
 */
const MAYBE_COUNTED: ReadonlySet<string> = new Set(["FdBadClose", "FdNotClosed", "FdBadUse"]);
const COUNTED = {
  has: (kind: string): boolean => !NOT_COUNTED.has(kind) && !MAYBE_COUNTED.has(kind),
};

/** Whether every Valgrind version counts errors of `kind` (and so lists them in a -s recap). */
export function surelyCounted(kind: string): boolean {
  return COUNTED.has(kind);
}

/** The records of `kinds` that count, and those that may (see ErrorWindow.uncertainRecords). */
function recordsOf(
  kinds: readonly LeakKind[],
  window: ErrorWindow,
): { counted: number; uncertain: number } {
  let counted = 0;
  let uncertain = 0;
  for (const kind of kinds) {
    counted += window.lossRecords.get(kind) ?? 0;
    uncertain += window.uncertainRecords.get(kind) ?? 0;
  }
  return { counted, uncertain };
}

/** Each set of the kinds a record can be of (which --errors-for-leak-kinds may count). */
const KIND_SETS: readonly (readonly LeakKind[])[] = Array.from(
  { length: 1 << RECORD_LEAK_KINDS.length },
  (_, set) => RECORD_LEAK_KINDS.filter((_kind, i) => (set & (1 << i)) !== 0),
);

/** Whether `contexts` can be the records of the default kinds (definite and possible). */
function defaultLeakContextsFit(contexts: number, window: ErrorWindow): boolean {
  const { counted, uncertain } = recordsOf(MEMCHECK_DEFAULT_KINDS, window);
  return counted <= contexts && contexts <= counted + uncertain;
}

/**
 * Whether `contexts` can be the printed loss records of some set of kinds plus at most
 * `unprinted` more and some of the descriptor notices; any number when the records went to an
 * xtree file.
 */
function leakContextsFit(
  contexts: number,
  fdContexts: number,
  unprinted: number,
  window: ErrorWindow,
): boolean {
  if (contexts < 0) return false;
  if (window.leaksElsewhere) return true;
  return KIND_SETS.some((kinds) => {
    const { counted, uncertain } = recordsOf(kinds, window);
    return counted <= contexts && contexts <= counted + uncertain + fdContexts + unprinted;
  });
}

/**
 * The fewest contexts that `contexts` counts beyond the printed loss records of some set of
 * kinds and at most `unprinted` more (the least leakContextsFit would need); undefined when
 * every set of kinds has more records than `contexts`.
 */
function missingContexts(
  contexts: number,
  unprinted: number,
  window: ErrorWindow,
): number | undefined {
  let fewest: number | undefined;
  for (const kinds of KIND_SETS) {
    const { counted, uncertain } = recordsOf(kinds, window);
    if (counted > contexts) continue;
    const missing = Math.max(0, contexts - counted - uncertain - unprinted);
    if (fewest === undefined || missing < fewest) fewest = missing;
  }
  return fewest;
}

function atLeast(contexts: number): string {
  return contexts === 1 ? "at least 1 context was" : `at least ${contexts} contexts were`;
}

/** What a process that may have been forked may have inherited, said in a mismatch. */
function inheritedNote(unnamed: number): string {
  if (unnamed === 0) return "";
  return `, of which at most ${unnamed} can be error contexts and loss records that other processes printed before this one's first line (a forked child inherits its parent's)`;
}

function contextsMessage(window: ErrorWindow, errors: number, counted: CountedErrors): string {
  const byDefault = recordsOf(MEMCHECK_DEFAULT_KINDS, window);
  const everyKind = recordsOf(RECORD_LEAK_KINDS, window);
  const records = byDefault.counted + byDefault.uncertain;
  const all = everyKind.counted + everyKind.uncertain;
  const leaks =
    all === records
      ? `${records} definitely or possibly lost records`
      : `${all} loss records (${records} definitely or possibly lost)`;
  // A monitor command's leak check counts none of its records (see CountedLossRecords).
  const uncertain =
    everyKind.uncertain > 0
      ? ` (${everyKind.uncertain} of them from leak checks mid-run, which count only if a client request ran them, not a monitor command)`
      : "";
  const monitor =
    window.monitorRecords > 0
      ? ` (and ${window.monitorRecords} of a monitor command's leak check, which count as no error)`
      : "";
  return `PID ${window.pid}: the log shows ${errors} error contexts and ${leaks}${uncertain}${monitor}, ERROR SUMMARY says ${counted.contexts} contexts`;
}
