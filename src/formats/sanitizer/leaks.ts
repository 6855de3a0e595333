import type { IToken } from "chevrotain";
import { safeInteger } from "../../../grammars/numbers.js";
import type { LeakRecordCstNode, LeakReportCstNode } from "../../../grammars/sanitizer/cst.js";
import type { Amount, Details, LeakKind, Tool } from "../../model/index.js";
import type { LeakDraft, ParseSink } from "../types.js";
import { cutAfter, lineOf, mapStack, stackDetails } from "./frames.js";
import type { SanitizerReport } from "./splitter.js";
import { LsanTableRows } from "./suppression-tables.js";

const KINDS: Readonly<Record<string, LeakKind>> = {
  Direct: "definitely-lost",
  Indirect: "indirectly-lost",
};

/**
 * Maps one leak report: a draft per `Direct/Indirect leak` record, the SUMMARY as the tool's own
 * total, and the cross-check of the two. Records are held until the SUMMARY because only that
 * line tells standalone LeakSanitizer ("lsan") from LeakSanitizer inside ASan ("asan"): the
 * header is identical in both (sanitizers.md §2).
 */
export function mapLeakReport(
  node: LeakReportCstNode,
  block: SanitizerReport,
  sink: ParseSink,
): void {
  const c = node.children;
  const summary = c.LeakSummary?.[0] !== undefined ? lineOf(c.LeakSummary[0]) : undefined;
  const drafts: Omit<LeakDraft, "tool">[] = [];
  // A PID's later run is a leak check of its own (see ProcessRuns).
  const check = block.run !== undefined ? { run: block.run, leakCheck: block.run } : {};
  for (const record of c.leakRecord ?? []) {
    const draft = leakDraft(record, block, sink, check);
    if (draft !== undefined) drafts.push(draft);
  }
  const tool = leakTool(summary?.groups[0], drafts);
  for (const draft of drafts) sink.finding({ ...draft, tool });
  const omitted = omittedCount(c.Omitting?.[0], block.pid, sink);
  const suppressed = suppressedAmount(node, block.pid, sink);
  if (summary === undefined) {
    const last = block.lines[block.lines.length - 1]?.lineNo;
    // print_summary=0 leaves a whole leak report alike: nothing follows it to tell the two apart.
    sink.incomplete(
      `leak report of process ${block.pid} ends without its SUMMARY line (the log was cut, or the run had print_summary=0)`,
      last,
    );
    return;
  }
  const total = amountOf(summary.groups[1], summary.groups[2]);
  if (total === undefined) {
    // Counts past 2^53 (grammars/numbers.ts): the SUMMARY is not read, the records are kept.
    sink.unrecognized(summary.lineNo, summary.body, block.pid);
    return;
  }
  const listed = sums(drafts);
  const unprinted = omitted > 0 ? unprintedOf(total, listed) : undefined;
  // The SUMMARY gives one total. Listed indirect leaks are certain, and so are unprinted ones
  // that can only be indirect; the rest is attributed to definitely-lost, which is exact
  // whenever nothing was omitted or a printed leak was indirect (LSan lists Direct first).
  const indirect =
    unprinted?.kinds.length === 1
      ? {
          bytes: listed.indirect.bytes + unprinted.bytes,
          blocks: listed.indirect.blocks + unprinted.blocks,
        }
      : listed.indirect;
  const leak: Partial<Record<LeakKind, Amount>> = {
    "definitely-lost": {
      bytes: Math.max(0, total.bytes - indirect.bytes),
      blocks: Math.max(0, total.blocks - indirect.blocks),
    },
    ...(indirect.blocks > 0 ? { "indirectly-lost": indirect } : {}),
    ...(suppressed !== undefined ? { suppressed } : {}),
  };
  sink.summary({
    pid: block.pid,
    ...check,
    line: summary.lineNo,
    leak,
    // Under max_leaks no kind is listed whole: the SUMMARY's one total covers the omitted
    // records too, of kinds the log does not say, and booked as definitely lost it made a
    // false summary-mismatch beside the leaks-omitted info that quotes it.
    listedKinds: omitted > 0 ? [] : ["definitely-lost", "indirectly-lost"],
    ...(unprinted !== undefined ? { unprintedLeaks: unprinted } : {}),
  });
  crossCheck(sink, { pid: block.pid, line: summary.lineNo, total, listed: listed.all, omitted });
}

/**
 * What max_leaks left unprinted (ToolSummary.unprintedLeaks): the SUMMARY's total less the
 * printed records'. LeakSanitizer sorts direct leaks before indirect ones before it prints the
 * top `max_leaks` (lsan_common.cpp, LeakComparator), so after a printed indirect leak only
 * indirect ones are left (test/fixtures/sanitizer/max-leaks-indirect); otherwise the log does
 * not say which.
 */
function unprintedOf(
  total: Amount,
  listed: { all: Amount; indirect: Amount },
): Amount & { kinds: LeakKind[] } {
  return {
    bytes: Math.max(0, total.bytes - listed.all.bytes),
    blocks: Math.max(0, total.blocks - listed.all.blocks),
    kinds:
      listed.indirect.blocks > 0 ? ["indirectly-lost"] : ["definitely-lost", "indirectly-lost"],
  };
}

/** Bytes and blocks, or undefined when either is no safe integer (grammars/numbers.ts). */
function amountOf(bytes: string | undefined, blocks: string | undefined): Amount | undefined {
  const byteCount = safeInteger(bytes ?? "");
  const blockCount = safeInteger(blocks ?? "");
  if (byteCount === undefined || blockCount === undefined) return undefined;
  return { bytes: byteCount, blocks: blockCount };
}

/** `Omitting N more leak(s).`: N, or 0 (and the line not understood) past 2^53. */
function omittedCount(token: IToken | undefined, pid: number, sink: ParseSink): number {
  if (token === undefined) return 0;
  const line = lineOf(token);
  const count = safeInteger(line.groups[0] ?? "");
  if (count === undefined) sink.unrecognized(line.lineNo, line.body, pid);
  return count ?? 0;
}

/** A record's draft; undefined (its header not understood) when a count is past 2^53. */
function leakDraft(
  node: LeakRecordCstNode,
  block: SanitizerReport,
  sink: ParseSink,
  check: { run?: number; leakCheck?: number },
): Omit<LeakDraft, "tool"> | undefined {
  const { pid } = block;
  const header = lineOf(node.children.LeakHeader[0] as IToken);
  const [word = "", bytes = "0", objects = "0"] = header.groups;
  const amount = amountOf(bytes, objects);
  if (amount === undefined) {
    sink.unrecognized(header.lineNo, header.body, pid);
    return undefined;
  }
  const stack = node.children.stack[0];
  const mapped = mapStack(stack);
  const details: Details = {};
  stackDetails(mapped, details);
  const lastFrame = stack?.children.Frame?.at(-1);
  const end = lastFrame !== undefined ? lineOf(lastFrame).lineNo : header.lineNo;
  if (cutAfter(block, end)) details["truncated"] = true;
  const objectLines = node.children.objectList?.[0]?.children.ObjectLine ?? [];
  if (objectLines.length > 0) {
    details["objects"] = objectLines.map((t) => lineOf(t).body).join(", ");
  }
  return {
    type: "leak",
    kind: KINDS[word] ?? "definitely-lost",
    toolKind: `${word} leak`,
    bytes: amount.bytes,
    directBytes: amount.bytes,
    indirectBytes: 0,
    blocks: amount.blocks,
    pid,
    ...check,
    stack: mapped.stack,
    line: header.lineNo,
    ...(Object.keys(details).length > 0 ? { details } : {}),
  };
}

/** "lsan" for standalone LeakSanitizer (`SUMMARY: LeakSanitizer:`), "asan" for ASan's LSan. */
function leakTool(
  summaryTool: string | undefined,
  drafts: readonly Omit<LeakDraft, "tool">[],
): Tool {
  if (summaryTool !== undefined) return summaryTool === "LeakSanitizer" ? "lsan" : "asan";
  // No SUMMARY (log cut): the standalone runtime's own interceptor file or library gives it away.
  const standalone = drafts.some((d) =>
    d.stack.some(
      (f) => /lsan_interceptors\.cpp$/.test(f.file ?? "") || /\/liblsan\.so/.test(f.object ?? ""),
    ),
  );
  return standalone ? "lsan" : "asan";
}

function sums(drafts: readonly Omit<LeakDraft, "tool">[]): { all: Amount; indirect: Amount } {
  const all = { bytes: 0, blocks: 0 };
  const indirect = { bytes: 0, blocks: 0 };
  for (const d of drafts) {
    all.bytes += d.bytes;
    all.blocks += d.blocks;
    if (d.kind === "indirectly-lost") {
      indirect.bytes += d.bytes;
      indirect.blocks += d.blocks;
    }
  }
  return { all, indirect };
}

/**
 * Totals of the `Suppressions used:` table (`count` is objects, `bytes` their size); the rows
 * themselves go into an info diagnostic, since the model has no place for templates.
 */
function suppressedAmount(
  node: LeakReportCstNode,
  pid: number,
  sink: ParseSink,
): Amount | undefined {
  const table = node.children.suppressionTable?.[0];
  if (table === undefined) return undefined;
  const rows = new LsanTableRows();
  for (const row of table.children.SuppressionRow ?? []) {
    if (!rows.add(lineOf(row).groups)) sink.unrecognized(lineOf(row).lineNo, lineOf(row).body, pid);
  }
  sink.diagnostic({
    severity: "info",
    code: "suppressions-used",
    message: rows.message,
    line: lineOf(table.children.SuppressionsUsed[0] as IToken).lineNo,
    pid,
  });
  return rows.amount;
}

interface Check {
  pid: number;
  line: number;
  total: Amount;
  listed: Amount;
  omitted: number;
}

function crossCheck(sink: ParseSink, c: Check): void {
  const said = `${c.total.bytes} byte(s) in ${c.total.blocks} allocation(s)`;
  const got = `${c.listed.bytes} byte(s) in ${c.listed.blocks} object(s)`;
  if (c.omitted > 0) {
    const message = `LeakSanitizer omitted ${c.omitted} leak record(s) (max_leaks): the printed records hold ${got}, its SUMMARY counts ${said}`;
    sink.diagnostic({ severity: "info", code: "leaks-omitted", message, line: c.line, pid: c.pid });
    sink.incomplete(
      `process ${c.pid}: ${c.omitted} leak record(s) were not printed (max_leaks)`,
      c.line,
    );
  } else if (c.total.bytes !== c.listed.bytes || c.total.blocks !== c.listed.blocks) {
    const message = `leak records add up to ${got} but the SUMMARY says ${said}`;
    sink.diagnostic({
      severity: "warning",
      code: "summary-mismatch",
      message,
      line: c.line,
      pid: c.pid,
    });
  }
}
