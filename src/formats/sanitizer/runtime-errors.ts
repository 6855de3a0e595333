import type { IToken } from "chevrotain";
import { safeInteger } from "../../../grammars/numbers.js";
import type { UbsanReportCstNode } from "../../../grammars/sanitizer/cst.js";
import type { Details, Frame } from "../../model/index.js";
import type { ErrorDraft, ParseSink } from "../types.js";
import { lineOf, mapStack, stackDetails } from "./frames.js";
import { summaryLine } from "./report-draft.js";

/** A runtime error's kind when its message is none of CHECKS': UBSan's SUMMARY word. */
export const RUNTIME_ERROR_KIND = "undefined-behavior";

/**
 * UBSan's error types (compiler-rt ubsan_checks.inc, the names `report_error_type=1` prints in
 * its SUMMARY), told by their messages (ubsan_handlers.cpp): without them every runtime error
 * was one kind, and a shift and an index out of bounds on one line one group.
 */
const CHECKS: readonly (readonly [RegExp, string])[] = [
  [
    /^(?:signed integer overflow:|negation of .* cannot be represented|division of .* by -1 cannot)/,
    "signed-integer-overflow",
  ],
  [/^unsigned integer overflow:/, "unsigned-integer-overflow"],
  [/^division by zero/, "integer-divide-by-zero"],
  [/^shift exponent /, "invalid-shift-exponent"],
  [/^left shift of /, "invalid-shift-base"],
  [/^index .* out of bounds for type /, "out-of-bounds-index"],
  [/\bnull pointer of type /, "null-pointer-use"],
  [/\bmisaligned address /, "misaligned-pointer-use"],
  [/ with insufficient space for an object of type /, "insufficient-object-size"],
  [
    /^(?:pointer index expression with base|applying (?:non-)?zero offset|(?:addition|subtraction) of unsigned offset)/,
    "pointer-overflow",
  ],
  [/ is outside the range of representable values of type /, "float-cast-overflow"],
  [/^load of value .*, which is not a valid value for type '(?:bool|_Bool)'/, "invalid-bool-load"],
  [/^load of value .*, which is not a valid value for type /, "invalid-enum-load"],
  [/^variable length array bound evaluates to non-positive value/, "non-positive-vla-index"],
  [/^execution reached an unreachable program point/, "unreachable-call"],
  [/^execution reached the end of a value-returning function/, "missing-return"],
  [
    /^null pointer passed as argument \d+, which is declared to never be null/,
    "invalid-null-argument",
  ],
  [/^null pointer returned from function declared to never return null/, "invalid-null-return"],
  [/ which does not point to an object of type /, "dynamic-type-mismatch"],
  [/ through pointer to incorrect function type /, "function-type-mismatch"],
  [/^passing zero to \w+\(\), which is not a valid argument/, "invalid-builtin-use"],
];

/** Every kind a runtime error can have (registered as error kinds, see model/error.ts). */
export const RUNTIME_ERROR_KINDS: readonly string[] = [
  ...new Set([...CHECKS.map(([, kind]) => kind), RUNTIME_ERROR_KIND]),
];

/**
 * The SUMMARY's error type where it names one (`report_error_type=1`; by default it says
 * `undefined-behavior`), else the one the message tells.
 */
function kindOf(message: string, summaryKind: string | undefined): string {
  const named = summaryKind !== undefined && summaryKind !== RUNTIME_ERROR_KIND;
  if (named && RUNTIME_ERROR_KINDS.includes(summaryKind)) return summaryKind;
  for (const [re, kind] of CHECKS) if (re.test(message)) return kind;
  return RUNTIME_ERROR_KIND;
}

/**
 * Maps one UBSan runtime error (`u.c:3:43: runtime error: shift exponent 41 is too large for
 * 32-bit type 'int'`) to an error draft: the message as printed, the stack when it printed one
 * (`print_stacktrace=1`), else its location as a one-frame stack, so that runtime errors of other
 * lines stay apart; the notes and the SUMMARY's words go to the details. UBSan names no process.
 */
export function mapRuntimeError(node: UbsanReportCstNode, sink: ParseSink, cut = false): void {
  const c = node.children;
  const headline = lineOf(c.RuntimeError[0] as IToken);
  const [file = "", lineText = "", column = "", message = ""] = headline.groups;
  const details: Details = {
    location: headline.body.slice(0, headline.body.indexOf(": runtime error: ")),
  };
  const mapped = mapStack(c.stack[0]);
  stackDetails(mapped, details);
  const notes = (c.RuntimeNote ?? []).map((t) => lineOf(t).body);
  if (notes.length > 0) details["notes"] = notes.join("\n");
  if (column !== "") details["column"] = column;
  const summary = summaryLine(c.ErrorSummary?.[0], details);
  // The log ends in its stack or inside a line (so before any SUMMARY): the stack may be
  // partial, as a cut leak's is.
  if (cut) {
    details["truncated"] = true;
    sink.incomplete("the log ends inside a runtime error's report: it was cut", headline.lineNo);
  }
  const draft: ErrorDraft = {
    type: "error",
    tool: "ubsan",
    kind: kindOf(message, summary?.groups[1]),
    message,
    stack: mapped.stack.length > 0 ? mapped.stack : locationStack(file, lineText),
    aux: [],
    count: 1,
    line: headline.lineNo,
    details,
  };
  sink.finding(draft);
}

/** The location a runtime error names, as a frame: `<unknown>` (no debug information) is none. */
function locationStack(file: string, lineText: string): Frame[] {
  if (file === "" || file === "<unknown>") return [];
  const line = safeInteger(lineText);
  return [line !== undefined ? { file, line } : { file }];
}
