import { classifyLine, isFrameLineBody } from "../../../grammars/valgrind/line-kinds.js";
import * as T from "../../../grammars/valgrind/line-kinds.js";

/**
 * Lines Valgrind writes on after a client message that did not end its line: `VALGRIND_PRINTF(
 * "checking buffer: ")` leaves `**12490** checking buffer: Invalid write of size 1`, the error's
 * headline without its `==PID==`, and the rest of the error under it as usual. Read as the
 * message's words, the error was lost (its stack taken as the message's, its aux lines not
 * understood) and the XML of the same run failed a gate the text log passed (campaign bd).
 */
const HEADLINES: ReadonlySet<T.LineTokenType> = new Set([
  T.ErrorHeadline,
  T.ThreadHeader,
  T.LossRecord,
  T.ContextHeader,
  T.FatalSignal,
  T.OpenFd,
]);

/**
 * How far from a message's end a headline may start: the longest of them, a thread's name
 * (up to 300 characters) or a `Syscall param` with its argument, fit; a message's own words
 * before them are not searched, so a giant line costs a bounded number of tries.
 */
const HEADLINE_SPAN = 512;

/** Characters that start a headline of HEADLINES: `Invalid`, `Thread 2:`, `40 bytes in`, ... */
const HEADLINE_START = /[A-Z0-9]/;

/**
 * Where a Valgrind headline starts in a client message's body, after the message's own words
 * (never at its start, which is the message), or undefined. The first one is taken: a headline
 * holds no second one.
 */
export function headlineInClientMessage(body: string): number | undefined {
  // A message in a headline's words is the program's to print (`8 bytes in 1 blocks are
  // definitely lost in loss record 1 of 1`): its tail is no headline of Valgrind's.
  if (HEADLINES.has(classifyLine(body))) return undefined;
  // Any character may come before it: Valgrind adds none (`checking bufferInvalid write`).
  for (let at = Math.max(1, body.length - HEADLINE_SPAN); at < body.length; at += 1) {
    if (!HEADLINE_START.test(body.charAt(at))) continue;
    const rest = body.slice(at);
    const kind = classifyLine(rest);
    if (HEADLINES.has(kind) && (kind !== T.LossRecord || LOSS_RECORD_HEAD.test(rest))) return at;
  }
  return undefined;
}

/**
 * Whether the process's next line shows that Valgrind wrote `headline` (the end of a client
 * message): an error, a fatal signal or a loss record goes on with its stack, a descriptor with
 * its stack or `<inherited from parent>`, a thread's or a context's header with its error. A
 * message that ended its line in a headline's words (`selftest expects: Invalid read of size 4`)
 * is followed by none of them, and stays the program's (campaign v11: such messages became
 * findings with no stack that failed the gate).
 */
export function confirmsHeadline(headline: string, next: string): boolean {
  const kind = classifyLine(headline);
  if (kind === T.ThreadHeader || kind === T.ContextHeader) {
    const after = classifyLine(next);
    return after === T.ErrorHeadline || after === T.FatalSignal;
  }
  // VALGRIND_PRINTF_BACKTRACE's stack is the message's own (campaign v12).
  if (isFrameLineBody(next)) return !BACKTRACE_REQUEST.test(next);
  return kind === T.OpenFd && classifyLine(next) === T.FdInherited;
}

/** The first frame of a client request's backtrace: the request's inline helper in valgrind.h. */
const BACKTRACE_REQUEST = /: VALGRIND_PRINTF_BACKTRACE |\(valgrind\.h:\d+\)$/;

/** A loss record's start as Valgrind writes it, `40 (16 direct, 24 indirect) bytes in 2 blocks`. */
const LOSS_RECORD_HEAD = /^[\d,]+ (?:\([\d,]+ direct, [\d,]+ indirect\) )?bytes in [\d,]+ blocks /;
