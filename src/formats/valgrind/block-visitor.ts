import type { CstNode, IToken } from "chevrotain";
import { safeInteger } from "../../../grammars/numbers.js";
import { isDamagedLossRecord, isFirstFrameBody } from "../../../grammars/valgrind/line-kinds.js";
import type { Known } from "../../engine/known-bytes.js";
import { SharedStacks } from "../../engine/shared-stacks.js";
import type { AuxEntry, Frame } from "../../model/index.js";
import type { ErrorDraft, ParseSink } from "../types.js";
import { parseFrame, parseLossRecord } from "./fields.js";
import type { KnownFrameLine } from "./frame-lines.js";
import { errorKindOf } from "./headlines.js";
import type { ProcessState } from "./process-state.js";
import { inheritedXmlFile } from "./xml-run-log.js";

type Children = Record<string, (CstNode | IToken)[] | undefined>;

/** A frame line's token carries its known line when the parser read it as bytes (FrameLines). */
const knownLineOf = (token: IToken): KnownFrameLine | undefined =>
  token.payload as Known<KnownFrameLine> | undefined;
const frameOf = (token: IToken): Frame => knownLineOf(token)?.frame ?? parseFrame(token.image);

const tokensOf = (node: CstNode, name: string): IToken[] =>
  (node.children[name] as IToken[] | undefined) ?? [];
const nodesOf = (node: CstNode, name: string): CstNode[] =>
  (node.children[name] as CstNode[] | undefined) ?? [];

/** The shared stacks of frame line tokens (see BlockVisitor). */
export function frameStacks(): SharedStacks<IToken> {
  return new SharedStacks(knownLineOf, frameOf);
}

/**
 * Turns the CST of one block into drafts and summaries for its process. Each item kind has its
 * own small handler; the order of items is the log's order.
 */
export class BlockVisitor {
  /**
   * `stacks`: made by frameStacks, with the known frame lines whose ids key them; `logPath`:
   * the log's own path, which its descriptors may name (see inheritedXmlFile).
   */
  constructor(
    private readonly sink: ParseSink,
    private readonly stacks: SharedStacks<IToken>,
    private readonly logPath?: string,
  ) {}

  /** A rule's frame lines as a stack (shared by every record of it, see SharedStacks). */
  private framesOf(node: CstNode): Frame[] {
    return this.stacks.stackOf(tokensOf(node, "FrameLine"));
  }

  private auxEntry(node: CstNode): AuxEntry {
    const entry = {} as AuxEntry;
    entry.message = (tokensOf(node, "AuxLine")[0]?.image ?? "").trim();
    const stack = this.framesOf(node);
    if (stack.length > 0) entry.stack = stack;
    return entry;
  }

  visit(block: CstNode, state: ProcessState): void {
    for (const item of nodesOf(block, "item")) {
      // An item has one child, the rule that matched (a for-in, not Object.entries: no arrays
      // made per item).
      for (const name in item.children) {
        const node = (item.children as Children)[name]?.[0] as CstNode | undefined;
        if (node !== undefined) this.visitItem(name, node, state);
        state.itemDone();
        break;
      }
    }
  }

  private visitItem(name: string, node: CstNode, state: ProcessState): void {
    switch (name) {
      case "errorItem":
        return this.errorItem(node, state);
      case "lossRecordItem":
        return this.lossRecord(node, state);
      case "fatalSignalItem":
        return this.fatalSignal(node, state);
      case "openFdItem":
        return this.openFd(node, state);
      case "clientMessageItem":
        return this.clientMessage(node, state);
      case "strayFrames":
        return this.strayFrames(node, state);
      default:
        return state.singleLine(firstToken(node));
    }
  }

  /**
   * Frames of no record. The process's first lines (`tail -n 40 valgrind.log`, a job log's
   * last lines) are the end of a record whose start was cut off: the log is incomplete, and a
   * LEAK SUMMARY's leaks without records were lost with it, not hidden by an option (it told
   * users to rerun with --show-leak-kinds=all: campaign bl Q3).
   */
  private strayFrames(node: CstNode, state: ProcessState): void {
    const frames = tokensOf(node, "FrameLine");
    const first = frames[0]?.startLine ?? 0;
    const last = frames[frames.length - 1]?.startLine ?? first;
    // The warning that the log starts cut names the frames: a "line not understood" for each
    // as well read as damage besides it (campaign cb2 Q6).
    const lines = last > first ? `lines ${first}-${last} are` : `line ${first} is`;
    const startsCut =
      state.itemsRead === 0 &&
      state.logStartsCut(
        `inside a record's stack (${lines} the end of it; its first lines were cut off): the records before are lost`,
        first,
      );
    if (!startsCut)
      for (const t of frames) this.sink.unrecognized(t.startLine ?? 0, t.image, state.pid);
    state.gaps.notUnderstood(first);
  }

  /**
   * `**PID** text`, a client request's message (VALGRIND_PRINTF, `VALGRIND_PRINTF_BACKTRACE`
   * with its stack after it): an info, as the XML's `<clientmsg>` is. It was counted as the
   * program's output, and its stack dropped unsaid.
   */
  private clientMessage(node: CstNode, state: ProcessState): void {
    const token = firstToken(node);
    const frames = tokensOf(node, "FrameLine").length;
    const stack = frames > 0 ? ` (with a stack of ${frames} frames)` : "";
    this.sink.diagnostic({
      severity: "info",
      code: "valgrind-client-message",
      message: `client message: ${token.image}${stack}`,
      line: token.startLine ?? 0,
      pid: state.pid,
    });
  }

  private errorItem(node: CstNode, state: ProcessState): void {
    const headline = tokensOf(node, "ErrorHeadline")[0] ?? tokensOf(node, "TextLine")[0];
    if (headline === undefined) return;
    // A context a suppression hid, listed by --show-error-list=all: no finding, whatever its
    // headline (see HeldErrors.takeSuppressed).
    if (state.errors.takeSuppressed()) return;
    let stack = this.framesOf(node);
    // One entry per aux line, as the XML has one <auxwhat> or <xauxwhat> per line: `Address ...
    // is on thread 1's stack` and `in frame #1, created by main (invalid_free.c:7)`, or
    // --read-var-info=yes's `Location ... inside buf[1],` and `declared at vars.c:7, ...`.
    const auxNodes = nodesOf(node, "auxEntry");
    const aux = auxNodes.map((n) => this.auxEntry(n));
    if (stack.length === 0) stack = this.trailingStack(auxNodes.at(-1), aux.at(-1));
    if (headline.tokenType.name === "TextLine" && stack.length === 0) {
      // A line with no stack and no known shape: say so, never drop it silently.
      state.unknownLine(headline);
      for (const entry of aux)
        this.sink.unrecognized(headline.startLine ?? 0, entry.message, state.pid);
      return;
    }
    if (headline.tokenType.name === "TextLine" && isDamagedLossRecord(headline.image)) {
      state.damagedLossRecord(headline);
      // A loss record has no aux lines: these were not understood either.
      for (const entry of aux)
        this.sink.unrecognized(headline.startLine ?? 0, entry.message, state.pid);
      return;
    }
    // A headline of no known shape with a stack is kept as an Unknown error; where a loss
    // record's number is missing it was that record, damaged (see RecordGaps).
    if (headline.tokenType.name === "TextLine") state.gaps.notUnderstood(headline.startLine ?? 0);
    const draft = this.errorDraft(
      headline,
      errorKindOf(headline.image),
      stack,
      aux,
      state,
      state.thread,
    );
    state.errors.bannerThread.note(draft, true);
    state.errors.add(draft);
  }

  /**
   * The stack Valgrind 3.24 prints last, after its aux entries (FdBadUse: ` Previously closed`,
   * ` Originally opened`, then the bad call's; syswrap-generic.c, fd_pp_Error; 3.27 prints it
   * first). It follows the last aux entry's frames, told from them by its own first frame (`at`,
   * where the rest say `by`); it is the error's, and that entry keeps the frames before it. Taken
   * for that entry's, the error had no stack and its place was the log's line (campaign bw F9).
   */
  private trailingStack(last: CstNode | undefined, entry: AuxEntry | undefined): Frame[] {
    const frames = last === undefined ? [] : tokensOf(last, "FrameLine");
    const at = frames.findIndex((t, i) => i > 0 && isFirstFrameBody(t.image));
    if (at < 0 || entry === undefined) return [];
    entry.stack = this.stacks.stackOf(frames.slice(0, at));
    return this.stacks.stackOf(frames.slice(at));
  }

  private errorDraft(
    headline: IToken,
    kind: string,
    stack: Frame[],
    aux: AuxEntry[],
    state: ProcessState,
    thread: number | undefined,
  ): ErrorDraft {
    const draft: ErrorDraft = {
      type: "error",
      tool: "valgrind",
      kind,
      message: headline.image.trim(),
      pid: state.pid,
      ...(thread !== undefined ? { thread } : {}),
      stack,
      aux,
      count: 1,
      line: headline.startLine ?? 0,
    };
    // Set after, not spread in (see ProcessState.leak).
    if (state.run !== undefined) draft.run = state.run;
    const name = state.takeThreadName(thread);
    if (name !== undefined) draft.details = { threadname: name };
    return draft;
  }

  private lossRecord(node: CstNode, state: ProcessState): void {
    // `block_list N`, a monitor command the program may run itself, prints loss record N of the
    // last leak check again, then its blocks (`0xADDR[SIZE]`): a listing of a record already
    // read, not a new one. Read as a record it was counted again, doubling the leak totals
    // against Valgrind's own and failing `--max-bytes` (campaign bt F2).
    if (tokensOf(node, "BlockListLine").length > 0) return;
    const token = tokensOf(node, "LossRecord")[0] as IToken;
    const fields = parseLossRecord(token.image);
    if (fields === undefined) {
      // A number past 2^53 - 1 (grammars/numbers.ts), or a damaged line of a loss record's
      // shape: the record is dropped, so the log lacks it (campaign bj F4). Told of here, once,
      // not left for RecordGaps.
      this.sink.unrecognized(token.startLine ?? 0, token.image, state.pid);
      this.sink.incomplete(
        `PID ${state.pid}: a loss record was not read (a number past 2^53 - 1, which leaklog does not read, or a damaged line): its leak is not counted`,
        token.startLine ?? 0,
        undefined,
        state.pid,
      );
      return;
    }
    state.leak(fields, this.framesOf(node), token.startLine ?? 0);
  }

  /** `Process terminating with default action of signal 11 (SIGSEGV)` -> a FatalSignal error. */
  private fatalSignal(node: CstNode, state: ProcessState): void {
    const token = tokensOf(node, "FatalSignal")[0] as IToken;
    const notes = tokensOf(node, "ToolNotice").map((t) => ({ message: t.image.trim() }));
    const aux: AuxEntry[] = [
      ...joinStackless(nodesOf(node, "auxEntry").map((n) => this.auxEntry(n))),
      ...notes,
    ];
    // The stack is either right after the headline, or after `Access not within mapped region`.
    let stack = this.framesOf(node);
    if (stack.length === 0) {
      const withStack = aux.find((entry) => entry.stack !== undefined);
      stack = withStack?.stack ?? [];
    }
    // Valgrind prints no `Thread N:` header before this line (it is no pp_Error), so the last
    // header names some earlier error's thread: only a stack overflow notice names this one's.
    const overflow = notes
      .map((n) => /^Stack overflow in thread #(\d+)/.exec(n.message))
      .find(Boolean);
    const thread = overflow?.[1] !== undefined ? safeInteger(overflow[1]) : undefined;
    state.errors.add(this.errorDraft(token, "FatalSignal", stack, aux, state, thread));
  }

  /** `Open file descriptor 3: /path` with `<inherited from parent>` or the stack that opened it. */
  private openFd(node: CstNode, state: ProcessState): void {
    const token = tokensOf(node, "OpenFd")[0] as IToken;
    // 3.23+ counts a descriptor left open as an error a suppression can hide: should the list
    // of suppressed contexts hold one (3.27 lists none), it is no finding either.
    if (state.errors.takeSuppressed()) return;
    const inherited = tokensOf(node, "FdInherited").length > 0;
    const aux = inherited ? [{ message: "<inherited from parent>" }] : [];
    const frames = this.framesOf(node);
    const bare = !inherited && frames.length === 0;
    // One the log ends in was cut before its stack (a -q run killed while listing: v13), and
    // the listing's rest with it: the log is known to be cut (campaign v14).
    if (bare && state.cutByEnd) {
      this.sink.incomplete(
        `PID ${state.pid}: the log ends inside its list of descriptors left open, before the stack of ${token.image}`,
        token.startLine ?? 0,
        undefined,
        state.pid,
      );
    } else if (bare) state.xmlRunRemnant = true;
    if (frames.length > 0) state.fdStackListed = true;
    else if (inherited) state.inheritedXmlFile ??= inheritedXmlFile(token.image, this.logPath);
    const draft = this.errorDraft(token, "FdNotClosed", frames, aux, state, state.thread);
    state.errors.bannerThread.note(draft, false);
    state.errors.add(draft);
  }
}

/**
 * A fatal signal's aux lines with their stacks; consecutive stackless lines (the paragraph of
 * stack size advice after a SIGSEGV, wrapped over five lines) become one. The
 * list comes from map() and its entries from `{}`: neither has an allocation site for V8 to
 * pretenure (see locationOf in the engine; profiled: every aux list born in old space).
 */
function joinStackless(entries: AuxEntry[]): AuxEntry[] {
  let kept = 0;
  for (const entry of entries) {
    const previous = entries[kept - 1];
    if (entry.stack === undefined && previous !== undefined && previous.stack === undefined) {
      previous.message = `${previous.message} ${entry.message}`;
    } else {
      entries[kept] = entry;
      kept += 1;
    }
  }
  entries.length = kept;
  return entries;
}

function firstToken(node: CstNode): IToken {
  for (const value of Object.values(node.children)) {
    const first = value[0];
    if (first !== undefined && "image" in first) return first;
  }
  throw new Error("grammar produced an empty single-line item");
}
