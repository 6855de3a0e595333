import { createReadStream } from "node:fs";

/**
 * Scans that leaklog is measured against (bench/measure.ts). Each folds one function over the
 * lines of a file read in 1 MiB chunks: `visit(chunk, start, end, acc)` for each line's bytes.
 */
async function foldLines(
  file: string,
  visit: (buf: Buffer, start: number, end: number, acc: number) => number,
): Promise<number> {
  let acc = 0;
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(file, {
    highWaterMark: 1 << 20,
  }) as AsyncIterable<Buffer>) {
    const buf = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    let start = 0;
    let nl = buf.indexOf(10, start);
    while (nl !== -1) {
      acc = visit(buf, start, nl, acc);
      start = nl + 1;
      nl = buf.indexOf(10, start);
    }
    rest = buf.subarray(start);
  }
  return acc;
}

/** Node's own floor: split the file into line strings, and nothing else. Counts the lines. */
export function lineScan(file: string): Promise<number> {
  return foldLines(file, (buf, start, end, lines) =>
    buf.toString("utf8", start, end).length >= 0 ? lines + 1 : lines,
  );
}

/**
 * The floor of any parser built on line strings, for Valgrind text: the line scan, plus what
 * the least parser must do on each line: find the `==PID==` prefix, tell frame lines apart, and
 * read each frame's function and file (hashed in place: no substring, no object, no record).
 * Its ratio to the line scan bounds what `summarize` can reach without leaving line strings.
 */
export function frameScan(file: string): Promise<number> {
  return foldLines(file, (buf, start, end, hash) =>
    hashFrameLine(buf.toString("utf8", start, end), hash),
  );
}

/**
 * The same work as frameScan on bytes: no line string at all, the frame's function and file
 * hashed straight from the chunk (ASCII logs hash alike). What a byte-level parser could reach.
 */
export function frameBytes(file: string): Promise<number> {
  return foldLines(file, hashFrameBytes);
}

/**
 * The same floor for Valgrind XML: the line scan, plus reading the text of every `<fn>` and
 * `<file>` element (hashed in place). XML's lines are shorter and many more (44 million per GB
 * against 20 million), so its line scan is slower and this floor lower.
 */
export function elementScan(file: string): Promise<number> {
  return foldLines(file, (buf, start, end, hash) =>
    hashNameElement(buf.toString("utf8", start, end), hash),
  );
}

function hashNameElement(line: string, hash: number): number {
  let i = 0;
  while (line.charCodeAt(i) === 32) i += 1;
  if (!line.startsWith("<fn>", i) && !line.startsWith("<file>", i)) return hash;
  const open = line.indexOf(">", i) + 1;
  const close = line.indexOf("</", open);
  let h = hash;
  for (let c = open; c < close; c += 1) h = Math.imul(h ^ line.charCodeAt(c), 16777619);
  return h;
}

function hashFrameLine(line: string, hash: number): number {
  if (line.charCodeAt(0) !== 61 || line.charCodeAt(1) !== 61) return hash;
  let i = 2;
  while (i < line.length && line.charCodeAt(i) >= 48 && line.charCodeAt(i) <= 57) i += 1;
  const body = i + 3;
  if (!line.startsWith("   at 0x", body) && !line.startsWith("   by 0x", body)) return hash;
  const fnStart = line.indexOf(": ", body) + 2;
  const open = line.lastIndexOf(" (");
  const colon = line.lastIndexOf(":");
  let h = hash;
  for (let c = fnStart; c < open; c += 1) h = Math.imul(h ^ line.charCodeAt(c), 16777619);
  for (let c = open + 2; c < colon; c += 1) h = Math.imul(h ^ line.charCodeAt(c), 16777619);
  return h;
}

function hashFrameBytes(buf: Buffer, start: number, end: number, hash: number): number {
  if (buf[start] !== 61 || buf[start + 1] !== 61) return hash;
  let i = start + 2;
  while (i < end && (buf[i] as number) >= 48 && (buf[i] as number) <= 57) i += 1;
  const body = i + 3;
  const verb = buf[body + 3];
  const isFrame =
    buf[body] === 32 &&
    buf[body + 1] === 32 &&
    buf[body + 2] === 32 &&
    ((verb === 97 && buf[body + 4] === 116) || (verb === 98 && buf[body + 4] === 121)) &&
    buf[body + 6] === 48 &&
    buf[body + 7] === 120;
  if (!isFrame) return hash;
  let colon = body + 8;
  while (colon < end && buf[colon] !== 58) colon += 1;
  const fnStart = colon + 2;
  let open = end - 1;
  while (open > fnStart && !(buf[open] === 40 && buf[open - 1] === 32)) open -= 1;
  let lineColon = end - 1;
  while (lineColon > open && buf[lineColon] !== 58) lineColon -= 1;
  let h = hash;
  for (let c = fnStart; c < open - 1; c += 1) h = Math.imul(h ^ (buf[c] as number), 16777619);
  for (let c = open + 1; c < lineColon; c += 1) h = Math.imul(h ^ (buf[c] as number), 16777619);
  return h;
}
