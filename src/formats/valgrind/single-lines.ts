import { safeCount, safeInteger } from "../../../grammars/numbers.js";
import { CONTEXT_HEADER } from "../../../grammars/valgrind/line-kinds.js";
import type { ProcessState } from "./process-state.js";

/*
 * The one-line items of a Valgrind text block (preamble, summaries' headers, thread headers,
 * notices): what each tells a process's state, and which are read without keeping anything.
 */

/** Returns false when the line's numbers are not safe integers: it is then not understood. */
export type Handler = (state: ProcessState, body: string, line: number) => boolean | void;

export const SINGLE_LINE_HANDLERS: Readonly<Record<string, Handler>> = {
  ThreadHeader: (s, body) => {
    const header = /^Thread (\d+)(?: (.+))?:$/.exec(body);
    const thread = safeInteger(header?.[1] ?? "");
    // An unreadable header names no thread: the findings after it get none, not the last one's.
    s.thread = thread;
    s.errors.bannerThread.headerRead();
    // A named thread's (`Thread 2 beta-thread:`): the XML's <threadname>, which text dropped,
    // for the error it is printed for (see ProcessState.takeThreadName). Not the -s recap's,
    // after the first ERROR SUMMARY: printed at exit, it names whichever thread has the id then.
    const current = thread !== undefined && s.errors.errorSummaries === 0;
    s.threadName = current ? header?.[2] : undefined;
    return thread !== undefined;
  },
  // Valgrind prints `Thread N:` only when an error's thread differs from the last one printed,
  // which starts at 1 (m_errormgr.c, `last_tid_printed = 1`): in a process that Valgrind
  // started (its banner is here), findings before any header are thread 1's, as the XML's
  // <tid> says. A forked child prints no banner and inherits its parent's last thread, and a
  // -q log prints none: there the thread stays unknown. A forked child that writes a log of its
  // own prints a banner, yet goes on from its parent's thread: see BannerThread.
  ToolBanner: (s) => {
    s.thread = 1;
    s.threadName = undefined;
    s.errors.bannerThread.started();
  },
  ContextHeader: (s, body) => {
    const header = CONTEXT_HEADER.exec(body);
    const count = safeCount(header?.[1] ?? "");
    if (count !== undefined) s.errors.recap(count, header?.[2] !== undefined);
    return count !== undefined;
  },
  HeapSummaryHeader: (s, _b, line) => {
    // Memcheck prints it at exit: the leak checks before ran mid-run (see CountedLossRecords).
    s.errors.lossRecords.exitReached();
    s.summaries.heapHeader(line);
  },
  InUseAtExit: (s, body, line) => {
    if (!s.summaries.inUse(body, line)) return false;
    const inUse = s.summaries.inUseAtExit;
    if (inUse?.bytes === 0 && inUse.blocks === 0) s.heapEmptied(line);
    return true;
  },
  AllFreed: (s, _b, line) => s.heapEmptied(line),
  // --track-fds=yes (or =all) prints this at exit, -q or not, even with no descriptor but the
  // standard ones open: without it the run's open descriptors are not listed, not none.
  FdSectionHeader: (s) => s.sinkRef.descriptorsListed(),
  TotalHeapUsage: (s, body, line) => s.summaries.totalHeapUsage(body, line),
  LeakSummaryHeader: (s, _b, line) => s.summaries.leakHeader(line),
  VersionLine: (s, body) => {
    const version = /^Using Valgrind-(\S+)/.exec(body)?.[1];
    if (version === undefined) return;
    s.sinkRef.toolVersion(version);
    const [major = 0, minor = 0] = version.split(".").map(Number);
    s.since315 = major > 3 || (major === 3 && minor >= 15);
    s.errors.fdsCounted = major > 3 || (major === 3 && minor >= 23);
  },
  CommandLine: (s, body) => s.facts({ command: body.slice("Command: ".length) }),
  ParentPid: (s, body) => {
    const ppid = safeInteger(body.slice("Parent PID: ".length));
    if (ppid === undefined) return false;
    s.facts({ ppid });
    s.errors.parentIs(ppid);
    return true;
  },
  ErrorLimit: (s, body, line) => {
    // mc_errors.c stops printing after 1000 contexts or 10,000,000 errors: findings are missing.
    if (/I'm not reporting any more/.test(body)) {
      s.errors.errorLimit();
      s.sinkRef.incomplete(
        `Valgrind stopped reporting errors for PID ${s.pid}: ${body.trim()}`,
        line,
        undefined,
        s.pid,
      );
    }
  },
};

/** The preamble's lines that leaklog reads: a process that Valgrind started (not forked). */
export const PREAMBLE: ReadonlySet<string> = new Set([
  "ToolBanner",
  "VersionLine",
  "CommandLine",
  "ParentPid",
]);

/**
 * Lines Valgrind prints only without -q (`VG_(clo_verbosity) > 0`): the preamble and the HEAP
 * and LEAK SUMMARY headers. A forked child prints no preamble of its own, only summaries.
 */
export const NOT_UNDER_QUIET: ReadonlySet<string> = new Set([
  ...PREAMBLE,
  "HeapSummaryHeader",
  "LeakSummaryHeader",
]);

/**
 * Hints Valgrind prints only without -q, after a leak check's LEAK SUMMARY (mc_leakcheck.c,
 * print_results: `Reachable blocks ...`, `To see them, ...`, `Rerun with --leak-check=full ...`)
 * or at exit (mc_main.c, mc_fini: `For a detailed leak analysis ...`, `Use --track-origins=yes
 * ...`; m_main.c: `For lists of detected ...`, `For counts` before 3.15). Real `-q` and `-q -s`
 * runs of valgrind 3.19 print none of them (`-s` and `-v` leave out `For lists` alone). Like a LEAK SUMMARY, each proves a run that
 * prints HEAP SUMMARY at every exit (see SummaryBuilder.notQuietWithoutHeap).
 */
export const NOT_UNDER_QUIET_HINT =
  /^(?:Reachable blocks \(those|To see them, rerun with|Rerun with --leak-check=full|For (?:lists|counts) of detected|For a detailed leak analysis|Use --track-origins=yes)/;

/**
 * Where the log starts when a process's first line is one that only a run without -q prints,
 * past its preamble: a HEAP or LEAK SUMMARY line or a hint of NOT_UNDER_QUIET_HINT (see
 * ProcessState.startsPastPreamble). Undefined for any other line.
 */
export function quietOmittedStart(name: string, body: string): string | undefined {
  if (name === "Hint")
    return NOT_UNDER_QUIET_HINT.test(body)
      ? "at a hint printed after a leak check or at exit"
      : undefined;
  return QUIET_OMITTED_SUMMARY_LINES.get(name);
}

/** The summaries' lines that -q leaves out, and where a log starting at one starts. */
const QUIET_OMITTED_SUMMARY_LINES: ReadonlyMap<string, string> = new Map([
  ["HeapSummaryHeader", "at its HEAP SUMMARY"],
  ["InUseAtExit", "inside its HEAP SUMMARY"],
  ["TotalHeapUsage", "inside its HEAP SUMMARY"],
  ["LeakSummaryHeader", "at a LEAK SUMMARY"],
  ["LeakSummaryLine", "inside a LEAK SUMMARY"],
]);

/**
 * m_signals.c's advice after a fatal SIGSEGV, five indented lines that are aux lines of the
 * fatal signal's block. A `--xml=yes` run prints the signal in the XML and only this advice in
 * the text log, where it stands alone: ctest with `--xml=yes` in MEMORYCHECK_COMMAND_OPTIONS left
 * a MemoryChecker.<n>.log of these five lines, which were five unrecognized-line warnings.
 */
export const STACK_SIZE_ADVICE =
  /^ (?:If you believe this happened as a result of a stack$|overflow in your program's main thread \(unlikely but$|possible\), you can try to increase the size of the$|main thread stack using the --main-stacksize= flag\.$|The main thread stack size used in this run was \d+\.$)/;

/** Lines that are understood and carry nothing leaklog keeps. */
export const KNOWN_SILENT: ReadonlySet<string> = new Set([
  "HeuristicLine",
  "Hint",
  "ToolNotice",
  "FdInherited",
]);
