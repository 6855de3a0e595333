/*
 * The bare lines of Valgrind's own failure report (m_libcassert.c): an assertion of the core or
 * the tool, or a panic, then Valgrind's own stack and the client threads' stacks, each after a
 * header line, all but the stacks' frames without the `==PID==` prefix:
 *
 *   Memcheck: mc_errors.c:923 (vgMemCheck_record_user_error): Assertion 'MC_(clo_mc_level) >= 2' failed.
 *   host stacktrace:
 *   ==6530==    at 0x580429AA: ??? (in /usr/libexec/valgrind/memcheck-amd64-linux)
 *   sched status:
 *     running_tid=1
 *   Thread 1: status = VgTs_Runnable (lwpid 6530)
 *   ==6530==    at 0x10953D: main (client_requests.c:23)
 *
 * Syntax only (src/formats/valgrind/valgrind-failure.ts gives it meaning).
 */
const ASSERTION = /^[A-Za-z][\w-]{0,30}: \S+:\d+ \(.{1,200}\): Assertion '.*' failed\.$/;
const IMPOSSIBLE = /^[A-Za-z][\w-]{0,30}: the 'impossible' happened:?$/;
const STACKS_FOLLOW = /^(?:host stacktrace:|Thread \d+: status = .*)$/;
/** Longer lines are no headline of Valgrind's (capped before any regular expression runs). */
const MAX_HEADLINE = 400;

/** Whether a bare line is the headline of Valgrind's failure: an assertion, or a panic. */
export function isFailureHeadline(text: string): boolean {
  return text.length <= MAX_HEADLINE && (ASSERTION.test(text) || IMPOSSIBLE.test(text));
}

/** Whether a bare line heads a stack of the failure report: Valgrind's own, or a thread's. */
export function isFailureStackHeader(text: string): boolean {
  return text.length <= MAX_HEADLINE && STACKS_FOLLOW.test(text);
}
