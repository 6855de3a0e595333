import type { IToken } from "chevrotain";
import { safeInteger } from "../../../grammars/numbers.js";
import {
  groupsOf,
  splitFrameLine,
  type BacktraceCstNode,
  type ExpiryEntryCstNode,
  type FrameFields,
  type NullAllocEntryCstNode,
  type StatsBlockCstNode,
} from "../../../grammars/memleax/index.js";
import type { Frame } from "../../model/index.js";
import { boundedName } from "../bounded-names.js";

/** `CallStack[N]: memory expires with X bytes, backtrace:` and its stack. */
export interface ExpiryEntry {
  id: number;
  /** Size of the block that expired, bytes (signed in the tool: `%zd`). */
  size: number;
  /** 1-based log line of the header. */
  line: number;
  stack: Frame[];
}

/** `Warning: alloc returns NULL at` and its stack. */
export interface NullAllocEntry {
  line: number;
  stack: Frame[];
}

/** A count of blocks and their bytes, as a report line prints them (may be negative: §4). */
export interface RawAmount {
  blocks: number;
  bytes: number;
}

/** One `CallStack[N]: may-leak=...` block of the final report, numbers as printed. */
export interface StatsEntry {
  id: number;
  line: number;
  mayLeak: RawAmount;
  expired?: RawAmount;
  freeExpired?: RawAmount;
  alloc?: RawAmount;
  free?: RawAmount;
  /** Whole seconds. */
  freedLive?: { min: number; max: number; average: number };
  /** Whole seconds: age of the oldest block of this stack still live. */
  unfreedLiveMax?: number;
  stack: Frame[];
}

/**
 * The count at group `index`. classifyLine lets only safe integers through (grammars/numbers.ts);
 * a token that the parser's error recovery inserted for a missing line has none: undefined.
 */
const num = (token: IToken, index: number): number | undefined =>
  safeInteger(groupsOf(token)[index] ?? "");

/** Turns printed frame fields into a model frame; `??` (anonymous code) has no object. */
export function toFrame(fields: FrameFields): Frame {
  const frame: Frame = { ip: fields.address };
  if (fields.module !== undefined && fields.module !== "??")
    frame.object = boundedName(fields.module);
  if (fields.func !== undefined) frame.function = boundedName(fields.func);
  if (fields.file !== undefined) frame.file = boundedName(fields.file);
  if (fields.line !== undefined) frame.line = fields.line;
  return frame;
}

/** The frame of one frame-line token. */
export function frameOf(token: IToken): Frame {
  return toFrame(splitFrameLine(token.image) ?? { address: token.image.trim() });
}

function stackOf(nodes: readonly BacktraceCstNode[] | undefined): Frame[] {
  const tokens = nodes?.[0]?.children.FrameLine ?? [];
  return tokens.map(frameOf);
}

/** CST of an expiry entry to its facts. */
export function visitExpiryEntry(node: ExpiryEntryCstNode): ExpiryEntry {
  const header = node.children.ExpireFirst[0] as IToken;
  return {
    id: num(header, 0) ?? 0,
    size: num(header, 1) ?? 0,
    line: header.startLine ?? 0,
    stack: stackOf(node.children.backtrace),
  };
}

/** CST of a NULL-allocation warning to its facts. */
export function visitNullAllocEntry(node: NullAllocEntryCstNode): NullAllocEntry {
  const header = node.children.NullAlloc[0] as IToken;
  return { line: header.startLine ?? 0, stack: stackOf(node.children.backtrace) };
}

function pair(tokens: IToken[] | undefined, first: number): RawAmount | undefined {
  const token = tokens?.[0];
  const blocks = token !== undefined ? num(token, first) : undefined;
  const bytes = token !== undefined ? num(token, first + 1) : undefined;
  return blocks !== undefined && bytes !== undefined ? { blocks, bytes } : undefined;
}

/** CST of a report block to its facts; counter lines the block lacks stay undefined. */
export function visitStatsBlock(node: StatsBlockCstNode): StatsEntry {
  const c = node.children;
  const head = c.StatsHead[0] as IToken;
  const entry: StatsEntry = {
    id: num(head, 0) ?? 0,
    line: head.startLine ?? 0,
    mayLeak: { blocks: num(head, 1) ?? 0, bytes: num(head, 2) ?? 0 },
    stack: stackOf(c.backtrace),
  };
  const parts = {
    expired: pair(c.StatsExpired, 0),
    freeExpired: pair(c.StatsExpired, 2),
    alloc: pair(c.StatsAlloc, 0),
    free: pair(c.StatsAlloc, 2),
  };
  for (const [key, value] of Object.entries(parts)) {
    if (value !== undefined) entry[key as keyof typeof parts] = value;
  }
  const live = c.StatsFreedLive?.[0];
  const [min, max, average] = live !== undefined ? [0, 1, 2].map((i) => num(live, i)) : [];
  if (min !== undefined && max !== undefined && average !== undefined) {
    entry.freedLive = { min, max, average };
  }
  const unfreed = c.StatsUnfreedLive?.[0];
  const unfreedLiveMax = unfreed !== undefined ? num(unfreed, 0) : undefined;
  if (unfreedLiveMax !== undefined) entry.unfreedLiveMax = unfreedLiveMax;
  return entry;
}
