import { MEMCHECK_DEFAULT_KINDS } from "../../analysis/memcheck-kinds.js";
import { LeakKind, type Amount, type ToolSummary } from "../../model/index.js";
import type { CountedErrors } from "./error-counts.js";
import { numbersIn, parseLeakSummaryLine } from "./fields.js";
import { processFields } from "../process-fields.js";

type Summary = Omit<ToolSummary, "path">;

/** A closed SummaryBuilder's counters. */
export interface RetiredSummaries {
  sawErrorSummary: boolean;
  leakChecks: number;
  /** The last ERROR SUMMARY's errors and contexts; -1 before any (see lastErrors). */
  lastErrors: number;
  lastContexts: number;
}

/**
 * Collects one process's HEAP, LEAK and ERROR SUMMARY lines into ToolSummary objects. A summary
 * opens at `HEAP SUMMARY:` or `LEAK SUMMARY:` and closes at `ERROR SUMMARY:`, at the next leak
 * check's `LEAK SUMMARY:` (client requests run several), or at the end of the log.
 */
export class SummaryBuilder {
  private open: Summary | undefined;
  /**
   * The last ERROR SUMMARY's errors and contexts (-1 before any): -v and -s print it twice, and
   * the repeat is no new summary. Numbers, not its object: a retired process keeps them.
   */
  private lastErrors = -1;
  private lastContexts = -1;
  /** Valgrind prints ERROR SUMMARY last; a process without one was cut short. */
  sawErrorSummary = false;
  /** Leak checks seen so far in this process (1-based ordinal of the current one once opened). */
  leakChecks = 0;
  /** Leak kinds listed as records in the current leak check. */
  private readonly listedKinds = new Set<LeakKind>();
  /** Between `HEAP SUMMARY:` and the LEAK or ERROR SUMMARY after it. */
  private inHeapSummary = false;
  /** Since takeUnlistedBlocks(): see there. */
  private unlistedBlocks = 0;
  /** Since takeUnlistedBlocks(): see hiddenCountedBlocks. */
  private hiddenCounted = 0;
  /** What followed the open LEAK SUMMARY's last line, `suppressed:` (see fullCheck). */
  private afterSummary: "nothing" | "awaited" | "summary-hint" | "other line" = "nothing";
  /** `xtree leak report: FILE` came before the open LEAK SUMMARY: its records went to FILE. */
  private recordsElsewhere: string | undefined;
  /** A line of a HEAP SUMMARY was read (see notQuietWithoutHeap). */
  private heapSummaryRead = false;
  /**
   * The 1-based line of the process's first LEAK SUMMARY line or hint that -q leaves out (see
   * notQuietWithoutHeap).
   */
  private firstNotQuietLine: number | undefined;
  /** The open summary is heapEmpty's: a second sign of the same empty heap adds no check. */
  private emptied = false;
  /** This run of the PID printed a LEAK SUMMARY (leakChecks goes on from an earlier run's). */
  private summarisedLeaks = false;
  /** The open LEAK SUMMARY was followed by `Reachable blocks ... are not shown.` */
  private reachableHidden = false;
  /** The open LEAK SUMMARY is a delta check's (`(+N)`), which lists only what changed. */
  private deltaCheck = false;

  constructor(
    private readonly pid: number,
    /** The PID's run in the log, from its second on (see ProcessInfo.run). */
    private readonly run: number | undefined,
    private readonly emit: (summary: Summary) => void,
  ) {}

  heapHeader(line: number): void {
    if (this.open?.leak !== undefined) this.flush();
    this.heapSummaryRead = true;
    this.ensure(line);
    this.inHeapSummary = true;
  }

  /** Returns false when the line's numbers are not safe integers (it is then not read). */
  inUse(body: string, line: number): boolean {
    const numbers = numbersIn(body);
    if (numbers === undefined) return false;
    const [bytes = 0, blocks = 0] = numbers;
    this.heapSummaryRead = true;
    const summary = this.ensure(line);
    summary.heap = { ...summary.heap, inUseBytes: bytes, inUseBlocks: blocks };
    return true;
  }

  /** The open HEAP SUMMARY's `in use at exit`, if one is open. */
  get inUseAtExit(): { bytes: number; blocks: number } | undefined {
    const heap = this.open?.heap;
    return heap !== undefined ? { bytes: heap.inUseBytes, blocks: heap.inUseBlocks } : undefined;
  }

  /** Returns false when the line's numbers are not safe integers (it is then not read). */
  totalHeapUsage(body: string, line: number): boolean {
    const numbers = numbersIn(body);
    if (numbers === undefined) return false;
    const [allocs = 0, frees = 0, allocatedBytes = 0] = numbers;
    this.heapSummaryRead = true;
    const summary = this.ensure(line);
    summary.heap = {
      inUseBytes: summary.heap?.inUseBytes ?? 0,
      inUseBlocks: summary.heap?.inUseBlocks ?? 0,
      allocs,
      frees,
      allocatedBytes,
    };
    return true;
  }

  /**
   * A leak check ended with no LEAK SUMMARY (-q prints none): the next one is counted on, as
   * the records of each carry their check's number (see ProcessState.numberingRestarts).
   */
  checkWithoutSummary(): void {
    this.leakChecks += 1;
  }

  leakHeader(line: number): void {
    if (this.open?.leak !== undefined) this.flush();
    this.leakChecks += 1;
    this.summarisedLeaks = true;
    this.inHeapSummary = false;
    this.firstNotQuietLine ??= line;
    const summary = this.ensure(line);
    summary.leak = {};
    summary.leakCheck = this.leakChecks;
    this.afterSummary = "nothing";
    this.reachableHidden = false;
    this.deltaCheck = false;
  }

  /** `xtree leak report: FILE`, before the LEAK SUMMARY of a check whose records went there. */
  xtreeReport(file: string): void {
    this.recordsElsewhere = file;
  }

  /**
   * A line of the process other than a LEAK SUMMARY line: `summaryHint` when it is
   * `Rerun with --leak-check=full to see details of leaked memory` (see fullCheck).
   */
  lineRead(summaryHint: boolean): void {
    if (this.afterSummary === "awaited")
      this.afterSummary = summaryHint ? "summary-hint" : "other line";
  }

  /**
   * A loss record of kind `kind`. Loss records come before their check's LEAK SUMMARY, so one
   * after a LEAK SUMMARY starts the next leak check (client requests run several): the open
   * summary is complete, and must not take this check's kinds as its own.
   */
  lossRecord(kind: LeakKind): void {
    this.lineRead(false);
    if (this.open?.leak !== undefined) this.flush();
    this.listedKinds.add(kind);
  }

  /**
   * Whether this process is in its leak check at exit: a HEAP SUMMARY is open and no LEAK
   * SUMMARY yet (memcheck prints HEAP SUMMARY only at exit, never for a client request).
   */
  get atExit(): boolean {
    return this.inHeapSummary;
  }

  /**
   * A hint that -q leaves out (NOT_UNDER_QUIET_HINT in single-lines.ts), after a leak check or
   * at exit: see notQuietWithoutHeap.
   */
  notQuietHint(line: number): void {
    this.firstNotQuietLine ??= line;
  }

  /**
   * The line of the process's first LEAK SUMMARY line or hint that -q leaves out, when the
   * process has read no line of a HEAP SUMMARY. Memcheck prints HEAP SUMMARY at every exit,
   * before the exit's leak check (mc_main.c, mc_fini), under the same verbosity as any LEAK
   * SUMMARY and those hints (-q prints none of them). A client request's check
   * (VALGRIND_DO_LEAK_CHECK) prints a LEAK SUMMARY and its hints alone, but the exit's HEAP
   * SUMMARY follows them before the ERROR SUMMARY, in forked children too (real runs of
   * test/fixtures/valgrind/tail-cut/client.c). So a process at its ERROR SUMMARY with this
   * defined is one whose first lines the log lost, with the records and error blocks printed
   * before: `tail -n 9` of a full check (campaign v15a F6), and `tail -n 2` to `5`, which keep
   * only the hints after the LEAK SUMMARY and read as a clean run (campaign v16a F4). A
   * summary-only check's cut loses its error blocks all the same; its leaks, never listed, keep
   * their advice (see summaryOnlySentence).
   */
  get notQuietWithoutHeap(): number | undefined {
    return this.heapSummaryRead ? undefined : this.firstNotQuietLine;
  }

  /**
   * `Reachable blocks (those to which a pointer was found) are not shown.`, after the LEAK
   * SUMMARY of a `--leak-check=full` check: its unlisted kinds were hidden on purpose.
   */
  kindsHidden(): void {
    if (this.open?.leak === undefined) return;
    this.open.kindsHidden = true;
    this.reachableHidden = true;
  }

  /**
   * A LEAK SUMMARY line: returns its kind and whole amount (a delta check's too, without its
   * `(+N)`), or undefined when the line is not a summary line after all.
   */
  leakLine(body: string, line: number): { kind: LeakKind; amount: Amount } | undefined {
    const parsed = parseLeakSummaryLine(body);
    if (parsed === undefined) return undefined;
    this.firstNotQuietLine ??= line;
    const summary = this.ensure(line);
    const { bytes, blocks } = parsed;
    const amount = bytes === 0 && blocks === 0 ? NONE : { bytes, blocks };
    (summary.leak ??= {})[parsed.kind] = amount;
    if (parsed.delta) this.deltaCheck = true;
    if (parsed.kind === "suppressed") this.afterSummary = "awaited";
    return { kind: parsed.kind, amount };
  }

  /**
   * The heap holds no block: `All heap blocks were freed -- no leaks are possible`, which
   * mc_leakcheck.c prints instead of a LEAK SUMMARY when a leak check finds no block, or
   * `in use at exit: 0 bytes in 0 blocks`. After an earlier check's LEAK SUMMARY, this is a
   * leak check that summarises nothing: the process's last word on leaks, which the totals
   * show beside leaklog's (a harness whose last test freed its block showed the 116 bytes of
   * its mid-run check there, campaign v15a F3). A process with no earlier summary gets none,
   * as before: its log says nothing a summary of nothing would correct.
   */
  heapEmpty(line: number): void {
    if (!this.summarisedLeaks || this.emptied) return;
    this.leakHeader(line);
    const leak = (this.open as Summary).leak as Partial<Record<LeakKind, Amount>>;
    for (const kind of LeakKind.options) leak[kind] = NONE;
    this.emptied = true;
  }

  /**
   * `ERROR SUMMARY: 9 errors from 3 contexts (suppressed: 0 from 0)`, printed twice by -v/-s,
   * as its numbers. Returns them, or undefined when it only repeats the one before.
   */
  errorSummary(counts: readonly number[], line: number): CountedErrors | undefined {
    const [errors = 0, contexts = 0, suppressed = 0, suppressedContexts = 0] = counts;
    this.sawErrorSummary = true;
    this.inHeapSummary = false;
    const repeated = errors === this.lastErrors && contexts === this.lastContexts;
    if (this.open === undefined && repeated) return undefined;
    const summary = this.ensure(line);
    summary.errors = { errors, contexts, suppressed, suppressedContexts };
    this.flush();
    return { errors, contexts, line };
  }

  flush(): void {
    const summary = this.open;
    if (summary === undefined) return;
    if (summary.leak !== undefined) {
      summary.listedKinds = listedKindsOf(this.listedKinds);
      this.unlistedBlocks += unlistedBlocksOf(summary.leak, this.listedKinds);
      // A check that listed records says by them that it was a full one.
      if (this.listedKinds.size === 0 && this.fullCheck(summary.leak)) summary.kindsHidden = true;
      if (this.listedKinds.size > 0 || summary.kindsHidden === true)
        this.hiddenCounted += unlistedBlocksOf(summary.leak, this.listedKinds, COUNTED_BY_DEFAULT);
      if (this.reachableShownUnlisted(summary.leak)) summary.shownUnlisted = REACHABLE;
      // Where the leaks are: advice to rerun with the options the run had sent users in circles.
      if (this.recordsElsewhere !== undefined) summary.xtreeFile = this.recordsElsewhere;
    }
    this.afterSummary = "nothing";
    this.recordsElsewhere = undefined;
    this.reachableHidden = false;
    this.deltaCheck = false;
    this.emptied = false;
    this.listedKinds.clear();
    this.lastErrors = summary.errors?.errors ?? -1;
    this.lastContexts = summary.errors?.contexts ?? -1;
    this.open = undefined;
    this.emit(summary);
  }

  /**
   * Whether the LEAK SUMMARY `leak` was a `--leak-check=full` check's although it may list no
   * record: one of a summary-only check (`--leak-check=summary`, VALGRIND_DO_QUICK_LEAK_CHECK)
   * that counts any block is followed at once by `Rerun with --leak-check=full to see details of
   * leaked memory` (mc_leakcheck.c, print_results), so another line there means a full check,
   * whose unlisted kinds Valgrind's own suppressions or --show-leak-kinds hid. A run whose
   * suppressions took every definite leak lists no record, and its hidden indirect blocks were
   * read as leaks the log failed to list. Unknown when the log ends after `suppressed:`, and
   * never so under --xtree-leak=yes (a full check whose records went to another file).
   */
  private fullCheck(leak: NonNullable<Summary["leak"]>): boolean {
    if (this.afterSummary !== "other line" || this.recordsElsewhere !== undefined) return false;
    for (const [kind, amount] of Object.entries(leak) as [LeakKind, Amount][])
      if (kind !== "suppressed" && amount.blocks > 0) return true;
    return false;
  }

  /**
   * Whether the full check of LEAK SUMMARY `leak` showed its still reachable blocks and listed
   * none: the check says it hid them (`Reachable blocks ... are not shown.`, see kindsHidden)
   * right after its `suppressed:` line when it did. A log cut inside such a check's records was
   * told to rerun with --show-leak-kinds=all, which its run had (campaign camp-ctest F4). A
   * delta check lists only what changed, so its unlisted blocks are no sign of anything.
   */
  private reachableShownUnlisted(leak: NonNullable<Summary["leak"]>): boolean {
    if (this.reachableHidden || this.deltaCheck || this.listedKinds.has("still-reachable"))
      return false;
    if ((leak["still-reachable"]?.blocks ?? 0) === 0) return false;
    return this.fullCheck(leak);
  }

  /**
   * The blocks of the kinds that the leak checks since the last call summarised without
   * listing any record of them. Each loss record of a kind in --errors-for-leak-kinds counts as
   * an error whether or not --show-leak-kinds prints it (mc_leakcheck.c, get_printing_rules),
   * so ERROR SUMMARY may count up to this many contexts that the log never shows; and, with them,
   * the hiddenCountedBlocks that it counts unless the run's options said otherwise.
   */
  takeUnlistedBlocks(): { blocks: number; hiddenCounted: number } {
    const taken = { blocks: this.unlistedBlocks, hiddenCounted: this.hiddenCounted };
    this.unlistedBlocks = 0;
    this.hiddenCounted = 0;
    return taken;
  }

  /**
   * Of the unlisted blocks since takeUnlistedBlocks(), those of definite and possible leaks in
   * checks the log shows were full ones (they listed records, or said their kinds were hidden):
   * --show-leak-kinds hid their records, and Valgrind's default --errors-for-leak-kinds counts
   * each of them all the same (`--show-leak-kinds=definite` and a possibly-lost block: `1 errors
   * from 1 contexts` with nothing printed, campaign v16a F1, F3). A summary-only check counts
   * none (mc_leakcheck.c, get_printing_rules), nor is it known to be full when the log ends
   * after its `suppressed:` line. Blocks, not records: a record holds one block or more, and a
   * LEAK SUMMARY gives no record counts, so this is the most contexts they can be.
   */
  get hiddenCountedBlocks(): number {
    return this.hiddenCounted;
  }

  /** The counters a finished process keeps (see ProcessState.retirement); undefined if open. */
  retirement(): RetiredSummaries | undefined {
    if (this.open !== undefined || this.listedKinds.size > 0) return undefined;
    return {
      sawErrorSummary: this.sawErrorSummary,
      leakChecks: this.leakChecks,
      lastErrors: this.lastErrors,
      lastContexts: this.lastContexts,
    };
  }

  restore(retired: RetiredSummaries): void {
    this.sawErrorSummary = retired.sawErrorSummary;
    this.leakChecks = retired.leakChecks;
    this.lastErrors = retired.lastErrors;
    this.lastContexts = retired.lastContexts;
  }

  private ensure(line: number): Summary {
    this.open ??= { ...processFields(this.pid, this.run), line };
    return this.open;
  }
}

/** The kinds Valgrind counts as errors unless --errors-for-leak-kinds says otherwise. */
const COUNTED_BY_DEFAULT: ReadonlySet<LeakKind> = new Set(MEMCHECK_DEFAULT_KINDS);

/**
 * The blocks of the kinds (of `only`, if given) that no record lists. A loss record holds one
 * block at least: a kind's blocks bound its records.
 */
function unlistedBlocksOf(
  leak: NonNullable<Summary["leak"]>,
  listed: ReadonlySet<LeakKind>,
  only?: ReadonlySet<LeakKind>,
): number {
  let blocks = 0;
  for (const [kind, amount] of Object.entries(leak) as [LeakKind, { blocks: number }][]) {
    if (only !== undefined && !only.has(kind)) continue;
    // Suppressed records are never counted as errors (m_errormgr.c, VG_(unique_error)).
    if (kind !== "suppressed" && !listed.has(kind)) blocks += amount.blocks;
  }
  return blocks;
}

/**
 * `0 bytes in 0 blocks`, most of every LEAK SUMMARY: one frozen object for all of them (a log
 * can hold tens of thousands of summaries, see listedKindsOf).
 */
export const NONE: Amount = Object.freeze({ bytes: 0, blocks: 0 });

/** ToolSummary.shownUnlisted of a check that showed still reachable blocks and listed none. */
const REACHABLE: LeakKind[] = ["still-reachable"];

/**
 * The sorted kinds, as one shared array per distinct set (at most 32): a log of 21,000
 * processes otherwise kept 21,000 copies of the same few lists.
 */
const LISTED_KINDS = new Map<string, LeakKind[]>();

function listedKindsOf(kinds: ReadonlySet<LeakKind>): LeakKind[] {
  const sorted = [...kinds].sort();
  const key = sorted.join(",");
  let shared = LISTED_KINDS.get(key);
  if (shared === undefined) LISTED_KINDS.set(key, (shared = sorted));
  return shared;
}
