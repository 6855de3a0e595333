/** -v's option line of `--xml-file=FILE`, indented under `Valgrind options:`. */
const XML_FILE = "   --xml-file=";

/** What a process printed of a `--xml=yes` run's remnants (see ProcessState). */
export interface XmlRunListing {
  /** It printed only what such a run writes to its text log (see ProcessState). */
  readonly onlyXmlRunRemnants: boolean;
  /** The XML file its descriptors inherited from the parent name (see inheritedXmlFile). */
  readonly inheritedXmlFile: string | undefined;
}

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
   * -v option list says so, or its listing (`listingOf`, undefined for a process retired or
   * unknown) holds only what such a run still writes to its text log; undefined when one did
   * not, or none said. The XML file is the option list's, or the one its descriptors name.
   */
  unusableReason(
    pids: readonly number[],
    listingOf: (pid: number) => XmlRunListing | undefined,
  ): string | undefined {
    const xmlRun = (pid: number) =>
      this.xmlRuns.has(pid) || listingOf(pid)?.onlyXmlRunRemnants === true;
    if (pids.length === 0 || !pids.every(xmlRun)) return undefined;
    const first = pids[0] as number;
    const file = this.xmlFiles.get(first) ?? listingOf(first)?.inheritedXmlFile;
    const where =
      file !== undefined ? `the XML file ${file}` : "the XML file (--xml-file or --xml-fd)";
    return `the text log of a Valgrind run with --xml=yes, which writes every record to ${where}: give leaklog that file`;
  }
}

/** `Open file descriptor 4: /path/vg.xml`: the file an XML file's descriptor names. */
const XML_FILE_DESCRIPTOR = /^Open file descriptor \d+: (.*\.xml)$/;

/**
 * The XML file a descriptor inherited from the parent names, unless it is the log being read
 * (`logPath`, compared by file name): Valgrind before 3.23 lists the files it opened itself
 * before the program started, its --log-file and --xml-file, as inherited. A `--xml=yes` run
 * of a program that leaves no descriptor of its own open lists only those and the runner's in
 * its text log, with no preamble (campaign bs F2); a `-q` text run logging to `run.xml` lists
 * the same shape, but names itself. Read from stdin, a log's name is unknown: the run is taken
 * for an XML run.
 */
export function inheritedXmlFile(descriptor: string, logPath?: string): string | undefined {
  const file = XML_FILE_DESCRIPTOR.exec(descriptor)?.[1];
  if (file === undefined || logPath === undefined) return file;
  const logName = fileName(logPath).replace(/\.gz$/, "");
  return fileName(file) === logName ? undefined : file;
}

/** The last part of a path, `/` or `\\` separated. */
const fileName = (path: string): string =>
  path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
