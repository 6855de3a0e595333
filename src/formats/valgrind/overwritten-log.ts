import { safeInteger } from "../../../grammars/numbers.js";
import { classifyLine, ToolBanner } from "../../../grammars/valgrind/line-kinds.js";
import type { ParseSink } from "../types.js";
import type { PrefixedLine } from "./prefix.js";

/**
 * Tells a log that a traced child wrote over from its start. With `--trace-children=yes` and
 * one `--log-file` for every process (no `%p`), each exec'd child's Valgrind opens the file
 * again and writes from its first byte, over what its parent wrote, while the parent goes on at
 * its own offset (log-file-shared in test/fixtures/valgrind: a child's preamble opens the log,
 * its parent's lines come in halves after it, and the parent's preamble, error blocks and
 * recap are gone). Told apart from honest logs by the opening preamble: it names a parent (`Parent
 * PID: P`) whose first line comes later and is no preamble of its own, or it is cut before its
 * end by another PID's line that is no banner (the parent's later lines went over the child's
 * `Parent PID:` line: `==25==2477== `, `==11791== ==11763== `, in logs of bash running traced
 * commands). Through one stderr (`--log-fd`, `2>log`) the parent's preamble comes first, whole;
 * logs of their own joined one after another (`cat vg.*.log`) have P's whole preamble; programs
 * started at once on one stderr open with banners.
 */
export class OverwrittenLog {
  /** The process whose preamble opens the log, and the parent it names, until it is settled. */
  private opener: { pid: number; parentPid: number | undefined; preambleDone: boolean } | undefined;
  private settled = false;

  constructor(private readonly sink: ParseSink) {}

  /** The first prefixed line of a PID (`--PID--` lines are none: the text parser drops them). */
  firstLineOf(line: PrefixedLine, lineNo: number): void {
    if (this.settled) return;
    const pid = line.pid;
    const banner = line.marker === "=" && classifyLine(line.body) === ToolBanner;
    const opener = this.opener;
    if (opener === undefined) {
      if (banner) this.opener = { pid, parentPid: undefined, preambleDone: false };
      else this.settled = true;
      return;
    }
    if (pid !== opener.parentPid) {
      if (opener.preambleDone || banner) return;
      this.settled = true;
      this.sink.incomplete(
        `PID ${opener.pid}'s preamble opens the log and PID ${pid}'s line cuts it before its end: a child traced with --trace-children=yes opened the same --log-file again and wrote over the log from its start, and its parent's later lines went over the child's, so records are lost or cut; give each process its own log (--log-file=vg.%p.log)`,
        lineNo,
        "log-overwritten",
      );
      return;
    }
    this.settled = true;
    if (banner) return;
    this.sink.incomplete(
      `PID ${opener.pid}'s preamble (Parent PID: ${pid}) opens the log, and PID ${pid} starts here with no preamble of its own: a child traced with --trace-children=yes opened the same --log-file again and wrote over the log from its start (unless the log was cut before PID ${pid}'s preamble), so records are lost or cut; give each process its own log (--log-file=vg.%p.log)`,
      lineNo,
      "log-overwritten",
    );
  }

  /**
   * A Valgrind line cut by another process's Valgrind line `by` (`==26350===26268== `, or the
   * cut of a body: `==12900==    at 0==12899== `). Valgrind writes whole lines, and processes
   * sharing one open file share its offset, so in a `--log-file` log (its opening preamble names
   * a parent) only a child reopening the file cuts a line, however long after its preamble the
   * cut comes (in make's log of traced shells, the grandparent's lines were the first to come
   * back, cut). A banner glued there is the next log of `cat a.log b.log`, an honest join.
   */
  lineCut(by: PrefixedLine, lineNo: number): void {
    const opener = this.opener;
    if (this.settled || opener?.parentPid === undefined || !opener.preambleDone) return;
    if (by.marker === "=" && classifyLine(by.body) === ToolBanner) return;
    // The named parent's first line, cut or not, is told of by firstLineOf, and more exactly.
    if (by.pid === opener.parentPid) return;
    this.settled = true;
    this.sink.incomplete(
      `PID ${opener.pid}'s preamble (Parent PID: ${opener.parentPid}) opens the log, and a Valgrind line is cut here by PID ${by.pid}'s line: a child traced with --trace-children=yes opened the same --log-file again and wrote over the log from its start, and other processes' later lines went over the child's, so records are lost or cut; give each process its own log (--log-file=vg.%p.log)`,
      lineNo,
      "log-overwritten",
    );
  }

  /** A process's `Parent PID: P` line, the last of its preamble. */
  parentNamed(pid: number, body: string): void {
    const opener = this.opener;
    if (this.settled || opener?.pid !== pid || opener.parentPid !== undefined) return;
    opener.parentPid = safeInteger(body.slice("Parent PID: ".length));
    opener.preambleDone = true;
  }

  /** A process's empty line, which ends its preamble (a log on stderr names no parent). */
  blankOf(pid: number): void {
    if (this.opener?.pid === pid) this.opener.preambleDone = true;
  }
}
