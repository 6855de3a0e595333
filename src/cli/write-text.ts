import { open } from "node:fs/promises";

/**
 * Characters written at a time. Profiled: `writeFile(path, text)` turned the 78 MB JSON report
 * of a 105 MB Valgrind log into one 78 MB Buffer on top of the string, at the moment the
 * report's peak memory was reached.
 */
const PIECE = 1 << 20;

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

/** Writes a report to a file (created or truncated), piece by piece. */
export async function writeTextFile(path: string, text: string): Promise<void> {
  const handle = await open(path, "w");
  try {
    // Each writeFile on a handle writes all of its piece at the current position.
    for (const piece of piecesOf(text)) await handle.writeFile(piece);
  } finally {
    await handle.close();
  }
}

/** Writes a report to a stream piece by piece (stdout is synchronous for files and pipes). */
export function writeText(stream: { write(text: string): unknown }, text: string): void {
  for (const piece of piecesOf(text)) stream.write(piece);
}
