import type { IToken } from "chevrotain";
import { parseFrameLine } from "../../../grammars/sanitizer/frame.js";
import type { BlockLine } from "../../../grammars/sanitizer/parser.js";
import type { StackCstNode } from "../../../grammars/sanitizer/cst.js";
import type { Details, Frame } from "../../model/index.js";
import type { ReportBlock } from "./splitter.js";
import { boundedName } from "../bounded-names.js";

/** The classified line a hand-built token carries (see grammars/sanitizer/parser.ts). */
export function lineOf(token: IToken): BlockLine {
  return token.payload as BlockLine;
}

/** A stack in model form plus what the model has no field for. */
export interface MappedStack {
  stack: Frame[];
  /** Column per frame (clang's `file:line:col`); undefined where none was printed. */
  columns: (number | undefined)[];
  /** `0xOFFSET` of `(module+0xOFFSET)` per frame (a frame with no symbol also has it itself). */
  offsets: (string | undefined)[];
  /** BuildId per module path (clang's `(BuildId: hex)`). */
  buildIds: Map<string, string>;
}

/** Maps the frame lines of a `stack` CST node to model frames, innermost first. */
export function mapStack(node: StackCstNode | undefined): MappedStack {
  const out: MappedStack = { stack: [], columns: [], offsets: [], buildIds: new Map() };
  for (const token of node?.children.Frame ?? []) {
    const parts = parseFrameLine(lineOf(token).body);
    if (parts === undefined) continue;
    const frame: Frame = parts.pc !== undefined ? { ip: parts.pc } : {};
    if (parts.function !== undefined) frame.function = boundedName(parts.function);
    if (parts.module !== undefined) frame.object = boundedName(parts.module);
    if (parts.file !== undefined) frame.file = boundedName(parts.file);
    if (parts.line !== undefined) frame.line = parts.line;
    // Unsymbolized (symbolize=0, no llvm-symbolizer, a stripped library): the offset is all that
    // names the frame. Every frame's offset stays in the details, as printed.
    if (parts.function === undefined && parts.file === undefined && parts.offset !== undefined) {
      frame.offset = parts.offset;
    }
    out.stack.push(frame);
    out.columns.push(parts.column);
    out.offsets.push(parts.offset);
    if (parts.module !== undefined && parts.buildId !== undefined) {
      out.buildIds.set(parts.module, parts.buildId);
    }
  }
  return out;
}

/**
 * The facts of a stack that have no model field, as flat details: `columns` and `offsets` (one
 * space-separated entry per frame, `-` where none was printed) and `buildId <module>`. `prefix`
 * names an aux stack (`aux 1 `), so every stack of an error keeps its own.
 */
export function stackDetails(mapped: MappedStack, details: Details, prefix = ""): void {
  const columns = mapped.columns.map((c) => (c === undefined ? undefined : String(c)));
  putList(details, `${prefix}columns`, columns);
  putList(details, `${prefix}offsets`, mapped.offsets);
  for (const [module, id] of mapped.buildIds) details[`buildId ${module}`] = id;
}

function putList(details: Details, key: string, values: readonly (string | undefined)[]): void {
  if (values.some((v) => v !== undefined)) details[key] = values.map((v) => v ?? "-").join(" ");
}

/**
 * Whether the end of the log cut the report right after its line `lineNo` (a stack's last frame,
 * or its title when it has none): no blank line, SUMMARY or other line of the report follows,
 * so the stack may go on past what was printed. Its record says so as Valgrind's readers do
 * (`details.truncated`), which the baseline comparison reads as a partial stack: a cut leak
 * record was a new group, failing `--fail-on new` on a leak the baseline holds (campaign bk F1).
 */
export function cutAfter(block: ReportBlock, lineNo: number): boolean {
  const last = block.lines[block.lines.length - 1];
  return block.cutByEnd && !block.summarized && last?.lineNo === lineNo;
}
