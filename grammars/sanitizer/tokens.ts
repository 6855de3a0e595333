import type { TokenType } from "chevrotain";
import { createToken, Lexer } from "../chevrotain.js";

/*
 * One token per log line. Lines are classified by classify.ts (a table of anchored patterns),
 * never by chevrotain's lexer: a report is line-shaped, and the lexer would
 * have to re-discover line ends that the engine already knows. Hence every pattern is Lexer.NA.
 */
const line = (name: string): TokenType => createToken({ name, pattern: Lexer.NA });

/** A line ending in 65 `=`; program text may be glued in front of it (sanitizers.md §2). */
export const Separator = line("Separator");
/** `AddressSanitizer:DEADLYSIGNAL` (or TSan's, UBSan's), printed before a signal report. */
export const DeadlySignal = line("DeadlySignal");
/** `==PID==ERROR: LeakSanitizer: detected memory leaks`. */
export const LeakReportHeader = line("LeakReportHeader");
/** `==PID==ERROR: AddressSanitizer: <kind> ...`, or a deadly signal of TSan or UBSan. */
export const ErrorReportHeader = line("ErrorReportHeader");
/** Any other `==PID==` line of the report's process (`HINT:`, `ABORTING`, SEGV details). */
export const PidMessage = line("PidMessage");
/** `    #N 0xPC in function file:line[:col]` and its module-only variants. */
export const Frame = line("Frame");
export const Blank = line("Blank");
/** `(Direct|Indirect) leak of N byte(s) in M object(s) allocated from:`. */
export const LeakHeader = line("LeakHeader");
/** `The N top leak(s):` (max_leaks). */
export const TopLeaks = line("TopLeaks");
/** `Objects leaked above:` (report_objects=1). */
export const ObjectsHeader = line("ObjectsHeader");
/** `0x603000000100 (24 bytes)`. */
export const ObjectLine = line("ObjectLine");
/** The 53-dash rule around the suppressions table. */
export const SuppressionRule = line("SuppressionRule");
export const SuppressionsUsed = line("SuppressionsUsed");
/** `  count      bytes template`. */
export const SuppressionColumns = line("SuppressionColumns");
/** `      1        200 leak_b`. */
export const SuppressionRow = line("SuppressionRow");
/** `Omitting K more leak(s).` (max_leaks). */
export const Omitting = line("Omitting");
/** `SUMMARY: AddressSanitizer: N byte(s) leaked in M allocation(s).` */
export const LeakSummary = line("LeakSummary");
/** `SUMMARY: AddressSanitizer: <kind> <location> in <function>`. */
export const ErrorSummary = line("ErrorSummary");
/** `READ of size 4 at 0x604000000038 thread T0`. */
export const AccessLine = line("AccessLine");
/**
 * What a report says between its header and its stack, besides the access: new-delete-type-
 * mismatch's `  object passed to delete has wrong type:` and the sizes and alignments under it.
 */
export const HeadlineDetail = line("HeadlineDetail");
/**
 * A line that heads a stack: `freed by thread T0 here:`, `Thread T1 created by T0 here:`...,
 * `Address 0x… is located in stack of thread T0 at offset 64 in frame`.
 */
export const StackHeader = line("StackHeader");
export const ShadowHeader = line("ShadowHeader");
/** `  0x0c047fff7fb0: 00 00 ...` or `=>0x...: fa[fd]...`. */
export const ShadowRow = line("ShadowRow");
export const LegendHeader = line("LegendHeader");
/** `  Heap left redzone:       fa`. */
export const LegendRow = line("LegendRow");
/** UndefinedBehaviorSanitizer's `u.c:3:43: runtime error: shift exponent 41 is too large ...`. */
export const RuntimeError = line("RuntimeError");
/**
 * What UBSan prints under a runtime error: `0x7ffc…: note: pointer points here`, the bytes there
 * (` 00 00 04 00  00 …`) and a caret line under them.
 */
export const RuntimeNote = line("RuntimeNote");
/** ThreadSanitizer's `==================` (18 `=`) before and after each of its reports. */
export const TsanSeparator = line("TsanSeparator");
/** `WARNING: ThreadSanitizer: data race (pid=3700)`. */
export const TsanHeader = line("TsanHeader");
/**
 * A line of a ThreadSanitizer report that heads a stack, two spaces in and ending in `:`:
 * `  Write of size 4 at 0x7b04… by thread T1:`, `  Mutex M0 (0x…) created at:`, `  and:`.
 */
export const TsanStackHeader = line("TsanStackHeader");
/** `ThreadSanitizer: reported 2 warnings`, at the program's exit. */
export const TsanTotal = line("TsanTotal");
/**
 * `ThreadSanitizer: Matched 2 suppressions (pid=10409):` at the program's exit (with
 * print_suppressions=1), before one `count type:template` line per suppression used.
 */
export const TsanSuppressions = line("TsanSuppressions");
/**
 * The sanitizer's runtime failing: `==PID==LeakSanitizer has encountered a fatal error.`,
 * `==PID==ASan runtime does not come first in initial library list; ...`, `==PID==ERROR:
 * AddressSanitizer failed to allocate ...`, `ThreadSanitizer: CHECK failed: ...`, `FATAL:
 * ThreadSanitizer: unexpected memory mapping ...`.
 */
export const RuntimeFailure = line("RuntimeFailure");
/** Anything else: address descriptions, hints, program output. */
export const Text = line("Text");

/** Every token type, in the order the parser declares them. */
export const ALL_TOKENS: readonly TokenType[] = [
  Separator,
  DeadlySignal,
  LeakReportHeader,
  ErrorReportHeader,
  PidMessage,
  Frame,
  Blank,
  LeakHeader,
  TopLeaks,
  ObjectsHeader,
  ObjectLine,
  SuppressionRule,
  SuppressionsUsed,
  SuppressionColumns,
  SuppressionRow,
  Omitting,
  LeakSummary,
  ErrorSummary,
  AccessLine,
  HeadlineDetail,
  StackHeader,
  ShadowHeader,
  ShadowRow,
  LegendHeader,
  LegendRow,
  RuntimeError,
  RuntimeNote,
  TsanSeparator,
  TsanHeader,
  TsanStackHeader,
  TsanTotal,
  TsanSuppressions,
  RuntimeFailure,
  Text,
];
