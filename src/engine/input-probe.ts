/*
 * Whether an input is a text log at all, judged by its first bytes before any line is read.
 */

/** At most this many bytes after an opening hole are judged. */
export const BINARY_PROBE_BYTES = 8192;
/** At least this many bytes are judged, up to the line end after them. */
const PROBE_MIN_BYTES = 256;

/** The held first bytes of an input, and whether they are a text log. */
export interface ProbeVerdict {
  head: Buffer;
  /** How many NUL bytes open the input (see InputProbe). */
  hole: number;
  /** Why the input is not a text log, or undefined. */
  reason?: string;
}

/**
 * Holds an input's first bytes until there are enough to judge: up to the first line end after
 * byte 256 past an opening hole (or 8 KiB past it, or the end of the input). The judged span
 * depends on the content only, so chunking never changes the verdict, and a live pipe waits
 * for one line at most.
 *
 * NUL bytes that open the input are a hole, judged by what follows them: with
 * `--trace-children=yes`, one `--log-file` and `-q`, a child that wrote nothing empties the log,
 * and its parent, which had written an error before running it, goes on past the file's new
 * end (test/fixtures/valgrind/log-file-shared/hole-first): such a log was refused as binary,
 * its leak report unread. A hole longer than the line cap (`maxHole`) cannot be read past.
 */
export class InputProbe {
  private held: Buffer[] = [];
  private heldBytes = 0;
  private hole = 0;
  private holeEnded = false;

  constructor(private readonly maxHole: number) {}

  /** Holds the chunk; true once the held bytes can be judged. */
  add(bytes: Buffer): boolean {
    if (!this.holeEnded) {
      const nuls = leadingNulBytes(bytes);
      this.hole += nuls;
      this.holeEnded = nuls < bytes.byteLength;
    }
    this.held.push(bytes);
    this.heldBytes += bytes.byteLength;
    const past = this.heldBytes - this.hole;
    if (this.hole >= this.maxHole || past >= BINARY_PROBE_BYTES) return true;
    if (past <= PROBE_MIN_BYTES) return false;
    const held = Buffer.concat(this.held, this.heldBytes);
    this.held = [held];
    return held.indexOf(10, this.hole + PROBE_MIN_BYTES) !== -1;
  }

  /** The held bytes, and the verdict on them. */
  release(): ProbeVerdict {
    const head = Buffer.concat(this.held, this.heldBytes);
    this.held = [];
    const hole = this.hole;
    const nl = head.indexOf(10, hole + PROBE_MIN_BYTES);
    const limit = hole + BINARY_PROBE_BYTES;
    const judged = nl !== -1 && nl < limit ? nl + 1 : limit;
    const span = head.subarray(hole, Math.min(judged, head.byteLength));
    // NULs and nothing after them (a zeroed file) are no log.
    const reason =
      span.byteLength > 0
        ? binaryReason(span)
        : hole > 0
          ? "binary data, not a text log"
          : undefined;
    return { head, hole, ...(reason !== undefined ? { reason } : {}) };
  }
}

function leadingNulBytes(bytes: Uint8Array): number {
  let at = 0;
  while (at < bytes.byteLength && bytes[at] === 0) at += 1;
  return at;
}

const MAGIC: readonly (readonly [readonly number[], string])[] = [
  // Files and streams are decompressed before they come here (see GzipInput).
  [[0x1f, 0x8b], "gzip-compressed data inside gzip-compressed data: decompress it first"],
  [[0x28, 0xb5, 0x2f, 0xfd], "zstd-compressed data: decompress it first"],
  [[0x42, 0x5a, 0x68], "bzip2-compressed data: decompress it first"],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a], "xz-compressed data: decompress it first"],
  [[0x50, 0x4b, 0x03, 0x04], "a zip archive, not a log: unpack it first"],
  [[0x7f, 0x45, 0x4c, 0x46], "an executable (ELF), not a log"],
];

/**
 * Why the first bytes are not a text log, or undefined. A stray NUL or control byte can occur
 * in program output mixed into a log, so only a known magic number or a share of control bytes
 * above 1 in 20 counts as binary (text logs have next to none; random bytes about 1 in 10).
 */
function binaryReason(chunk: Uint8Array): string | undefined {
  for (const [magic, reason] of MAGIC) {
    if (magic.every((byte, i) => chunk[i] === byte)) return reason;
  }
  const end = Math.min(chunk.byteLength, BINARY_PROBE_BYTES);
  let control = 0;
  for (let i = 0; i < end; i += 1) if (isControl(chunk[i] as number)) control += 1;
  if (control * 20 <= end) return undefined;
  // A log's first lines are text: Valgrind's preamble, then a program's fwrite of a struct
  // ("alice" and 27 NULs), which made a complete log "binary data" (campaign bi). Random bytes
  // hold a line end every 256 bytes and a control byte every 10: two whole clean lines at the
  // start are next to impossible there.
  return cleanLinesAtStart(chunk, end) >= 2 ? undefined : "binary data, not a text log";
}

function isControl(b: number): boolean {
  return b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 27 && b !== 12 && b !== 8;
}

/** How many non-empty lines, ended by LF, start the chunk with no control byte in them. */
function cleanLinesAtStart(chunk: Uint8Array, end: number): number {
  let lines = 0;
  let length = 0;
  for (let i = 0; i < end; i += 1) {
    const b = chunk[i] as number;
    if (b === 10) {
      if (length > 0) lines += 1;
      length = 0;
    } else if (isControl(b)) return lines;
    else if (b !== 13) length += 1;
  }
  return lines;
}
