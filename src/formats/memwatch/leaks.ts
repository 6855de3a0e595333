import type { IToken } from "chevrotain";
import { safeInteger } from "../../../grammars/numbers.js";
import { closesDump, parseDump } from "../../../grammars/memwatch/dump.js";
import type { Fields } from "../../../grammars/memwatch/fields.js";
import type { Details, Frame } from "../../model/index.js";
import type { ErrorDraft, LeakDraft } from "../types.js";
import { fieldsOf, lineOf } from "./frames.js";
import type { Sessions } from "./session.js";
import { unitFactor } from "./statistics.js";
import type { UnfreedLine } from "./unfreed-bytes.js";

/** The dump text of an entry: the `{...` of its line plus any wrapped continuation lines. */
function dumpText(head: IToken, continuation: readonly IToken[]): string | undefined {
  const start = fieldsOf(head)["dump"];
  if (start === undefined && continuation.length === 0) return undefined;
  let text = start ?? "";
  for (const part of continuation) {
    // A dump that lost its line head starts at `{` (memwatch.md 5.9 shape, wrapped at the TAB).
    const image = text === "" ? part.image.trimStart().replace(/^\{/, "") : part.image;
    text += image;
  }
  return text;
}

/** Adds the dump's fields to `details` (in place: this runs for every leak of a big log). */
function addDump(details: Details, text: string | undefined): void {
  if (text === undefined) {
    details["dumpMissing"] = true;
    return;
  }
  const dump = parseDump(text);
  details["dump"] = dump.hex;
  details["ascii"] = dump.ascii;
  if (!closesDump(text)) details["dumpTruncated"] = true;
}

/** An unfreed line's size: in bytes, and as printed when that is in other units. */
export interface UnfreedSize {
  bytes: number;
  /** `SIZE` and its unit as printed (`3kb`), for a size not printed in bytes. */
  printedSize: string | undefined;
}

/**
 * The size of an unfreed line's fields; undefined for a line cut mid-way (memwatch.md 6.2), a
 * shape no copy was seen to print, or a size past 2^53 (grammars/numbers.ts).
 */
export function unfreedSize(f: Fields): UnfreedSize | undefined {
  const factor = unitFactor(f["unit"]);
  const bytes = (safeInteger(f["size"] ?? "") ?? NaN) * (factor ?? NaN);
  if (!Number.isSafeInteger(bytes)) return undefined;
  return { bytes, printedSize: factor !== 1 ? `${f["size"]}${f["unit"] ?? ""}` : undefined };
}

/**
 * A leak's details up to its guard marks and dump. One literal shape, in the order the report
 * has always written: added keys would make the object a dictionary on this per-leak path.
 */
function unfreedDetails(
  allocNumber: number | undefined,
  address: string,
  size: UnfreedSize,
): Details {
  const details: Details = allocNumber !== undefined ? { allocNumber, address } : { address };
  if (size.printedSize !== undefined) details["printedSize"] = size.printedSize;
  return details;
}

/**
 * The leak of an unfreed line. MEMWATCH lists what was never freed at exit; it cannot tell
 * reachable from lost, so every block is "definitely-lost" with toolKind "unfreed" and one block.
 */
function unfreedLeak(bytes: number, stack: Frame[], details: Details, line: number): LeakDraft {
  return {
    type: "leak",
    tool: "memwatch",
    kind: "definitely-lost",
    toolKind: "unfreed",
    bytes,
    directBytes: bytes,
    indirectBytes: 0,
    blocks: 1,
    stack,
    details,
    line,
  };
}

/** `unfreed:` -> a leak (see unfreedLeak). */
export function mapUnfreed(
  head: IToken,
  continuation: readonly IToken[],
  sessions: Sessions,
): void {
  const f = fieldsOf(head);
  const line = lineOf(head);
  if (f["trace"] !== undefined) sessions.text(line, f["trace"]);
  const size = unfreedSize(f);
  if (size === undefined) {
    sessions.sink.unrecognized(line, head.image, sessions.session?.pid);
    return;
  }
  const details = unfreedDetails(safeInteger(f["n"] ?? ""), f["address"] ?? "", size);
  if (f["underflowed"] === "1") details["underflowed"] = true;
  if (f["overflowed"] === "1") details["overflowed"] = true;
  addDump(details, dumpText(head, continuation));
  const draft = unfreedLeak(size.bytes, sessions.sites.at(f["file"], f["line"]), details, line);
  // Every unfreed block counts as an anomaly (memwatch.md 5.9).
  sessions.finding(draft, true);
  guardDamage(head.image, draft, sessions);
}

/**
 * An unfreed line read from its bytes (see UnfreedBytes), which has no guard marks: the leak
 * mapUnfreed makes of that line.
 */
export function mapUnfreedLine(read: UnfreedLine, line: number, sessions: Sessions): void {
  const { head } = read;
  const details = unfreedDetails(read.allocNumber, read.address, head.size);
  addDump(details, read.dump);
  sessions.finding(unfreedLeak(head.size.bytes, head.stack, details, line), true);
}

/** The unfreed line's marks of damaged guards, and the error kind each is. */
const GUARD_FLAGS = [
  ["overflowed", "Overflow"],
  ["underflowed", "Underflow"],
] as const;

/**
 * An unfreed block whose guard bytes were written over (`[overflowed]`, `[underflowed]`) is an
 * Overflow or Underflow as well as a leak: MEMWATCH checks guards at free(), which never came,
 * so it says so only here. Kept in the leak's details alone, a block written past its end and
 * never freed passed `--fail-on Overflow`. Not counted again: the block is one anomaly.
 */
function guardDamage(image: string, leak: LeakDraft, sessions: Sessions): void {
  for (const [flag, kind] of GUARD_FLAGS) {
    if (leak.details?.[flag] !== true) continue;
    const draft: ErrorDraft = {
      type: "error",
      tool: "memwatch",
      kind,
      message: tidyUnfreed(image),
      stack: leak.stack,
      aux: [],
      count: 1,
      details: { unfreed: true },
      line: leak.line,
    };
    sessions.finding(draft, false);
  }
}

/** The unfreed line without its dump: `unfreed: <4> x.c(9), 24 bytes at 0x… [overflowed]`. */
function tidyUnfreed(image: string): string {
  const dump = image.indexOf("\t");
  return (dump < 0 ? image : image.slice(0, dump)).trimEnd();
}
