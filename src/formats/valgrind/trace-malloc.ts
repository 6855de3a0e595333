import { classifyLine } from "../../../grammars/valgrind/line-kinds.js";
import * as T from "../../../grammars/valgrind/line-kinds.js";
import type { PrefixedLine } from "./prefix.js";

/**
 * One call as `--trace-malloc=yes` prints it after `--PID--` (vg_replace_malloc.c's
 * MALLOC_TRACE; the names and argument forms valgrind 3.19's vgpreload_memcheck prints, and
 * later ones' `reallocarray` and macOS `zone_` calls): `malloc(16)`, `realloc(0x4A41040,32)`,
 * `memalign(al 16, size 24)`, `_ZnwmSt11align_val_t(size 64, al 32)`. A free's or a delete's
 * (`_ZdlPvm(0x4D6EC80)`) ends its line, an error in it under it, but may follow an open call
 * on it (`realloc(0x4A41040,0)free(0x4A41040)`). Sticky: read at a given offset, a call after a
 * call.
 */
const TRACED_CALL =
  /(?:malloc|calloc|realloc|reallocarray|memalign|posix_memalign|aligned_alloc|valloc|pvalloc|zone_(?:malloc|calloc|realloc|memalign|valloc|free)|__builtin_(?:vec_)?(?:new|delete)|_Zn[wa][jm]\w*|c?free|_Zd[la]Pv\w*)\([\w ,]*\)/y;

/**
 * The headlines an error raised inside an allocation call starts with: the error's own, or the
 * `Thread N:` header before it when another thread printed the last error.
 */
const GLUED_HEADLINES: ReadonlySet<T.LineTokenType> = new Set([T.ErrorHeadline, T.ThreadHeader]);

/**
 * Where Valgrind's headline starts in the body of a `--PID--` trace line, or undefined. The
 * replacement allocators print their call without a newline and ` = 0x...` only when it
 * returns, so an error Memcheck raises inside the call (a realloc of a freed block's `Invalid
 * free()`, a size's `Argument 'size' of function malloc has a fishy (possibly negative) value`)
 * starts on that line with no `==PID==`, its stack and aux lines under it prefixed as usual,
 * and ` = 0x0` comes on a `--PID--` line after its empty line. Read as a -v line, the error was
 * lost and the run called clean, while the XML of the same run had it (campaign bt F1). A call
 * that returns early prints no return value, and the next call's trace follows on its line
 * (`calloc(18446744073709551614,4)malloc(8) = 0x4A41090`): the calls are passed over in turn.
 * The line is Valgrind's own, its numbers formatted by Valgrind, so no program text can be
 * taken for the headline.
 */
export function headlineAfterTracedCall(body: string): number | undefined {
  let at = 0;
  for (;;) {
    TRACED_CALL.lastIndex = at;
    if (!TRACED_CALL.test(body)) break;
    at = TRACED_CALL.lastIndex;
  }
  // Not a trace line, a call that returned (` = 0x4A41040`) or one still going on.
  if (at === 0 || at === body.length || body.startsWith(" = ", at)) return undefined;
  return GLUED_HEADLINES.has(classifyLine(body.slice(at))) ? at : undefined;
}

/**
 * Reads a `--trace-malloc=yes` line with Valgrind's headline written on after its calls (see
 * headlineAfterTracedCall) with `read`, as two lines: the calls as the -v line they are, the
 * headline as the `==PID==` line Valgrind prints it as when no call left the line open. False,
 * and nothing read, for any other line.
 */
export function readGluedToTracedCall(
  { marker, pid, body }: PrefixedLine,
  text: string,
  lineNo: number,
  read: (text: string, lineNo: number) => void,
): boolean {
  if (marker !== "-") return false;
  const at = headlineAfterTracedCall(body);
  if (at === undefined) return false;
  read(text.slice(0, text.length - body.length + at), lineNo);
  read(`==${pid}== ${body.slice(at)}`, lineNo);
  return true;
}
