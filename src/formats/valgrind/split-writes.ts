import {
  FRAME_LINE_HEAD,
  classifyLine,
  isFrameLineBody,
} from "../../../grammars/valgrind/line-kinds.js";
import * as T from "../../../grammars/valgrind/line-kinds.js";
import { splitPrefix } from "./prefix.js";

/**
 * Valgrind formats a message into a 512-byte buffer and writes it out whenever it fills
 * (m_libcprint.c), so a longer line (a C++ frame, a long function name) leaves in writes of
 * 512 bytes and a last one. Processes sharing one log (a fork without exec and one
 * --log-file) write between those writes: strace shows it, and every cut of a real log
 * (/tmp-made fork logs, test/fixtures/valgrind/split-writes) lay at byte 512 of its line.
 */
export const WRITE_BYTES = 512;

/**
 * How many of a line's write ends a held head's rest is looked for at (see read): a hostile
 * 20 MB line after a held head would otherwise be read whole 40,000 times.
 */
const MAX_TAIL_TRIES = 16;

/** Heads held at most (see SplitWrites.hold); real fork logs held two or three at once. */
const MAX_HELD = 64;

/**
 * Log lines a head waits for its rest at most: a real one came 775 lines later (its process
 * descheduled for 12 ms while two others wrote); a hostile million lines of program output
 * ending in `)` were each tried against a held head.
 */
const MAX_WAIT = 8192;

/** A line's first writes, held until the rest of it comes. */
interface HeldHead {
  pid: number;
  text: string;
  lineNo: number;
  /**
   * For a whole line that may be a head cut by the program's own output (see read): where its
   * Valgrind writes may end, the program's text after that end. Absent for a head a prefix cut.
   */
  ends?: readonly number[];
}

/** Gives a logical line to read: its text and the log line it started on. */
export type LineReader = (text: string, lineNo: number) => void;

/**
 * Puts back together the Valgrind lines that processes sharing a log cut into each other's
 * writes (see WRITE_BYTES): `==8013==    at 0x10B2C1: fn012_xxx… (h.c:16==8014==    at …`
 * then, lines later, `)` alone. Without it, the head was read as a frame named with the other
 * process's line, the tail as the program's output, and the other process's line was lost
 * (a fork log of 600 errors lost 28 of them, with 100 "line not understood").
 *
 * A prefixed line that another prefix follows at exactly byte 512 is held as a head; a later
 * line with no prefix is the rest of the held head with which it makes a whole frame line
 * (ending as Valgrind ends one: `(file:line)`, `(in object)`, `???`) that names a place whole
 * frame lines of the log name too: the program's own output comes between the writes as well.
 * A line starting with a prefix and running on past byte 512 is taken as written, unless the
 * part after one of its writes completes a held head so and the line itself does not (both
 * processes' heads came before either rest). A long frame line of a place no whole frame line
 * named, or with a line shaped as one the program printed at a write end, or unlike what its
 * address printed before, is held too, whole (see HeldHead.ends): the program's line or
 * another's head may have come at one of its write ends. Of the heads a rest completes, the
 * one it makes a frame printed whole before is taken (see printed). A held head whose rest
 * never comes goes out as it is when its process writes its next line (a process writes its
 * lines in order), or at the end.
 */
export class SplitWrites {
  private readonly held: HeldHead[] = [];
  /**
   * The source files and objects that whole frame lines read here named (see placeOf): of two
   * pieces that both make a frame, the one naming a place the log names elsewhere is taken
   * (`(pai` and `(p` held, `air.c:47)` comes: `(pair.c:47)`, not `(paiair.c:47)`).
   */
  private readonly places = new Set<string>();
  /**
   * The whole long frame lines read here, by their code address and text (see frameKey):
   * processes of one program print a call site alike, so a head that a rest makes into a frame
   * printed whole before is that rest's, of two heads it completes (cut inside runs of `x`s,
   * their names swapped ends before). Only ever evidence for a join, never against one: with
   * inlined calls Valgrind prints several frames at one address.
   */
  private readonly printed = new Set<string>();
  /** The code addresses of those lines (see contradictsPrint). */
  private readonly printedAt = new Set<string>();
  /**
   * The shapes (see shapeOf) of the program's own lines that end as a frame line may: a long
   * frame line of a known place with one at a write end may still be a head that such a line
   * cut (`...xxx[info] step 8 done (fk6.c:42)` of a `__FILE__` logger, its rest `xxx (u00.h:1)`
   * on a later line), as the program printed that line whole before.
   */
  private readonly programShapes = new Set<string>();

  /** Whether `text` may need putting together: a head is held, or the line is long enough. */
  mayHold(text: string): boolean {
    return this.held.length > 0 || text.length > WRITE_BYTES / 3;
  }

  /** True while a head waits for its rest: lines must then come through read(). */
  get holding(): boolean {
    return this.held.length > 0;
  }

  /** Reads one log line, giving `read` the whole Valgrind lines (and other text) it holds. */
  read(text: string, lineNo: number, read: LineReader): void {
    this.expire(lineNo, read);
    let rest = text;
    // `rest` is always `text` from one of its write ends on, so its write ends are the line's,
    // shifted: counted once, when first needed. Counted again for each piece, a line cut at every
    // write end (1 MB, 2,048 pieces) cost 3.5 s, quadratic in its length (campaign bm F3).
    let lineEnds: number[] | undefined;
    let first = 0;
    for (;;) {
      const prefixed = splitPrefix(rest);
      if (prefixed === undefined && this.held.length === 0) return read(rest, lineNo);
      lineEnds ??= writeEnds(text);
      const offset = text.length - rest.length;
      while (first < lineEnds.length && (lineEnds[first] as number) <= offset) first += 1;
      const ends = lineEnds.slice(first).map((end) => end - offset);
      const cut = ends.find((end) => splitPrefix(rest, end) !== undefined);
      if (prefixed === undefined) {
        // Middle writes of a line longer than two writes, cut again by another's line.
        const cutHead = this.held.find((head) => head.ends === undefined);
        if (cut !== undefined && cutHead !== undefined) {
          cutHead.text += rest.slice(0, cut);
          rest = rest.slice(cut);
          continue;
        }
        // The program's own output comes between writes too (`[info] done (server.c:42)`
        // made a frame of it): only a place the log names elsewhere makes a line a rest.
        const completed = mayEndAFrame(rest) ? this.headCompletedBy(rest) : undefined;
        if (completed === undefined) return read(rest, lineNo);
        return this.join(completed, rest, read);
      }
      this.release(prefixed.pid, read);
      if (cut !== undefined) {
        this.hold({ pid: prefixed.pid, text: rest.slice(0, cut), lineNo }, read);
        rest = rest.slice(cut);
        continue;
      }
      if (ends.length > 0 && this.held.length > 0 && this.readAsTwo(rest, ends, lineNo, read))
        return;
      // A long frame line of a place the log names nowhere else may be a head that the
      // program's own output cut (`...xxx[info] step 39 done (server.c:42)`, the rest
      // `xxx (fk.c:12)` on a later line), and so may one whose text at a write end is shaped
      // as a line the program printed whole, or that says at an address other than a whole
      // line said (another's head and this one's rest, or inlining): held until its process
      // writes again.
      const tries = ends.slice(0, MAX_TAIL_TRIES);
      if (
        ends.length > 0 &&
        isFrameLineBody(prefixed.body) &&
        (!this.completesFrame(rest) ||
          this.programLineAtAnEnd(rest, tries) ||
          this.contradictsPrint(rest))
      ) {
        this.hold({ pid: prefixed.pid, text: rest, lineNo, ends: tries }, read);
        return;
      }
      this.remember(prefixed.body);
      return read(rest, lineNo);
    }
  }

  /**
   * Reads `line`, which runs on past its first write while a head is held, as its own first
   * writes (then held) and the rest of a held head, when that completes a frame and `line`
   * itself does not: both heads came before either rest. False when `line` is read as it is.
   * Only the first few write ends are tried: each try reads the rest whole.
   */
  private readAsTwo(
    line: string,
    ends: readonly number[],
    lineNo: number,
    read: LineReader,
  ): boolean {
    if (!mayEndAFrame(line) || this.printedWhole(line)) return false;
    // A line that is a frame line itself is taken apart only where a head held since the line
    // before and the line's tail make a frame printed whole before (see printed): a rest comes
    // at another's write end only while both processes write, and a whole line was once cut in
    // two for a head held 181 lines before, one half a truncated name (campaign v8).
    const whole = this.completesFrame(line);
    for (const cut of ends.slice(0, MAX_TAIL_TRIES)) {
      const tail = line.slice(cut);
      const completed = this.headCompletedBy(tail, whole ? lineNo - 1 : 0);
      if (completed === undefined) continue;
      if (whole && !this.printedWhole(completed.head.text.slice(0, completed.end) + tail)) continue;
      const prefixed = splitPrefix(line) as { pid: number };
      this.held.push({ pid: prefixed.pid, text: line.slice(0, cut), lineNo });
      this.join(completed, tail, read);
      return true;
    }
    return false;
  }

  /**
   * Reads a held head's writes up to `end` with `tail`, its rest, and what came after those
   * writes (a whole line's, see HeldHead.ends) as the program's.
   */
  private join({ head, end }: Completed, tail: string, read: LineReader): void {
    this.held.splice(this.held.indexOf(head), 1);
    read(head.text.slice(0, end) + tail, head.lineNo);
    if (end === head.text.length) return;
    // After a whole line's write end: the program's line, or another head's rest.
    const after = head.text.slice(end);
    const completed = mayEndAFrame(after) ? this.headCompletedBy(after) : undefined;
    if (completed === undefined) read(after, head.lineNo);
    else this.join(completed, after, read);
  }

  /**
   * Holds `head`, giving out the oldest held one past MAX_HELD: each line without a prefix is
   * tried with every held head, and a hostile log could cut thousands.
   */
  private hold(head: HeldHead, read: LineReader): void {
    this.held.push(head);
    if (this.held.length > MAX_HELD) this.giveOut(this.held.shift() as HeldHead, read);
  }

  /** Gives out the heads held for more than MAX_WAIT lines: their rest is not coming. */
  private expire(lineNo: number, read: LineReader): void {
    while (this.held.length > 0 && lineNo - (this.held[0] as HeldHead).lineNo > MAX_WAIT) {
      this.giveOut(this.held.shift() as HeldHead, read);
    }
  }

  /** Gives out the heads whose rest never came (the log ends). */
  end(read: LineReader): void {
    for (const head of this.held.splice(0)) this.giveOut(head, read);
  }

  /**
   * The held head that `tail` completes as a frame (see completesFrame), and where the head's
   * writes end: a whole line's last end that does (see HeldHead.ends), as the writes before it
   * were Valgrind's. A frame printed whole before (see printed) is taken first, then the first
   * head a prefix cut, then the first whole line held. Only heads held since `heldSince` (a
   * line number) are tried.
   */
  private headCompletedBy(tail: string, heldSince = 0): Completed | undefined {
    let cutHead: Completed | undefined;
    let wholeLine: Completed | undefined;
    for (const head of this.held) {
      if (head.lineNo < heldSince) continue;
      const ends = head.ends ?? [head.text.length];
      for (let i = ends.length - 1; i >= 0; i -= 1) {
        const end = ends[i] as number;
        const line = head.text.slice(0, end) + tail;
        if (!this.completesFrame(line)) continue;
        if (this.printedWhole(line)) return { head, end };
        if (head.ends === undefined) cutHead ??= { head, end };
        else wholeLine ??= { head, end };
      }
    }
    // A head a prefix cut waits for its rest; a whole line held may be one.
    return cutHead ?? wholeLine;
  }

  /** Whether `line` is a frame line that a whole long frame line read here was (see printed). */
  private printedWhole(line: string): boolean {
    const frame = frameKeyOfLine(line);
    return frame !== undefined && this.printed.has(frame.key);
  }

  /** Whether `line` is a frame line at an address whole lines printed as other frames only. */
  private contradictsPrint(line: string): boolean {
    const frame = frameKeyOfLine(line);
    return frame !== undefined && this.printedAt.has(frame.address) && !this.printed.has(frame.key);
  }

  /** Reads a held head as it is: its rest never came, or it was a whole line (see HeldHead). */
  private giveOut(head: HeldHead, read: LineReader): void {
    if (head.ends !== undefined) this.remember(splitPrefix(head.text)?.body ?? "");
    read(head.text, head.lineNo);
  }

  /**
   * Whether `text` is a whole frame line (a prefix, a frame's body, the end Valgrind gives one:
   * `(h.c:16)`, `(in /lib/x.so)`, `???`) that names a place the log named elsewhere: a head cut
   * in a function's name reads as a frame too, and the program's own output may end as a frame
   * does.
   */
  private completesFrame(text: string): boolean {
    const prefixed = splitPrefix(text);
    if (prefixed === undefined || classifyLine(prefixed.body) !== T.FrameLine) return false;
    const place = placeOf(prefixed.body);
    return place !== undefined && this.places.has(place);
  }

  /**
   * Notes a line of the program's own output (not Valgrind's): its shape, when it ends as a
   * frame line may (see programShapes).
   */
  programLine(text: string): void {
    if (this.programShapes.size < MAX_SHAPES && mayEndAFrame(text) && text.length <= WRITE_BYTES)
      this.programShapes.add(shapeOf(text));
  }

  /** Whether the text after one of `line`'s write ends has the shape of a program line seen. */
  private programLineAtAnEnd(line: string, ends: readonly number[]): boolean {
    if (this.programShapes.size === 0) return false;
    return ends.some(
      (end) => line.length - end <= WRITE_BYTES && this.programShapes.has(shapeOf(line.slice(end))),
    );
  }

  /** Keeps the place a whole frame line's `body` names (see places), and its frame (printed). */
  private remember(body: string): void {
    if (!isFrameLineBody(body)) return;
    const place = placeOf(body);
    if (place === undefined) return;
    if (this.places.size < MAX_PLACES) this.places.add(place);
    const frame = frameKey(body);
    if (frame === undefined || this.printed.size >= MAX_PLACES) return;
    this.printed.add(frame.key);
    this.printedAt.add(frame.address);
  }

  /** `pid` writes a new line: its held head's rest will not come, so the head goes out as is. */
  private release(pid: number, read: LineReader): void {
    const index = this.held.findIndex((head) => head.pid === pid);
    if (index === -1) return;
    const [head] = this.held.splice(index, 1) as [HeldHead];
    this.giveOut(head, read);
  }
}

/** A held head that a rest completes, and where the head's own writes end (see join). */
interface Completed {
  head: HeldHead;
  end: number;
}

/** Places kept (see SplitWrites.places): a log names a few hundred files and objects. */
const MAX_PLACES = 4096;

/** Program line shapes kept (see SplitWrites.programShapes). */
const MAX_SHAPES = 1024;

/**
 * A line with its numbers as one `0` each, decimal runs and `0x` hex (a `%p`): a logger's lines
 * differ in their numbers.
 */
function shapeOf(text: string): string {
  return text.replace(/0x[0-9A-Fa-f]+|\d+/g, "0");
}

/**
 * The character indexes at which `text`'s writes of WRITE_BYTES bytes (UTF-8) end, where the
 * text runs on past them: none for a line of one write. An end inside a character is none.
 */
function writeEnds(text: string): number[] {
  const ends: number[] = [];
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    if (bytes > 0 && bytes % WRITE_BYTES === 0 && ends.at(-1) !== i) ends.push(i);
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return ends;
}

/** A source place (no `:` in the file: `(h.c:1:7)` is two cut lines' pieces) or an object. */
const FRAME_PLACE = /^\((?:in [^()]+|([^():]+):\d+)\)$/;

/**
 * What a frame line's body ends with as Valgrind ends a frame: its source file (`h.c` of
 * `(h.c:16)`), its object (`in /lib/x.so`) or `???`; undefined for any other end.
 */
function placeOf(body: string): string | undefined {
  if (body.endsWith("???")) return "???";
  const open = body.lastIndexOf("(");
  const place = open === -1 ? null : FRAME_PLACE.exec(body.slice(open));
  if (place === null) return undefined;
  return place[1] ?? place[0];
}

/**
 * A frame line body's code address, and a key of the address with what Valgrind printed
 * there (the function and its place, hashed with its length: a line may be a MiB long, and
 * thousands are kept): `at` and `by` alike. Undefined for a body that is no frame line.
 */
function frameKey(body: string): { address: string; key: string } | undefined {
  const match = FRAME_LINE_HEAD.exec(body);
  if (match === null) return undefined;
  let hash = 0x811c9dc5;
  for (let i = match[0].length; i < body.length; i += 1)
    hash = Math.imul(hash ^ body.charCodeAt(i), 0x01000193);
  const address = match[1] as string;
  return { address, key: `${address} ${body.length - match[0].length} ${hash >>> 0}` };
}

/** frameKey of a whole log line's body (after its prefix). */
function frameKeyOfLine(line: string): { address: string; key: string } | undefined {
  const prefixed = splitPrefix(line);
  return prefixed === undefined ? undefined : frameKey(prefixed.body);
}

/**
 * Whether `text` ends as a frame line may (`)`, `???`): only such a line can be a held head's
 * rest, and most of a program's output is not tried against every held head.
 */
function mayEndAFrame(text: string): boolean {
  return text.endsWith(")") || text.endsWith("???");
}
