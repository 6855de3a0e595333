import type { ParseSink } from "../types.js";

/** What one of Valgrind's own warnings says of the findings, from the warning line's match. */
type Meaning = (match: RegExpExecArray) => string;

/**
 * The warnings that bear on the findings, each told once per process (a program calls an
 * unhandled ioctl in a loop; public log 27 warned 613 times of one unreadable object). Others
 * change nothing a report shows (`set address range perms: large range`, an ignored SIGKILL
 * handler). The reasons are Valgrind's own, from the lines after each warning and from
 * syswrap-main.c, syswrap-generic.c, m_stacks.c and m_debuginfo/storage.c.
 */
const WARNINGS: readonly { kind: string; pattern: RegExp; meaning?: Meaning }[] = [
  {
    kind: "syscall",
    pattern: /^WARNING: unhandled (\S+) syscall: (\d+)/,
    meaning: (m) =>
      `Valgrind does not handle ${m[1]} syscall ${m[2]} and failed it (ENOSYS): the program may have run otherwise than it does without Valgrind`,
  },
  {
    kind: "ioctl",
    pattern: /^Warning: noted but unhandled ioctl (0x[0-9a-fA-F]+)/,
    meaning: (m) =>
      `Valgrind does not know what ioctl ${m[1]} reads or writes: uninitialised-value errors after it may be spurious`,
  },
  {
    kind: "stack switch",
    pattern: /^Warning: client switching stacks\?/,
    meaning: () =>
      "Valgrind took a large stack-pointer move for a switch of stacks (client switching stacks?): errors on stack memory may be spurious or missed; a program that switches no stacks needs a larger --max-stackframe",
  },
  {
    kind: "debug info",
    // Told with the object the next line names (see DEBUG_INFO_OBJECT).
    pattern: /^WARNING: Serious error when reading debug info/,
  },
];

/** The line after a debug info warning: `When reading debug info from /path/prog:`. */
const DEBUG_INFO_OBJECT = /^When reading debug info from (.+):$/;

/**
 * Valgrind's own warnings that a finding may be missing, spurious or poorly located
 * (`valgrind-warning`): the first of each kind in each process, at its line. The rest, and
 * their continuation lines, stay notices that the grammar reads and drops.
 */
export class ValgrindWarnings {
  /** `PID kind` of the warnings already told. */
  private readonly told = new Set<string>();
  /** The line of a debug info warning whose object line has not come yet, by PID. */
  private readonly debugInfoAt = new Map<number, number>();

  constructor(private readonly sink: ParseSink) {}

  /** A line body of process `pid` (only one starting `Warning: ` or `WARNING: ` can be one). */
  line(pid: number, body: string, lineNo: number): void {
    if (this.debugInfoAt.size > 0) this.debugInfoObject(pid, body);
    if (body.charCodeAt(0) !== 87 /* W */) return;
    for (const warning of WARNINGS) {
      const match = warning.pattern.exec(body);
      if (match === null) continue;
      const key = `${pid} ${warning.kind}`;
      if (this.told.has(key)) return;
      this.told.add(key);
      if (warning.meaning === undefined) this.debugInfoAt.set(pid, lineNo);
      else this.tell(pid, warning.meaning(match), lineNo);
      return;
    }
  }

  /** At the log's end: a debug info warning that was its process's last line. */
  end(): void {
    for (const pid of [...this.debugInfoAt.keys()]) this.debugInfoObject(pid, "");
  }

  /** The line after `pid`'s debug info warning names the object it could not read, if any. */
  private debugInfoObject(pid: number, body: string): void {
    const lineNo = this.debugInfoAt.get(pid);
    if (lineNo === undefined) return;
    this.debugInfoAt.delete(pid);
    const object = DEBUG_INFO_OBJECT.exec(body)?.[1] ?? "an object";
    this.tell(
      pid,
      `Valgrind could not read all the debug information of ${object}: its frames may lack function names or source lines, and so group less precisely`,
      lineNo,
    );
  }

  private tell(pid: number, meaning: string, lineNo: number): void {
    this.sink.diagnostic({
      severity: "warning",
      code: "valgrind-warning",
      message: `PID ${pid}: ${meaning}`,
      line: lineNo,
      pid,
    });
  }
}
