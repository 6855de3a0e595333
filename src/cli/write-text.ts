import { open } from "node:fs/promises";

/**
 * Characters written at a time. Profiled: `writeFile(path, text)` turned the 78 MB JSON report
 * of a 105 MB Valgrind log into one 78 MB Buffer on top of the string, at the moment the
 * report's peak memory was reached. Pieces of 1 MiB were still too big: each was a string in
 * V8's large-object space and a Buffer outside the heap, both freed only by a full collection,
 * and the 105 MB report of the 1 GB bench log piled them up at the very end of the run (peak
 * RSS 240-244 MiB, against 210-211 MiB with 64 KiB pieces, which also took 0.4 s less).
 */
export const PIECE = 1 << 16;

/** The text in pieces of about PIECE characters, never cutting a surrogate pair in two. */
export function* piecesOf(text: string): Generator<string> {
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + PIECE, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    yield text.slice(start, end);
    start = end;
  }
}

/**
 * The pieces as they are, counting their UTF-8 bytes into `written.bytes` as they pass: what a
 * format's sizeNotice is asked about, measured on what was written, not estimated.
 */
export function* counted(pieces: Iterable<string>, written: { bytes: number }): Generator<string> {
  for (const piece of pieces) {
    written.bytes += Buffer.byteLength(piece);
    yield piece;
  }
}

/** Small pieces (a record each) joined up to about PIECE characters: fewer, larger writes. */
export function* batched(pieces: Iterable<string>): Generator<string> {
  let batch = "";
  for (const piece of pieces) {
    batch += piece;
    if (batch.length >= PIECE) {
      yield batch;
      batch = "";
    }
  }
  if (batch !== "") yield batch;
}

/**
 * Writes a report's pieces to a file (created or truncated), about PIECE characters a write.
 * The next piece is made while the last one is written: waiting for each write before making
 * the next left the main thread idle for a tenth of writing the 105 MB bench log's report.
 * At most one write is in flight, so at most two pieces are alive.
 */
export async function writeTextFile(path: string, pieces: Iterable<string>): Promise<void> {
  const handle = await open(path, "w");
  let writing: Promise<void> = Promise.resolve();
  try {
    // Each writeFile on a handle writes all of its piece at the current position, so the
    // writes, one after the other, keep the pieces' order.
    for (const piece of batched(pieces)) {
      await writing;
      writing = handle.writeFile(piece);
    }
    await writing;
  } finally {
    // A failed write (disk full) is the error to report, not an unhandled rejection.
    await writing.catch(() => undefined);
    await handle.close();
  }
}

/** Writes a report's pieces to a stream (stdout is synchronous for files and pipes). */
export function writeText(
  stream: { write(text: string): unknown },
  pieces: Iterable<string>,
): void {
  for (const piece of batched(pieces)) stream.write(piece);
}
