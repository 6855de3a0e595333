import type { Frame } from "../../model/index.js";
import type { ErrorDraft } from "../types.js";

/** What a stack shows of the thread that ran it. */
type ThreadShown = "main" | "worker";

/** Frames that start a thread other than the main one: glibc's, with Valgrind's `clone` below. */
const WORKER_START = /^(?:start_thread|__?clone3?)(?:@.*)?$/;
/** Frames only the main thread's stack reaches: Valgrind prints libc's start-up as `(below main)`. */
const MAIN_START = new Set(["main", "(below main)"]);

/**
 * The thread of a process's findings before its first `Thread N:` header, which the banner
 * made 1 (see ToolBanner in single-lines.ts): Valgrind prints a header only when an error's
 * thread differs from the last one printed, which starts at 1 in a process it started. A child
 * forked with `--log-file=vg.%p.txt` prints a banner of its own but goes on from its parent's
 * last printed thread (m_errormgr.c's `last_tid_printed` is forked with the process), so its
 * first errors can be a worker's with no header (campaign bo F4: thread 2 in the XML, 1 here).
 * Its banner names its parent (`Parent PID:`), but so does every process's: the parent of a
 * fresh one is the shell. So these errors are held here until the process's errors go out,
 * and keep thread 1 unless its log shows that it is a forked child that may have inherited
 * another thread:
 * - a headerless error's stack starts at a thread's start (`start_thread`, `clone`) rather
 *   than `main`: no fresh process prints that without a header, and it is not thread 1;
 * - else, where no such stack shows `main` either (--num-callers cut them), its ERROR SUMMARY
 *   counts contexts its log never printed, more than the loss records a full check hid and
 *   counted (a fresh process's hidden possibly-lost record is one: campaign v16a F1): its
 *   parent printed errors before the fork, and so may have printed a header for another
 *   thread (see HeldErrors.flush and ErrorCounts.settle).
 * A stack that reaches `main` shows the main thread, thread 1, for all of them. Loss records
 * keep thread 1: the leak check at exit runs as thread 1 (the child's XML says `<tid>1</tid>`),
 * and Valgrind prints `Thread 1:` before them when the last thread printed was another.
 */
export class BannerThread {
  /** The banner set the thread, and no header has come since. */
  private assumed = false;
  /** The errors given the banner's thread 1, until the process's errors go out. */
  private readonly drafts: ErrorDraft[] = [];
  /**
   * What the first headerless stack that showed anything showed: errors with no header between
   * them are on one thread, so the others can only show the same.
   */
  private shown: ThreadShown | undefined;

  /** The process's banner: thread 1 is assumed from here. */
  started(): void {
    this.assumed = true;
    this.shown = undefined;
  }

  /** A `Thread N:` header: the errors after it have a thread of their own. */
  headerRead(): void {
    this.assumed = false;
  }

  /**
   * An error given the process's current thread. `byStack`: its stack is where the error
   * happened (a descriptor's is where it was opened, by any thread).
   */
  note(draft: ErrorDraft, byStack: boolean): void {
    if (!this.assumed || draft.thread === undefined) return;
    this.drafts.push(draft);
    if (byStack && this.shown === undefined) this.shown = threadShownBy(draft.stack);
  }

  /**
   * The process's errors go out: those given the banner's thread lose it when their stacks
   * show a worker, or when nothing shows the main thread and the process `inherited` contexts
   * its log never printed.
   */
  settle(inherited: boolean): void {
    const unknown = this.shown === "worker" || (this.shown === undefined && inherited);
    if (unknown) {
      for (const draft of this.drafts) delete draft.thread;
    }
    this.drafts.length = 0;
  }
}

/** The thread a stack shows it ran on, by its outermost frame that tells. */
function threadShownBy(stack: readonly Frame[]): ThreadShown | undefined {
  for (let i = stack.length - 1; i >= 0; i -= 1) {
    const fn = stack[i]?.function;
    if (fn === undefined) continue;
    if (MAIN_START.has(fn)) return "main";
    if (WORKER_START.test(fn)) return "worker";
  }
  return undefined;
}
