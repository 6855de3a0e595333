import type { TokenType } from "chevrotain";
import { classifyLine, stripAnsi } from "../../../grammars/sanitizer/classify.js";
import * as T from "../../../grammars/sanitizer/tokens.js";
import { parseReportBlock } from "../../../grammars/sanitizer/parser.js";
import type { ReportCstNode } from "../../../grammars/sanitizer/cst.js";
import type { InputFormat, LineParser, ParseSink } from "../types.js";
import { mapErrorReport } from "./errors.js";
import { mapLeakReport } from "./leaks.js";
import { mapRuntimeError } from "./runtime-errors.js";
import { ReportSplitter, type ReportBlock } from "./splitter.js";
import { mapTsanReport } from "./tsan-reports.js";
import { TsanTotals } from "./tsan-totals.js";

// Lines whose shape (grammars/sanitizer/classify.ts) makes a log a sanitizer's: a report
// header or the runtime failing is certain; a lone SUMMARY, DEADLYSIGNAL or count (a cut log),
// or UBSan's runtime error (`-fsanitize=undefined` alone), is likely.
const CERTAIN = new Set<TokenType>([
  T.LeakReportHeader,
  T.ErrorReportHeader,
  T.TsanHeader,
  T.TsanSuppressions,
  T.RuntimeFailure,
]);
const LIKELY = new Set<TokenType>([
  T.LeakSummary,
  T.ErrorSummary,
  T.DeadlySignal,
  T.TsanTotal,
  T.RuntimeError,
  // LeakSanitizer's table of the suppressions it used: alone in a run they made clean.
  T.SuppressionsUsed,
]);
// Valgrind text logs share the `==PID==` prefix; a log with Valgrind's banner is not ours.
const VALGRIND_BANNER = /^==\d+== (?:Memcheck, a memory error detector|Using Valgrind-)/;

/**
 * A line a sanitizer's output in another tool's log starts with, or holds before anything that
 * matters: its report header, DEADLYSIGNAL, SUMMARY and failure lines name the sanitizer, UBSan's
 * say `runtime error`, and ASan's library-order failure `ASan runtime`. Everything before it is
 * the program's (a report's separator line is optional to the grammar).
 */
const SANITIZER_WORDS = /Sanitizer|: runtime error: |ASan runtime /;

/**
 * Detection looks at every head line, not only the first: sanitizer reports come after the
 * program's own output. Each line is classified as the parser classifies it (CERTAIN, LIKELY).
 */
export function detectSanitizer(head: readonly string[]): number {
  let score = 0;
  for (const raw of head) {
    if (VALGRIND_BANNER.test(stripAnsi(raw))) return 0;
    const type = classifyLine(raw).type;
    if (CERTAIN.has(type)) score = 1;
    else if (score === 0 && LIKELY.has(type)) score = 0.6;
  }
  return score;
}

/** Parses a log line by line: the splitter finds the reports, one reused parser reads each. */
export function createSanitizerParser(sink: ParseSink): LineParser {
  const totals = new TsanTotals(sink);
  const splitter = new ReportSplitter(
    sink,
    (block) => mapBlock(block, sink, totals),
    (line) => totals.total(line),
  );
  return {
    line: (text, lineNo) => splitter.line(text, lineNo),
    end: (endedMidLine) => splitter.end(endedMidLine),
  };
}

function mapBlock(block: ReportBlock, sink: ParseSink, totals: TsanTotals): void {
  const { cst, errors } = parseReportBlock(block.lines);
  for (const e of errors) {
    const whose = block.pid !== undefined ? `report of process ${block.pid}` : "UBSan report";
    sink.diagnostic({
      severity: "warning",
      code: "sanitizer-syntax",
      message: `${whose} not understood here: ${e.message}`,
      ...(block.pid !== undefined ? { pid: block.pid } : {}),
      ...(e.line > 0 ? { line: e.line } : {}),
    });
  }
  const report = (cst as ReportCstNode | undefined)?.children;
  const runtimeError = report?.ubsanReport?.[0];
  if (block.kind === "ubsan") {
    if (runtimeError !== undefined) mapRuntimeError(runtimeError, sink, block.cutByEnd);
    return;
  }
  const leak = report?.leakReport?.[0];
  const error = report?.errorReport?.[0];
  const race = report?.tsanReport?.[0];
  if (block.kind === "tsan") totals.reported(block.pid, block.run);
  if (leak !== undefined) mapLeakReport(leak, block, sink);
  else if (error !== undefined) mapErrorReport(error, block, sink);
  else if (race !== undefined) mapTsanReport(race, block, sink);
}

/**
 * ASan, LSan and ThreadSanitizer reports and UBSan runtime errors (gcc and clang runtimes), with
 * program output.
 */
export const sanitizerFormat: InputFormat = {
  id: "sanitizer",
  embeds: "valgrind",
  description:
    "AddressSanitizer / LeakSanitizer / ThreadSanitizer reports and UBSan runtime errors (gcc, clang; -fsanitize=address|leak|thread|undefined)",
  detect: detectSanitizer,
  startsIn: (line) => SANITIZER_WORDS.test(line),
  createParser: createSanitizerParser,
};
