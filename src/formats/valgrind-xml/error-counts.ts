import type { ParseSink } from "../types.js";

type Diagnostic = Parameters<ParseSink["diagnostic"]>[0];

/** At most this many `<unique>`s are named in one diagnostic. */
const MAX_NAMED = 5;

/**
 * The `<unique>`s kept for the check, per document and side. The sets grow with the contexts of
 * one process, which the streaming summary otherwise does not keep: on the 1 GB bench XML (one
 * document, 560,000 errors) they raised the peak RSS of parseStream from 160 to 201 MiB, past
 * the 200 MiB bound. Real processes print far fewer contexts (Valgrind's own error list slows
 * down long before); past the cap the check is skipped with an info.
 */
const MAX_CHECKED = 100_000;

/**
 * Kinds Valgrind reports through VG_(unique_error), which prints them but never enters them in
 * the error list that `<errorcounts>` walks (m_errormgr.c, VG_(show_error_counts_as_XML)): the
 * loss records, and 3.26's descriptors left open at exit (protocol6-3.26.0.xml: FdNotClosed
 * 0x2 printed, `<errorcounts>` holding only FdBadClose 0x1).
 */
const UNCOUNTED_KINDS: ReadonlySet<string> = new Set(["FdNotClosed"]);

/**
 * The XML counterpart of the text log's check against ERROR SUMMARY: every context that
 * `<errorcounts>` counts was printed as an `<error>` with its `<unique>` (XML mode has no error
 * limit: m_errormgr.c applies --error-limit only `!VG_(clo_xml)`), and every printed error
 * other than a loss record is counted. One per document; `<unique>`s are per process.
 */
export class ErrorCountsCheck {
  /**
   * The `<unique>`s of the printed errors that `<errorcounts>` should count, each with how many
   * errors were printed with it: one process prints a context once, so more are other
   * processes' (forked children's, whose error tables start as copies of the parent's).
   */
  private readonly printed = new Map<number, number>();
  private readonly counted = new Set<number>();
  /** The lowest `<unique>` of any record of the document, loss records included. */
  private lowest = Infinity;
  /** More than MAX_CHECKED `<unique>`s on a side: the document is not checked. */
  private tooMany = false;

  /** An `<error>` of the document (a loss record or not). */
  error(unique: string | undefined, kind: string, isLeak: boolean): void {
    if (unique === undefined) return;
    const n = Number(unique);
    if (n < this.lowest) this.lowest = n;
    if (isLeak || UNCOUNTED_KINDS.has(kind) || this.tooMany) return;
    const times = this.printed.get(n);
    if (times !== undefined) this.printed.set(n, times + 1);
    else if (this.printed.size < MAX_CHECKED) this.printed.set(n, 1);
    else this.giveUp();
  }

  /** One `<pair>` of `<errorcounts>`. */
  count(unique: string): void {
    if (this.tooMany) return;
    if (this.counted.size < MAX_CHECKED) this.counted.add(Number(unique));
    else this.giveUp();
  }

  /** Whether `<errorcounts>`, read so far, leaves out the printed errors of `unique`. */
  uncounted(unique: string): boolean {
    const n = Number(unique);
    return !this.tooMany && this.printed.has(n) && !this.counted.has(n);
  }

  /** One error of `unique` is another process's, printed in this document (see parser). */
  forget(unique: string): void {
    const n = Number(unique);
    const times = this.printed.get(n) ?? 0;
    if (times > 1) this.printed.set(n, times - 1);
    else this.printed.delete(n);
  }

  private giveUp(): void {
    this.tooMany = true;
    this.printed.clear();
    this.counted.clear();
  }

  /**
   * `</errorcounts>`: a warning when the two sets differ. A forked child (`forked`, see
   * DocumentState.running) inherits its parent's error list, so its `<errorcounts>` also holds
   * the parent's contexts from before the fork, printed in the parent's document; Valgrind's
   * one `<unique>` counter goes on in the child, so those are the ones below every `<unique>` the
   * child printed (fork.c of this check's tests: the child's `<errorcounts>` lists 0x0, which
   * only its parent printed).
   */
  check(
    pid: number | undefined,
    forked: boolean,
    line: number,
    childrenNested = false,
  ): Diagnostic | undefined {
    const who = pid !== undefined ? `PID ${pid}: ` : "";
    if (this.tooMany) {
      return {
        severity: "info",
        code: "error-counts-unchecked",
        message: `${who}<errorcounts> not checked against the printed errors: more than ${MAX_CHECKED.toLocaleString("en-US")} error contexts`,
        line,
        ...(pid !== undefined ? { pid } : {}),
      };
    }
    const missing = [...this.counted].filter(
      (n) => !this.printed.has(n) && !(forked && n < this.lowest),
    );
    const uncounted = [...this.printed.keys()].filter((n) => !this.counted.has(n));
    // Told only where children's documents nest in this one (`--xml-fd`): a child forked
    // without --trace-children writes on in the same document, which xml-forked-child tells.
    const repeated = childrenNested
      ? [...this.printed].filter(([, times]) => times > 1).map(([n]) => n)
      : [];
    if (missing.length === 0 && uncounted.length === 0 && repeated.length === 0) return undefined;
    const parts = [`<errorcounts> counts ${this.counted.size} error contexts`];
    if (missing.length > 0) parts.push(`${missing.length} with no <error> (${named(missing)})`);
    if (uncounted.length > 0) {
      parts.push(`${uncounted.length} <error> it does not count (${named(uncounted)})`);
    }
    if (repeated.length > 0) {
      parts.push(
        `${repeated.length} <unique> printed by more than one <error> (${named(repeated)}), which one process prints once`,
      );
    }
    return {
      severity: "warning",
      code: "summary-mismatch",
      message: `${who}${parts.join("; ")} (error records are missing or damaged in the log)`,
      line,
      ...(pid !== undefined ? { pid } : {}),
    };
  }

  /** A document ended: its `<unique>`s mean nothing to the next one. */
  clear(): void {
    this.printed.clear();
    this.counted.clear();
    this.lowest = Infinity;
    this.tooMany = false;
  }
}

function named(uniques: number[]): string {
  const hex = uniques.slice(0, MAX_NAMED).map((n) => `0x${n.toString(16)}`);
  const more = uniques.length > MAX_NAMED ? ` and ${uniques.length - MAX_NAMED} more` : "";
  return `unique ${hex.join(", ")}${more}`;
}
