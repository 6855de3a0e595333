import { Readable, pipeline } from "node:stream";
import { constants, createGunzip, gunzipSync } from "node:zlib";
import { byFirstBytes, type Chunks } from "./input-head.js";

/** gzip's magic number: CI systems keep logs as `.gz` artifacts, and users glob them whole. */
const MAGIC = [0x1f, 0x8b] as const;

const isGzip = (bytes: Uint8Array): boolean => bytes[0] === MAGIC[0] && bytes[1] === MAGIC[1];

/**
 * A log's chunks, decompressed when they start with gzip's magic number. Damaged or cut gzip
 * data ends the chunks where it breaks: `damage` then says why, and `bytesOut` how much came
 * out before it (the engine keeps the records of that part, and marks the source incomplete).
 */
export class GzipInput {
  damage: string | undefined;
  bytesOut = 0;

  chunks(input: Chunks): AsyncGenerator<Uint8Array | string> {
    return byFirstBytes(input, (head) =>
      isGzip(head) ? (compressed) => this.gunzip(compressed) : undefined,
    );
  }

  private async *gunzip(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<Uint8Array> {
    const compressed = Readable.from(asBytes(chunks), { objectMode: false });
    // pipeline, not pipe: a read error of the file must end the gunzip stream, not hang it.
    // 256 KiB out, as files are read (parse.ts MAX_READ): zlib's 16 KiB chunks took `summarize`
    // of the 105 MB bench log, gzipped, 3.67 s against 2.65-3.26 s (2.3-2.5 s uncompressed).
    const gunzip = createGunzip({ chunkSize: 1 << 18 });
    const out = pipeline(compressed, gunzip, () => undefined);
    try {
      for await (const chunk of out as AsyncIterable<Buffer>) {
        this.bytesOut += chunk.byteLength;
        yield chunk;
      }
    } catch (error) {
      if (!isZlibError(error)) throw error;
      this.damage = damaged(error, this.bytesOut);
    }
  }
}

/** A whole gzip buffer decompressed (parse's in-memory input), or why it cannot be. */
export function gunzipWhole(bytes: Uint8Array): { data: Buffer; damage?: string } | undefined {
  if (!isGzip(bytes)) return undefined;
  try {
    return { data: gunzipSync(bytes) };
  } catch (error) {
    if (!isZlibError(error)) throw error;
    // Flushed, not finished: what a cut stream holds before its cut.
    let data: Buffer;
    try {
      data = gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH });
    } catch {
      data = Buffer.alloc(0);
    }
    return { data, damage: damaged(error, data.byteLength) };
  }
}

function damaged(error: unknown, bytesOut: number): string {
  const why = error instanceof Error ? error.message : String(error);
  return bytesOut === 0
    ? `damaged gzip data (${why}): nothing could be decompressed`
    : `the gzip data breaks after ${bytesOut} decompressed bytes (${why}): the log is read up to there`;
}

function isZlibError(error: unknown): boolean {
  // zlib's errors carry its own codes (Z_DATA_ERROR, Z_BUF_ERROR), no diagnostic code.
  const zlibCode = (error as { code?: unknown } | null)?.code;
  return typeof zlibCode === "string" && zlibCode.startsWith("Z_");
}

async function* asBytes(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks)
    yield typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
}
