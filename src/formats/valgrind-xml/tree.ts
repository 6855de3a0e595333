import type { XmlEvents } from "../../../grammars/valgrind-xml/tokenizer.js";
import {
  CONTAINERS,
  LEAVES_OF,
  PARENTS,
  RAW,
  ROOT,
  STREAMED,
  WORDS,
  isTopLevel,
} from "../../../grammars/valgrind-xml/vocabulary.js";
import type { KnownFrame } from "../../engine/shared-stacks.js";
import type { DiagnosticCode } from "../../model/index.js";

/** One element of a record, with its decoded text and child elements. */
export interface XNode {
  name: string;
  /** 1-based log line of the start tag. */
  line: number;
  text: string;
  children: XNode[];
  /** Set when the input ended (or a new document began) before the element closed. */
  cut?: boolean;
  /** A `<frame>` read from the log's bytes carries its frame, read once (see FrameBlocks). */
  known?: KnownFrame;
}

/** A repair the builder made, or something it noticed about the XML itself. */
export interface Repair {
  severity: "warning" | "info";
  code: DiagnosticCode;
  message: string;
  line: number;
}

/** How a document began (see TreeListener.documentStart). */
export type DocumentStart = "top" | "nested" | "continued" | "rootless";

/** The record Valgrind writes first in every document, right after `<valgrindoutput>`. */
const FIRST_RECORD = "protocolversion";

/** Receives complete records and document boundaries, in input order. */
export interface TreeListener {
  /**
   * `nested` when the document began between two records of another, still open one: a forked
   * child writing into its parent's file (see TreeBuilder). Its end resumes the outer document.
   * `continued` when records came after a document's `</valgrindoutput>` with no document
   * start of their own: a forked child's output in its parent's document (see TreeBuilder).
   * `rootless` when Valgrind's first record came with no `<valgrindoutput>` before it.
   */
  documentStart(line: number, how: DocumentStart): void;
  /** `closed` is false when the document never reached `</valgrindoutput>`. */
  documentEnd(line: number, closed: boolean): void;
  /** A complete child of the root (or of a STREAMED container, or a stray top-level element). */
  record(node: XNode, parent: string): void;
  /** A STREAMED container (`<errorcounts>`) closed. */
  streamEnd(name: string, line: number): void;
  programLine(line: number, text: string): void;
  repair(repair: Repair): void;
}

/**
 * The children of an element that has none yet, shared: most elements are leaves
 * (`<ip>`, `<fn>`...), and an array per leaf was a sixth of what a 100 MB log allocated.
 * Frozen, so that pushing to it by mistake throws instead of corrupting every leaf.
 */
export const NO_CHILDREN: XNode[] = Object.freeze([]) as unknown as XNode[];
const NO_LEAVES: ReadonlySet<string> = new Set();

/** Deeper elements are counted, not kept: Valgrind nests 6 deep, a hostile file 200,000. */
const MAX_DEPTH = 256;
/** Characters of text kept per element (a `<rawtext>` is a few hundred). */
const MAX_TEXT = 1 << 20;
/** Elements kept per record (a 500-frame stack is 3,500). */
const MAX_RECORD_NODES = 200_000;
/** How far up an unclosed element is looked for when a child needs a different parent. */
const REPAIR_REACH = 8;

/**
 * Builds one small element tree per record from tokenizer events and forgets it once the
 * listener has it, so memory is bounded by the largest record. Tolerant by design, with each
 * repair reported: unclosed elements end where their parent does (Valgrind 3.26.0 never closes
 * `<still_reachable>`), stray end tags are skipped, a new `<?xml`/`<valgrindoutput>` ends the
 * open document (concatenated outputs, SOURCES.md #21), text between elements is the program's.
 *
 * Between two records, though, a new document nests in the open one: with `--xml-file` and
 * `--log-file` both given, a forked child's whole document (or, when it execs at once, its
 * preamble) goes into its parent's file, and the parent goes on after it (valgrind 3.19; see
 * test/fixtures/valgrind-xml/nested). The outer document resumes when the nested one closes.
 *
 * Without `--child-silent-after-fork=yes` or a document of its own, a forked child goes on
 * writing its parent's document into the same file: the process that ends first closes it, and
 * the other's records and `</valgrindoutput>` follow (test/fixtures/valgrind-xml/forked). Records
 * after a closed document are read as a document of their own, continuing the closed one.
 */
export class TreeBuilder implements XmlEvents {
  private readonly stack: XNode[] = [];
  /**
   * The innermost open element, and whether text in it is its own (not a container's): read on
   * every event, so kept up to date on push and pop instead of looked up (profiled: the lookups
   * in text() were 7% of the parse).
   */
  private top: XNode | undefined;
  private topTakesText = false;
  /** The open element is part of a record: not the root, not a STREAMED container. */
  private topInRecord = false;
  /**
   * The leaves the open element holds without repair (see leaf()). Looked up when the open
   * element changes, not per leaf: the Map, Array and Set lookups leaf() and attach() made for
   * each leaf line were a fiftieth of summarizing the 105 MB bench log (perf).
   */
  private topLeaves = NO_LEAVES;
  /** Open documents: their roots are the bottom of the stack (nesting only between records). */
  private documents = 0;
  /** The last document outside any other ended at its `</valgrindoutput>`, none opened since. */
  private afterClosedDocument = false;
  /** A document was opened: a `<valgrindoutput>`, or a rootless one (see rootless). */
  private openedAny = false;
  private overflow = 0;
  private recordNodes = 0;
  private program = "";
  private raw: { node: XNode; depth: number } | undefined;
  private readonly warned = new Set<string>();

  constructor(private readonly out: TreeListener) {}

  startTag(
    name: string,
    selfClosing: boolean,
    line: number,
    image?: string,
    opensLine = false,
  ): void {
    if (this.raw !== undefined) {
      if (name === this.raw.node.name && !selfClosing) this.raw.depth += 1;
      this.append(this.raw.node, tagText(name, selfClosing, image), line);
      return;
    }
    if (this.overflow > 0 || this.stack.length >= MAX_DEPTH) {
      this.warnOnce("xml-too-deep", `elements nested deeper than ${MAX_DEPTH} are skipped`, line);
      if (!this.endsOverflow(name, opensLine)) {
        if (!selfClosing) this.overflow += 1;
        return;
      }
    }
    if (this.inProgramLine(name)) {
      this.program += tagText(name, selfClosing, image);
      return;
    }
    if (this.inWords(name)) {
      this.append(this.top as XNode, tagText(name, selfClosing, image), line);
      return;
    }
    if (name === ROOT) {
      this.openDocument(line);
      if (selfClosing) this.closeDocument(line, true);
      return;
    }
    if (this.afterClosedDocument && this.documents === 0 && isTopLevel(name)) {
      this.startDocument(line, "continued");
    } else if (this.rootless(name)) {
      const message = `<${name}> with no <valgrindoutput> before it (the start tag's line is damaged or lost): read as Valgrind's document`;
      this.repair("warning", "xml-missing-root", message, line);
      this.startDocument(line, "rootless");
    }
    this.makeRoomFor(name, line);
    const node: XNode = { name, line, text: "", children: NO_CHILDREN };
    this.attach(node, line);
    this.push(node);
    if (selfClosing) this.pop(line);
    else if (RAW.has(name)) this.raw = { node, depth: 0 };
  }

  /**
   * An element no protocol has inside a message's words (see WORDS): the words themselves. Read
   * as an element, an unbound socket's `<unbound>` cut its message to `Open AF_INET socket 6:`
   * with two `xml-unclosed-element` warnings (campaign bw Q1).
   */
  private inWords(name: string): boolean {
    return this.top !== undefined && WORDS.has(this.top.name) && !PARENTS.has(name);
  }

  endTag(name: string, line: number, image?: string): void {
    if (this.raw !== undefined) {
      if (name !== this.raw.node.name || this.raw.depth > 0) {
        if (name === this.raw.node.name) this.raw.depth -= 1;
        this.append(this.raw.node, image ?? `</${name}>`, line);
        return;
      }
      this.raw = undefined;
    }
    if (this.overflow > 0) {
      this.overflow -= 1;
      return;
    }
    let at = this.stack.length - 1;
    while (at >= 0 && (this.stack[at] as XNode).name !== name) at -= 1;
    if (at < 0 && this.inProgramLine(name)) {
      this.program += image ?? `</${name}>`;
      return;
    }
    if (at < 0) {
      this.repair("warning", "xml-stray-end-tag", `</${name}> closes no open element`, line);
      return;
    }
    this.popAbove(at, line, name, true);
    if (name === ROOT) this.closeDocument(line, true);
    else this.pop(line);
  }

  /**
   * `<name>text</name>` on one line, the shape of most of Valgrind's lines: when nothing needs
   * repairing (the element may sit in the open one, which is part of a record), the node is
   * attached whole, without the push, append and pop of the three events it stands for.
   */
  leaf(name: string, text: string, line: number, raw: string): void {
    const simple =
      this.raw === undefined &&
      this.overflow === 0 &&
      this.topLeaves.has(name) &&
      this.stack.length < MAX_DEPTH;
    if (simple) return this.attach({ name, line, text, children: NO_CHILDREN }, line);
    this.startTag(name, false, line);
    if (raw !== "") this.text(text, line, raw);
    this.endTag(name, line);
  }

  /**
   * Whether a whole `<frame>` with `leaves` leaves may be attached now, as the events of its
   * lines would attach it: inside a record's `<stack>`, with nothing to repair, no raw element
   * open and no program output pending (see FrameBlocks).
   */
  takesFrame(leaves: number): boolean {
    return (
      this.raw === undefined &&
      this.overflow === 0 &&
      this.program === "" &&
      this.topInRecord &&
      this.top?.name === "stack" &&
      this.stack.length + 1 < MAX_DEPTH &&
      this.recordNodes + 1 + leaves <= MAX_RECORD_NODES
    );
  }

  /** Attaches a whole `<frame>` (see takesFrame): the frame and its leaves count in the record. */
  attachFrame(node: XNode): void {
    this.attach(node, node.line);
    this.recordNodes += node.children.length;
  }

  /**
   * The last document outside any other closed at its `</valgrindoutput>`, and none is open:
   * records now continue it (see TreeListener.documentStart).
   */
  get afterWholeDocument(): boolean {
    return this.afterClosedDocument && this.documents === 0;
  }

  /**
   * Blank text is dropped by text() whenever no raw element is open, nothing overflowed, the
   * open element takes no text and no program output is pending (see text()).
   */
  blankIgnored(): boolean {
    return (
      this.raw === undefined && this.overflow === 0 && !this.topTakesText && this.program === ""
    );
  }

  text(text: string, line: number, raw: string): void {
    if (this.raw !== undefined) return this.append(this.raw.node, raw, line);
    if (this.overflow > 0) return;
    if (this.topTakesText) this.append(this.top as XNode, text, line);
    else if (this.program !== "" || raw.trim() !== "") this.program += raw;
  }

  cdata(text: string, line: number): void {
    const top = this.raw?.node ?? this.top;
    if (this.overflow === 0 && top !== undefined) this.append(top, text, line);
  }

  xmlDecl(line: number): void {
    // Between records the declaration starts a nested document: its <valgrindoutput> decides.
    if (this.documents > 0 && this.betweenRecords()) return;
    this.closeAllDocuments(line);
  }

  doctype(line: number): void {
    const message = "DOCTYPE skipped: no DTD is processed and no declared entity is expanded";
    this.warnOnce("xml-doctype-ignored", message, line);
  }

  lineEnd(line: number): void {
    if (this.program === "") return; // nearly every line: no regex, no trim
    const text = this.program.replace(/\n$/, "");
    this.program = "";
    if (text.trim() !== "") this.out.programLine(line, text);
  }

  /** No more input: whatever is open was cut off. */
  end(line: number): void {
    if (this.raw !== undefined) {
      this.raw = undefined;
      this.repair("warning", "xml-unclosed-element", "<usercomment> never closed", line);
    }
    this.closeAllDocuments(line);
  }

  private openDocument(line: number): void {
    const nested = this.documents > 0 && this.betweenRecords();
    if (!nested) this.closeAllDocuments(line);
    this.startDocument(line, nested ? "nested" : "top");
  }

  /**
   * Whether `name` starts a document whose `<valgrindoutput>` is missing: Valgrind's first
   * record, `<protocolversion>`, before any document. A NUL byte or an edit in the start tag's
   * line left its records read outside any document, and the file refused as another tool's
   * report with those records counted (campaign zz).
   */
  private rootless(name: string): boolean {
    return name === FIRST_RECORD && !this.openedAny && this.stack.length === 0;
  }

  private startDocument(line: number, how: DocumentStart): void {
    this.openedAny = true;
    this.push({ name: ROOT, line, text: "", children: [] });
    this.documents += 1;
    this.out.documentStart(line, how);
  }

  /**
   * Whether a tag is part of a line of the program's output: between records, after the
   * program's text on the same line (its stderr mixed into `--xml-fd=2`: `starting <tag>`),
   * where only a record or a document can start in Valgrind's XML.
   */
  private inProgramLine(name: string): boolean {
    return this.program !== "" && this.betweenRecords() && name !== ROOT && !isTopLevel(name);
  }

  /** Only document roots are open: no record is being read. */
  private betweenRecords(): boolean {
    return this.stack.length === this.documents;
  }

  /** Ends every open document as cut off (innermost first), or pops stray top-level elements. */
  private closeAllDocuments(line: number): void {
    if (this.documents === 0) this.popAbove(-1, line);
    while (this.documents > 0) this.closeDocument(line, false);
  }

  private closeDocument(line: number, closed: boolean): void {
    this.popAbove(this.documents - 1, line, closed ? ROOT : undefined, true);
    this.stack.pop();
    this.setTop();
    this.documents -= 1;
    if (this.documents === 0) this.afterClosedDocument = closed;
    this.out.documentEnd(line, closed);
  }

  /**
   * A record-level element (`<error>`, `<status>`...) met while elements deeper than the limit
   * are skipped, first on its line as Valgrind writes it: what was skipped was never closed (or
   * its end tags were on a line the line cap cut), so the skipping ends and the element makes
   * room for itself as it would anywhere. Counting on the junk's end tags skipped every later
   * record of the document to its end, and the log read as clean. One inside the junk's line
   * (`<j><j>...<error>...</error></j></j>`) is the junk's: ending there closed the real record
   * the junk sat in, and made a record of the junk's.
   */
  private endsOverflow(name: string, opensLine: boolean): boolean {
    if (!opensLine || this.documents === 0 || !isTopLevel(name)) return false;
    this.overflow = 0;
    return true;
  }

  /**
   * Before a start tag: a record-level element (`<error>`, `<status>`...) closes whatever is
   * open inside the root; any other known element closes known elements it cannot sit in,
   * up to the nearest ancestor it can (3.26.0's `<still_reachable>` before `<suppressed>`).
   * Unknown elements are never closed by a child: they may be a future protocol's containers.
   */
  private makeRoomFor(name: string, line: number): void {
    if (isTopLevel(name)) return this.popAbove(this.documents - 1, line, name, false);
    const parents = PARENTS.get(name);
    if (parents === undefined) return;
    const floor = Math.max(0, this.stack.length - REPAIR_REACH);
    for (let i = this.stack.length - 1; i >= floor; i -= 1) {
      const candidate = (this.stack[i] as XNode).name;
      if (parents.includes(candidate)) return this.popAbove(i, line, name, false);
      if (!PARENTS.has(candidate)) return;
    }
  }

  /**
   * Pops every element above index `keep`, reporting each as unclosed when the tag that closes
   * them (`closer`, an end tag when `closing`) is given. The tag is passed as its parts: this
   * runs for every start and end tag, and nearly always pops nothing.
   */
  private popAbove(keep: number, line: number, closer?: string, closing = false): void {
    while (this.stack.length - 1 > keep) {
      const top = this.top as XNode;
      if (closer !== undefined) {
        const tag = closing ? `</${closer}>` : `<${closer}>`;
        const message = `<${top.name}> (line ${top.line}) was never closed; closed before ${tag}`;
        this.repair("warning", "xml-unclosed-element", message, line);
      } else top.cut = true;
      this.pop(line);
    }
  }

  private attach(node: XNode, line: number): void {
    const parent = this.top;
    if (parent === undefined || !this.topInRecord) return;
    this.recordNodes += 1;
    if (this.recordNodes > MAX_RECORD_NODES) {
      this.warnOnce("xml-record-too-large", `record beyond ${MAX_RECORD_NODES} elements`, line);
    } else if (parent.children === NO_CHILDREN) parent.children = [node];
    else parent.children.push(node);
  }

  private pop(line: number): void {
    const node = this.stack.pop();
    if (node === undefined) return;
    this.setTop();
    const parent = this.top;
    const grand = this.stack.at(-2);
    if (parent === undefined) this.emit(node, "");
    else if (parent.name === ROOT) {
      if (STREAMED.has(node.name)) this.out.streamEnd(node.name, line);
      else this.emit(node, ROOT);
    } else if (STREAMED.has(parent.name) && (grand === undefined || grand.name === ROOT)) {
      this.emit(node, parent.name);
    }
  }

  private push(node: XNode): void {
    this.stack.push(node);
    this.setTop();
  }

  private setTop(): void {
    const top = this.stack[this.stack.length - 1];
    this.top = top;
    this.topTakesText = top !== undefined && !CONTAINERS.has(top.name);
    this.topInRecord = top !== undefined && top.name !== ROOT && !STREAMED.has(top.name);
    this.topLeaves =
      (this.topInRecord ? LEAVES_OF.get((top as XNode).name) : undefined) ?? NO_LEAVES;
  }

  private emit(node: XNode, parent: string): void {
    this.recordNodes = 0;
    this.out.record(node, parent);
  }

  private append(node: XNode, text: string, line: number): void {
    if (node.text.length + text.length <= MAX_TEXT) node.text += text;
    else this.warnOnce("xml-record-too-large", `text of <${node.name}> cut at ${MAX_TEXT}`, line);
  }

  private warnOnce(code: DiagnosticCode, message: string, line: number): void {
    if (this.warned.has(code)) return;
    this.warned.add(code);
    this.repair("warning", code, message, line);
  }

  private repair(
    severity: Repair["severity"],
    code: DiagnosticCode,
    message: string,
    line: number,
  ): void {
    this.out.repair({ severity, code, message, line });
  }
}

/** A start tag as the log wrote it, or as its name spells it when the image is not at hand. */
function tagText(name: string, selfClosing: boolean, image: string | undefined): string {
  return image ?? `<${name}${selfClosing ? "/" : ""}>`;
}
