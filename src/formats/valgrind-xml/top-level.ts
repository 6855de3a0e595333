import {
  COMMAND_LINE,
  VERSION_LINE,
  parseCount,
} from "../../../grammars/valgrind-xml/text-patterns.js";
import type { DiagnosticCode, LeakKind } from "../../model/index.js";
import type { ParseSink } from "../types.js";
import { processFields } from "../process-fields.js";
import type { LeakDraft } from "../types.js";
import { cutShort, mapError } from "./error.js";
import type { ErrorCountsCheck } from "./error-counts.js";
import type { LeakCheckBoundaries } from "./leak-checks.js";
import {
  child,
  childCount,
  childText,
  flatText,
  toStack,
  wholeText,
  type XmlStacks,
} from "./nodes.js";
import type { PendingFindings } from "./pending.js";
import {
  hiddenLeakKinds,
  sharedXmlFile,
  tracesEveryExec,
  trackFdsLine,
  xmlToDescriptor,
  xtreeLeak,
  type SharedXmlFile,
} from "./run-options.js";
import type { SummaryCollector } from "./summary.js";
import type { XNode } from "./tree.js";
import { warnIfCannotThrow } from "../cannot-throw.js";

/** What one `<valgrindoutput>` has said about its process so far. */
export interface DocumentState {
  line: number;
  protocol?: number;
  pid?: number;
  ppid?: number;
  /** The PID's run in the file, from its second on (see ProcessInfo.run). */
  run?: number;
  command?: string;
  /** `<suppcounts>`'s pairs so far: the name, and the count as printed. */
  suppcounts: { name: string; count: string | undefined }[];
  /**
   * `<status>` said RUNNING. Valgrind prints it when it starts the client; a forked child's
   * document has none (fork.c of test/fixtures/valgrind-xml/error-counts).
   */
  running?: boolean;
  /** `<status>` said FINISHED: what follows is the process's exit, its leak check at exit. */
  finished?: boolean;
  /** The first document that nested in this one (a forked child's), once it has ended. */
  nested?: { line: number; pid?: number };
  /**
   * The documents nested in this one that name it their parent (`<ppid>`), in order: forked
   * children that exec'd a traced program, each written where its exec came.
   */
  execedChildren?: { line: number; pid: number; run?: number }[];
  /**
   * A document of the same PID nested in this one: the program exec'd another under
   * --trace-children=yes, and Valgrind never closes the document of the program it replaced.
   */
  execed?: boolean;
  /** --xtree-leak=yes: the check at exit wrote its records to this file, not here. */
  leaksElsewhere?: string;
  /** A record other than the preamble's came (a status, an error...). */
  beyondPreamble?: boolean;
  /** Every traced process was told to write this one --xml-file (see sharedXmlFile). */
  sharedFile?: SharedXmlFile;
  /** Every program the process execs writes its own document over this one (tracesEveryExec). */
  tracesEveryExec?: boolean;
  /** The XML went to a descriptor, which the program's output may share (xmlToDescriptor). */
  toDescriptor?: boolean;
  /**
   * `--track-fds=yes` in a protocol that has no record for a descriptor left open (see
   * reportDescriptors): a `<stack>` outside any record is one's opening stack.
   */
  descriptorsElsewhere?: boolean;
  /** `<tool>` (or `<protocoltool>`): the Valgrind tool that wrote the document, `memcheck`... */
  tool?: string;
  /** The kinds `--show-leak-kinds` kept out of the loss records, told at the document's end. */
  hiddenKinds?: LeakKind[];
  /** A loss record came: a leak check ran, a client request's or the one at exit. */
  listedLossRecords?: boolean;
  /** The `<heap_summary>` after `<status>` FINISHED (protocol 6) counted no block in use. */
  noBlockInUseAtExit?: boolean;
}

/** What a record handler may use. */
export interface RecordContext {
  sink: ParseSink;
  /** Stacks shared between the records of one call site (see SharedStacks). */
  stacks: XmlStacks;
  doc: DocumentState;
  pending: PendingFindings;
  summaries: SummaryCollector;
  leakChecks: LeakCheckBoundaries;
  errorCounts: ErrorCountsCheck;
  /** A document's PID was read: returns the PID's run in the file (see ProcessInfo.run). */
  pidRead: (pid: number) => number | undefined;
}

type Handler = (ctx: RecordContext, node: XNode) => void;

/** The newest protocol this parser was written against. */
const KNOWN_PROTOCOL = 6;
/** Used suppressions listed by name in the `valgrind-suppressions-used` diagnostic. */
const MAX_LISTED = 20;

function info(ctx: RecordContext, code: DiagnosticCode, message: string, line: number): void {
  const pid = ctx.doc.pid;
  ctx.sink.diagnostic({
    severity: "info",
    code,
    message,
    line,
    ...(pid !== undefined ? { pid } : {}),
  });
}

export function reportProcess({ sink, doc }: Pick<RecordContext, "sink" | "doc">): void {
  if (doc.pid === undefined) return;
  sink.process({
    ...processFields(doc.pid, doc.run),
    ...(doc.ppid !== undefined ? { ppid: doc.ppid } : {}),
    ...(doc.command !== undefined ? { command: doc.command } : {}),
  });
}

const preamble: Handler = (ctx, node) => {
  for (const line of node.children) {
    const text = line.text.trim();
    const version = VERSION_LINE.exec(text.slice(0, 500));
    const command = COMMAND_LINE.exec(text);
    if (version?.[1] !== undefined) ctx.sink.toolVersion(version[1]);
    if (command?.[1] !== undefined) ctx.doc.command = command[1];
  }
  reportProcess(ctx);
};

/**
 * `<args>`: Valgrind's options say whether the leaks are in this log at all; the program's
 * argv stands in for the preamble's `Command:` when that is missing.
 */
const args: Handler = (ctx, node) => {
  const vargv = child(node, "vargv");
  if (vargv !== undefined) {
    reportLeaksElsewhere(ctx, vargv);
    reportDescriptors(ctx, vargv);
    // Under --xtree-leak=yes the log lists no kind, whatever --show-leak-kinds says: hidden, they
    // were sent to --show-leak-kinds=all, which lists nothing more (campaign cd Q1, Q2).
    const listsLeaks = checksLeaks(ctx.doc) && ctx.doc.leaksElsewhere === undefined;
    const hidden = listsLeaks ? hiddenLeakKinds(vargv) : [];
    if (hidden.length > 0) ctx.doc.hiddenKinds = hidden;
    const shared = sharedXmlFile(vargv);
    if (shared !== undefined) ctx.doc.sharedFile = shared;
    if (tracesEveryExec(vargv)) ctx.doc.tracesEveryExec = true;
    if (xmlToDescriptor(vargv)) ctx.doc.toDescriptor = true;
  }
  const argv = child(node, "argv");
  if (argv === undefined || ctx.doc.command !== undefined) return;
  const words = argv.children.map((c) => c.text.trim()).filter((w) => w !== "");
  if (words.length > 0) ctx.doc.command = words.join(" ");
  reportProcess(ctx);
};

/**
 * Whether the document's tool checks leaks: Memcheck alone. Helgrind and DRD run no leak check
 * (`--show-leak-kinds` is an unknown option to them), so their `<vargv>` hides no kind, where
 * Memcheck's default kinds read as hiding indirect and reachable leaks: a gate naming them failed
 * every Helgrind log, advising a rerun Helgrind refuses (campaign cb2 F3). The text parser gives
 * them none either: it refuses their logs and skips their processes among Memcheck's
 * (`other-tool`). Valgrind writes `<tool>` before `<args>`; a document that names no tool is
 * read as Memcheck's, the default.
 */
function checksLeaks(doc: DocumentState): boolean {
  return doc.tool === undefined || doc.tool === "memcheck";
}

/** `<protocoltool>` and `<tool>`: which tool wrote the document (see checksLeaks). */
const tool: Handler = (ctx, node) => {
  const name = node.text.trim();
  if (name === "") return;
  ctx.doc.tool = name;
  if (!checksLeaks(ctx.doc)) ctx.sink.tool(name);
};

/**
 * --xtree-leak=yes: the loss records went to a callgrind-format file, so the source is
 * incomplete (its leaks are missing), not clean. `--leak-check=no` needs no such notice:
 * Memcheck runs a full leak check whatever it says when --xml=yes (3.19's leaks_no.xml still
 * holds its Leak_DefinitelyLost records).
 */
function reportLeaksElsewhere(ctx: RecordContext, vargv: XNode): void {
  const xtree = xtreeLeak(vargv);
  if (xtree === undefined) return;
  const pid = ctx.doc.pid;
  const file = pid !== undefined ? xtree.file.replaceAll("%p", String(pid)) : xtree.file;
  ctx.doc.leaksElsewhere = file;
  const message =
    `leaks were written to ${file} (--xtree-leak=yes), not to this log: leaklog cannot ` +
    `count them; run without --xtree-leak for loss records`;
  ctx.sink.incomplete(message, xtree.line, "xtree-leak-file");
}

/** The first protocol whose XML holds the descriptors left open (`FdNotClosed`, Valgrind 3.23). */
const FD_PROTOCOL = 5;

/**
 * `--track-fds=yes`: from protocol 5 the descriptors left open at exit are FdNotClosed records
 * here (descriptorsListed). Before it, Valgrind lists them in its text log and writes only their
 * opening stacks here, bare, after `<status>` FINISHED (3.19's fdx.xml). The XML's open
 * descriptors are unknown, not none: a text baseline's read "fixed" against it, and an XML
 * baseline's "new" in the text run (campaigns ba, bd).
 */
function reportDescriptors(ctx: RecordContext, vargv: XNode): void {
  const line = trackFdsLine(vargv);
  if (line === undefined) return;
  if ((ctx.doc.protocol ?? 4) >= FD_PROTOCOL) {
    ctx.sink.descriptorsListed();
    return;
  }
  ctx.doc.descriptorsElsewhere = true;
  const pid = ctx.doc.pid;
  ctx.sink.diagnostic({
    severity: "warning",
    code: "xml-fds-in-text-log",
    message: `--track-fds is on, but XML protocol ${ctx.doc.protocol ?? 4} has no record for a descriptor left open at exit: Valgrind lists them in its text log only, so this log's open descriptors are unknown`,
    line,
    ...(pid !== undefined ? { pid } : {}),
  });
}

const protocol: Handler = (ctx, node) => {
  const version = parseCount(wholeText(node));
  if (version === undefined) return;
  ctx.doc.protocol = version;
  if (version > KNOWN_PROTOCOL) {
    const message = `XML protocol ${version} is newer than ${KNOWN_PROTOCOL}; read as ${KNOWN_PROTOCOL}`;
    info(ctx, "xml-unknown-protocol", message, node.line);
  }
};

const pidOf =
  (field: "pid" | "ppid"): Handler =>
  (ctx, node) => {
    // `<pid>214` of a log cut there was a process 214 (campaign v22 F6): see wholeText.
    const value = parseCount(wholeText(node));
    if (value === undefined) return;
    ctx.doc[field] = value;
    const run = field === "pid" ? ctx.pidRead(value) : undefined;
    if (run !== undefined) ctx.doc.run = run;
    reportProcess(ctx);
  };

const error: Handler = (ctx, node) => {
  if (child(node, "unique") === undefined) {
    // Valgrind's every error starts with its <unique>: this is the program's own output sharing
    // the stream (`--xml-fd=1`, a test runner's `<error>`), which made a clean run fail on an
    // empty `Unknown` error, and one that printed `<error><kind>InvalidRead</kind></error>`
    // fail on an InvalidRead (campaign bd).
    ctx.sink.programLine(node.line, `<error> ${flatText(node)}`.trimEnd());
    return;
  }
  const short = node.cut === true ? cutShort(node) : undefined;
  if (short !== undefined) {
    // Nothing of it is known: kept, it was an empty `Unknown` error (or one of kind
    // `Leak_IndirectlyLost</k`, cut inside its <kind>), a new group failing `--fail-on new` in
    // every diff against a baseline. A loss record cut before its size is a kind alone: kept, it
    // claimed `0 bytes in 0 blocks`, a size known to be nothing (campaign v22 F6 Q3), where the
    // model has no unknown size; the kind is named here, and the log stays incomplete.
    const kind = short === "size" ? `, a ${childText(node, "kind")} loss record,` : "";
    ctx.sink.diagnostic({
      severity: "warning",
      code: "xml-truncated-record",
      message: `<error> at line ${node.line}${kind} was cut off by the end of its document before its ${short} was whole: dropped`,
      line: node.line,
    });
    return;
  }
  const { draft, unique, delta } = mapError(node, ctx.doc, ctx.stacks);
  ctx.errorCounts.error(unique, draft.kind, draft.type === "leak");
  if (draft.type === "leak") leakRecord(ctx, draft, unique, delta === true);
  else {
    ctx.leakChecks.other();
    ctx.pending.push(draft, unique);
  }
  if (node.cut === true) {
    const message = `<error> at line ${node.line} was cut off by the end of its document; kept as read`;
    ctx.sink.diagnostic({
      severity: "warning",
      code: "xml-truncated-record",
      message,
      line: node.line,
    });
  }
};

/**
 * A loss record is held until the process's next full leak check (which reports the same heap
 * again: the held records are superseded) or the end of its document. A delta check (`(+d)`,
 * VALGRIND_DO_ADDED/CHANGED_LEAK_CHECK) reports only the records that changed, each superseding
 * its earlier record alone (see PendingFindings.holdDeltaLeak). Each record carries its check's
 * number, as the text parser's do (see SummaryCollector.lossRecordCheck), and a delta check's
 * is marked so (`addedLeakCheck`): its records fall short of its summary by design.
 */
function leakRecord(ctx: RecordContext, draft: LeakDraft, unique?: string, delta = false): void {
  ctx.doc.listedLossRecords = true;
  const starts = ctx.leakChecks.starts(draft.lossRecord);
  draft.leakCheck = ctx.summaries.lossRecordCheck(starts);
  if (delta) draft.details = { ...draft.details, addedLeakCheck: true };
  if (starts && !delta) ctx.pending.releaseHeld(true, draft.line);
  // The check at exit follows `<status>` FINISHED (clientreq.xml): nothing can supersede it,
  // so its records wait no longer than before (a log with more than MAX_WAITING of them would
  // otherwise let them out one by one past the cap).
  if (ctx.doc.finished === true) ctx.pending.push(draft, unique);
  else if (delta) ctx.pending.holdDeltaLeak(draft, unique);
  else ctx.pending.holdLeak(draft, unique);
}

/** `<status>`: `<state>` RUNNING, then FINISHED once the client program has exited. */
const status: Handler = (ctx, node) => {
  const state = childText(node, "state");
  if (state === "RUNNING") ctx.doc.running = true;
  else if (state === "FINISHED") ctx.doc.finished = true;
};

/** `<fatal_signal>`: the text format's "Process terminating with default action of signal". */
const fatalSignal: Handler = (ctx, node) => {
  const signo = childCount(node, "signo");
  const signame = childText(node, "signame");
  const thread = childCount(node, "tid");
  const details: Record<string, string | number> = {};
  for (const name of ["signo", "signame", "sicode", "event", "siaddr", "threadname"]) {
    const text = childText(node, name);
    if (text !== undefined) details[name] = name === "signo" ? (signo ?? text) : text;
  }
  const stack = child(node, "stack");
  ctx.pending.push({
    type: "error",
    tool: "valgrind",
    kind: "FatalSignal",
    message: `Process terminating with default action of signal ${signo ?? "?"} (${signame ?? "?"})`,
    ...processFields(ctx.doc.pid, ctx.doc.run),
    ...(thread !== undefined ? { thread } : {}),
    stack: stack !== undefined ? toStack(stack) : [],
    aux: [],
    count: 1,
    details,
    line: node.line,
  });
};

const clientMessage: Handler = (ctx, node) => {
  const stack = child(node, "stack");
  const frames = stack !== undefined ? ` (with a stack of ${toStack(stack).length} frames)` : "";
  const message = childText(node, "text") ?? "";
  info(ctx, "valgrind-client-message", `client message: ${message}${frames}`, node.line);
  warnIfCannotThrow(ctx.sink, message, ctx.doc.pid, node.line);
};

const errorCount: Handler = (ctx, node) => {
  const unique = childText(node, "unique");
  const count = childCount(node, "count");
  if (unique !== undefined) ctx.errorCounts.count(unique);
  if (unique !== undefined && count !== undefined) ctx.pending.setCount(unique, count);
};

/** `</errorcounts>`: its contexts against the document's errors (see ErrorCountsCheck). */
export function checkErrorCounts(ctx: RecordContext, line: number): void {
  const forked = ctx.doc.running !== true;
  const children = ctx.doc.execedChildren !== undefined;
  const mismatch = ctx.errorCounts.check(ctx.doc.pid, forked, line, children);
  if (mismatch !== undefined) ctx.sink.diagnostic(mismatch);
}

const suppCount: Handler = (ctx, node) => {
  ctx.doc.suppcounts.push({
    name: childText(node, "name") ?? "?",
    count: childText(node, "count"),
  });
};

/** A `<suppression>` outside any `<error>`: the duplicate Valgrind prints after each error. */
const trailingSuppression: Handler = (ctx, node) => {
  const raw = childText(node, "rawtext");
  const outcome = raw === undefined ? "other" : ctx.pending.trailingSuppression(raw);
  if (outcome === "other") unexpected(ctx, node);
};

const usercomment: Handler = (ctx, node) =>
  info(ctx, "valgrind-user-comment", node.text.trim().slice(0, 2000), node.line);

function unexpected(ctx: RecordContext, node: XNode): void {
  const known = new Set(["stack", "suppression", "frame"]);
  const code = known.has(node.name) ? "xml-unexpected-element" : "xml-unknown-element";
  info(ctx, code, `<${node.name}> kept as read: ${JSON.stringify(flatText(node))}`, node.line);
}

const ignore: Handler = () => undefined;

/**
 * `<heap_summary>` (protocol 6, 3.26+, every run): after FINISHED, with no block in use at exit
 * nothing can have leaked, and `--show-leak-kinds` hid nothing; with one, `<leak_summary>`
 * counts every kind. A clean run failed `--max-bytes still-reachable=0` as "cannot tell", where
 * the text log of the same run passed (campaign bw F7).
 */
const heapSummary: Handler = (ctx, node) => {
  const inUse = ctx.summaries.heap(node);
  if (ctx.doc.finished === true) ctx.doc.noBlockInUseAtExit = inUse?.blocks === 0;
};

/**
 * A document's end: the kinds its run hid from the leak checks it ran, unless nothing was in use
 * at its exit. One that never reached its check at exit (`<status>` FINISHED) and listed no loss
 * record ran none, and hid nothing: a run killed by a CI timeout's SIGKILL, out of memory, or
 * stopped at its first error. Its Totals said `not shown (rerun with --show-leak-kinds=all)`
 * and a gate naming such a kind failed it as unable to tell, advice that cannot help (campaign
 * cb2 Q1); the log is incomplete, which says what it lacks, as its text log does
 * (test/fixtures/valgrind-xml/no-leak-check-at-exit).
 */
export function reportHiddenKinds({ sink, doc }: Pick<RecordContext, "sink" | "doc">): void {
  const checked = doc.finished === true || doc.listedLossRecords === true;
  if (doc.hiddenKinds !== undefined && checked && doc.noBlockInUseAtExit !== true)
    sink.hiddenLeakKinds(doc.hiddenKinds);
}

/** Handlers of the root's children, by element name. */
const HANDLERS: Readonly<Record<string, Handler>> = {
  protocolversion: protocol,
  protocoltool: tool,
  tool,
  logfilequalifier: ignore,
  status,
  all_heap_blocks_freed: ignore,
  preamble,
  pid: pidOf("pid"),
  ppid: pidOf("ppid"),
  args,
  usercomment,
  error,
  fatal_signal: fatalSignal,
  clientmsg: clientMessage,
  // Helgrind's and DRD's announcement of each thread, which their own records refer to: no
  // finding, and one `xml-unknown-element` info per thread said nothing.
  announcethread: ignore,
  suppression: trailingSuppression,
  heap_summary: heapSummary,
  leak_summary: (ctx, node) =>
    ctx.summaries.leak(node, ctx.doc.hiddenKinds !== undefined, ctx.doc.leaksElsewhere),
  error_summary: (ctx, node) => ctx.summaries.errors(node),
};

/** Interprets one record; `parent` is the root, a STREAMED container, or "" (no document). */
export function handleRecord(ctx: RecordContext, node: XNode, parent: string): void {
  if (node.name !== "suppression") ctx.pending.settle();
  // A leak check prints its loss records together: any other record ends it (see error).
  if (node.name !== "suppression" && node.name !== "error") ctx.leakChecks.other();
  if (parent === "errorcounts") return node.name === "pair" ? errorCount(ctx, node) : undefined;
  if (parent === "suppcounts") return node.name === "pair" ? suppCount(ctx, node) : undefined;
  (HANDLERS[node.name] ?? unexpected)(ctx, node);
}

/**
 * `</suppcounts>` (`whole`), or a document's end: one diagnostic naming the suppressions that
 * matched; at `</suppcounts>`, also the process's used suppressions (Source.usedSuppressions),
 * which tell a run that suppressed leaks alone (campaign v16b Q2). The process is told to have
 * listed them when the list is whole, none used too: a baseline that lists none suppressed no
 * error, where one that does not say (a report of an older leaklog) is not compared by the
 * list (campaign v18a F2).
 */
export function reportSuppressions(ctx: RecordContext, line: number, whole: boolean): void {
  const pairs = ctx.doc.suppcounts.splice(0);
  if (pairs.length > 0) {
    const named = pairs.map(({ name, count }) => `${name} (${count ?? "?"})`);
    const more = named.length > MAX_LISTED ? ` and ${named.length - MAX_LISTED} more` : "";
    const message = `suppressions used: ${named.slice(0, MAX_LISTED).join(", ")}${more}`;
    info(ctx, "valgrind-suppressions-used", message, line);
  }
  const { pid, run } = ctx.doc;
  if (pid === undefined || !whole) return;
  // Not told when a count is unreadable: the list would hide how often that entry matched.
  const used = pairs.flatMap(({ name, count }) => {
    const times = parseCount(count);
    return times !== undefined ? [{ name, count: times }] : [];
  });
  if (used.length < pairs.length) return;
  ctx.sink.process({ ...processFields(pid, run), usedSuppressionsListed: true });
  if (used.length > 0) ctx.sink.usedSuppressions(used);
}
