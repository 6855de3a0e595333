import type { IToken } from "chevrotain";
import { safeInteger } from "../../../grammars/numbers.js";
import type {
  AuxStackCstNode,
  ErrorReportCstNode,
  SectionCstNode,
} from "../../../grammars/sanitizer/cst.js";
import { KNOWN_ERROR_KINDS, type AuxEntry, type Details, type Tool } from "../../model/index.js";
import type { ErrorDraft, ParseSink } from "../types.js";
import { processFields } from "../process-fields.js";
import { cutAfter, lineOf, mapStack, stackDetails } from "./frames.js";
import { sendErrorReport, summaryLine } from "./report-draft.js";
import type { SanitizerReport } from "./splitter.js";
import { appendAll } from "../../lists.js";

// Header words whose SUMMARY kind differs (sanitizers.md §2); used only when SUMMARY is missing
// (print_summary=0, a log cut short). The allocator's headlines are compiler-rt's asan_errors.cpp
// reports: their first word (`requested`, `calloc`, `invalid`) is no kind a gate could name.
const HEADLINE_KINDS: readonly [RegExp, string][] = [
  [/^attempting double-free/, "double-free"],
  [/^attempting free on address which was not malloc\(\)-ed/, "bad-free"],
  [/^attempting to call malloc_usable_size\(\)/, "bad-malloc_usable_size"],
  [/^attempting to call __sanitizer_get_allocated_size\(\)/, "bad-__sanitizer_get_allocated_size"],
  [/^bad parameters to (__sanitizer_annotate_(?:double_ended_)?contiguous_container)/, "bad-$1"],
  [/^(calloc|reallocarray|pvalloc) parameters overflow/, "$1-overflow"],
  [/^invalid allocation alignment/, "invalid-allocation-alignment"],
  [/^invalid alignment requested in aligned_alloc/, "invalid-aligned-alloc-alignment"],
  [/^invalid alignment requested in posix_memalign/, "invalid-posix-memalign-alignment"],
  [/^requested allocation size .* exceeds maximum supported size/, "allocation-size-too-big"],
  [/^(?:allocator is out of memory|out of memory: allocator is trying)/, "out-of-memory"],
  [/^(?:specified )?RSS limit exceeded/, "rss-limit-exceeded"],
  [/^([\w-]+)/, "$1"],
];
const REGISTERS = /\bpc (0x[0-9a-fA-F]+) bp (0x[0-9a-fA-F]+) sp (0x[0-9a-fA-F]+)/;
const ADDRESS = /\bon (?:unknown )?(?:address )?(0x[0-9a-fA-F]+)/;
const HEADER_THREAD = /\bT(\d+)\)?:?$/;
const SIGNAL_ACCESS = /^The signal is caused by a (READ|WRITE) memory access\./;
/** The sanitizer a report header names; ThreadSanitizer and UBSan report deadly signals too. */
const TOOLS: Readonly<Record<string, Tool>> = {
  AddressSanitizer: "asan",
  LeakSanitizer: "lsan",
  ThreadSanitizer: "tsan",
  UndefinedBehaviorSanitizer: "ubsan",
};

/**
 * Maps one ASan error report (or another sanitizer's deadly signal) to one error draft: kind
 * from the SUMMARY (the sanitizer's own names), message = the headline, the access stack as
 * `stack`, every other stack (freed by, allocated by, thread creation, the stack-variable
 * frame) as an aux entry, and the rest (access, registers, address description, shadow dump and
 * legend as text) as details.
 */
export function mapErrorReport(
  node: ErrorReportCstNode,
  block: SanitizerReport,
  sink: ParseSink,
): void {
  const c = node.children;
  const header = lineOf(c.ErrorReportHeader[0] as IToken);
  const headline = header.groups[1] ?? "";
  const details: Details = {};
  const mapped = mapStack(c.stack[0]);
  stackDetails(mapped, details);
  if (cutInOwnStack(node, block)) details["truncated"] = true;
  const aux = sections(c.section ?? [], details);
  // Thread announcements printed after the SUMMARY come last, as they would before it.
  for (const stacked of c.auxStack ?? []) aux.push(stackedEntry(stacked, aux.length + 1, details));
  const tool = TOOLS[header.groups[0] ?? ""] ?? "asan";
  // ThreadSanitizer's header names the OS thread id (`T12620`), not a thread number.
  const thread = access(node, tool === "tsan" ? "" : headline, details);
  headlineDetails(headline, details);
  const summary = summaryLine(c.ErrorSummary?.[0], details);
  shadowDetails(node, details);
  const named = kindOf(headline);
  const pc = details["pc"];
  const foreign =
    foreignSummary(named, summary?.groups[1]) ??
    foreignStack(typeof pc === "string" ? pc : undefined, mapped.stack[0]?.ip);
  // With another report's stack or SUMMARY (see foreignSummary), none of this one's is known.
  const own =
    foreign === undefined
      ? { kind: summary?.groups[1] ?? named, stack: mapped.stack, aux, details }
      : { kind: named, stack: [], aux: [], details: { headlineKind: named } };
  const draft: ErrorDraft = {
    type: "error",
    tool,
    kind: own.kind,
    message: headline,
    ...processFields(block.pid, block.run),
    ...(thread !== undefined ? { thread } : {}),
    stack: own.stack,
    aux: own.aux,
    count: 1,
    line: header.lineNo,
    details: own.details,
  };
  sendErrorReport(sink, draft, block, block.summarized, "error report");
  if (foreign !== undefined) {
    sink.incomplete(
      `the error report of process ${block.pid} (${named}) holds another report's stack or SUMMARY (${foreign}): reports of processes writing to one log at once are interleaved, so its stack is not known (give each process its own log: ASAN_OPTIONS=log_path=...)`,
      header.lineNo,
    );
  }
  // The leak check runs at exit, which an aborted program never reaches: a gate on leak kinds
  // read "no leaks" into it (the same program without the error leaked 88 bytes).
  if (tool === "asan" && details["aborted"] === true) {
    sink.diagnostic({
      severity: "info",
      code: "no-leak-check",
      message: `${block.pid !== undefined ? `PID ${block.pid}: ` : ""}AddressSanitizer stopped the program at this error (ABORTING), so LeakSanitizer did not run: its leaks are not known (build with -fsanitize-recover=address and run with ASAN_OPTIONS=halt_on_error=0 to go on past errors)`,
      line: header.lineNo,
      // A diagnostic names its PID, not the PID's run: `run` is no field of it (campaign bj).
      ...(block.pid !== undefined ? { pid: block.pid } : {}),
    });
  }
}

/**
 * The SUMMARY's kind when it is not the headline's, both kinds leaklog knows: the SUMMARY (and
 * the stack before it) of another process's report, cut in by a second report that started
 * before this one's stack (`make -j` with one stderr). The SUMMARY's kind made a
 * global-buffer-overflow's record a heap-buffer-overflow, with the other report's stack.
 */
function foreignSummary(named: string, summarized: string | undefined): string | undefined {
  if (summarized === undefined || summarized === named) return undefined;
  const known = KNOWN_ERROR_KINDS as readonly string[];
  return known.includes(named) && known.includes(summarized)
    ? `its SUMMARY names ${summarized}`
    : undefined;
}

/**
 * Another report's stack, by the program counter the header names (`at pc 0x…`, `(pc 0x…`,
 * read into `details.pc` by headlineDetails):
 * the access's frame #0 is at it or the instruction before. Under `xargs -P8` with one stderr,
 * a report whose header came before another's stack took that stack (the use-after-free
 * annotated at an abort() test's line), with the same kind, which foreignSummary cannot see.
 */
function foreignStack(pc: string | undefined, ip: string | undefined): string | undefined {
  if (pc === undefined || ip === undefined || !HEX.test(ip)) return undefined;
  const distance = BigInt(pc) - BigInt(ip);
  return distance === 0n || distance === 1n ? undefined : `frame #0 at ${ip}, not at pc ${pc}`;
}
const HEX = /^0x[0-9a-fA-F]+$/;

/**
 * Whether the log ends in the error's own stack, or before its first frame (see cutAfter): a
 * cut in a later stack (`freed by thread T0 here:`) leaves the stack it is grouped by whole.
 */
function cutInOwnStack(node: ErrorReportCstNode, block: SanitizerReport): boolean {
  const c = node.children;
  const lastFrame = c.stack[0]?.children.Frame?.at(-1);
  if (lastFrame !== undefined) return cutAfter(block, lineOf(lastFrame).lineNo);
  const later = (c.section ?? []).length + (c.auxStack ?? []).length;
  return later === 0 && cutAfter(block, block.lines[block.lines.length - 1]?.lineNo ?? 0);
}

function kindOf(headline: string): string {
  for (const [re, kind] of HEADLINE_KINDS) {
    const m = re.exec(headline);
    if (m !== null) return kind.replace("$1", m[1] ?? "unknown");
  }
  return "unknown";
}

/** Aux entries for stacks; free text (address descriptions, hints) into `details.description`. */
function sections(nodes: readonly SectionCstNode[], details: Details): AuxEntry[] {
  const aux: AuxEntry[] = [];
  const text: string[] = [];
  for (const { children } of nodes) {
    const stacked = children.auxStack?.[0];
    const described = children.description?.[0];
    if (stacked !== undefined) aux.push(stackedEntry(stacked, aux.length + 1, details));
    else if (described !== undefined) {
      const lines = described.children.Text.map((t) => lineOf(t).body);
      const frames = described.children.stack[0]?.children.Frame ?? [];
      // Frames after text the classifier does not know as a stack header: ASan prints a stack's
      // title on the one line before it, so only that line names it; the rest is description.
      const title = frames.length > 0 ? lines.pop() : undefined;
      appendAll(text, lines);
      if (title !== undefined) {
        aux.push(auxEntry(title, described.children.stack[0], aux.length + 1, details));
      }
    }
    for (const t of children.PidMessage ?? []) addNote(details, lineOf(t).body);
  }
  if (text.length > 0) details["description"] = text.join("\n");
  return aux;
}

/** `freed by thread T0 here:` and its frames. */
function stackedEntry(node: AuxStackCstNode, ordinal: number, details: Details): AuxEntry {
  const title = lineOf(node.children.StackHeader[0] as IToken).body;
  return auxEntry(title, node.children.stack[0], ordinal, details);
}

function auxEntry(
  message: string,
  node: Parameters<typeof mapStack>[0],
  ordinal: number,
  details: Details,
): AuxEntry {
  const mapped = mapStack(node);
  stackDetails(mapped, details, `aux ${ordinal} `);
  return { message, stack: mapped.stack };
}

/** The READ/WRITE line (or SEGV's signal line) into details; returns the thread number. */
function access(node: ErrorReportCstNode, headline: string, details: Details): number | undefined {
  const c = node.children;
  for (const t of c.PidMessage ?? []) {
    const body = lineOf(t).body;
    if (/^ABORTING\b/.test(body)) details["aborted"] = true;
    else addNote(details, body);
    const signal = SIGNAL_ACCESS.exec(body);
    if (signal !== null) details["access"] = signal[1] ?? "";
  }
  const detail = (c.HeadlineDetail ?? []).map((t) => lineOf(t).body.trim());
  if (detail.length > 0) details["detail"] = detail.join("\n");
  const line = c.AccessLine?.[0] !== undefined ? lineOf(c.AccessLine[0]) : undefined;
  if (line !== undefined) {
    const [kind = "", size = "0", address = "", thread = ""] = line.groups;
    details["access"] = kind;
    // A size or thread past 2^53 (grammars/numbers.ts) is none: left out.
    const accessSize = safeInteger(size);
    if (accessSize !== undefined) details["accessSize"] = accessSize;
    details["accessAddress"] = address;
    return safeInteger(thread.slice(1));
  }
  const m = HEADER_THREAD.exec(headline);
  return m !== null ? safeInteger(m[1] ?? "") : undefined;
}

function headlineDetails(headline: string, details: Details): void {
  const address = ADDRESS.exec(headline);
  if (address !== null) details["address"] = address[1] ?? "";
  const registers = REGISTERS.exec(headline);
  if (registers !== null) {
    details["pc"] = registers[1] ?? "";
    details["bp"] = registers[2] ?? "";
    details["sp"] = registers[3] ?? "";
  }
}

/** The shadow dump and legend, kept as printed (colour codes removed), not parsed. */
function shadowDetails(node: ErrorReportCstNode, details: Details): void {
  const shadow = node.children.shadow?.[0]?.children;
  if (shadow === undefined) return;
  const tokens = [
    ...shadow.ShadowHeader,
    ...(shadow.ShadowRow ?? []),
    ...(shadow.LegendHeader ?? []),
    ...(shadow.LegendRow ?? []),
  ];
  details["shadow"] = tokens.map((t) => lineOf(t).body).join("\n");
}

function addNote(details: Details, body: string): void {
  const before = details["notes"];
  details["notes"] = typeof before === "string" ? `${before}\n${body}` : body;
}
