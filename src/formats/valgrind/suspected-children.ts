import { classifyLine } from "../../../grammars/valgrind/line-kinds.js";
import * as T from "../../../grammars/valgrind/line-kinds.js";
import { isMemcheckOnlyLine } from "../../../grammars/valgrind/thread-tool-lines.js";
import { MAX_BLOCK_LINES } from "../block-caps.js";
import type { ForkParents, StartedRun } from "./fork-parents.js";
import type { OtherTools } from "./other-tools.js";
import type { PrefixedLine } from "./prefix.js";
import type { RetiredProcess } from "./process-state.js";
import type { ProcessEntry } from "./process-table.js";

/** A line of a suspected child, held as the text parser got it, to be read once it is told. */
export interface HeldLine {
  prefixed: PrefixedLine;
  text: string;
  /** 1-based line. */
  lineNo: number;
}

/**
 * A process with no banner whose first line came while only another tool's runs were going on
 * (see ForkParents.toolOfChild): `tool`'s forked child, or a -q Memcheck process. `line` is its
 * first (1-based), `held` its lines so far, `parents` the runs going on at its first line,
 * `exited` set once it printed a line that a process prints only as it ends (see EXIT_LINES).
 */
export interface SuspectedChild {
  tool: string;
  line: number;
  held: HeldLine[];
  /** The held lines' weight (see MAX_HELD). */
  holds: number;
  parents: readonly StartedRun[];
  exited?: true;
}

/**
 * Lines that every tool prints, and only as the process ends: a fatal signal's `Process
 * terminating with default action of signal N`, and --track-fds's `FILE DESCRIPTORS: N open at
 * exit`. A forked child of a banner run (not -q, as its parent) goes on from them to its ERROR
 * SUMMARY, after Helgrind's `Use --history-level=approx` hint (other-tools/fork): one that
 * printed them and then nothing more to the log's end is a -q Memcheck process, which prints
 * no ERROR SUMMARY (campaign v20 F1).
 */
const EXIT_LINES: ReadonlySet<T.LineTokenType> = new Set([T.FatalSignal, T.FdSectionHeader]);

/**
 * What all suspects together hold, in characters, a line counting LINE_COST more. Each holds at
 * most MAX_BLOCK_LINES lines, but a log of a thousand banner-less processes beside a Helgrind
 * run, each printing thousands of lines that tell nothing, held them all (2.1 GB for 734 MB,
 * campaign v20 Q1), and one suspect's 1,500 lines of 400 KB took 720 MB.
 */
const MAX_HELD = 32 << 20;
const LINE_COST = 256;

/**
 * Processes with no banner that may be another tool's forked children (fork copies Valgrind
 * with the process: the child runs its parent's tool and prints no banner, campaign v17 F3),
 * their lines held until one tells. A Helgrind run killed by SIGKILL (a CI step's timeout, the
 * OOM killer) never prints its ERROR SUMMARY, nor does one going on beside a `make -j check`'s
 * other runs until it ends: a later or concurrent `-q` Memcheck process whose first line was
 * `Thread 2:` or `FILE DESCRIPTORS:` (lines every tool prints) was skipped whole as Helgrind's
 * child, its `Invalid write`, loss records and `vgpreload_memcheck` frames with it, and a log of
 * the two was refused as a Helgrind log (campaign v19 F1, real logs in
 * test/fixtures/valgrind/other-tools/fork/quiet-memcheck). A line that only Memcheck prints
 * shows a Memcheck process, whose held lines are then read as they came: the `Thread 2:` header
 * is its error's, the FILE DESCRIPTORS section its findings. A line that only Helgrind or DRD
 * print, a banner, or an ERROR SUMMARY (a real child's last line, after Helgrind's `Use
 * --history-level=approx` hint, which only Helgrind prints: other-tools/fork) shows the tool's
 * child: the child is skipped from its first line on, with an other-tool warning there. A
 * suspect that the log ends in is told by end().
 */
export class SuspectedChildren {
  /** The suspects not told yet, and what they hold (see MAX_HELD). */
  private readonly undecided = new Set<ProcessEntry>();
  private held = 0;

  constructor(
    private readonly forkParents: ForkParents,
    private readonly otherTools: OtherTools,
    /** Reads a line in its PID's entry, as the text parser reads any other process's. */
    private readonly readLine: (line: HeldLine) => void,
  ) {}

  /** A PID's first line: no banner, and only runs of one other tool going on, make a suspect. */
  firstLine(entry: ProcessEntry, { body }: PrefixedLine, lineNo: number): void {
    if (classifyLine(body) === T.ToolBanner) return;
    const tool = this.forkParents.toolOfChild();
    if (tool === undefined) return;
    const parents = this.forkParents.runningNow();
    entry.suspectedChild = { tool, line: lineNo, held: [], holds: 0, parents };
    this.undecided.add(entry);
  }

  /**
   * A line of a suspect: held while it tells nothing; else the suspect is told (its held lines
   * read, or it is skipped as its tool's child) and the line is read. Past MAX_BLOCK_LINES held
   * lines, the suspect is the tool's child, as a block past them is cut: holding a hostile log's
   * lines whole would take its size in memory. So is the suspect holding most when all hold
   * MAX_HELD.
   */
  read(entry: ProcessEntry, line: HeldLine): void {
    const suspect = entry.suspectedChild;
    if (suspect === undefined) return this.readLine(line);
    const { marker, body } = line.prefixed;
    // `**PID**` and `--PID--` lines tell nothing.
    const kind = marker === "=" ? classifyLine(body) : undefined;
    const memcheck = kind === undefined ? undefined : this.memcheck(kind, body);
    if (memcheck === undefined && suspect.held.length < MAX_BLOCK_LINES) {
      suspect.held.push(line);
      if (kind !== undefined && EXIT_LINES.has(kind)) suspect.exited = true;
      suspect.holds += LINE_COST + line.text.length;
      this.held += LINE_COST + line.text.length;
      if (this.held > MAX_HELD) this.childHoldingMost();
      return;
    }
    this.told(entry, suspect);
    if (memcheck === true) for (const held of suspect.held) this.readLine(held);
    else this.child(entry, suspect);
    this.readLine(line);
  }

  /**
   * At the log's end, a suspect whose lines told nothing printed no ERROR SUMMARY, which a real
   * child prints last unless it is killed by SIGKILL. It is a -q Memcheck process when its
   * parents' runs all ended (a parent that ended normally killed no child), or when it printed a
   * line of its own end (EXIT_LINES): a `-q` crash or `--track-fds` report next to a Helgrind
   * run, ended or killed, was skipped as its child and `--fail-on error` passed the crash
   * (campaign v20 F1). Else it is its tool's child: one killed with its parent, as before.
   */
  end(entries: Iterable<ProcessEntry | RetiredProcess>): void {
    for (const entry of entries) {
      if (entry.retired || entry.suspectedChild === undefined) continue;
      const suspect = entry.suspectedChild;
      this.told(entry, suspect);
      const memcheck = suspect.exited === true || !this.forkParents.stillRunning(suspect.parents);
      if (memcheck) for (const held of suspect.held) this.readLine(held);
      else this.child(entry, suspect);
    }
  }

  /**
   * Whether a suspect's `==PID==` line, of kind `kind`, shows a Memcheck process (true) or the
   * tool's child (false), if it shows either.
   */
  private memcheck(kind: T.LineTokenType, body: string): boolean | undefined {
    if (isMemcheckOnlyLine(kind, body)) return true;
    if (kind === T.ErrorSummary || kind === T.ToolBanner) return false;
    return this.otherTools.isToolLine(kind, body) ? false : undefined;
  }

  /** The suspect's lines are no longer held: it is told. */
  private told(entry: ProcessEntry, suspect: SuspectedChild): void {
    delete entry.suspectedChild;
    this.undecided.delete(entry);
    this.held -= suspect.holds;
  }

  /** Past MAX_HELD: the suspect holding most is its tool's child, its lines dropped. */
  private childHoldingMost(): void {
    let most: ProcessEntry | undefined;
    for (const entry of this.undecided) {
      const holds = entry.suspectedChild?.holds ?? 0;
      if (most === undefined || holds > (most.suspectedChild?.holds ?? 0)) most = entry;
    }
    const suspect = most?.suspectedChild;
    if (most === undefined || suspect === undefined) return;
    this.told(most, suspect);
    this.child(most, suspect);
  }

  /**
   * The suspect is its tool's child: skipped as its parent is. Its lines were all held, so it
   * has no open block to drop.
   */
  private child(entry: ProcessEntry, { tool, line }: SuspectedChild): void {
    this.otherTools.forkedChild(entry.state.pid, tool, line);
    entry.otherTool = tool;
  }
}
