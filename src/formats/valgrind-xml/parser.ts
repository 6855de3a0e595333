import { XmlLineTokenizer } from "../../../grammars/valgrind-xml/tokenizer.js";
import type { LineParser, ParseSink } from "../types.js";
import { LeakCheckBoundaries } from "./leak-checks.js";
import { MAX_WAITING, PendingFindings } from "./pending.js";
import { SummaryCollector } from "./summary.js";
import {
  handleRecord,
  reportSuppressions,
  type DocumentState,
  type RecordContext,
} from "./top-level.js";
import { TreeBuilder, type Repair, type TreeListener, type XNode } from "./tree.js";

/**
 * Valgrind `--xml=yes` output, line by line: tokenizer -> tolerant tree builder (one record
 * at a time) -> record handlers -> sink. Several documents in one file are read one after the
 * other, each with its own pid; a document without `</valgrindoutput>` marks the source
 * incomplete, and everything read before the cut is kept.
 */
export class ValgrindXmlParser implements LineParser, TreeListener {
  private readonly tree = new TreeBuilder(this);
  private readonly tokenizer = new XmlLineTokenizer(this.tree);
  private readonly ctx: RecordContext;
  private lastLine = 1;
  private overflowReported = false;

  constructor(private readonly sink: ParseSink) {
    const pending = new PendingFindings(
      (draft) => sink.finding(draft),
      (line) => this.reportOverflow(line),
    );
    const summaries = new SummaryCollector(
      (summary) => sink.summary(summary),
      () => this.ctx.doc.pid,
    );
    const leakChecks = new LeakCheckBoundaries();
    this.ctx = { sink, doc: { line: 1, suppcounts: [] }, pending, summaries, leakChecks };
  }

  line(text: string, lineNo: number): void {
    this.lastLine = lineNo;
    this.tokenizer.line(text, lineNo);
  }

  end(): void {
    this.tree.end(this.lastLine);
    this.finishDocument();
  }

  documentStart(line: number): void {
    this.finishDocument();
    this.ctx.doc = { line, suppcounts: [] } satisfies DocumentState;
  }

  documentEnd(line: number, closed: boolean): void {
    const { doc } = this.ctx;
    this.finishDocument();
    if (!closed) {
      const who = doc.pid !== undefined ? ` of pid ${doc.pid}` : "";
      const why = `the XML document${who} starting at line ${doc.line} ends without </valgrindoutput>`;
      this.sink.incomplete(`${why}: the process's output was cut off`, line);
    }
  }

  record(node: XNode, parent: string): void {
    handleRecord(this.ctx, node, parent);
  }

  streamEnd(name: string, line: number): void {
    if (name === "errorcounts") this.ctx.pending.releaseAll();
    else if (name === "suppcounts") reportSuppressions(this.ctx, line);
  }

  programLine(line: number, text: string): void {
    this.sink.programLine(line, text);
  }

  repair(repair: Repair): void {
    const pid = this.ctx.doc.pid;
    this.sink.diagnostic({ ...repair, ...(pid !== undefined ? { pid } : {}) });
  }

  /** Releases what the document still holds: waiting findings, summaries, suppression counts. */
  private finishDocument(): void {
    this.ctx.pending.endDocument();
    this.ctx.leakChecks.other();
    this.ctx.summaries.reset();
    reportSuppressions(this.ctx, this.lastLine);
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
