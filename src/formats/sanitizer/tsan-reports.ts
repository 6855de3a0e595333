import type { IToken } from "chevrotain";
import { safeInteger } from "../../../grammars/numbers.js";
import type { TsanReportCstNode } from "../../../grammars/sanitizer/cst.js";
import type { AuxEntry, Details } from "../../model/index.js";
import type { ErrorDraft, ParseSink } from "../types.js";
import { processFields } from "../process-fields.js";
import { cutAfter, lineOf, mapStack, stackDetails, type MappedStack } from "./frames.js";
import { sendErrorReport, summaryLine } from "./report-draft.js";
import type { SanitizerReport } from "./splitter.js";

/**
 * `by main thread`, `by thread T2 (mutexes: write M0)`, `in thread T1` (lock order): the thread
 * a stack's title names.
 */
const TITLE_THREAD = /\b(?:by|in) (?:main thread|thread T(\d+))/;
const THREAD_TITLE = /^Thread T(\d+)\b/;
/** What a report type's words end in that names no kind: `(potential deadlock)`. */
const PARENTHESIS = / \(.*\)$/;
const ARTICLES = new Set(["a", "an", "the"]);
/** What a stack frame line starts with: `    #3 `. */
const FRAME_LIKE = /^ +#\d+ /;

/**
 * ThreadSanitizer's report type as a kind: its words (compiler-rt's ReportTypeString) without
 * their parenthesis and articles, joined by dashes: `data race` is `data-race`,
 * `lock-order-inversion (potential deadlock)` is `lock-order-inversion`, `destroy of a locked
 * mutex` is `destroy-of-locked-mutex`.
 */
export function tsanKind(type: string): string {
  const words = type.replace(PARENTHESIS, "").toLowerCase().split(" ");
  return words.filter((w) => w !== "" && !ARTICLES.has(w)).join("-") || "unknown";
}

/**
 * Maps one ThreadSanitizer report to one error draft: kind from its type, message = its type
 * as printed, the first stack (the report's own, which the mutex reports print first, else the
 * first section's: the racing access, the leaked thread's creation) as `stack` with its title
 * in details, every other section as an aux entry, the description lines as details.
 */
export function mapTsanReport(
  node: TsanReportCstNode,
  block: SanitizerReport,
  sink: ParseSink,
): void {
  const c = node.children;
  const header = lineOf(c.TsanHeader[0] as IToken);
  const type = header.groups[0] ?? "";
  const details: Details = {};
  const sections = (c.tsanSection ?? []).map((section) => ({
    title: lineOf(section.children.TsanStackHeader[0] as IToken)
      .body.trim()
      .replace(/:$/, ""),
    stack: mapStack(section.children.stack[0]),
  }));
  // The mutex reports print a stack of their own first; the others start with a section.
  const own = mapStack(c.stack[0]);
  const first: { title?: string; stack: MappedStack } =
    own.stack.length > 0 ? { stack: own } : (sections.shift() ?? { stack: own });
  const { title, stack: main } = first;
  stackDetails(main, details);
  if (cutInMainStack(node, own.stack.length > 0, block)) details["truncated"] = true;
  if (title !== undefined) details["title"] = title;
  const aux: AuxEntry[] = sections.map(({ title: message, stack }, i) => {
    stackDetails(stack, details, `aux ${i + 1} `);
    return { message, stack: stack.stack };
  });
  const text: string[] = [];
  for (const line of (c.Text ?? []).map(lineOf)) {
    // A frame line the grammar could not read is not description: clang's BuildId suffix once
    // sent every frame there, leaving each report without a stack and nothing said.
    if (FRAME_LIKE.test(line.body)) sink.unrecognized(line.lineNo, line.body, block.pid);
    else text.push(line.body.trim());
  }
  if (text.length > 0) details["description"] = text.join("\n");
  summaryLine(c.ErrorSummary?.[0], details);
  const thread = threadOf(title);
  const draft: ErrorDraft = {
    type: "error",
    tool: "tsan",
    kind: tsanKind(type),
    message: type,
    ...processFields(block.pid, block.run),
    ...(thread !== undefined ? { thread } : {}),
    stack: main.stack,
    aux,
    count: 1,
    line: header.lineNo,
    details,
  };
  sendErrorReport(sink, draft, block, block.summarized, "ThreadSanitizer report");
}

/**
 * Whether the log ends in the stack the report is grouped by, or right after its title (see
 * cutAfter): such a record's stack may go on past the cut, which a baseline must know, or the
 * cut report was a new group that failed `--fail-on new` (campaign v13 F2, as bk F1 for ASan).
 * A cut in a later section leaves that stack whole.
 */
function cutInMainStack(node: TsanReportCstNode, ownStack: boolean, block: SanitizerReport) {
  const c = node.children;
  const section = ownStack ? undefined : c.tsanSection?.[0]?.children;
  const stack = ownStack ? c.stack[0] : section?.stack[0];
  const end = stack?.children.Frame?.at(-1) ?? section?.TsanStackHeader[0] ?? c.TsanHeader[0];
  return end !== undefined && cutAfter(block, lineOf(end).lineNo);
}

/**
 * The thread a title names: the thread it is about (`Thread T1 (tid=…) created by main thread
 * at`, a leaked thread), else the one acting (`… by thread T2`); the main thread is T0.
 */
function threadOf(title: string | undefined): number | undefined {
  const m = title !== undefined ? (THREAD_TITLE.exec(title) ?? TITLE_THREAD.exec(title)) : null;
  if (m === null) return undefined;
  return m[1] === undefined ? 0 : safeInteger(m[1]);
}
