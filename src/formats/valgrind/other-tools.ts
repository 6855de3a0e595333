import type { ParseSink } from "../types.js";

/**
 * Banners of other Valgrind tools (`Helgrind, a thread error detector`): Memcheck's grammar
 * would read their reports as made-up errors and their lines as unknown ones (helgrind.txt
 * gave 6 "errors" for its ERROR SUMMARY's 2), so the text parser skips such a process's lines
 * from its banner on; a log with no Memcheck process at all is unusable (see end).
 */
export class OtherTools {
  /** The other Valgrind tools whose banners came, in order. */
  private readonly tools: string[] = [];

  constructor(private readonly sink: ParseSink) {}

  /** The tool a banner names, unless it is Memcheck; warned of once (one line per process). */
  banner(pid: number, body: string, lineNo: number): string | undefined {
    const tool = body.slice(0, body.indexOf(","));
    if (tool === "Memcheck") return undefined;
    this.tools.push(tool);
    this.sink.diagnostic({
      severity: "warning",
      code: "other-tool",
      message: `PID ${pid} runs ${tool}, not Memcheck: its lines are skipped`,
      line: lineNo,
    });
    return tool;
  }

  /** At the log's end: another tool's banner came, and no Memcheck process, so it is unusable. */
  end(hasMemcheckProcess: () => boolean): void {
    const other = this.tools[0];
    if (other !== undefined && !hasMemcheckProcess()) this.sink.unusable(otherToolLog(other));
  }
}

/** Why a log of other Valgrind tools only is unusable, and what to run instead. */
function otherToolLog(banner: string): string {
  const tool = banner === "drd" ? "DRD" : banner; // drd names itself in lower case
  const threads = tool === "Helgrind" || tool === "DRD";
  const a = /^[aeiou]/i.test(tool) ? "an" : "a";
  return threads
    ? `a ${tool} log, not Memcheck's: leaklog reads Valgrind Memcheck logs, and ${tool}'s only as XML (rerun with --xml=yes --xml-file=FILE)`
    : `${a} ${tool} log, not Memcheck's: leaklog reads Valgrind Memcheck logs (text or XML), and Helgrind's or DRD's as XML`;
}
