import { LT, blankEnd, codeAt } from "../../../grammars/valgrind-xml/scan.js";
import { XmlLineTokenizer } from "../../../grammars/valgrind-xml/tokenizer.js";
import { PREAMBLE_RECORDS } from "../../../grammars/valgrind-xml/vocabulary.js";
import type { Known, KnownBytes } from "../../engine/known-bytes.js";
import { reusedTable, type ParseReuse } from "../../engine/parse-reuse.js";
import type { LineParser, ParseSink } from "../types.js";
import { ErrorCountsCheck } from "./error-counts.js";
import { FrameBlocks, frameBlockTable, type KnownFrameBlock } from "./frame-blocks.js";
import { LeakCheckBoundaries } from "./leak-checks.js";
import { xmlStacks, type XmlStacks } from "./nodes.js";
import { countedTwice } from "../valgrind/counted-twice.js";
import { leadingNuls } from "../file-holes.js";
import { MAX_WAITING, PendingFindings } from "./pending.js";
import type { SharedXmlFile } from "./run-options.js";
import { processFields } from "../process-fields.js";
import { SummaryCollector } from "./summary.js";
import {
  checkErrorCounts,
  handleRecord,
  reportProcess,
  reportHiddenKinds,
  reportSuppressions,
  type DocumentState,
  type RecordContext,
} from "./top-level.js";
import {
  TreeBuilder,
  type DocumentStart,
  type Repair,
  type TreeListener,
  type XNode,
} from "./tree.js";

/** What a document holds while a document nested in it is read (see TreeBuilder). */
type DocumentRecords = Pick<
  RecordContext,
  "doc" | "pending" | "summaries" | "leakChecks" | "errorCounts"
>;

/**
 * Valgrind `--xml=yes` output, line by line: tokenizer -> tolerant tree builder (one record
 * at a time) -> record handlers -> sink. Several documents in one file are read one after the
 * other, each with its own pid, or one inside another (a forked child's, between two records
 * of its parent's); a document without `</valgrindoutput>` marks the source incomplete, and
 * everything read before the cut is kept.
 */
export class ValgrindXmlParser implements LineParser, TreeListener {
  private readonly tree = new TreeBuilder(this);
  private readonly tokenizer = new XmlLineTokenizer(this.tree);
  private readonly ctx: RecordContext;
  private lastLine = 1;
  private readonly frameBlocks: FrameBlocks;
  /** The frame block attached last, while the next line may open the next frame of its stack. */
  private lastBlock: Known<KnownFrameBlock> | undefined;
  private overflowReported = false;
  /** Outer documents, innermost last, while a document nested in them is read. */
  private readonly suspended: DocumentRecords[] = [];
  private sawDocument = false;
  /** The first top-level element read outside any <valgrindoutput>: another tool's root. */
  private foreignRoot: string | undefined;
  /**
   * In a document with no `<valgrindoutput>` (see DocumentStart): the records read after its
   * `<protocolversion>`. None, and the file is another tool's that holds such an element.
   */
  private rootless: number | undefined;
  /** The --xml-file every traced process was told to write, if any (see sharedXmlFile). */
  private sharedFile: SharedXmlFile | undefined;
  /** An element was closed that was never opened, or never closed (see BROKEN_ELEMENTS). */
  private broken = false;
  /** Each PID's runs so far (see ProcessInfo.run). */
  private readonly runs = new Map<number, number>();
  /** A hole came (see hole), and the records after it wait to be known as its owner's. */
  private afterHole: { owner: number | undefined } | undefined;
  /** The records read now are left out: no one is known to have written them (see hole). */
  private discarding = false;
  /** A hole was warned of: broken elements need no warning of their own (reportOverwritten). */
  private holeTold = false;

  constructor(
    private readonly sink: ParseSink,
    reuse?: ParseReuse,
  ) {
    const known = reusedTable(reuse, "valgrind-xml frames", knownFrames, (t) => t.blocks.full);
    this.frameBlocks = new FrameBlocks(known.blocks);
    this.ctx = {
      sink,
      stacks: known.stacks,
      pidRead: (pid) => this.pidRead(pid),
      ...this.freshDocument(1),
    };
  }

  /**
   * A document's PID: its run in the file (see ProcessInfo.run), undefined for the first. A
   * document of the PID of the one it is nested in was written by the program that one's exec'd
   * (exec keeps the PID): the outer document is never closed (exec.xml of
   * test/fixtures/valgrind/runs, through --xml-fd).
   */
  private pidRead(pid: number): number | undefined {
    const outer = this.suspended.at(-1);
    if (outer?.doc.pid === pid) {
      outer.doc.execed = true;
      // Its findings go out in the log's order: no <errorcounts> can come for them now.
      outer.pending.endDocument();
    }
    const runs = (this.runs.get(pid) ?? 0) + 1;
    this.runs.set(pid, runs);
    return runs > 1 ? runs : undefined;
  }

  /** A document's own state: its findings waiting for counts, summaries and leak checks. */
  private freshDocument(line: number): DocumentRecords {
    const pending = new PendingFindings(
      (draft) => this.sink.finding(draft),
      (at) => this.reportOverflow(at),
      (records, at) => this.sink.diagnostic(countedTwice(records, at, this.ctx.doc.pid)),
    );
    const summaries = new SummaryCollector(
      (summary) => this.sink.summary(summary),
      () => this.ctx.doc,
    );
    return {
      doc: { line, suppcounts: [] },
      pending,
      summaries,
      leakChecks: new LeakCheckBoundaries(),
      errorCounts: new ErrorCountsCheck(),
    };
  }

  /**
   * The byte path (see LineParser): a `<frame>` block of the simple shape, inside a record's
   * `<stack>`, is attached whole (see FrameBlocks), all its lines taken at once. Any other
   * line is declined and read as text.
   */
  asciiLine(buf: Buffer, start: number, end: number, lineNo: number): number {
    const after = this.lastBlock;
    this.lastBlock = undefined;
    if (!this.tokenizer.readsContent()) return 0;
    const block = this.frameBlocks.at(buf, start, end, after);
    if (block === undefined || !this.tree.takesFrame(block.children.length)) return 0;
    const node: XNode = { name: "frame", line: lineNo, text: "", children: block.children };
    node.known = block;
    this.tree.attachFrame(node);
    this.lastBlock = block;
    this.lastLine = lineNo + block.lines - 1;
    return block.lines;
  }

  line(text: string, lineNo: number): void {
    this.lastBlock = undefined;
    this.lastLine = lineNo;
    const nuls = text.charCodeAt(0) === 0 ? this.hole(text, lineNo) : 0;
    this.tokenizer.line(nuls === 0 ? text : text.slice(nuls), lineNo);
  }

  /**
   * A line that NUL bytes open, before blanks or a tag: a hole in a file (see leadingNuls), whose
   * NULs are skipped (returns how many; 0 for any other line). Not in XML sent to a descriptor,
   * which the program's own output may share. The records after a hole are written by a
   * process that had the file open before the child whose document comes before the hole
   * emptied it: the child's parent (its `<ppid>`), which waited for it, when that document is
   * whole and tells that every traced process was given this one file (the shell's last
   * records after the document of the `cmp` it ran, in test/fixtures/valgrind/log-file-shared/
   * holes); otherwise no one is known to have written them, and they are left out up to the
   * next document of its own. Either way, everything written before that document is lost.
   */
  private hole(text: string, lineNo: number): number {
    const nuls = leadingNuls(text);
    const after = blankEnd(text, nuls);
    const before = this.ctx.doc;
    if ((after < text.length && codeAt(text, after) !== LT) || before.toDescriptor === true)
      return 0;
    const owner = this.tree.afterWholeDocument ? parentOf(before) : undefined;
    this.afterHole = { owner };
    this.discarding = true;
    this.holeTold = true;
    this.sink.incomplete(holeMessage(nuls, before, owner), lineNo, "log-overwritten");
    return nuls;
  }

  end(): void {
    this.tree.end(this.lastLine);
    this.finishDocument();
    this.reportOverwritten();
    // Detection claims any XML file, so meson's testlog.junit.xml and CTest's
    // DynamicAnalysis.xml (both beside the logs in a CI glob, both quoting valgrind's text) came
    // here and read as "no leaks", exit 0. Only an XML file with no Valgrind document at all is
    // refused: program output or a cut-off document still reads as before.
    const root = this.rootless === 0 ? "protocolversion" : this.foreignRoot;
    if ((!this.sawDocument || this.rootless === 0) && root !== undefined) {
      this.sink.unusable(
        `an XML file holding <${root}>, not Valgrind's <valgrindoutput>: another tool's report (JUnit, CTest's DynamicAnalysis.xml...), not memcheck's --xml=yes output`,
      );
    }
  }

  documentStart(line: number, how: DocumentStart): void {
    this.sawDocument = true;
    // A document of its own is its process's whole output: nothing of it is left out.
    if (how !== "continued") {
      this.afterHole = undefined;
      this.discarding = false;
    }
    this.rootless = how === "rootless" ? 0 : undefined;
    if (how === "nested") {
      const { doc, pending, summaries, leakChecks, errorCounts } = this.ctx;
      this.suspended.push({ doc, pending, summaries, leakChecks, errorCounts });
      Object.assign(this.ctx, this.freshDocument(line));
      return;
    }
    const ended = this.ctx.doc;
    // A continued document's predecessor was finished at its end, its errors left waiting (see
    // documentEnd): they wait on for the records of their PID, and go out for anyone else's.
    if (how !== "continued") this.finishDocument();
    this.ctx.doc = { line, suppcounts: [] } satisfies DocumentState;
    if (how === "continued" && !this.continuation(ended, line)) this.ctx.pending.endDocument();
  }

  /**
   * Records after a closed document, with no document start of their own (see TreeBuilder):
   * a forked child's output, or its parent's after the child ended first, which the XML names
   * no PID for. They are read as the next run of the closed document's PID and command, so that
   * their leak check, error counts and summaries stay apart from the first process's. After a
   * hole they are another process's (see hole). Returns whether they are read so: then the
   * closed document's errors wait for the PID's later `<errorcounts>` (see carryOver).
   */
  private continuation(ended: DocumentState, line: number): boolean {
    const doc = this.ctx.doc;
    if (ended.protocol !== undefined) doc.protocol = ended.protocol;
    if (this.afterHole !== undefined) {
      this.holeOwnersRecords(ended);
      return false;
    }
    // Records after ones left out are no more known to be anyone's (see hole).
    if (this.discarding) return false;
    if (ended.command !== undefined) doc.command = ended.command;
    // A forked child's records: its options are its parent's.
    if (ended.hiddenKinds !== undefined) doc.hiddenKinds = ended.hiddenKinds;
    if (ended.toDescriptor === true) doc.toDescriptor = true;
    const pid = ended.pid;
    if (pid === undefined) return false;
    doc.pid = pid;
    if (this.sharedFile !== undefined && this.broken) {
      // Every traced process was told to write this file, and an exec'd child wrote over it
      // (see reportOverwritten): records after its end are any process's, kept with the ended
      // one's. Whole records after a whole document are a forked child's, as without
      // --trace-children, which acts only at exec.
      if (ended.run !== undefined) doc.run = ended.run;
      return false;
    }
    const run = this.pidRead(pid);
    if (run !== undefined) doc.run = run;
    reportProcess(this.ctx);
    this.sink.diagnostic({
      severity: "warning",
      code: "xml-forked-child",
      message:
        `records follow the end of pid ${pid}'s document: a forked child writes on in its parent's XML file ` +
        `unless valgrind runs with --child-silent-after-fork=yes, and the file names no pid for it, ` +
        `so the records from line ${line} are read as a process of their own, pid ${pid} (run ${run ?? 1}); ` +
        `give --child-silent-after-fork=yes, or --trace-children=yes --xml-file=vg.%p.xml for a file per process`,
      line,
      pid,
    });
    return true;
  }

  /**
   * The records after a hole, which continue the document before it (see hole): its owner's,
   * read as a process of their own, whose options are the run's; no owner's are left out.
   */
  private holeOwnersRecords(ended: DocumentState): void {
    const owner = this.afterHole?.owner;
    this.afterHole = undefined;
    if (owner === undefined) return;
    this.discarding = false;
    const doc = this.ctx.doc;
    if (ended.hiddenKinds !== undefined) doc.hiddenKinds = ended.hiddenKinds;
    doc.pid = owner;
    const run = this.pidRead(owner);
    if (run !== undefined) doc.run = run;
    reportProcess(this.ctx);
  }

  documentEnd(line: number, closed: boolean): void {
    const { doc } = this.ctx;
    // Records may follow a closed document, its PID's (see continuation); a nested one's outer
    // document goes on after it.
    this.finishDocument(closed && this.suspended.length === 0 && !this.discarding);
    // A document whose end, or whole, was left out (see hole) says nothing of how it ended.
    if (!this.discarding) this.reportEnd(doc, line, closed);
    const outer = this.suspended.pop();
    if (outer !== undefined) {
      outer.doc.nested ??= { line: doc.line, ...(doc.pid !== undefined ? { pid: doc.pid } : {}) };
      if (doc.pid !== undefined && doc.pid !== outer.doc.pid && doc.ppid === outer.doc.pid) {
        outer.doc.execedChildren ??= [];
        outer.doc.execedChildren.push({ line: doc.line, ...processFields(doc.pid, doc.run) });
      }
      Object.assign(this.ctx, outer);
    }
  }

  /** Whether an ended document is whole, said as an incomplete source or a preamble only. */
  private reportEnd(doc: DocumentState, line: number, closed: boolean): void {
    if (!closed && doc.beyondPreamble !== true && doc.execed !== true && doc.pid !== undefined) {
      // Campaign bv F3: under --trace-children=yes this was "a forked child that exec'd a
      // program Valgrind does not trace", which the document's own <vargv> belies. Only for a
      // document alone in its file: a child's preamble in its parent's (public log 21) is not.
      const alone = doc.nested === undefined && this.suspended.length === 0;
      if (doc.tracesEveryExec === true && alone)
        this.sink.incomplete(uncheckedExec(doc.pid), doc.line, undefined, doc.pid);
      // A forked child that exec'd an untraced program, or a run killed at its start: only the
      // inputs together tell (see ProcessInfo.preambleOnly).
      else this.sink.process({ ...processFields(doc.pid, doc.run), preambleOnly: true });
    } else {
      const why = whyIncomplete(doc, closed);
      if (why !== undefined) this.sink.incomplete(why, line);
    }
  }

  record(node: XNode, parent: string): void {
    if (this.discarding) return;
    if (parent === "" && !this.sawDocument) this.foreignRoot ??= node.name;
    if (this.rootless !== undefined && node.name !== "protocolversion") this.rootless += 1;
    if (!PREAMBLE_RECORDS.has(node.name)) this.ctx.doc.beyondPreamble = true;
    handleRecord(this.ctx, node, parent);
  }

  streamEnd(name: string, line: number): void {
    if (this.discarding) return;
    if (name === "errorcounts") {
      this.giveBackChildErrors();
      checkErrorCounts(this.ctx, line);
      // The check at exit ran between `<status>` FINISHED and here, a full one whatever
      // --leak-check says (3.19 prints its records even under --leak-check=no): the held
      // records of earlier checks are superseded, though it listed none. A block freed after a
      // mid-run check left its record counted, failing `--fail-on possibly-lost` where the
      // text log printed `All heap blocks were freed` (campaign v15a F3). Under --xtree-leak
      // its records went to another file: the held ones stay counted, as that file is unread.
      const doc = this.ctx.doc;
      if (doc.finished === true && doc.leaksElsewhere === undefined)
        this.ctx.pending.releaseHeld(true, line);
      // The errors wait for the document's end: records of their PID may follow it, with a
      // later <errorcounts> (see documentEnd).
      this.ctx.pending.releaseHeld(false);
    } else if (name === "suppcounts") reportSuppressions(this.ctx, line, true);
  }

  /**
   * Errors that a forked child made before it exec'd, written into its parent's document through
   * the one descriptor they share (`--xml-fd`, `--log-fd`; a file of its own with --xml-file)
   * and so read as the parent's: the parent's `<errorcounts>` leaves them out, and the document
   * of the traced program the child exec'd, which names the parent its `<ppid>`, comes after
   * them. Each goes to the first such child document after it (exec keeps the PID).
   */
  private giveBackChildErrors(): void {
    const children = this.ctx.doc.execedChildren;
    if (children === undefined) return;
    const counts = this.ctx.errorCounts;
    for (const { draft, unique } of this.ctx.pending.waitingErrors()) {
      if (!counts.uncounted(unique)) continue;
      const child = children.find((c) => c.line > draft.line);
      if (child === undefined) continue;
      draft.pid = child.pid;
      if (child.run !== undefined) draft.run = child.run;
      else delete draft.run;
      counts.forget(unique);
    }
  }

  programLine(line: number, text: string): void {
    this.sink.programLine(line, text);
  }

  repair(repair: Repair): void {
    // The shape of what is left out is no one's to warn of.
    if (this.discarding) return;
    if (BROKEN_ELEMENTS.has(repair.code)) this.broken = true;
    const pid = this.ctx.doc.pid;
    this.sink.diagnostic({ ...repair, ...(pid !== undefined ? { pid } : {}) });
  }

  /**
   * A file every traced process was told to write (see sharedXmlFile) whose elements are broken:
   * a child wrote over it. One whose children never exec'd is whole, and is not warned of.
   */
  private reportOverwritten(): void {
    const shared = this.sharedFile;
    if (shared === undefined || !this.broken || this.holeTold) return;
    this.sink.incomplete(
      `valgrind ran with --trace-children=yes and one --xml-file for every process (${shared.file}, no %p), and this file's elements are broken: a traced child opened it again and wrote over it from its start, so records are lost, cut or read as another process's; give each process its own file (--xml-file=vg.%p.xml)`,
      shared.line,
      "log-overwritten",
    );
  }

  /**
   * Releases what the document still holds: waiting findings, summaries, suppression counts;
   * with `carry`, its errors wait on, counted, until it is known whose records follow it.
   */
  private finishDocument(carry = false): void {
    this.sharedFile ??= this.ctx.doc.sharedFile;
    reportHiddenKinds(this.ctx);
    if (carry) this.ctx.pending.carryOver();
    else this.ctx.pending.endDocument();
    this.ctx.errorCounts.clear();
    this.ctx.leakChecks.other();
    this.ctx.summaries.reset();
    reportSuppressions(this.ctx, this.lastLine, false);
  }

  private reportOverflow(line: number): void {
    if (this.overflowReported) return;
    this.overflowReported = true;
    const message =
      `more than ${MAX_WAITING} errors before <errorcounts>: the oldest are reported with ` +
      `count 1 instead of their final occurrence count`;
    this.sink.diagnostic({
      severity: "warning",
      code: "xml-errorcounts-not-applied",
      message,
      line,
    });
  }
}

/** Repairs that show elements written over: a traced child's document over its parent's. */
const BROKEN_ELEMENTS: ReadonlySet<string> = new Set(["xml-stray-end-tag", "xml-unclosed-element"]);

/** Why a document that has ended is incomplete; undefined when it is not. */
function whyIncomplete(doc: DocumentState, closed: boolean): string | undefined {
  // A program that exec'd another (see pidRead) has no end and no leak check at exit in its
  // document: Valgrind writes neither, and nothing is missing.
  if (doc.execed === true) return undefined;
  if (!closed) return cutOff(doc);
  // Not only after RUNNING: a forked child's document never has one, and cut short it has no
  // <status> at all (campaign bo F2). Every protocol (1 to 6) ends a whole run with FINISHED.
  return doc.finished !== true ? unfinished(doc) : undefined;
}

/**
 * Why a document is cut off. When a document nested in it came first, its missing end may
 * be the nested one's: a child that execs at once leaves only its preamble in the parent's
 * file, so the parent's last records and its `</valgrindoutput>` are read as the child's.
 */
function cutOff(doc: DocumentState): string {
  const who = doc.pid !== undefined ? ` of pid ${doc.pid}` : "";
  const start = `the XML document${who} starting at line ${doc.line}`;
  // Public log 21: two children's preambles, then their parent's whole document.
  if (doc.beyondPreamble !== true) {
    return `${start} holds only Valgrind's preamble: the process was cut off at its start, or it is a forked child whose preamble valgrind wrote here (it does so when --xml-file and --log-file are both given) and whose output went to its own file`;
  }
  const why = `${start} ends without </valgrindoutput>: the process's output was cut off`;
  if (doc.nested === undefined) {
    // Valgrind's own failures (running out of memory) leave the document unclosed too. Before
    // FINISHED no leak check at exit ran: said as `unfinished` and the text log's out-of-memory
    // warning say it, since that is what the log lacks, not kinds --show-leak-kinds hid (campaign
    // cb2 Q1: the log's Totals sent users to rerun with --show-leak-kinds=all).
    if (doc.running !== true || doc.finished === true) return why;
    return `${start} ends without </valgrindoutput>, its program still running: the process was killed, its output cut off, or Valgrind itself failed (its stderr says why), so its leak check at exit and any later errors are missing`;
  }
  const child = doc.nested.pid !== undefined ? `pid ${doc.nested.pid}'s` : "another";
  return `${why}, or ${child} document, nested in it at line ${doc.nested.line}, was only a forked child's preamble (valgrind writes one into the parent's file when --xml-file and --log-file are both given) and the records read as that child's after it are the parent's`;
}

/**
 * Why a document of only the preamble is incomplete when the run traced every exec over it (see
 * tracesEveryExec): no program it exec'd wrote its own document, so Valgrind could not start
 * checking that program (its loader says why on stderr: `valgrind: mmap(...) failed in UME`
 * for `execv("/proc/self/exe")` or a very large executable), or the process was killed first.
 */
function uncheckedExec(pid: number): string {
  return `pid ${pid}'s document holds only Valgrind's preamble, though the run traces every exec (--trace-children=yes, no --trace-children-skip, --xml-file with %p): a program it exec'd that Valgrind checked would have written its own document over this one, so Valgrind could not start checking the program it exec'd (it says why on stderr, e.g. "valgrind: mmap(...) failed in UME"), or the process was killed before it printed anything; nothing of it was checked`;
}

/**
 * Why a whole document is incomplete all the same: `<status>` never said FINISHED.
 * Valgrind writes FINISHED when the program exits; `--exit-on-first-error=yes` and Valgrind's
 * own failures (an assertion, "the 'impossible' happened") close the document without it, and
 * without the leak check at exit (the text log of the same run has no ERROR SUMMARY).
 */
function unfinished(doc: DocumentState): string {
  const who = doc.pid !== undefined ? ` of pid ${doc.pid}` : "";
  return `the XML document${who} starting at line ${doc.line} ends without <status> FINISHED: the program did not run to its end under Valgrind (--exit-on-first-error=yes, or Valgrind itself failed: its stderr says why), so its leak check at exit and any later errors are missing`;
}

/**
 * The process that wrote the records after a hole that follows `doc`, a whole document: its
 * parent, when its `<args>` tell that every traced process was given this one file, so that the
 * parent, waiting for it, had the file open at an older offset (see ValgrindXmlParser.hole).
 */
function parentOf(doc: DocumentState): number | undefined {
  if (doc.sharedFile === undefined || doc.pid === undefined || doc.ppid === doc.pid)
    return undefined;
  return doc.ppid;
}

/** The log-overwritten warning of a hole of `nuls` NUL bytes after `before`'s lines. */
function holeMessage(nuls: number, before: DocumentState, owner: number | undefined): string {
  const hole = `${nuls} NUL bytes stand where a line should be`;
  const advice = "give each process its own file (--xml-file=vg.%p.xml)";
  if (owner === undefined) {
    return `${hole}: a process's Valgrind opened this file again, which emptied it, and another that had it open before went on writing at its own offset, past the file's new end, leaving a hole (--trace-children=yes with one --xml-file for every process does so); the file does not tell whose the records after the hole are, so they are left out, and everything written before is lost; ${advice}`;
  }
  const file = before.sharedFile?.file ?? "";
  return `${hole}: valgrind ran with --trace-children=yes and one --xml-file for every process (${file}, no %p), pid ${before.pid}'s Valgrind opened it again, which emptied it, and its parent, pid ${owner} (its <ppid>), went on writing at its own offset, past the file's new end, leaving a hole; the records after the hole are read as pid ${owner}'s, and everything written before pid ${before.pid}'s document, of every process, is lost; ${advice}`;
}

/** The frame blocks known from their bytes, and the stacks keyed by their ids (see ParseReuse). */
function knownFrames(): { blocks: KnownBytes<KnownFrameBlock>; stacks: XmlStacks } {
  return { blocks: frameBlockTable(), stacks: xmlStacks() };
}
