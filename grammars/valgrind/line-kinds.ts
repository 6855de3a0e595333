import type { TokenType } from "chevrotain";
import { createToken, Lexer } from "../chevrotain.js";

/*
 * Valgrind's text log is line-oriented: every line after its `==PID==` prefix is one token.
 * Tokens are never produced by a character lexer (too slow for gigabyte logs): the classifier
 * below picks one token type per line from a table of anchored patterns, and the block parser
 * (block-parser.ts) builds a CST over the tokens of one block. Syntax only; meaning lives in
 * src/formats/valgrind.
 */
const lineToken = (name: string): TokenType => createToken({ name, pattern: Lexer.NA });

export const FrameLine = lineToken("FrameLine");
export const FdInherited = lineToken("FdInherited");
export const AuxLine = lineToken("AuxLine");
export const ErrorHeadline = lineToken("ErrorHeadline");
export const LossRecord = lineToken("LossRecord");
export const ContextHeader = lineToken("ContextHeader");
export const ThreadHeader = lineToken("ThreadHeader");
export const FatalSignal = lineToken("FatalSignal");
export const FdSectionHeader = lineToken("FdSectionHeader");
export const OpenFd = lineToken("OpenFd");
export const HeapSummaryHeader = lineToken("HeapSummaryHeader");
export const InUseAtExit = lineToken("InUseAtExit");
export const TotalHeapUsage = lineToken("TotalHeapUsage");
export const AllFreed = lineToken("AllFreed");
export const LeakSummaryHeader = lineToken("LeakSummaryHeader");
export const LeakSummaryLine = lineToken("LeakSummaryLine");
export const HeuristicLine = lineToken("HeuristicLine");
export const ErrorSummary = lineToken("ErrorSummary");
export const ErrorLimit = lineToken("ErrorLimit");
export const ToolBanner = lineToken("ToolBanner");
export const VersionLine = lineToken("VersionLine");
export const CommandLine = lineToken("CommandLine");
export const ParentPid = lineToken("ParentPid");
export const ClientMessage = lineToken("ClientMessage");
export const Hint = lineToken("Hint");
export const ToolNotice = lineToken("ToolNotice");
export const BlockListLine = lineToken("BlockListLine");
/** Anything else: the first line of an error of a kind leaklog does not know, or noise. */
export const TextLine = lineToken("TextLine");

export const ALL_LINE_TOKENS: readonly TokenType[] = [
  FrameLine,
  FdInherited,
  AuxLine,
  ErrorHeadline,
  LossRecord,
  ContextHeader,
  ThreadHeader,
  FatalSignal,
  FdSectionHeader,
  OpenFd,
  HeapSummaryHeader,
  InUseAtExit,
  TotalHeapUsage,
  AllFreed,
  LeakSummaryHeader,
  LeakSummaryLine,
  HeuristicLine,
  ErrorSummary,
  ErrorLimit,
  ToolBanner,
  VersionLine,
  CommandLine,
  ParentPid,
  ClientMessage,
  Hint,
  ToolNotice,
  BlockListLine,
  TextLine,
];

const LEAK_KIND = "(?:definitely lost|indirectly lost|possibly lost|still reachable|suppressed)";

/**
 * A frame line body's head up to its function: `   at 0x10B2C1: ` or `   by 0x10B2C1: `, the
 * code address captured.
 */
export const FRAME_LINE_HEAD = /^ {2,}(?:at|by) (0x[0-9A-Fa-f]+): /;

/**
 * A frame line body as Valgrind indents it (three spaces): most of a log's lines, told
 * without a regex.
 */
export function isFrameLineBody(body: string): boolean {
  return body.startsWith("at 0x", 3) || body.startsWith("by 0x", 3);
}

/** Whether a frame line's body is a stack's first frame: `at`, where the later ones say `by`. */
export function isFirstFrameBody(body: string): boolean {
  return body.startsWith("at 0x", 3);
}

/**
 * A block that `block_list N` (a monitor command the program may run itself,
 * VALGRIND_MONITOR_COMMAND) lists under loss record N: `0xADDR[SIZE]`, with ` (found via
 * heuristic NAME)` when a heuristic found it, and the blocks it points at two spaces further in
 * each level, `0xADDR[SIZE] indirect loss record N` (mc_leakcheck.c, MC_(print_block_list) and
 * print_clique; campaign bt F2).
 */
const BLOCK_LIST_LINE =
  /^(?: {2})*0x[0-9A-Fa-f]+\[\d+\](?: indirect loss record \d+| \(found via heuristic [\w-]+\))?$/;

/** Lines that start with spaces: frames and the indented summary lines (mc_leakcheck.c). */
const INDENTED: readonly (readonly [TokenType, RegExp])[] = [
  [FrameLine, FRAME_LINE_HEAD],
  [LeakSummaryLine, new RegExp(`^ +${LEAK_KIND}: `)],
  [InUseAtExit, /^ +in use at exit: /],
  [TotalHeapUsage, /^ +total heap usage: /],
  // The heuristic's name is padded to 19 columns, so `multipleinheritance:` has no space.
  [HeuristicLine, /^ +(?:of which reachable via heuristic:|[a-z0-9]+ *: [\d,]+ bytes in)/],
  [FdInherited, /^ +<inherited from parent>/],
  // vgdb instructions and ioctl warnings continue on indented lines (public logs 14, 15, 28), as
  // do `Warning: client switching stacks?` (m_stacks.c; swapcontext onto a heap stack, or
  // --max-stackframe too small) and `Warning: ignored attempt to set SIGKILL handler in
  // sigaction();` (m_signals.c), and `Warning: invalid file descriptor N in syscall close()` of a
  // descriptor Valgrind keeps for itself (syswrap-generic.c).
  [
    Hint,
    /^ {2,}(?:\/|target remote |This could cause spurious|See README_MISSING|to suppress, use: --max-stackframe=|further instances of this message will not be shown|the SIG[A-Z0-9]+ signal is uncatchable|Use --log-fd=<number> to select an alternative log fd\.)/,
  ],
  [BlockListLine, BLOCK_LIST_LINE],
];

const LOSS_RECORD_COUNT = /^[\d,]+ /;
const LOSS_RECORD_KIND = new RegExp(`blocks are ${LEAK_KIND} in `);
const LOSS_RECORD_NUMBER = /loss record [\d,]+ of [\d,]+/;
const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;

/**
 * `^[\d,]+ .*blocks are KIND in .*loss record [\d,]+ of [\d,]+`, in three searches. As one
 * expression, each `blocks are KIND in` of a line rescans the rest of it for the loss record:
 * time quadratic in a line that repeats it (480 KB took 5 s, and the line cap is 1 MiB). The
 * first one leaves the loss record the most room, and `.` stops at a line terminator, so the
 * whole match lies before the first.
 */
const LOSS_RECORD = {
  test(body: string): boolean {
    // First, on the body itself: most lines fail at their first character, and a count holds
    // no line terminator, so the whole body need not be searched for one.
    if (!LOSS_RECORD_COUNT.test(body)) return false;
    const cut = body.search(LINE_TERMINATOR);
    const text = cut < 0 ? body : body.slice(0, cut);
    const kind = LOSS_RECORD_KIND.exec(text);
    return kind !== null && LOSS_RECORD_NUMBER.test(text.slice(kind.index + kind[0].length));
  },
};

/** Bytes a damaged log holds and Valgrind never prints: controls (NUL runs), U+FFFD. */
const GARBAGE = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]/g;
/** A loss record header's start and end (`LOSS_RECORD`'s), either kept whole by the damage. */
const LOSS_RECORD_HEAD = /^[\d,]+ (?:.{1,100} )?bytes in [\d,]+ (?:.{1,40} )?blocks are /;
const LOSS_RECORD_TAIL = / in (?:new |increased |reduced )?loss record [\d,]+ of [\d,]+\s*$/;

/**
 * A line of a loss record header's shape with garbage in it (`80 bytes in 4 blocks are
 * \0\0definitely lost in loss record 1 of 2`, campaign v16b Q4): a damaged header, which the
 * classifier leaves a TextLine. Its start or its end must survive once the garbage is taken out:
 * no other line Valgrind prints starts with `N bytes in N blocks are` or ends with `in loss
 * record N of M`.
 */
export function isDamagedLossRecord(body: string): boolean {
  const kept = body.replace(GARBAGE, "");
  if (kept.length === body.length) return false;
  return LOSS_RECORD_HEAD.test(kept) || LOSS_RECORD_TAIL.test(kept);
}

/**
 * A -s recap's context header, `N errors in context X of Y:` (its count captured), and 3.23+'s
 * `--show-error-list=all` header of a context a suppression hid, `N errors (suppressed by NAME)
 * in context X of Y:`, listed after the unsuppressed ones (NAME captured; campaign bw F2,
 * test/fixtures/valgrind/v3.23-show-error-list-all).
 */
export const CONTEXT_HEADER =
  /^([\d,]+) errors (?:\(suppressed by (.+)\) )?in context [\d,]+ of [\d,]+:/;

/** Lines that start with a word: headlines, summaries, preamble, notices. */
const HEADED: readonly (readonly [TokenType, { test(body: string): boolean }])[] = [
  [LossRecord, LOSS_RECORD],
  [BlockListLine, BLOCK_LIST_LINE],
  [ContextHeader, CONTEXT_HEADER],
  // Memcheck's and the core's error headlines (mc_errors.c, syswrap-generic.c). Those of
  // 3.22-3.27 (campaign bw F1): `posix_memalign() invalid size value: 0` (3.22-3.25) and
  // `Unsafe allocation with size of zero is implementation-defined` (3.26+), the `new[]/delete[]`
  // mismatches (the size one with Valgrind's own typo, `new[][/delete[]`), and `File descriptor
  // 3: /etc/passwd is already closed` (a colon after the number). One left off this list after
  // another error was taken for an --error-markers line and its record lost.
  [
    ErrorHeadline,
    /^(?:Invalid (?:read|write) of size|Invalid free\(\)|Mismatched free\(\)|Conditional jump or move depends|Use of uninitialised value of size|Syscall param |Source and destination overlap in |Argument '[^']*' of function |Jump to the invalid address|realloc\(\) with size 0|(?:Unaddressable|Uninitialised) byte\(s\) found during client check|Illegal memory pool address|Invalid alignment value|Invalid size value|\w+\(\) invalid size value: |Unsafe allocation with size of zero |Mismatched new(?:\[\]\[?)?\/delete(?:\[\])? |File descriptor -?\d+[: ]|Invalid file descriptor )/,
  ],
  // A thread's name may hold colons (`Thread 2 db:pool#2:`, pthread_setname_np).
  [ThreadHeader, /^Thread \d+(?: .{1,300})?:$/],
  [FatalSignal, /^Process terminating with default action of signal \d+/],
  [FdSectionHeader, /^FILE DESCRIPTORS: /],
  [OpenFd, /^Open (?:file descriptor|AF_\w+ socket) \d+/],
  [HeapSummaryHeader, /^HEAP SUMMARY:/],
  [LeakSummaryHeader, /^LEAK SUMMARY:/],
  [AllFreed, /^All heap blocks were freed/],
  // Whole, to its `(suppressed: N from M)`: a log cut inside the line read as a complete run
  // with 0 contexts (Valgrind prints the line in one piece, a cut leaves it short).
  [
    ErrorSummary,
    /^ERROR SUMMARY: [\d,]+ errors? from [\d,]+ contexts? \(suppressed: [\d,]+ from [\d,]+\)/,
  ],
  [
    ErrorLimit,
    /^(?:More than [\d,]+ (?:total |different )?errors detected|will still be recorded, but in less detail|Final error counts will be inaccurate|Rerun with --error-limit=no|that errors may occur in your program|Valgrind, because errors are no longer)/,
  ],
  // Every tool's `NAME, DESCRIPTION` (VG_(details_name), VG_(details_description)): drd's name
  // is lower case, Nulgrind's and Lackey's descriptions end in "tool" (none.log of 3.19).
  [
    ToolBanner,
    /^(?:[A-Z][A-Za-z]*|drd|exp-[a-z]+), (?:an?|the) [\w &,-]+ (?:detector|profiler|checker|tool|generator)$/,
  ],
  [VersionLine, /^Using Valgrind-/],
  [CommandLine, /^Command: /],
  [ParentPid, /^Parent PID: /],
  // `leak_check summary`, a monitor command the program may run itself
  // (VALGRIND_MONITOR_COMMAND), closes its LEAK SUMMARY with `To see details of leaked memory,
  // give 'full' arg to leak_check` (mc_leakcheck.c; campaign bt F2); `leak_check full`, when it
  // hid reachable blocks, with `To see them, add 'reachable any' args to leak_check` (3.19 to
  // 3.27 alike; campaign v22 F7).
  [
    Hint,
    /^(?:Reachable blocks \(those|To see them, rerun with|To see them, add 'reachable any' args to leak_check|To see details of leaked memory, give 'full' arg to leak_check|Rerun with --leak-check=full|For (?:lists|counts) of detected|For a detailed leak analysis, rerun with|Use --track-origins=yes|Searching for pointers to|Checked [\d,]+ bytes|Copyright \(C\)|TO (?:DEBUG|CONTROL) THIS PROCESS|and then give GDB the following| {2}\/path\/to\/gdb|--pid is optional|target remote \| |For more details, rerun with: -v)/,
  ],
  [
    ToolNotice,
    // `xtree leak report: FILE` (--xtree-leak=yes, mc_leakcheck.c; xtree.txt of 3.19) and its
    // --xtree-memory sibling name a file Valgrind wrote, not a finding. At -v -v, m_redir.c
    // heads each redirection it adds or drops as a duplicate with an `==PID==` line
    // (notices/verbose2.txt), like `Preferring higher priority redirection` at -v.
    // vgdb (--vgdb-error=N) stops before an error, at startup or exit, then says it goes on:
    // `(action on error) vgdb me ... ` and `Continuing ...` (m_gdbserver.c; vgdb/ fixtures).
    // `v.info last_error`, a monitor command the program may run itself, says `No errors yet`
    // before the first error (m_errormgr.c; campaign bt F2). --gen-suppressions prints `(No
    // origin, error cannot be suppressed)` for an error with no stack, in place of a
    // suppression (m_errormgr.c; 3.24's inherited descriptors; campaign v24).
    /^(?:No errors yet\s*$|\(No origin, error cannot be suppressed\)\s*$|xtree (?:leak|memory) report: |\(action (?:at startup|on error|on fatal signal|at exit|at valgrind abnormal exit)\)|Continuing \.\.\.\s*$|gdbserver: continuing |(?:Adding active|Ignoring duplicate|Ignoring lower priority) redirection:|Warning: |WARNING: |When reading debug info|Ignoring non-Dwarf|Stack overflow in thread|Exit program on first error|Preferring higher priority redirection|embedded gdbserver: |don't want to do, unless you know|or are doing some strange experiment|and then give GDB the following|(?:Valgrind|Memcheck): |Can't extend stack|Invalid read of size \d+ in strlen|Note: see also the FAQ|[a-z_]+ is not implemented|unhandled (?:syscall|ioctl)|Use --max-stackframe=|as it is >= to --freelist-vol value|Startup, with flags:|Valgrind options:|Contents of \/proc\/version:|Arch and hwcaps:|Page sizes:|Valgrind library directory:|Reading syms from|Scheduler: using|REDIR: |Output from sysctl| {4}--)/,
  ],
];

/**
 * The token type of one line body (the text after the `==PID== ` prefix). Cheap first-character
 * checks pick the table before any regex runs; the engine has already cut giant lines, so every
 * pattern runs on bounded input.
 */
export function classifyLine(body: string): TokenType {
  const first = body.charCodeAt(0);
  if (first === 32 /* space */) {
    if (body.charCodeAt(1) !== 32) return AuxLine; // ` Address 0x.. is 8 bytes inside ...`
    if (isFrameLineBody(body)) return FrameLine;
    for (const [token, pattern] of INDENTED) if (pattern.test(body)) return token;
    return TextLine;
  }
  for (const [token, pattern] of HEADED) if (pattern.test(body)) return token;
  return TextLine;
}

export type LineTokenType = TokenType;
