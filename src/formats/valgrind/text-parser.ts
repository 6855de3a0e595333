import type { IToken, TokenType } from "chevrotain";
import { classifyLine } from "../../../grammars/valgrind/line-kinds.js";
import { SUPPRESSION_PROMPT } from "../../../grammars/valgrind/suppression-lines.js";
import * as T from "../../../grammars/valgrind/line-kinds.js";
import type { Follower, Known } from "../../engine/known-bytes.js";
import { reusedTable, type ParseReuse } from "../../engine/parse-reuse.js";
import type { SharedStacks } from "../../engine/shared-stacks.js";
import { BlockCaps } from "../block-caps.js";
import type { LineParser, ParseSink } from "../types.js";
import { AwaitingBlocks } from "./awaiting-blocks.js";
import { BlockReader, CAP_NOTES } from "./block-reader.js";
import { BlockVisitor, frameStacks } from "./block-visitor.js";
import { FrameLines, isFrameLineStart, type KnownFrameLine } from "./frame-lines.js";
import { confirmsHeadline, headlineInClientMessage } from "./client-messages.js";
import { GluedLines, isClobbered, type CutLine } from "./glued-lines.js";
import { countedTwice, keptCounted } from "./counted-twice.js";
import { isBlank } from "./fields.js";
import { HeldLeaks } from "./held-leaks.js";
import { ValgrindMessages } from "./messages.js";
import { ErrorCounts } from "./error-counts.js";
import { ForkParents } from "./fork-parents.js";
import { MonitorListings } from "./monitor-output.js";
import { OtherTools, threadToolOfBanner } from "./other-tools.js";
import { OverwrittenLog } from "./overwritten-log.js";
import { ProcessState } from "./process-state.js";
import { ProcessTable, type ProcessEntry } from "./process-table.js";
import { QuietRuns } from "./quiet-runs.js";
import { prefixCutByLine, splitPrefix, type PrefixedLine } from "./prefix.js";
import { RememberedPrefixes } from "./remembered-prefixes.js";
import { SplitWrites, WRITE_BYTES } from "./split-writes.js";
import { SuppressionBlocks } from "./suppression-blocks.js";
import { SuspectedChildren, type HeldLine } from "./suspected-children.js";
import { readGluedToTracedCall } from "./trace-malloc.js";
import { warnIfCannotThrow } from "../cannot-throw.js";
import { UsedSuppressions } from "./used-suppressions.js";
import { ValgrindFailures } from "./valgrind-failure.js";

/**
 * -v's lines of a forked child's preamble (m_main.c): blank, the options (indented), the kernel
 * version (indented), and the machine's facts.
 */
const VERBOSE_PREAMBLE =
  /^(?:\s|$|Valgrind options:|Contents of \/proc\/version:|Arch and hwcaps:|Page sizes:|Valgrind library directory:|Startup, with flags:)/;

/**
 * The Valgrind text parser: routes each prefixed line to its process, cuts each process's
 * lines into blocks at empty prefixed lines, parses every block with the chevrotain grammar and
 * hands the CST to the visitor. Unprefixed lines are suppression blocks
 * (`--gen-suppressions=all`, attached to the finding they name: see AwaitingBlocks) or the
 * program's own output.
 */
export class ValgrindTextParser implements LineParser {
  private readonly processes: ProcessTable;
  private readonly blocks: BlockReader;
  private readonly awaiting: AwaitingBlocks;
  private readonly held = new HeldLeaks(
    (draft) => this.awaiting.leak(draft),
    (pid, records, line) => this.sink.diagnostic(countedTwice(records, line, pid)),
    (pid, kind, overcount) => this.sink.diagnostic(keptCounted(pid, kind, overcount)),
  );
  private readonly errorCounts: ErrorCounts;
  private readonly suppressions: SuppressionBlocks;
  private readonly prefixes = new RememberedPrefixes();
  /** The banners of Valgrind tools other than Memcheck (see OtherTools). */
  private readonly otherTools: OtherTools;
  /** A -q Memcheck run and a -q Helgrind or DRD run of one PID, told apart by their lines. */
  private readonly quietRuns: QuietRuns;
  /** Finds the Valgrind lines that another write glued, cut or clobbered. */
  private readonly glued: GluedLines;
  /** Tells a log that a traced child wrote over from its start. */
  private readonly overwritten: OverwrittenLog;
  /** What a process with no preamble of its own can have been forked by. */
  private readonly forkParents = new ForkParents();
  /** Processes that may be another tool's forked children, held until their lines tell. */
  private readonly children: SuspectedChildren;
  /** Valgrind's own failure: warned of, its bug report's stacks no findings. */
  private readonly failures: ValgrindFailures;
  /** Valgrind's own messages around the blocks: -v's lines, warnings and their frames. */
  private readonly messages: ValgrindMessages;
  /** -s's and -v's `used_suppression:` lines, by process. */
  private readonly usedSuppressions: UsedSuppressions;
  private readonly frameLines: FrameLines;
  /** The output of monitor commands that the program ran itself (v.info all_errors). */
  private readonly monitor = new MonitorListings(
    (entry) => this.blocks.close(entry),
    (line) => this.readProcessLine(this.processes.entryOf(line.prefixed, line.lineNo), line),
  );
  /** Puts back the long lines that processes sharing the log cut into each other's writes. */
  private readonly splitWrites = new SplitWrites();
  /**
   * What a stack's first frame line follows, by the kind of line before it (a loss record, an
   * error headline, an aux line): that kind's last first frame is guessed first, as a frame's
   * follower is. Loss records nearly all start at the same allocator frame: the 105 MB text
   * bench log's frame lines hashed to be found went from 25% (373,000) to 15% (224,000).
   */
  private readonly firstFrames = new Map<TokenType, Follower<KnownFrameLine>>();

  /** `logPath`: the log's own path, which its --track-fds listing may name (see BlockVisitor). */
  constructor(
    private readonly sink: ParseSink,
    reuse?: ParseReuse,
    logPath?: string,
  ) {
    const frames = reusedTable(reuse, "valgrind-text frames", knownFrames, (t) => t.lines.full);
    this.frameLines = frames.lines;
    this.errorCounts = new ErrorCounts(sink, {
      printedElsewhere: (draft, pid) => this.processes.printedElsewhere(draft, pid),
      has: (pid) => this.processes.spokeFor(pid),
    });
    this.blocks = new BlockReader(sink, new BlockVisitor(sink, frames.stacks, logPath));
    this.otherTools = new OtherTools(sink);
    this.quietRuns = new QuietRuns(sink);
    this.children = new SuspectedChildren(this.forkParents, this.otherTools, (line) =>
      this.readProcessLine(this.processes.entryOf(line.prefixed, line.lineNo), line),
    );
    this.glued = new GluedLines(sink, (pid) => this.processes.spokeFor(pid));
    this.overwritten = new OverwrittenLog(sink, (pid) => this.processes.get(pid) === undefined);
    this.failures = new ValgrindFailures(sink);
    this.messages = new ValgrindMessages(sink);
    this.usedSuppressions = new UsedSuppressions(sink);
    this.awaiting = new AwaitingBlocks(sink);
    this.suppressions = new SuppressionBlocks(
      (line, text) => sink.programLine(line, text),
      (block, line) => this.awaiting.attach(block, line),
    );
    this.processes = new ProcessTable({
      newState: (pid, run) => {
        const state = new ProcessState(
          pid,
          run,
          sink,
          (draft) => this.awaiting.leak(draft),
          (draft) => this.awaiting.read(draft),
          this.held,
          this.errorCounts,
        );
        state.mayBeForked = this.forkParents.memcheckPreamble;
        return state;
      },
      newCaps: () => new BlockCaps(sink, CAP_NOTES),
      runsNow: () => this.forkParents.atStart(),
      firstLine: (line, lineNo, entry) => {
        this.overwritten.firstLineOf(line, lineNo);
        this.children.firstLine(entry, line, lineNo);
      },
      endRun: (entry) => {
        this.forkParents.ended(entry);
        this.blocks.close(entry);
        this.awaiting.ended(entry.state.pid);
      },
    });
  }

  /**
   * The byte path (see LineParser): a frame line of an open Memcheck process, prefixed as one
   * of the last lines were, is the same token that line() would push, its text and frame known
   * from the line's bytes (FrameLines). Any other line is declined and read as text.
   */
  asciiLine(buf: Buffer, start: number, end: number, lineNo: number): number {
    if (this.failures.takingFrames || this.messages.takingFrames) return 0;
    // A long line may be another process's line cut into (see SplitWrites), and while a head
    // is held, its process's next line must come after it.
    if (this.splitWrites.holding || end - start > WRITE_BYTES) return 0;
    const prefix = this.prefixes.matchBytes(buf, start, end);
    if (prefix === undefined) return 0;
    const bodyStart = start + prefix.prefix.length;
    if (!isFrameLineStart(buf, bodyStart, end)) return 0;
    const entry = this.processes.get(prefix.pid);
    if (entry === undefined || entry.retired || entry.otherTool !== undefined) return 0;
    // A suspected forked child's lines are held, as text (see SuspectedChildren).
    if (entry.suspectedChild !== undefined) return 0;
    // A held client message, or a block held over its blank line, waits for this line as text
    // (see releaseMessage, deferredClose).
    if (entry.heldMessage !== undefined || entry.closeDeferred === true) return 0;
    // A listing that may be a monitor command's is held line by line (see MonitorListings).
    if (entry.monitorListing !== undefined) return 0;
    const known = this.frameLines.find(buf, bodyStart, end, this.before(entry.tokens.at(-1)));
    // A frame in Helgrind's or DRD's intercepts: another tool's process (see threadToolLine).
    if (known === undefined || known.threadTool !== undefined) return 0;
    if (this.dropped(entry, T.FrameLine, lineNo, known.text.length)) return 1;
    entry.tokens.push(this.blocks.token(T.FrameLine, known.text, lineNo, known));
    return 1;
  }

  /**
   * Whether a line of kind `kind` is dropped from its process's open block (see BlockCaps): a
   * frame line past the cap of its stack, or any line but ERROR SUMMARY, which ends the
   * process, past the cap of its block. A hostile log of 3 million frame lines under one
   * headline (132 MB) took 840 MB and 13 s, one of a million `Address ...` lines (69 MB) 1.1 GB,
   * 11 s and a record of a million aux entries.
   */
  private dropped(entry: ProcessEntry, kind: TokenType, lineNo: number, length = 0): boolean {
    if (kind !== T.ErrorSummary && !entry.caps.lineFits(entry.tokens.length, lineNo)) return true;
    if (kind === T.FrameLine) return !entry.caps.frameFits(lineNo, length);
    entry.caps.endStack();
    return false;
  }

  /** What a frame line after `token` follows: the token's frame line, or its kind's first frame. */
  private before(token: IToken | undefined): Follower<KnownFrameLine> | undefined {
    if (token === undefined) return undefined;
    const known = token.payload as Known<KnownFrameLine> | undefined;
    if (known !== undefined) return known;
    let first = this.firstFrames.get(token.tokenType);
    if (first === undefined) {
      first = { next: undefined };
      this.firstFrames.set(token.tokenType, first);
    }
    return first;
  }

  line(text: string, lineNo: number): void {
    if (!this.splitWrites.mayHold(text)) return this.readLine(text, lineNo);
    this.splitWrites.read(text, lineNo, this.readWholeLine);
  }

  private readonly readWholeLine = (text: string, lineNo: number): void =>
    this.readLine(text, lineNo);

  /** Reads one Valgrind line, or the program's, or pieces of both that one log line holds. */
  private readLine(text: string, lineNo: number): void {
    const prefixed = this.prefixes.split(text);
    if (prefixed === undefined) return this.unprefixedOrGlued(text, lineNo);
    if (readGluedToTracedCall(prefixed, text, lineNo, this.readWholeLine)) return;
    if (this.failures.prefixed(prefixed, lineNo)) return;
    if (prefixed.marker === "-") this.verboseActivity(prefixed);
    if (prefixed.marker !== "*" && this.messages.outsideBlocks(prefixed, lineNo)) return;
    const entry = this.processes.entryOf(prefixed, lineNo);
    if (entry.suspectedChild !== undefined) this.children.read(entry, { prefixed, text, lineNo });
    else this.readProcessLine(entry, { prefixed, text, lineNo });
  }

  /** Reads a Valgrind line in its PID's entry (see readLine), or a suspect's held line. */
  private readProcessLine(entry: ProcessEntry, { prefixed, text, lineNo }: HeldLine): void {
    this.releaseHeld(entry, prefixed);
    if (entry.otherTool !== undefined) {
      const next = this.afterOtherTool(entry, prefixed, lineNo);
      if (next === undefined) return;
      entry = next;
    }
    if (entry.monitorListing !== undefined) {
      if (this.monitor.held(entry, { prefixed, text, lineNo })) return;
      entry = this.processes.entryOf(prefixed, lineNo);
    }
    if (prefixed.marker === "*") return this.clientMessage(entry, prefixed, lineNo);
    const body = prefixed.body;
    // Valgrind's question, then what followed it on the line (see SUPPRESSION_PROMPT).
    if (body.startsWith(SUPPRESSION_PROMPT)) {
      const rest = body.slice(SUPPRESSION_PROMPT.length);
      return rest === "" ? undefined : this.readLine(rest, lineNo);
    }
    if (isBlank(body)) return this.blankLine(entry, prefixed.pid);
    if (isClobbered(body)) return this.clobbered(text, body, lineNo);
    const kind = classifyLine(body);
    if (kind === T.ParentPid) this.overwritten.parentNamed(prefixed.pid, body);
    const cut = this.glued.afterCut(kind, body, lineNo);
    if (cut !== undefined) return this.readCut(entry, cut, lineNo);
    if (this.monitor.holds(entry, kind, { prefixed, text, lineNo })) return;
    if (kind === T.ToolBanner) {
      if (entry.known || entry.otherTool !== undefined) entry = this.processes.nextRun(entry);
      if (this.otherToolBanner(entry, body, lineNo)) return;
      entry.memcheckBanner = true;
      this.forkParents.started(entry, undefined);
    } else if (this.threadToolLine(entry, prefixed, kind, lineNo)) return;
    else entry = this.quietRuns.runOf(entry, kind, this.processes);
    if (kind === T.ToolNotice) this.blocks.closeMessageRun(entry);
    if (this.dropped(entry, kind, lineNo, body.length)) return;
    entry.tokens.push(this.blocks.token(kind, body, lineNo));
    this.forkParents.memcheckLine(kind.name);
    // ERROR SUMMARY is a process's last line, with no empty line after it: close the block now
    // so that the process's summaries and held errors go out before the log ends.
    if (kind === T.ErrorSummary) {
      this.forkParents.summaryOf(entry);
      this.blocks.close(entry);
      // Valgrind writes a record's block before anything else of its process: none comes now.
      this.awaiting.ended(prefixed.pid);
      this.processes.retire(prefixed.pid, entry);
    }
  }

  /** What the process held for its next line: a client message, a block over its blank line. */
  private releaseHeld(entry: ProcessEntry, next: PrefixedLine): void {
    if (entry.heldMessage !== undefined) this.releaseMessage(entry, next.body);
    if (entry.closeDeferred === true) this.deferredClose(entry, next);
  }

  /**
   * `**PID** text`, a client request's message, and the Valgrind line written on after it when
   * the message did not end its line (see client-messages.ts).
   */
  private clientMessage(entry: ProcessEntry, { pid, body }: PrefixedLine, lineNo: number): void {
    warnIfCannotThrow(this.sink, body, pid, lineNo);
    const at = headlineInClientMessage(body);
    if (at !== undefined) entry.heldMessage = { body, at, line: lineNo };
    else this.pushClientMessage(entry, body, lineNo);
  }

  /**
   * A held client message (see ProcessEntry.heldMessage), once the process's `next` line says
   * whether its end was Valgrind's headline (see confirmsHeadline), or at the end of the log: the
   * message, then, when it was, the headline read as Valgrind's own line.
   */
  private releaseMessage(entry: ProcessEntry, next: string | undefined): void {
    const held = entry.heldMessage;
    if (held === undefined) return;
    delete entry.heldMessage;
    const headline = held.body.slice(held.at);
    if (next === undefined || !confirmsHeadline(headline, next)) {
      return this.pushClientMessage(entry, held.body, held.line);
    }
    this.pushClientMessage(entry, held.body.slice(0, held.at).trimEnd(), held.line);
    this.readLine(`==${entry.state.pid}== ${headline}`, held.line);
  }

  private pushClientMessage(entry: ProcessEntry, message: string, lineNo: number): void {
    this.blocks.closeMessageRun(entry);
    if (!this.dropped(entry, T.ClientMessage, lineNo))
      entry.tokens.push(this.blocks.token(T.ClientMessage, message, lineNo));
  }

  /**
   * A -v line past -v's own preamble (`REDIR:`, `Reading syms from`) shows a process that ran
   * on under Valgrind: a forked worker killed later (SIGKILL), not a child that exec'd an
   * untraced program at once, whose log ends at `Valgrind library directory:` (see
   * ProcessInfo.preambleOnly). A `used_suppression:` line of a process Valgrind spoke for is
   * kept (see UsedSuppressions).
   */
  private verboseActivity({ pid, body }: PrefixedLine): void {
    const entry = this.processes.get(pid);
    if (entry === undefined) return;
    const run = entry.retired ? entry.run : entry.state.run;
    const used = (entry.retired || entry.known) && this.usedSuppressions.read(pid, run, body);
    if (used || !isBlank(body)) this.quietRuns.verboseLine(pid, used, entry);
    if (entry.retired || entry.beyondPreamble) return;
    if (!VERBOSE_PREAMBLE.test(body)) entry.beyondPreamble = true;
  }

  /**
   * A line of a process skipped as another tool's: undefined while the process stays skipped,
   * else the entry to read the line in. A banner starts the PID's next run (a reused PID's may
   * be Memcheck's: see the banner's reading); after a run that Helgrind's or DRD's lines showed
   * theirs, so does a line that only Memcheck prints, a -q Memcheck run of the same PID, whose
   * findings went with the other run's lines (campaign v15a F7; see QuietRuns). Such a run's
   * block starts with the thread header skipped before it.
   */
  private afterOtherTool(
    entry: ProcessEntry,
    { pid, marker, body }: PrefixedLine,
    lineNo: number,
  ): ProcessEntry | undefined {
    const kind = classifyLine(body);
    if (kind === T.ToolBanner) return entry;
    // The skipped run's preamble still ends the log's opening one, and its ERROR SUMMARY its
    // run: its forked child's first line is no traced child's overwrite (a false
    // log-overwritten, campaign v17 F3) and, after it, no child of it (see ForkParents).
    if (kind === T.ParentPid) this.overwritten.parentNamed(pid, body);
    else if (isBlank(body)) this.overwritten.blankOf(pid);
    else if (kind === T.ErrorSummary) this.forkParents.ended(entry);
    if (marker !== "=" || !this.quietRuns.startsMemcheck(entry, kind, body, lineNo)) return;
    const thread = this.quietRuns.threadHeader(entry);
    const next = this.processes.nextRun(entry);
    if (thread !== undefined) {
      next.tokens.push(this.blocks.token(T.ThreadHeader, thread.body, thread.line));
    }
    return next;
  }

  /** A banner of another Valgrind tool (see OtherTools): the process's lines are skipped. */
  private otherToolBanner(entry: ProcessEntry, body: string, lineNo: number): boolean {
    const tool = this.otherTools.banner(entry.state.pid, body, lineNo);
    if (tool === undefined) return false;
    this.forkParents.started(entry, tool);
    this.skipProcess(entry, tool);
    // A Memcheck-only line starts the PID's next run, as after a -q run's lines (see QuietRuns):
    // a killed run's Helgrind container, then a -q Memcheck one, each PID 1 (campaign v20 F3).
    if (threadToolOfBanner(tool) !== undefined) this.quietRuns.skipping(entry);
    return true;
  }

  /**
   * A line of a process whose banner (if any) was not Memcheck's (see
   * OtherTools.threadToolLine): once its lines show Helgrind or DRD, the process is skipped as
   * its banner would have had it, and the errors Memcheck's grammar made of its earlier blocks
   * (held, for no -s recap came yet) are dropped. After lines that only Memcheck prints, only
   * the part from the tool's first block on is theirs: the run before it is a -q Memcheck run
   * of the same PID, read as such (campaign v15a F7; see QuietRuns).
   */
  private threadToolLine(
    entry: ProcessEntry,
    { marker, body }: PrefixedLine,
    kind: TokenType,
    line: number,
  ): boolean {
    // `--PID--` lines are -v's; `**PID**` ones, the program's client requests, never come here.
    if (marker !== "=" || entry.memcheckBanner === true) return false;
    this.quietRuns.read(entry, kind, body, line);
    const tool = this.otherTools.threadToolLine(entry, kind, body, line);
    if (tool === undefined) return false;
    const from = entry.threadToolFrom ?? line;
    const memcheck = this.quietRuns.memcheckRun(entry, from, tool);
    const split = memcheck !== undefined;
    this.otherTools.quietRun(entry.state.pid, tool, split ? from : line, memcheck);
    entry.state.errors.discard(split ? from : 0);
    let skipped = entry;
    if (split) {
      // The open block is the tool's: the Memcheck run ends before it, as at a banner.
      this.dropOpenBlock(entry);
      skipped = this.processes.nextRun(entry);
    }
    this.skipProcess(skipped, tool);
    this.quietRuns.skipping(skipped);
    return true;
  }

  /**
   * An empty line of a process: its open block is read, unless it is one line of Helgrind's or
   * DRD's alone, which waits for the next line (see deferredClose).
   */
  private blankLine(entry: ProcessEntry, pid: number): void {
    this.overwritten.blankOf(pid);
    if (this.otherTools.loneToolLine(entry)) entry.closeDeferred = true;
    else this.blocks.close(entry);
  }

  /**
   * A block of one line that only Helgrind or DRD print, held over its blank line (see
   * OtherTools.loneToolLine), at the process's next line: left open when that line is one of
   * theirs too, which shows the tool and drops the block unread (see threadToolLine); else read
   * now, as the blank line would have.
   */
  private deferredClose(entry: ProcessEntry, { marker, body }: PrefixedLine): void {
    delete entry.closeDeferred;
    if (marker === "=" && this.otherTools.isToolLine(classifyLine(body), body)) return;
    this.blocks.close(entry);
  }

  /** Another tool's process: its open block is dropped, its later lines skipped. */
  private skipProcess(entry: ProcessEntry, tool: string): void {
    entry.otherTool = tool;
    this.dropOpenBlock(entry);
  }

  /** The process's open block, unread: its lines were another tool's. */
  private dropOpenBlock(entry: ProcessEntry): void {
    this.blocks.release(entry.tokens);
    entry.tokens = [];
    entry.caps.reset();
  }

  end(): void {
    this.splitWrites.end(this.readWholeLine);
    this.children.end(this.processes.entries());
    this.monitor.end(this.processes.entries());
    this.otherTools.end(() => this.processes.hasMemcheckProcess());
    const memcheckPids = this.processes.memcheckPids();
    this.messages.end();
    this.usedSuppressions.end();
    const refused = this.failures.checkedNothing(memcheckPids, (pid) => {
      const entry = this.processes.get(pid);
      return entry !== undefined && !entry.retired && !entry.beyondPreamble;
    });
    if (refused !== undefined) this.sink.unusable(refused, "valgrind-failed");
    this.suppressions.end();
    // A retired process has nothing open: closing and finishing it would do nothing.
    for (const entry of this.processes.entries()) {
      if (entry.retired) continue;
      this.releaseMessage(entry, undefined);
      this.blocks.close(entry, true);
    }
    // Only now is every block read (the last one, stack size advice, included) and every
    // process that printed one known.
    const xmlRun = this.messages.xmlRunReason(this.processes.memcheckPids(), (pid) => {
      const entry = this.processes.get(pid);
      return entry === undefined || entry.retired ? undefined : entry.state;
    });
    if (xmlRun !== undefined) this.sink.unusable(xmlRun, "xml-run-text-log");
    // Held leak records go out before the end's errors, as they would have unheld.
    for (const entry of this.processes.entries()) {
      if (!entry.retired) entry.state.releaseHeldLeaks(false);
    }
    this.awaiting.end();
    this.failures.end();
    this.errorCounts.finish(!this.processes.showsErrorSummaries());
    const unendedRun = this.processes.unendedRunWithoutBanner();
    for (const entry of this.processes.entries()) {
      if (entry.retired) continue;
      const cutCheck = entry.state.cutExitCheck();
      entry.state.finish();
      const pid = entry.state.pid;
      // A forked child that printed only notices (Python's subprocess closing every descriptor,
      // Valgrind's own among them) exec'd a program Valgrind did not trace: no summary comes.
      if (!entry.known || !entry.beyondNotices || entry.state.summaries.sawErrorSummary) continue;
      // A -q run prints none: only the process's lines and their place tell its run.
      if (!this.forkParents.printsSummaryFor(entry, unendedRun)) continue;
      // A process whose Valgrind failed was warned of as it failed.
      if (this.failures.explains(pid, !entry.beyondPreamble)) continue;
      // A forked child that exec'd an untraced program, or a run killed at its start: only the
      // inputs together tell (see ProcessInfo.preambleOnly).
      if (!entry.beyondPreamble) entry.state.facts({ preambleOnly: true });
      else {
        // Public logs 11 and 27: the run was killed or the file cut before Valgrind's summaries.
        const where =
          cutCheck !== undefined
            ? `in Valgrind's leak check at exit, before its LEAK SUMMARY: what leaked of the ${cutCheck.bytes} bytes in ${cutCheck.blocks} blocks in use at exit is unknown beyond the loss records read (run killed during the leak search, or file truncated)`
            : this.overwritten.beforeErrorSummary(pid);
        this.sink.incomplete(`PID ${pid}: the log ends ${where}`, undefined, undefined, pid);
      }
    }
  }

  /** A line whose body starts with another prefix (see isClobbered): the inner line is read. */
  private clobbered(text: string, body: string, lineNo: number): void {
    const inner = this.glued.clobberedInner(text, body, lineNo);
    const by = splitPrefix(inner);
    if (by !== undefined) this.overwritten.lineCut(by, lineNo);
    this.readLine(inner, lineNo);
  }

  /**
   * A line without a prefix at its start: program output, a suppression block's line, or
   * program output with a Valgrind line glued after it (`progress 0...==15189== Invalid write
   * of size 1` in mixed2_2to1.txt, where the program printed without a newline): the text before
   * the prefix is the program's, the rest is read as the line it is. A cut prefix, or a hole's
   * NUL bytes (see OverwrittenLog.hole), before a Valgrind line are no one's: the line is read.
   */
  private unprefixedOrGlued(text: string, lineNo: number): void {
    const cut = prefixCutByLine(text) ?? this.overwritten.hole(text, lineNo);
    if (cut !== undefined) {
      this.overwritten.lineCut(cut.prefixed, lineNo);
      return this.readLine(text.slice(cut.at), lineNo);
    }
    const glued = this.glued.afterProgramText(text, lineNo);
    if (glued === undefined) {
      this.splitWrites.programLine(text);
      this.failures.bare(text, lineNo);
      return this.suppressions.line(text, lineNo);
    }
    this.suppressions.cutLine(text.slice(0, glued.at), lineNo);
    this.readLine(text.slice(glued.at), lineNo);
  }

  /**
   * A prefixed line whose body holds another process's line glued after its cut (an exec'd
   * child reopened the log, and the parent's next write landed inside the child's line):
   * `==12900==    at 0==12899== ` in forkexec.txt, whose 12899's earlier lines are gone, or
   * `==3003== 10 bytes in 1 blocks are definitely lost in los==2993== 9 bytes in 1 blocks are
   * definitely lost in loss record 1 of 1` in glued-records (see GluedLines.afterCut). What is
   * left of the cut line stays its PID's, damaged (see cutHeadKind); the glued line is read.
   */
  private readCut(entry: ProcessEntry, { prefixed, head, rest }: CutLine, lineNo: number): void {
    this.overwritten.lineCut(prefixed, lineNo);
    if (head !== undefined && !this.dropped(entry, head.kind, lineNo))
      entry.tokens.push(this.blocks.token(head.kind, head.text, lineNo));
    this.readLine(rest, lineNo);
  }
}

/** The frame lines known from their bytes, and the stacks keyed by their ids (see ParseReuse). */
function knownFrames(): { lines: FrameLines; stacks: SharedStacks<IToken> } {
  return { lines: new FrameLines(), stacks: frameStacks() };
}
