/*
 * Where a C (or C++) file defines its functions, read from its text without compiling it: the
 * program's own `static char *dup(const char *s) { ... }` in leak.c is what tells its frame
 * `dup (leak.c:3)` in a Valgrind text log from glibc's `dup`, which the file only calls, if at
 * all (see definesNamesake). Only what is sure is kept: a function defined at file scope (or in
 * an `extern "C"` block or a namespace), by the name before its parameter list. Whatever this
 * scan cannot read (a K&R definition, a name made by a macro, braces that `#if` branches leave
 * unbalanced) is a definition it does not find, which leaves the frame to its name as before;
 * it never finds one that is not there.
 */

/** The 1-based lines of one function's definition: from its name to its closing brace. */
export interface LineSpan {
  first: number;
  last: number;
}

/** A token of the scan: an identifier, one punctuation character, or `"` for a literal. */
interface Token {
  text: string;
  line: number;
}

/** An open brace: a function's body (with its name), another block, or a transparent one. */
interface Block {
  transparent: boolean;
  defines?: Token;
}

// Words before a parenthesis that name no function: statements, operators and types (a
// declarator in parentheses, `void (*signal(int, ...))(int)`, is left unread).
const NOT_NAMES = new Set([
  ...["if", "for", "while", "switch", "return", "sizeof", "do", "else", "case", "goto"],
  ...["typeof", "__typeof__", "decltype", "alignof", "_Alignof", "throw", "operator"],
  ...["void", "char", "short", "int", "long", "float", "double", "signed", "unsigned", "bool"],
  ...["_Bool", "const", "volatile", "struct", "union", "enum", "static", "extern", "inline"],
]);

// Annotations with a parenthesised argument that come before a function's name.
const ANNOTATIONS = new Set([
  ...["__attribute__", "__attribute", "__declspec", "alignas", "_Alignas", "__asm__", "asm"],
]);

const IDENTIFIER = /[A-Za-z_$][\w$]*/y;
const NUMBER = /[\w.]+/y;

/**
 * The functions `lines` (a C or C++ file's text) defines, by name: each definition's lines.
 * Comments, string and character literals and preprocessor lines are skipped.
 */
export function functionDefinitions(lines: readonly string[]): Map<string, LineSpan[]> {
  const scan = new DefinitionScan();
  lines.forEach((text, index) => scan.read(text, index + 1));
  return scan.found;
}

/** The state of functionDefinitions' scan between lines. */
class DefinitionScan {
  readonly found = new Map<string, LineSpan[]>();
  private readonly blocks: Block[] = [];
  /** What came since the last `;`, `{` or `}`: a declaration's head at a `{`. */
  private head: Token[] = [];
  private comment = false;
  private directive = false;

  read(text: string, line: number): void {
    // A directive goes on past a line that ends with a backslash; `#define F() { ... }` opens
    // no block of the file's, but a comment it opens (`#endif /* HAVE_X`) goes on past it.
    if (this.directive || (!this.comment && /^\s*#/.test(text))) {
      this.directive = text.trimEnd().endsWith("\\");
      this.comment = opensComment(text);
      return;
    }
    let i = 0;
    while (i < text.length) {
      if (this.comment) {
        const end = text.indexOf("*/", i);
        if (end === -1) return;
        this.comment = false;
        i = end + 2;
        continue;
      }
      const c = text[i] as string;
      if (c === "/" && text[i + 1] === "/") return;
      if (c === "/" && text[i + 1] === "*") {
        this.comment = true;
        i += 2;
      } else if (c === '"' || c === "'") {
        this.head.push({ text: '"', line });
        i = literalEnd(text, i);
      } else if (/\s/.test(c)) i += 1;
      else {
        const after = word(text, i, line, this.head);
        if (after === undefined) this.punctuation(c, line);
        i = after ?? i + 1;
      }
    }
  }

  private punctuation(c: string, line: number): void {
    if (c === "{") this.blocks.push(openBlock(this.head, this.blocks));
    else if (c === "}") this.close(line);
    else if (c !== ";") {
      this.head.push({ text: c, line });
      return;
    }
    this.head = [];
  }

  /** A `}` at `line`: the end of a function's definition when it closes its body. */
  private close(line: number): void {
    const defines = this.blocks.pop()?.defines;
    if (defines === undefined) return;
    const spans = this.found.get(defines.text) ?? [];
    spans.push({ first: defines.line, last: line });
    this.found.set(defines.text, spans);
  }
}

/** Reads an identifier into `head` or skips a number at `i`: the index after it, if any. */
function word(text: string, i: number, line: number, head: Token[]): number | undefined {
  IDENTIFIER.lastIndex = i;
  const name = IDENTIFIER.exec(text);
  if (name !== null) {
    head.push({ text: name[0], line });
    return i + name[0].length;
  }
  if (!/\d/.test(text[i] as string)) return undefined;
  NUMBER.lastIndex = i;
  return i + (NUMBER.exec(text)?.[0].length ?? 1);
}

/** Whether a comment that `text` opens is still open at its end (a `//` one ends with it). */
function opensComment(text: string): boolean {
  for (let i = text.search(/\/[/*]/); i !== -1; i = text.indexOf("/", i + 1)) {
    if (text[i + 1] === "/") return false;
    if (text[i + 1] !== "*") continue;
    const end = text.indexOf("*/", i + 2);
    if (end === -1) return true;
    i = end + 1;
  }
  return false;
}

/** The index after the string or character literal that starts at `i` (its line's end if open). */
function literalEnd(text: string, i: number): number {
  const quote = text[i];
  for (let j = i + 1; j < text.length; j += 1) {
    if (text[j] === "\\") j += 1;
    else if (text[j] === quote) return j + 1;
  }
  return text.length;
}

/**
 * The block a `{` after `head` opens: `extern "C" {` and namespaces leave their contents at
 * file scope; at file scope, a head that ends a function's declarator opens its body.
 */
function openBlock(head: readonly Token[], blocks: readonly Block[]): Block {
  const words = head.map((t) => t.text);
  const transparent =
    words.includes("namespace") || (words.at(-2) === "extern" && words.at(-1) === '"');
  if (transparent) return { transparent };
  const atFileScope = blocks.every((b) => b.transparent);
  const defines = atFileScope ? definedName(head) : undefined;
  return defines === undefined ? { transparent } : { transparent, defines };
}

/**
 * The function a declaration head defines: the identifier before its first parenthesis, past
 * annotations (`__attribute__((noinline))`). None for an initializer (`= {`), a type's body
 * (`struct s {`), a C++ member (`Buf::read(...)`, printed with its class anyway) or a head whose
 * first parenthesis follows no name.
 */
function definedName(head: readonly Token[]): Token | undefined {
  for (let i = 0; i < head.length; i += 1) {
    const token = head[i] as Token;
    if (token.text === "=") return undefined;
    if (token.text !== "(") continue;
    const before = head[i - 1];
    if (before !== undefined && ANNOTATIONS.has(before.text)) {
      i = closing(head, i);
      continue;
    }
    const qualifier = head[i - 2]?.text;
    if (before === undefined || !/^[A-Za-z_$]/.test(before.text) || NOT_NAMES.has(before.text))
      return undefined;
    return qualifier === ":" || qualifier === "." || qualifier === "~" ? undefined : before;
  }
  return undefined;
}

/** The index of the `)` that closes the `(` at `open` (the last token when none does). */
function closing(head: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < head.length; i += 1) {
    const text = head[i]?.text;
    if (text === "(") depth += 1;
    else if (text === ")" && --depth === 0) return i;
  }
  return head.length - 1;
}
