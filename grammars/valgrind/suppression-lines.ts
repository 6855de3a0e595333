import { hasLineTerminator, isSpace } from "../chars.js";

/*
 * The shape of a `--gen-suppressions` block in a text log, as m_errormgr.c's gen_suppression
 * writes it: `{`, a name line (`   <insert_a_suppression_name_here>`), the `Tool:Kind` line
 * (`   Memcheck:Leak`, `   Memcheck:Addr4`), the tool's optional extra line (Memcheck's
 * MC_(print_extra_suppression_info): Leak's `match-leak-kinds:`, Param's syscall argument
 * `write(buf)`, FishyValue's `function(argument)`), one line per frame (`fun:`, `obj:`, `src:`
 * or `...`), `}`. A program's own `{ ... }` output (JSON) has none of it after its first line.
 * Syntax only; these run on the lines of an open block, not on every line.
 */

/** `Memcheck:Leak`, `Helgrind:Race`, `Memcheck,exp-sgcheck:Addr4` (a tool list). */
const KIND_LINE = /^\s*[A-Za-z][\w-]*(?:,[A-Za-z][\w-]*)*:\w+\s*$/;
const FRAME_LINE = /^\s*(?:(?:fun|obj|src):|\.\.\.\s*$)/;

/**
 * Whether `text` can be line `index` of a suppression block (0 is the opening `{`, which the
 * caller has seen): a name, then the kind line, then an extra line or frames, then `}`.
 */
export function fitsSuppressionLine(text: string, index: number): boolean {
  if (index === 1) return text.trim() !== "" && text !== "{" && text !== "}";
  if (index === 2) return KIND_LINE.test(text);
  if (text === "}") return true;
  return FRAME_LINE.test(text) || (index === 3 && isExtraLine(text));
}

/**
 * `^\s*(?:match-leak-kinds:|\S+\(.*\)\s*$)` in one pass. As a regular expression, `\S+\(.*\)`
 * backtracks: each way to end `\S+` at a `(` rescans the rest for the `)`, and a line of 64 KiB
 * of `(` took 4 s (found by the fuzz test with seed 12), a 1 MiB one would take hours.
 */
export function isExtraLine(text: string): boolean {
  const body = text.trimStart();
  if (body.startsWith("match-leak-kinds:")) return true;
  // `\S+\(`: the first `(` after at least one character, with no blank before it. A later `(`
  // would leave `.*` less to match, never more.
  let open = -1;
  for (let i = 1; i < body.length && !isSpace(body.charCodeAt(i - 1)); i += 1) {
    if (body.charCodeAt(i) === 40) {
      open = i;
      break;
    }
  }
  // `\)\s*$`: the last character before the trailing blanks.
  const close = body.trimEnd().length - 1;
  if (open < 0 || close <= open || body.charCodeAt(close) !== 41) return false;
  // `.*` between them: anything but a line terminator.
  return !hasLineTerminator(body, open + 1, close);
}

/**
 * `--gen-suppressions=yes` asks before each error's suppression, and with no newline after the
 * question the answer's output follows on its line: the suppression's `{` (answered y), or the
 * next line of the log (n):
 *
 *   ==13703== ---- Print suppression ? --- [Return/N/n/Y/y/C/c] ---- {
 */
export const SUPPRESSION_PROMPT = "---- Print suppression ? --- [Return/N/n/Y/y/C/c] ---- ";
