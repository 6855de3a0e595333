import { safeInteger } from "../../../grammars/numbers.js";
import { classifyLine, ToolBanner } from "../../../grammars/valgrind/line-kinds.js";
import { leadingNuls } from "../file-holes.js";
import type { ParseSink } from "../types.js";
import { splitPrefix, type GluedPrefix, type PrefixedLine } from "./prefix.js";

/**
 * The NUL bytes a hole must have in a log that shows no `--log-file` preamble (`-q` prints
 * none): it may be on stderr, where the program's own NULs (a zeroed buffer written with no
 * newline) may come right before its first Valgrind line (nul-output.q.txt in
 * test/fixtures/valgrind/binary-output). A real hole is as long as what the parent's Valgrind
 * wrote since it opened the file, less what the last child wrote (under `-q`, the leak reports
 * of the subshells it forked): 59,456 to 66,075 bytes in the json-c logs of
 * test/fixtures/valgrind/log-file-shared/holes.
 */
const QUIET_HOLE_NULS = 64;

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
 * started at once on one stderr open with banners. A `-q` log has no preamble: there the sign is
 * the hole that the parent's later lines left, NUL bytes where a line should be (see hole).
 */
export class OverwrittenLog {
  /** The process whose preamble opens the log, and the parent it names, until it is settled. */
  private opener: { pid: number; parentPid: number | undefined; preambleDone: boolean } | undefined;
  private settled = false;
  /** A log-overwritten warning was given: the log says no more about it. */
  private told = false;
  /** A Valgrind line came: a hole's NULs follow the last child's lines, unless it wrote none. */
  private anyProcess = false;
  /** The log's first Valgrind line was no banner: `-q`, which prints no preamble (see lineCut). */
  private noPreamble = false;

  constructor(
    private readonly sink: ParseSink,
    /** Whether the PID has had no line in the log yet. */
    private readonly unseen: (pid: number) => boolean,
  ) {}

  /** The first prefixed line of a PID (`--PID--` lines are none: the text parser drops them). */
  firstLineOf(line: PrefixedLine, lineNo: number): void {
    this.anyProcess = true;
    if (this.settled) return;
    const pid = line.pid;
    const banner = line.marker === "=" && classifyLine(line.body) === ToolBanner;
    const opener = this.opener;
    if (opener === undefined) {
      if (banner) this.opener = { pid, parentPid: undefined, preambleDone: false };
      else {
        this.settled = true;
        this.noPreamble = true;
      }
      return;
    }
    if (pid !== opener.parentPid) {
      if (opener.preambleDone || banner) return;
      this.tell(
        `PID ${opener.pid}'s preamble opens the log and PID ${pid}'s line cuts it before its end: a child traced with --trace-children=yes opened the same --log-file again and wrote over the log from its start, and an ancestor's later lines went over the child's, so records are lost or cut; give each process its own log (--log-file=vg.%p.log)`,
        lineNo,
      );
      return;
    }
    this.settled = true;
    if (banner) return;
    this.tell(
      `PID ${opener.pid}'s preamble (Parent PID: ${pid}) opens the log, and PID ${pid} starts here with no preamble of its own: a child traced with --trace-children=yes opened the same --log-file again and wrote over the log from its start (unless the log was cut before PID ${pid}'s preamble), so records are lost or cut; give each process its own log (--log-file=vg.%p.log)`,
      lineNo,
    );
  }

  /**
   * A Valgrind line cut by another process's Valgrind line `by` (`==26350===26268== `, or the
   * cut of a body: `==12900==    at 0==12899== `). Valgrind writes whole lines, and processes
   * sharing one open file share its offset, so in a `--log-file` log (its opening preamble names
   * a parent) only a child reopening the file cuts a line, however long after its preamble the
   * cut comes (in make's log of traced shells, the grandparent's lines were the first to come
   * back, cut). A banner glued there is the next log of `cat a.log b.log`, an honest join. A log
   * with no preamble (`-q`) may be on stderr, but there too processes share the offset, and a
   * line Valgrind writes whole is cut only in a reopened file, or in a log cut short and joined
   * to another (lines of more than 512 bytes, written in pieces, are put back first: see
   * SplitWrites): records are lost either way. Such a log was taken for complete with the cut
   * frame line that glued-records/frame-3.19.txt holds, its child's record read without a stack.
   */
  lineCut(by: PrefixedLine, lineNo: number): void {
    if (by.marker === "=" && classifyLine(by.body) === ToolBanner) return;
    if (this.noPreamble) {
      this.tell(
        `a Valgrind line is cut here by PID ${by.pid}'s line, in a log with no preamble (-q): a child traced with --trace-children=yes opened the same --log-file again and wrote over the log from its start, and other processes' later lines went over the child's (or a log cut short was joined to another), so records are lost or cut; give each process its own log (--log-file=vg.%p.log)`,
        lineNo,
      );
      return;
    }
    const opener = this.opener;
    if (this.settled || opener?.parentPid === undefined || !opener.preambleDone) return;
    // The named parent's first line, cut or not, is told of by firstLineOf, and more exactly.
    if (by.pid === opener.parentPid) return;
    this.tell(
      `PID ${opener.pid}'s preamble (Parent PID: ${opener.parentPid}) opens the log, and a Valgrind line is cut here by PID ${by.pid}'s line: a child traced with --trace-children=yes opened the same --log-file again and wrote over the log from its start, and other processes' later lines went over the child's, so records are lost or cut; give each process its own log (--log-file=vg.%p.log)`,
      lineNo,
    );
  }

  /**
   * The Valgrind line after a hole that opens `text` (see leadingNuls): NUL bytes, then a PID's
   * first line. Only a process that had the file open before the last child emptied it writes
   * past its end, and nothing it wrote before is left, so its line after the hole is its first
   * (and under -q, which prints no preamble, the hole is the only sign of the overwrite: the
   * json-c logs of test/fixtures/valgrind/log-file-shared/holes read as complete and clean,
   * their test program's definite leaks gone). Undefined for any other line, and in a log on
   * stderr (its opening preamble names no parent), whose NULs are the program's own output;
   * in a log that may be on stderr (no preamble), for a short run of NULs (see
   * QUIET_HOLE_NULS), or one before any Valgrind line but the log's first: a program's output
   * before its first.
   */
  hole(text: string, lineNo: number): GluedPrefix | undefined {
    if (text.charCodeAt(0) !== 0) return undefined;
    const opener = this.opener;
    if (opener?.preambleDone === true && opener.parentPid === undefined) return undefined;
    const nuls = leadingNuls(text);
    const prefixed = splitPrefix(text, nuls);
    if (prefixed === undefined || !this.unseen(prefixed.pid)) return undefined;
    // A preamble naming a parent shows a --log-file, which no program output reaches.
    const file = opener?.parentPid !== undefined;
    // A hole can open the file: under -q a child that wrote nothing emptied it, and the parent
    // went on past its new end (an error before it ran the child, then its leak report). A
    // program's own NULs come after a line of its own or of Valgrind's.
    const opensFile = lineNo === 1;
    if (!file && (nuls < QUIET_HOLE_NULS || (!this.anyProcess && !opensFile))) return undefined;
    this.tell(
      `${nuls} NUL bytes stand where a line should be, before PID ${prefixed.pid}'s first line: a child traced with --trace-children=yes opened the same --log-file again, which emptied it, and PID ${prefixed.pid} went on writing at its own offset, past the file's new end, leaving a hole; every line written before that child's, of every process (PID ${prefixed.pid}'s earlier ones among them), is lost; give each process its own log (--log-file=vg.%p.log)`,
      lineNo,
    );
    return { at: nuls, prefixed };
  }

  /**
   * Why a process's lines end before its ERROR SUMMARY. The opener's lines after its preamble
   * are where its ancestors' later lines went, once it told of the overwrite: the log of a
   * shell's test suite whose last traced program's preamble was cut said only that the run was
   * cut short or the file truncated (campaign camp-ctest F2).
   */
  beforeErrorSummary(pid: number): string {
    return this.told && this.opener?.pid === pid
      ? "before Valgrind's ERROR SUMMARY: other processes wrote over the rest of its lines (see log-overwritten), or its run was cut short"
      : "before Valgrind's ERROR SUMMARY (run cut short, --exit-on-first-error, or file truncated)";
  }

  /** The log-overwritten warning, once: the log is incomplete. */
  private tell(message: string, lineNo: number): void {
    this.settled = true;
    if (this.told) return;
    this.told = true;
    this.sink.incomplete(message, lineNo, "log-overwritten");
  }

  /**
   * A process's `Parent PID: P` line, the last of its preamble. One that is no number is cut
   * (`Parent PID: 15518==15169== `: the last traced exec's preamble, its grandparent's later
   * line written over its end, in a shell's test suite under one --log-file): the preamble is
   * not done, so the cutting process's first line tells of the overwrite (see firstLineOf).
   * Taken as done, it named no parent and the overwrite went unseen, 1,200 bytes definitely
   * lost and 9 errors gone from a log read as only cut short (campaign camp-ctest F2).
   */
  parentNamed(pid: number, body: string): void {
    const opener = this.opener;
    if (this.settled || opener?.pid !== pid || opener.parentPid !== undefined) return;
    const parentPid = safeInteger(body.slice("Parent PID: ".length));
    if (parentPid === undefined) return;
    opener.parentPid = parentPid;
    opener.preambleDone = true;
  }

  /** A process's empty line, which ends its preamble (a log on stderr names no parent). */
  blankOf(pid: number): void {
    if (this.opener?.pid === pid) this.opener.preambleDone = true;
  }
}
