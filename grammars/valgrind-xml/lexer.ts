import type { TokenType } from "chevrotain";
import { createToken, Lexer } from "../chevrotain.js";

/**
 * Tokens of Valgrind's XML output (docs/internals/xml-output-protocol4/5/6.txt), for a lexer
 * that is fed one log line at a time. Syntax only: no entity expansion, no DTD processing.
 *
 * Every mode switch is a push (never a pop): modes do not nest, so the mode in force is simply
 * the last one entered, and a line can start in any mode (the tokenizer passes the mode the
 * previous line ended in). chevrotain cannot pop below the initial mode, hence no pops; the
 * stack only lives for one line.
 * Tags are whole tokens that must end on their line (Valgrind writes every tag on one line);
 * a `<` that does not start a well-formed tag is text, which keeps program output such as
 * `if (a<b)` or `<<< test >>>` from swallowing the elements that follow it.
 */

/** The lexer modes; `content` is element content, the others are multi-line constructs. */
export const XML_MODES = ["content", "cdata", "comment", "pi", "doctype"] as const;
export type XmlMode = (typeof XML_MODES)[number];

const NAME = String.raw`[A-Za-z_][\w.:-]*`;
const ATTRS = String.raw`(?:\s+[\w.:-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*`;

const enter = (mode: XmlMode) => ({ push_mode: mode });

/** `<name>` / `<name/>`, optionally with attributes (Valgrind writes none; kept tolerant). */
export const StartTag = createToken({
  name: "StartTag",
  pattern: new RegExp(`<${NAME}${ATTRS}\\s*/?>`),
  start_chars_hint: ["<"],
  line_breaks: false,
});
/** `</name>`. */
export const EndTag = createToken({
  name: "EndTag",
  pattern: new RegExp(`</${NAME}\\s*>`),
  start_chars_hint: ["<"],
  line_breaks: false,
});
/** `<?xml`: a new document starts (concatenated `--xml-file=%p` outputs, SOURCES.md #21). */
export const XmlDeclOpen = createToken({
  name: "XmlDeclOpen",
  pattern: /<\?xml(?=[\s?])/,
  start_chars_hint: ["<"],
  ...enter("pi"),
});
const PiOpen = createToken({ name: "PiOpen", pattern: /<\?/, ...enter("pi") });
const CdataOpen = createToken({
  name: "CdataOpen",
  pattern: /<!\[CDATA\[/,
  ...enter("cdata"),
});
const CommentOpen = createToken({
  name: "CommentOpen",
  pattern: /<!--/,
  ...enter("comment"),
});
/** `<!DOCTYPE`, or any other `<!` declaration, skipped the same way. */
export const DoctypeOpen = createToken({
  name: "DoctypeOpen",
  pattern: /<!(?:DOCTYPE)?/,
  ...enter("doctype"),
});
/** A `<` that starts nothing: program output, kept as text. */
export const StrayLt = createToken({ name: "StrayLt", pattern: /</ });
/** Character data up to the next `<`. */
export const Text = createToken({ name: "Text", pattern: /[^<]+/, line_breaks: false });

const CdataClose = createToken({
  name: "CdataClose",
  pattern: /]]>/,
  ...enter("content"),
});
/** CDATA content (`]` alone when it does not end the section). */
export const CdataText = createToken({ name: "CdataText", pattern: /[^\]]+|]/ });

const CommentClose = createToken({
  name: "CommentClose",
  pattern: /-->/,
  ...enter("content"),
});
const CommentText = createToken({ name: "CommentText", pattern: /[^-]+|-/ });

const PiClose = createToken({ name: "PiClose", pattern: /\?>/, ...enter("content") });
const PiText = createToken({ name: "PiText", pattern: /[^?]+|\?/ });

/**
 * A DOCTYPE is skipped, never interpreted: a whole markup declaration (`<!ENTITY a "...">`)
 * on one line is one token, so only the doctype's own `>` ends the mode. Entities declared
 * there are never expanded (the "billion laughs" stays a few bytes of ignored text).
 */
const DtdDecl = createToken({
  name: "DtdDecl",
  pattern: /<!(?:[^<>"']|"[^"]*"|'[^']*')*>/,
  start_chars_hint: ["<"],
  line_breaks: false,
});
const DtdClose = createToken({ name: "DtdClose", pattern: />/, ...enter("content") });
const DtdText = createToken({ name: "DtdText", pattern: /[^<>"']+|"[^"]*"|'[^']*'|["'<]/ });

const MODES: Record<XmlMode, TokenType[]> = {
  content: [
    Text,
    StartTag,
    EndTag,
    XmlDeclOpen,
    PiOpen,
    CdataOpen,
    CommentOpen,
    DoctypeOpen,
    StrayLt,
  ],
  cdata: [CdataClose, CdataText],
  comment: [CommentClose, CommentText],
  pi: [PiClose, PiText],
  doctype: [DtdDecl, DtdClose, DtdText],
};

/** The mode a token leaves the lexer in, for the tokens that switch modes. */
export const MODE_AFTER = new Map<TokenType, XmlMode>([
  [XmlDeclOpen, "pi"],
  [PiOpen, "pi"],
  [CdataOpen, "cdata"],
  [CommentOpen, "comment"],
  [DoctypeOpen, "doctype"],
  [CdataClose, "content"],
  [CommentClose, "content"],
  [PiClose, "content"],
  [DtdClose, "content"],
]);

/**
 * The lexer. Every character of every mode is matched by some token, so it never reports
 * errors; `onlyOffset` positions because lines are numbered by the engine. `safeMode`: the
 * text tokens are complement sets (`[^<]+`), which chevrotain's first-char optimisation cannot
 * index, so the analysis (and its console warnings) is skipped; `Text` comes first in the
 * content mode so that the common case is one sticky-regex test.
 */
export const XmlLineLexer = new Lexer(
  { modes: MODES, defaultMode: "content" },
  { positionTracking: "onlyOffset", safeMode: true },
);
