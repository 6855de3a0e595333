import { ByteCursor, bytesOf } from "../../../grammars/bytes.js";
import { decodeEntities } from "../../../grammars/valgrind-xml/tokenizer.js";
import { LEAVES_OF } from "../../../grammars/valgrind-xml/vocabulary.js";
import { KnownBytes, type Known } from "../../engine/known-bytes.js";
import type { KnownFrame } from "../../engine/shared-stacks.js";
import { toFrame } from "./nodes.js";
import { NO_CHILDREN, type XNode } from "./tree.js";

/** A `<frame>` block read once: its lines, its leaves as the tree builds them, its frame. */
export interface KnownFrameBlock extends KnownFrame {
  lines: number;
  /**
   * The leaves' nodes, shared by every occurrence of the block; their `line` is the first
   * occurrence's (nothing reads a frame leaf's line: records, repairs and diagnostics name the
   * lines of records and open elements).
   */
  children: XNode[];
}

/**
 * Bytes of a frame block at most (Valgrind's are 150-400, with long C++ names about 2,000).
 * The engine gives a parser its byte path only with a line limit of 64 KiB or more, so every
 * line of a block is one the splitter hands over whole (see LineParser.asciiLine).
 */
const MAX_BLOCK = 4096;
/**
 * Distinct blocks kept (about 1.5 KB each with their words, leaves and frame): a bound for a
 * log whose frames never repeat, whose later blocks are then read as text. Measured on 320,000
 * distinct frames: 32,768 blocks kept cost 70 MB of peak memory over the text path.
 */
const MAX_FRAME_BLOCKS = 1 << 13;

const OPEN = bytesOf("<frame>");
const CLOSE = Buffer.from("</frame>", "latin1");
const FRAME_LEAVES = LEAVES_OF.get("frame") ?? new Set<string>();

/**
 * Valgrind XML's `<frame>` blocks, found from the log's bytes (see KnownBytes): most of an XML
 * log's lines are the seven or eight of a frame, and a log repeats its few thousand frames in
 * every record. A block of the simple shape (`<frame>`, one `<name>text</name>` leaf per
 * line, `</frame>`, indented with spaces) that lies whole in the chunk is read in one step;
 * anything else is read line by line as text, as before.
 */
export class FrameBlocks {
  /** `known`: the blocks known so far, this parse's own or a run's (see ParseReuse). */
  constructor(private readonly known = frameBlockTable()) {}

  /** The first `</frame>` at or after the last search's start, in `closesIn` (-1: none). */
  private nextClose = -1;
  private closesIn: Uint8Array | undefined;
  private searchedFrom = 0;

  /**
   * The block that the line `buf[start, end)` opens, if it is `<frame>` and its block is
   * known or new and simple; `after` is the block just before it in its stack, if any (see
   * KnownBytes.find). Never searches a chunk's bytes twice: a hostile log of `<frame>`
   * lines and no `</frame>` costs one search per chunk.
   */
  at(
    buf: Buffer,
    start: number,
    end: number,
    after?: Known<KnownFrameBlock>,
  ): Known<KnownFrameBlock> | undefined {
    if (!isOpenLine(buf, start, end)) return undefined;
    // The next frame of a known stack: no search for its `</frame>`, whose place is known.
    const next = this.known.following(buf, start, after);
    if (next !== undefined && buf[start + next.length] === 10) return next;
    const close = this.closeAfter(buf, end);
    if (close < 0 || close - start > MAX_BLOCK || buf[close + CLOSE.length] !== 10)
      return undefined;
    return this.known.find(buf, start, close + CLOSE.length, after);
  }

  private closeAfter(buf: Buffer, from: number): number {
    const known = buf === this.closesIn && from >= this.searchedFrom;
    if (known && (this.nextClose < 0 || this.nextClose >= from)) return this.nextClose;
    this.closesIn = buf;
    this.searchedFrom = from;
    this.nextClose = buf.indexOf(CLOSE, from);
    return this.nextClose;
  }
}

/** `<frame>` alone on its line, after spaces. */
function isOpenLine(buf: Uint8Array, start: number, end: number): boolean {
  const cursor = new ByteCursor(buf, start, end);
  cursor.skipAll(32);
  return cursor.literal(OPEN) && cursor.atEnd();
}

const OPEN_LINE = /^ *<frame>$/;
const CLOSE_LINE = /^ *<\/frame>$/;
const LEAF_LINE = /^ *<([a-z]+)>([^<]*)<\/([a-z]+)>$/;

/** A table of known frame blocks, for FrameBlocks; full once it keeps no new block. */
export function frameBlockTable(): KnownBytes<KnownFrameBlock> {
  return new KnownBytes<KnownFrameBlock>(readBlock, MAX_FRAME_BLOCKS);
}

/**
 * A new block's lines, read as the tokenizer's and tree's fast paths read them (a leaf's text
 * is its raw text with entities decoded); undefined for any other shape.
 */
function readBlock(text: string, id: number): KnownFrameBlock | undefined {
  const lines = text.split("\n");
  if (!OPEN_LINE.test(lines[0] ?? "") || !CLOSE_LINE.test(lines.at(-1) ?? "")) return undefined;
  const children: XNode[] = [];
  for (let i = 1; i < lines.length - 1; i += 1) {
    const leaf = LEAF_LINE.exec(lines[i] as string);
    const name = leaf?.[1];
    if (leaf === null || name === undefined || leaf[3] !== name || !FRAME_LEAVES.has(name))
      return undefined;
    children.push({
      name,
      line: i + 1,
      text: decodeEntities(leaf[2] ?? ""),
      children: NO_CHILDREN,
    });
  }
  const node: XNode = { name: "frame", line: 1, text: "", children };
  return { id, lines: lines.length, children, frame: toFrame(node) };
}
