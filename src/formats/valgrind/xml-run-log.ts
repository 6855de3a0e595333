/** -v's option line of `--xml-file=FILE`, indented under `Valgrind options:`. */
const XML_FILE = "   --xml-file=";

/**
 * The text log of a `--xml=yes` run: Valgrind writes every record to the XML file and only its
 * own messages to the text log, which is empty unless -v adds the option list, the vgdb notes
 * and the `--PID--` lines. Such a log read as a clean, complete run ("No leaks") while its XML
 * held 1,471 errors; it is unusable, and says where the records are.
 */
export class XmlRunLog {
  /** PIDs whose -v option list holds `--xml=yes`. */
  private readonly xmlRuns = new Set<number>();
  /** The `--xml-file=` each PID's option list names. */
  private readonly xmlFiles = new Map<number, string>();

  /** A `--PID--` line's body: one of -v's option lines (`   --xml=yes`) or anything else. */
  verboseLine(pid: number, body: string): void {
    if (!body.startsWith("   --xml")) return;
    if (body === "   --xml=yes") this.xmlRuns.add(pid);
    else if (body.startsWith(XML_FILE)) this.xmlFiles.set(pid, body.slice(XML_FILE.length));
  }

  /**
   * Why the log is unusable, when every Memcheck process of it (`pids`) ran with --xml=yes: its
   * -v option list says so, or `remnantsOnly` (the process printed only what such a run still
   * writes to its text log: see ProcessState.onlyXmlRunRemnants); undefined when one did not,
   * or none said.
   */
  unusableReason(
    pids: readonly number[],
    remnantsOnly: (pid: number) => boolean,
  ): string | undefined {
    const xmlRun = (pid: number) => this.xmlRuns.has(pid) || remnantsOnly(pid);
    if (pids.length === 0 || !pids.every(xmlRun)) return undefined;
    const file = this.xmlFiles.get(pids[0] as number);
    const where =
      file !== undefined ? `the XML file ${file}` : "the XML file (--xml-file or --xml-fd)";
    return `the text log of a Valgrind run with --xml=yes, which writes every record to ${where}: give leaklog that file`;
  }
}
