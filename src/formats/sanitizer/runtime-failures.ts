import type { BlockLine } from "../../../grammars/sanitizer/parser.js";
import * as T from "../../../grammars/sanitizer/tokens.js";
import type { ParseSink } from "../types.js";

/**
 * The sanitizer's runtime failing instead of reporting (grammars/sanitizer/tokens.ts,
 * RuntimeFailure; real ones in test/fixtures/sanitizer/failures): LeakSanitizer under ptrace
 * (strace, gdb, a container without SYS_PTRACE), an ASan library in a program not built with
 * it, ASan or TSan under a memory limit, TSan on a kernel whose address-space layout it cannot
 * map. The log then holds no report, and was read as a clean run (the LSan one as a Valgrind
 * log, for its `==PID==` prefix) or as no log at all. Each failure is one `sanitizer-failed`
 * warning, with the `==PID==` lines of its process that follow it (its HINTs), and makes the
 * source incomplete.
 */
export class RuntimeFailures {
  private open: { line: BlockLine; notes: string[] } | undefined;

  constructor(private readonly sink: ParseSink) {}

  start(line: BlockLine): void {
    this.flush();
    this.open = { line, notes: [] };
    if (line.pid !== undefined) this.sink.process({ pid: line.pid });
  }

  /** Whether a line goes with the open failure: a `==PID==` line of its process. */
  takes(line: BlockLine): boolean {
    const open = this.open;
    if (open === undefined || line.type !== T.PidMessage) return false;
    if (open.line.pid === undefined || line.pid !== open.line.pid) return false;
    open.notes.push(line.body);
    return true;
  }

  /** The open failure, warned of once its notes are in. */
  flush(): void {
    const open = this.open;
    if (open === undefined) return;
    this.open = undefined;
    const { line, notes } = open;
    const whose = line.pid !== undefined ? `process ${line.pid}: ` : "";
    const said = notes.length > 0 ? ` (${notes.join("; ")})` : "";
    this.sink.incomplete(
      `${whose}the sanitizer's runtime failed: "${line.body}"${said}; it stopped the program, so the errors and leaks it would have reported are missing`,
      line.lineNo,
      "sanitizer-failed",
    );
  }
}
