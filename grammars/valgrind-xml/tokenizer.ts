import type { IToken, TokenType } from "chevrotain";
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
  startTag(name: string, selfClosing: boolean, line: number, image: string): void;
  endTag(name: string, line: number, image: string): void;
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
  return image.slice(from, end);
}

/**
 * The two line shapes that make up nearly all of Valgrind's XML, `  <ip>0x1</ip>` and
 * `  <frame>` / `  </frame>`, tokenized without the lexer (it is the hot path: 100 MB logs).
 * They give exactly the events the lexer gives for them (grammar.test.ts checks both ways).
 */
const LEAF_LINE = /^(\s*)<([A-Za-z_][\w.:-]*)>([^<]*)<\/([A-Za-z_][\w.:-]*)>$/;
const TAG_LINE = /^(\s*)<(\/?)([A-Za-z_][\w.:-]*)>(\s*)$/;

/**
 * An incremental XML tokenizer fed one line at a time. Multi-line constructs (CDATA sections,
 * comments, processing instructions, a DOCTYPE, text) continue across lines because the lexer
 * mode is carried from one line to the next; nothing else is buffered, so memory does not
 * depend on the input.
 */
export class XmlLineTokenizer {
  private mode: XmlMode = "content";

  constructor(private readonly events: XmlEvents) {}

  /** When false, every line goes through the lexer (tests compare both paths). */
  fastPath = true;

  line(text: string, lineNo: number): void {
    // A document cut inside a CDATA section (a killed process's suppression) must not swallow
    // the next process's document: Valgrind starts each one with `<?xml` at a line start.
    if (this.mode !== "content" && text.startsWith("<?xml")) this.mode = "content";
    if (!(this.fastPath && this.mode === "content" && this.simpleLine(text, lineNo))) {
      const { tokens } = XmlLineLexer.tokenize(text, this.mode);
      for (const token of tokens) this.token(token, lineNo);
    }
    // The line terminator is part of whatever construct is open.
    if (this.mode === "content") this.events.text("\n", lineNo, "\n");
    else if (this.mode === "cdata") this.events.cdata("\n", lineNo);
    this.events.lineEnd(lineNo);
  }

  private simpleLine(text: string, lineNo: number): boolean {
    const leaf = LEAF_LINE.exec(text);
    const tag = leaf === null ? TAG_LINE.exec(text) : null;
    const parts = leaf ?? tag;
    if (parts === null) return false;
    const [, indent = "", a = "", b = "", c = ""] = parts;
    if (indent !== "") this.events.text(indent, lineNo, indent);
    if (leaf !== null) {
      this.events.startTag(a, false, lineNo, `<${a}>`);
      if (b !== "") this.events.text(decodeEntities(b), lineNo, b);
      this.events.endTag(c, lineNo, `</${c}>`);
    } else if (a === "/") this.events.endTag(b, lineNo, `</${b}>`);
    else this.events.startTag(b, false, lineNo, `<${b}>`);
    if (tag !== null && c !== "") this.events.text(c, lineNo, c);
    return true;
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
