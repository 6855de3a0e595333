import type { IToken, TokenType } from "chevrotain";
import { matches, nameAt, textAt } from "./intern.js";
import { GT, LT, SLASH, TAB, blankEnd, codeAt, endTagEnd, nameEnd, spacesEnd } from "./scan.js";
import {
  CdataText,
  DoctypeOpen,
  EndTag,
  MODE_AFTER,
  StartTag,
  StrayLt,
  Text,
  XmlDeclOpen,
  XmlLineLexer,
  type XmlMode,
} from "./lexer.js";

/** What the tokenizer reports, in input order. `line` is the 1-based log line. */
export interface XmlEvents {
  /**
   * `image` is the tag as written; undefined when it is exactly `<name>` / `<name/>` (the fast
   * path does not build strings that are almost never needed). `opensLine`: the tag is the
   * first thing on its line, as Valgrind writes its records' tags (told by the fast path only).
   */
  startTag(
    name: string,
    selfClosing: boolean,
    line: number,
    image?: string,
    opensLine?: boolean,
  ): void;
  /** `image` as for startTag: undefined when it is exactly `</name>`. */
  endTag(name: string, line: number, image?: string): void;
  /**
   * `<name>text</name>`, all on one line: the same as startTag, text (when `raw` is not empty)
   * and endTag, in one call because it is most of Valgrind's lines.
   */
  leaf(name: string, text: string, line: number, raw: string): void;
  /** Character data of element content, entities decoded; `raw` as written. */
  text(text: string, line: number, raw: string): void;
  /** The content of a CDATA section, in pieces (one per line at most). */
  cdata(text: string, line: number): void;
  /** `<?xml`: the start of a (possibly concatenated) document. */
  xmlDecl(line: number): void;
  /** `<!DOCTYPE`: skipped; reported so that the caller can say so. */
  doctype(line: number): void;
  /** The end of a log line (after its last event). */
  lineEnd(line: number): void;
  /**
   * Whether blank text (spaces, tabs, a line end) between elements would be ignored right now.
   * When it says so, the tokenizer does not report the indentation and line end of its lines:
   * two calls on nearly every line of a log, a tenth of an XML parse.
   */
  blankIgnored?(): boolean;
}

const PREDEFINED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
const ENTITY = /&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|lt|gt|amp|quot|apos);/g;

/**
 * Decodes the five predefined entities and character references. Any other `&name;` stays as
 * written: declared entities are never expanded, which is what defuses entity bombs.
 */
export function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(ENTITY, (whole, ref: string) => {
    if (ref.startsWith("#")) {
      const code = ref[1] === "x" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return PREDEFINED[ref] ?? whole;
  });
}

/** The element name of a start or end tag token image (`<name ...>`, `</name>`). */
function tagName(image: string, from: number): string {
  let end = from;
  for (; end < image.length; end += 1) {
    const c = image.charCodeAt(end);
    if (c === 0x3e || c === 0x2f || c <= 0x20) break; // '>', '/', whitespace
  }
  return nameAt(image, from, end);
}

/**
 * Whether `</name>` starts at `lt` (the `<`). Compared in place char by char: `startsWith` at
 * an offset went through V8's runtime (string shape dispatch, in a perf profile), and scanning
 * the end tag's name as endTagEnd does costs more again: 7% of the tokenizer's instructions.
 */
function closes(text: string, lt: number, name: string): boolean {
  const gt = lt + 2 + name.length;
  return (
    gt < text.length &&
    text.charCodeAt(lt + 1) === SLASH &&
    text.charCodeAt(gt) === GT &&
    matches(name, text, lt + 2, gt)
  );
}

/** `SPACES[n]` is n spaces: Valgrind indents with up to 8. */
const SPACES: readonly string[] = Array.from({ length: 17 }, (_, n) => " ".repeat(n));

/**
 * An incremental XML tokenizer fed one line at a time. Multi-line constructs (CDATA sections,
 * comments, processing instructions, a DOCTYPE, text) continue across lines because the lexer
 * mode is carried from one line to the next; nothing else is buffered, so memory does not
 * depend on the input.
 */
export class XmlLineTokenizer {
  private mode: XmlMode = "content";
  /** The current line's indentation when it is only spaces: taken from a table, not sliced. */
  private indentation: string | undefined;

  constructor(private readonly events: XmlEvents) {}

  /** When false, every line goes through the lexer (tests compare both paths). */
  fastPath = true;

  /** Whether the next line starts in element content, where the fast path reads it. */
  readsContent(): boolean {
    return this.fastPath && this.mode === "content";
  }

  line(text: string, lineNo: number): void {
    // A document cut inside a CDATA section (a killed process's suppression) must not swallow
    // the next process's document: Valgrind starts each one with `<?xml` at a line start.
    if (this.mode !== "content" && text.startsWith("<?xml")) this.mode = "content";
    if (!(this.fastPath && this.mode === "content" && this.simpleLine(text, lineNo))) {
      const { tokens } = XmlLineLexer.tokenize(text, this.mode);
      for (const token of tokens) this.token(token, lineNo);
    }
    // The line terminator is part of whatever construct is open.
    if (this.mode === "content" && !this.ignoresBlank()) this.events.text("\n", lineNo, "\n");
    else if (this.mode === "cdata") this.events.cdata("\n", lineNo);
    this.events.lineEnd(lineNo);
  }

  /**
   * The line shapes that make up nearly all of Valgrind's XML, `  <ip>0x1</ip>`, `  <frame>`
   * and `  </frame>` (trailing blanks allowed), tokenized without the lexer: it is the hot path
   * of 100 MB logs. They give exactly the events the lexer gives for them (grammar.test.ts
   * checks both ways); any other line returns false and goes through the lexer.
   */
  private simpleLine(text: string, lineNo: number): boolean {
    const spaces = spacesEnd(text);
    const open = codeAt(text, spaces) === TAB ? blankEnd(text, spaces) : spaces;
    this.indentation = open === spaces ? SPACES[open] : undefined;
    if (open === text.length) {
      // A blank line (one between any two records): the lexer's one Text token, or nothing.
      this.indent(text, open, lineNo);
      return true;
    }
    if (codeAt(text, open) !== LT) return false;
    const closing = codeAt(text, open + 1) === SLASH;
    const from = closing ? open + 2 : open + 1;
    const stop = nameEnd(text, from);
    if (stop === from) return false;
    const selfClosing = !closing && codeAt(text, stop) === SLASH;
    const after = selfClosing ? stop + 1 : stop;
    if (codeAt(text, after) !== GT) return false;
    if (blankEnd(text, after + 1) === text.length) {
      this.indent(text, open, lineNo);
      const name = nameAt(text, from, stop);
      if (closing) this.events.endTag(name, lineNo);
      else this.events.startTag(name, selfClosing, lineNo, undefined, true);
      this.trailing(text, after + 1, lineNo);
      return true;
    }
    return !closing && !selfClosing && this.leafLine(text, open, stop, lineNo);
  }

  /** `<name>text</end>` with nothing but blanks after it; `stop` ends the start tag's name. */
  private leafLine(text: string, open: number, stop: number, lineNo: number): boolean {
    const lt = text.indexOf("<", stop + 1);
    if (lt < 0) return false;
    const name = nameAt(text, open + 1, stop);
    // The end tag's name is nearly always the start tag's: compared in place, not scanned.
    const same = closes(text, lt, name);
    const end = same ? lt + name.length + 3 : endTagEnd(text, lt);
    if (end < 0 || blankEnd(text, end) !== text.length) return false;
    this.indent(text, open, lineNo);
    const raw = lt > stop + 1 ? textAt(text, stop + 1, lt) : "";
    if (same) {
      this.events.leaf(name, decodeEntities(raw), lineNo, raw);
    } else {
      this.events.startTag(name, false, lineNo, undefined, true);
      if (raw !== "") this.events.text(decodeEntities(raw), lineNo, raw);
      this.events.endTag(nameAt(text, lt + 2, end - 1), lineNo);
    }
    this.trailing(text, end, lineNo);
    return true;
  }

  private indent(text: string, open: number, lineNo: number): void {
    if (open === 0 || this.ignoresBlank()) return;
    const blank = this.indentation ?? text.slice(0, open);
    this.events.text(blank, lineNo, blank);
  }

  private trailing(text: string, from: number, lineNo: number): void {
    if (from === text.length || this.ignoresBlank()) return;
    const blank = text.slice(from);
    this.events.text(blank, lineNo, blank);
  }

  /** Whether the listener would drop blank text now (see XmlEvents.blankIgnored). */
  private ignoresBlank(): boolean {
    return this.events.blankIgnored?.() === true;
  }

  private token(token: IToken, lineNo: number): void {
    const type: TokenType = token.tokenType;
    const image = token.image;
    if (type === Text || type === StrayLt) this.events.text(decodeEntities(image), lineNo, image);
    else if (type === StartTag) {
      this.events.startTag(tagName(image, 1), image.endsWith("/>"), lineNo, image);
    } else if (type === EndTag) this.events.endTag(tagName(image, 2), lineNo, image);
    else if (type === CdataText) this.events.cdata(image, lineNo);
    else if (type === XmlDeclOpen) this.events.xmlDecl(lineNo);
    else if (type === DoctypeOpen && image.length > 2) this.events.doctype(lineNo);
    const next = MODE_AFTER.get(type);
    if (next !== undefined) this.mode = next;
  }
}
