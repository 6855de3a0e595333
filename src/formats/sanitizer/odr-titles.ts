import type { BlockLine } from "../../../grammars/sanitizer/parser.js";
import * as T from "../../../grammars/sanitizer/tokens.js";

/**
 * The title of an ODR violation's stacks, `  [2]:`: the one stack title ASan prints that the
 * classifier cannot tell from free text by its shape (the others are StackHeader lines).
 */
const ODR_TITLE = /^ {2}\[\d+\]:$/;

/**
 * The text lines between an ODR violation's stack title and its first frame, where ASan prints
 * none: the last line of text before a stack is its title, and `  [2]:` follows an empty line,
 * so another thread's line after it became the stack's title. Indexes into `lines`.
 */
export function untitledLines(lines: readonly BlockLine[]): Set<number> {
  const untitled = new Set<number>();
  for (let i = 0; i < lines.length; i += 1) {
    if (lines[i]?.type !== T.Frame || lines[i - 1]?.type !== T.Text) continue;
    let title = i - 1;
    while (title >= 0 && lines[title]?.type === T.Text && !ODR_TITLE.test(lines[title]?.body ?? ""))
      title -= 1;
    if (lines[title]?.type !== T.Text) continue;
    for (let j = title + 1; j < i; j += 1) untitled.add(j);
  }
  return untitled;
}
