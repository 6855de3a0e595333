/*
 * Lines that only Valgrind's thread checkers print, never Memcheck: what tells their text logs
 * apart when `-q` left out the banner (`Helgrind, a thread error detector`). Real -q logs of
 * valgrind 3.19 (test/fixtures/valgrind/other-tools/quiet):
 *
 *   ==7766== ---Thread-Announcement------------------------------------------
 *   ==7766== Thread #3 was created
 *   ==7766==    by 0x484C5D7: ??? (in /usr/libexec/valgrind/vgpreload_helgrind-amd64-linux.so)
 *   ==7766== Possible data race during read of size 4 at 0x10C060 by thread #3
 *   ==7766== Locks held: none
 *   ==7769== Conflicting load by thread 3 at 0x0010c060 size 4
 *   ==7769== Other segment start (thread 2)
 *   ==7831== mutex 0x10c100 was first observed at:
 *
 * And the lines that only Memcheck prints, never they: what tells a `-q` Memcheck run apart
 * from their runs when both share a PID in one log (two `docker run`s, each PID 1).
 *
 * Syntax only (src/formats/valgrind/other-tools.ts and quiet-runs.ts give it meaning).
 */
import type { TokenType } from "chevrotain";
import * as T from "./line-kinds.js";

/** The thread checkers whose text logs these lines tell. */
export type ThreadTool = "Helgrind" | "DRD";

/** Longer lines are none of these (capped before any regular expression runs). */
const MAX_LINE = 400;

/** Headlines and aux lines of hg_errors.c; Helgrind numbers threads `#N`, Memcheck `Thread N:`. */
const HELGRIND = [
  /^---Thread-Announcement-+$/,
  /^-{64}$/,
  /^Thread #\d+[ :']/,
  /^Possible data race during (?:read|write) of size \d+ at 0x[\dA-F]+ by thread #\d+$/,
  /^This conflicts with a previous (?:read|write) of size \d+ by thread #\d+$/,
  /^Locks held: (?:none|\d+, at address)/,
  /^ Lock at 0x[\dA-F]+ was first observed$/,
  // hg_main.c's hint as a run (or a forked child's) ends, before its ERROR SUMMARY.
  /^Use --history-level=approx or =none to gain increased speed, at$/,
];

/** Headlines and aux lines of drd_error.c and drd's synchronization objects. */
const DRD = [
  /^Conflicting (?:load|store) by thread \d+ at 0x[\da-f]+ size \d+$/,
  /^Other segment (?:start|end) \(thread \d+\)$/,
  /^(?:mutex|cond|rwlock|semaphore|barrier) 0x[\da-f]+ was first observed at:$/,
  /^[A-Z][\w ]+: mutex 0x[\da-f]+, recursion count \d+, owner \d+\.$/,
  /^The object at address 0x[\da-f]+ is not a /,
  /^Probably a race condition: condition variable 0x[\da-f]+ has been signaled/,
];

/**
 * A frame in the tools' preloaded intercepts (every thread's start and every pthread call goes
 * through them): the object without debug info, the source file with it.
 */
const PRELOAD_FRAME =
  /\((?:in (?:\S*\/)?vgpreload_(helgrind|drd)-[^/()]*\.so|(hg|drd_\w+)_intercepts\.c:\d+)\)$/;

/** The tool whose headline or aux line this line body is, if only Helgrind or DRD print it. */
export function threadToolOfLine(body: string): ThreadTool | undefined {
  if (body.length > MAX_LINE) return undefined;
  if (HELGRIND.some((p) => p.test(body))) return "Helgrind";
  if (DRD.some((p) => p.test(body))) return "DRD";
  return undefined;
}

/** The tool whose preloaded intercepts a frame line's body is in (`   by 0x...: ... (in ...)`). */
export function threadToolOfFrame(body: string): ThreadTool | undefined {
  if (body.length > MAX_LINE || body.charCodeAt(body.length - 1) !== 41 /* ) */) return undefined;
  const m = PRELOAD_FRAME.exec(body);
  if (m === null) return undefined;
  return m[1] === "helgrind" || m[2] === "hg" ? "Helgrind" : "DRD";
}

/**
 * Line kinds (line-kinds.ts) that only Memcheck prints: its error headlines (mc_errors.c), loss
 * records, and heap and leak summaries (mc_leakcheck.c). Helgrind's and DRD's errors have
 * headlines of their own (hg_errors.c, drd_error.c), and neither checks for leaks.
 */
const MEMCHECK_ONLY: ReadonlySet<TokenType> = new Set([
  T.ErrorHeadline,
  T.LossRecord,
  T.HeapSummaryHeader,
  T.InUseAtExit,
  T.TotalHeapUsage,
  T.AllFreed,
  T.LeakSummaryHeader,
  T.LeakSummaryLine,
]);

/** The core's error headlines among ErrorHeadline's (--track-fds=yes): every tool prints them. */
const CORE_HEADLINE = /^(?:File descriptor |Invalid file descriptor )/;

/** Whether a line body of this kind is one that only Memcheck prints, never Helgrind or DRD. */
export function isMemcheckOnlyLine(kind: TokenType, body: string): boolean {
  if (!MEMCHECK_ONLY.has(kind)) return false;
  return kind !== T.ErrorHeadline || !CORE_HEADLINE.test(body);
}
