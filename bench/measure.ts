import { createReadStream } from "node:fs";
import { parseStream } from "../src/api/parse.js";

/**
 * One measurement in its own process, so that peak memory (maxRSS) belongs to it alone:
 * `node dist/bench/measure.js <linescan|framescan|framebytes|summarize|stream> FILE` prints one JSON line.
 */
async function main(): Promise<void> {
  const [mode, file] = process.argv.slice(2);
  if (file === undefined)
    throw new Error("usage: measure.js <linescan|framescan|framebytes|summarize|stream> FILE");
  const start = process.hrtime.bigint();
  let count = 0;
  if (mode === "linescan") count = await lineScan(file);
  else if (mode === "framescan") count = await frameScan(file);
  else if (mode === "framebytes") count = await frameBytes(file);
  else if (mode === "stream") count = await stream(file);
  else if (mode === "summarize") count = await summarizeJson(file);
  else throw new Error(`unknown mode ${mode}`);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ mode, ms, maxRssMiB, count })}\n`);
}

/** Node's own floor: split the file into line strings with a hand-written Buffer scan. */
async function lineScan(file: string): Promise<number> {
  let lines = 0;
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(file, {
    highWaterMark: 1 << 20,
  }) as AsyncIterable<Buffer>) {
    const buf = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    let start = 0;
    let nl = buf.indexOf(10, start);
    while (nl !== -1) {
      const line = buf.toString("utf8", start, nl);
      if (line.length >= 0) lines += 1;
      start = nl + 1;
      nl = buf.indexOf(10, start);
    }
    rest = buf.subarray(start);
  }
  return lines;
}

/**
 * The floor of any parser built on line strings, for Valgrind text: the line scan, plus what
 * the least parser must do on each line: find the `==PID==` prefix, tell frame lines apart, and
 * read each frame's function and file (hashed in place: no substring, no object, no record).
 * Its ratio to the line scan bounds what `summarize` can reach without leaving line strings.
 */
async function frameScan(file: string): Promise<number> {
  let hash = 0;
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(file, {
    highWaterMark: 1 << 20,
  }) as AsyncIterable<Buffer>) {
    const buf = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    let start = 0;
    let nl = buf.indexOf(10, start);
    while (nl !== -1) {
      hash = hashFrameLine(buf.toString("utf8", start, nl), hash);
      start = nl + 1;
      nl = buf.indexOf(10, start);
    }
    rest = buf.subarray(start);
  }
  return hash;
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

/**
 * The same work as frameScan on bytes: no line string at all, the frame's function and file
 * hashed straight from the chunk (ASCII logs hash alike). What a byte-level parser could reach.
 */
async function frameBytes(file: string): Promise<number> {
  let hash = 0;
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(file, {
    highWaterMark: 1 << 20,
  }) as AsyncIterable<Buffer>) {
    const buf = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    let start = 0;
    let nl = buf.indexOf(10, start);
    while (nl !== -1) {
      hash = hashFrameBytes(buf, start, nl, hash);
      start = nl + 1;
      nl = buf.indexOf(10, start);
    }
    rest = buf.subarray(start);
  }
  return hash;
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

/** The streaming API: every event consumed, nothing kept. */
async function stream(file: string): Promise<number> {
  let findings = 0;
  for await (const event of parseStream(createReadStream(file, { highWaterMark: 1 << 16 }))) {
    if (event.type === "finding") findings += 1;
  }
  return findings;
}

/**
 * `leaklog summarize FILE --format json --output /dev/null` through the CLI's real entry point
 * (main.js, with its Ctrl-C handling), in this process: calling runCli directly once hid a leak
 * that only main.js's interrupt signal caused.
 */
async function summarizeJson(file: string): Promise<number> {
  process.argv = [process.argv[0] as string, "leaklog", "summarize", file, "--format", "json"];
  process.argv.push("--output", "/dev/null");
  // main.js awaits the whole run at its top level, so the import settles when it is done.
  await import("../src/cli/main.js");
  const code = Number(process.exitCode ?? 0);
  if (code === 2) throw new Error("summarize failed");
  return code;
}

await main();
