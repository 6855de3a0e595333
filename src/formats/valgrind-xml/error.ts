import {
  parseCount,
  parseLeakText,
  type LeakText,
} from "../../../grammars/valgrind-xml/text-patterns.js";
import {
  KNOWN_ERROR_KINDS,
  type AuxEntry,
  type Details,
  type LeakKind,
  type Stack,
} from "../../model/index.js";
import { processFields } from "../process-fields.js";
import type { ErrorDraft, FindingDraft, LeakDraft } from "../types.js";
import { child, childCount, childText, flatText, toSharedStack, type XmlStacks } from "./nodes.js";
import type { XNode } from "./tree.js";

/** Memcheck's leak kinds (mc_errors.c, MC_(pp_Error)) and the model's names for them. */
const LEAK_KINDS: Readonly<Record<string, LeakKind>> = {
  Leak_DefinitelyLost: "definitely-lost",
  Leak_IndirectlyLost: "indirectly-lost",
  Leak_PossiblyLost: "possibly-lost",
  Leak_StillReachable: "still-reachable",
};

/**
 * A `<kind>` Memcheck writes: a leak kind of LEAK_KINDS or an error kind leaklog knows, not what
 * a document cut inside it left (`Leak_IndirectlyLost</k`, `Leak_Indir`).
 */
function isMemcheckKind(kind: string): boolean {
  return Object.hasOwn(LEAK_KINDS, kind) || (KNOWN_ERROR_KINDS as readonly string[]).includes(kind);
}

/**
 * Why a record the log ends in is no finding, or undefined when it is one: its `<kind>` is not
 * whole (cut inside it, it is what the cut left: `Leak_IndirectlyLost</k`, `InvalidSize` of
 * `InvalidSizeAndAlignment`), or it is a loss record that the cut left no size of (see
 * leakSize). Such a loss record has no stack either (Valgrind writes it after the size).
 */
export function cutShort(node: XNode): "<kind>" | "size" | undefined {
  const kind = childText(node, "kind") ?? "";
  if (!isMemcheckKind(kind)) return "<kind>";
  return Object.hasOwn(LEAK_KINDS, kind) && leakSize(node) === undefined ? "size" : undefined;
}

/** Children of `<error>` read into fields; any other child goes into `details` as text. */
const READ = new Set(["unique", "tid", "kind", "what", "xwhat", "auxwhat", "xauxwhat"]);
READ.add("stack").add("suppression");

/** Everything an `<error>` says, in the order it says it. */
interface ErrorParts {
  kind: string;
  message: string;
  stack: Stack;
  aux: AuxEntry[];
  details: Details;
  suppression?: string;
}

/** One finding and the `<unique>` that `<errorcounts>` refers to it by. */
export interface MappedError {
  draft: FindingDraft;
  unique?: string;
  /** A leak record of a delta leak check (` (+d)` in its text, see LeakText). */
  delta?: true;
}

/**
 * Maps one `<error>` to a leak draft (the four `Leak_*` kinds) or an error draft (every other
 * kind, known or not, kept as written). `count` starts at 1; `<errorcounts>` may raise it.
 */
export function mapError(
  node: XNode,
  process: { pid?: number; run?: number },
  stacks: XmlStacks,
): MappedError {
  const { pid, run } = process;
  const parts = readParts(node, stacks);
  const unique = childText(node, "unique");
  const thread = childCount(node, "tid");
  const common = {
    tool: "valgrind" as const,
    ...processFields(pid, run),
    ...(thread !== undefined ? { thread } : {}),
    stack: parts.stack,
    ...(parts.suppression !== undefined ? { suppression: parts.suppression } : {}),
    line: node.line,
  };
  const details: Details = { ...(unique !== undefined ? { unique } : {}), ...parts.details };
  if (node.cut === true) details["truncated"] = true;
  const leakKind = LEAK_KINDS[parts.kind];
  if (leakKind !== undefined) {
    // Leak records have no aux list; an auxwhat on a leak (none seen so far) is kept here.
    if (parts.aux.length > 0) details["auxwhat"] = parts.aux.map((a) => a.message).join("; ");
    const parsed = parseLeakText(parts.message);
    const draft: LeakDraft = {
      type: "leak",
      kind: leakKind,
      toolKind: parts.kind,
      ...common,
      ...leakAmounts(node, parsed),
      ...detailsField(details),
    };
    return {
      draft,
      ...(unique !== undefined ? { unique } : {}),
      ...(parsed?.delta === true ? { delta: true as const } : {}),
    };
  }
  const draft: ErrorDraft = {
    type: "error",
    kind: parts.kind,
    message: parts.message,
    aux: inheritedDescriptor(node, parts) ? [INHERITED, ...parts.aux] : parts.aux,
    count: 1,
    ...common,
    ...detailsField(details),
  };
  return { draft, ...(unique !== undefined ? { unique } : {}) };
}

/** The text log's line under a descriptor the process was given open, not one it opened. */
const INHERITED: AuxEntry = { message: "<inherited from parent>" };

/**
 * A descriptor left open that the process inherited (the CI runner's, Valgrind's own log):
 * protocol 5+ writes its `FdNotClosed` with no `<stack>`, where the text log says
 * `<inherited from parent>` (syswrap-generic.c prints that line in text only). It gets the text
 * log's aux line, and so its severity: the XML of a 3.23/3.24 run, or of `--track-fds=all`,
 * made them warnings where the text log of the same run made them notes, and `--fail-on
 * warning` failed on what the CI runner left open (campaign bw F8). Not a record cut short,
 * whose stack may have been lost with its end.
 */
function inheritedDescriptor(node: XNode, parts: ErrorParts): boolean {
  return parts.kind === "FdNotClosed" && node.cut !== true && child(node, "stack") === undefined;
}

function detailsField(details: Details): { details?: Details } {
  return Object.keys(details).length > 0 ? { details } : {};
}

/**
 * A loss record's bytes and blocks: `<leakedbytes>` and `<leakedblocks>`, or where the log ends
 * in them (or before them), Valgrind's own sentence in a whole `<text>` (`12,345 bytes in 1
 * blocks are definitely lost ...`, campaign v22 F6). Undefined when neither says both.
 */
function leakSize(node: XNode, parsed?: LeakText): { bytes: number; blocks: number } | undefined {
  const xwhat = child(node, "xwhat");
  if (xwhat === undefined) return undefined;
  const text = parsed ?? parseLeakText(childText(xwhat, "text") ?? "");
  const bytes = childCount(xwhat, "leakedbytes") ?? text?.bytes;
  const blocks = childCount(xwhat, "leakedblocks") ?? text?.blocks;
  return bytes === undefined || blocks === undefined ? undefined : { bytes, blocks };
}

/**
 * Bytes and blocks of a leak: `<leakedbytes>` is direct + indirect; the split, and the loss
 * record, only exist in the `<text>` sentence (`B (D direct, I indirect) bytes in ...`). A
 * whole record that says no size (none seen) is kept as 0 bytes in 0 blocks; a cut one is
 * dropped before this (see cutShort).
 */
function leakAmounts(node: XNode, parsed: LeakText | undefined) {
  const { bytes, blocks } = leakSize(node, parsed) ?? { bytes: 0, blocks: 0 };
  return {
    bytes,
    directBytes: parsed?.direct ?? bytes,
    indirectBytes: parsed?.indirect ?? 0,
    blocks,
    ...(parsed !== undefined ? { lossRecord: parsed.lossRecord } : {}),
  };
}

/**
 * Walks the children in order: the error's stack comes first, and a later one follows an aux.
 * Valgrind 3.24 writes FdBadUse's own stack last, after its aux entries with theirs (`Previously
 * closed`, `Originally opened`; fd_pp_Error, printed first again by 3.27): a first stack that
 * follows an aux is that aux's when a stack with no aux before it comes later, which is the
 * error's. Read as the error's, the first put it at the earlier close() (campaign bw F9).
 */
function readParts(node: XNode, stacks: XmlStacks): ErrorParts {
  const parts: ErrorParts = { kind: "Unknown", message: "", stack: [], aux: [], details: {} };
  let mainStack = false;
  for (const c of node.children) {
    // A leaf the log ends in holds what the cut left of its text: `<auxwhat>` ending in
    // `alloc'd</auxwhat`, `<what>Invalid wr` (campaign v22 F6). Left out, as a frame's is.
    if (c.cut === true && c.children.length === 0) continue;
    if (c.name === "kind") parts.kind = c.text.trim() || "Unknown";
    // Helgrind's PthAPIerror names the call in `<xwhat>` and gives `<what>with error code 16
    // (EBUSY: ...)</what>` after it, as the text log's second line: an aux line, not the
    // message, which read `with error code 16` alone (campaign v24 Q2).
    else if (c.name === "what" && parts.message !== "") parts.aux.push({ message: c.text.trim() });
    else if (c.name === "what") parts.message = c.text.trim();
    else if (c.name === "xwhat") parts.message = childText(c, "text") ?? "";
    else if (c.name === "auxwhat") parts.aux.push({ message: c.text.trim() });
    else if (c.name === "xauxwhat") xauxwhat(parts.aux, c);
    else if (c.name === "stack") {
      const stack = toSharedStack(c, stacks);
      const last = parts.aux.at(-1);
      if (mainStack || (last !== undefined && last.stack === undefined))
        attachStack(parts.aux, stack);
      else {
        parts.stack = stack;
        mainStack = true;
      }
    } else if (c.name === "suppression") {
      const raw = childText(c, "rawtext");
      if (raw !== undefined) parts.suppression = raw;
    } else if (!READ.has(c.name)) addDetail(parts.details, c);
  }
  if (!mainStack) takeFirstAuxStack(parts);
  return parts;
}

/** An `<xauxwhat>`'s line; none from one the log ends in before its `<text>` was whole. */
function xauxwhat(aux: AuxEntry[], node: XNode): void {
  const text = childText(node, "text");
  if (text !== undefined || node.cut !== true) aux.push({ message: text ?? "" });
}

/** With no stack of its own after its aux entries, the error's is the first of theirs. */
function takeFirstAuxStack(parts: ErrorParts): void {
  const entry = parts.aux.find((a) => a.stack !== undefined);
  if (entry?.stack === undefined) return;
  parts.stack = entry.stack;
  delete entry.stack;
}

/** A later `<stack>` belongs to the aux line before it (`Address ... alloc'd` + its stack). */
function attachStack(aux: AuxEntry[], stack: Stack): void {
  const last = aux.at(-1);
  if (last !== undefined && last.stack === undefined) last.stack = stack;
  else aux.push({ message: "", stack });
}

/** `<threadname>`, `<fd>`, `<path>` (protocol 5) and unknown children, kept as flat details. */
function addDetail(details: Details, node: XNode): void {
  if (node.cut === true) return; // what the cut left of it (see readParts)
  const text = node.children.length > 0 ? flatText(node, 1000) : node.text.trim();
  if (text === "") return;
  const count = node.name === "fd" ? parseCount(text) : undefined;
  const key = node.name in details ? `${node.name}.${Object.keys(details).length}` : node.name;
  details[key] = count ?? text;
}
