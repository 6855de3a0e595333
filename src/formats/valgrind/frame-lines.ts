import { KnownBytes, type Follower, type Known } from "../../engine/known-bytes.js";
import type { KnownFrame } from "../../engine/shared-stacks.js";
import {
  threadToolOfFrame,
  type ThreadTool,
} from "../../../grammars/valgrind/thread-tool-lines.js";
import { parseFrame } from "./fields.js";
import { findGluedPrefix } from "./prefix.js";

/** A frame line's body as the text path would have cut it, and its frame, parsed once. */
export interface KnownFrameLine extends KnownFrame {
  text: string;
  /** The line is in Helgrind's or DRD's intercepts: another tool's process (see OtherTools). */
  threadTool: ThreadTool | undefined;
}

/**
 * Frame line bodies (`   at 0x4C2FB0F: malloc (vg_replace_malloc.c:299)`) found from the log's
 * bytes (see KnownBytes), each distinct one decoded and parsed once. Frames are shared by
 * every record that has the line: nothing in leaklog changes a frame once made (see
 * Detacher), and a caller of the API must not either.
 */
export class FrameLines {
  private readonly known = new KnownBytes<KnownFrameLine>(
    (text, id) =>
      holdsPrefix(text)
        ? undefined
        : { id, text, frame: parseFrame(text), threadTool: threadToolOfFrame(text) },
    MAX_FRAME_LINES,
  );

  /** Whether no new line is kept (see KnownBytes.full). */
  get full(): boolean {
    return this.known.full;
  }

  /**
   * The known line of the ASCII bytes `buf[start, end)`, or undefined (read it as text).
   * `after`: the process's frame line just before, or what stands for the line before its
   * first frame (see KnownBytes.find).
   */
  find(
    buf: Uint8Array,
    start: number,
    end: number,
    after?: Follower<KnownFrameLine>,
  ): Known<KnownFrameLine> | undefined {
    return this.known.find(buf, start, end, after);
  }
}

/**
 * Whether a frame line's text holds a prefix, another process's line glued after its cut (see
 * mayHideGluedLine): such a line is not kept, and is read as text, where the glued line is
 * found. Only a line not yet known comes here, once: a line found again from its bytes holds
 * none, and costs no search (the 105 MB text bench log's 1.46 million frame lines are 3,625
 * distinct ones).
 */
function holdsPrefix(text: string): boolean {
  return text.includes("==") && findGluedPrefix(text, 0, anyPrefix) !== undefined;
}

const anyPrefix = (): boolean => true;

/**
 * Distinct frame lines kept (about 400 bytes each with their frame and words): a bound on a log
 * whose frames never repeat, which then reads the rest of its frames as text, as before.
 */
const MAX_FRAME_LINES = 1 << 14;

/** Whether the body at `start` begins as classifyLine's frame lines do: `  ?at 0x` or `  ?by 0x`. */
export function isFrameLineStart(buf: Uint8Array, start: number, end: number): boolean {
  if (end - start < 8 || buf[start] !== 32 || buf[start + 1] !== 32) return false;
  const a = buf[start + 3];
  const b = buf[start + 4];
  const atOrBy = (a === 97 && b === 116) || (a === 98 && b === 121);
  return atOrBy && buf[start + 5] === 32 && buf[start + 6] === 48 && buf[start + 7] === 120;
}
