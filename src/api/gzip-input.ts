import { Readable, pipeline } from "node:stream";
import { createGunzip, gunzipSync } from "node:zlib";
import { damaged, isZlibError, recoverGunzip, type RecoveredGzip } from "./gzip-recovery.js";
import { byFirstBytes, type Chunks } from "./input-head.js";

/** gzip's magic number: CI systems keep logs as `.gz` artifacts, and users glob them whole. */
const MAGIC = [0x1f, 0x8b] as const;

const isGzip = (bytes: Uint8Array): boolean => bytes[0] === MAGIC[0] && bytes[1] === MAGIC[1];

/**
 * The most compressed bytes kept to decompress again when the data breaks (see
 * recoverGunzip): 1 MiB holds the gzip of a 6-20 MB log whole, and costs a healthy bigger input
 * at most that much memory, however big it is. Beyond it, the output zlib drops at the break
 * (up to one 256 KiB chunk) is lost, and the message says so.
 */
const KEPT_MAX = 1 << 20;

/**
 * A log's chunks, decompressed when they start with gzip's magic number. Damaged or cut gzip
 * data ends the chunks where it breaks: `damage` then says why, and `bytesOut` how much came
 * out before it (the engine keeps the records of that part, and marks the source incomplete).
 * Bytes after the gzip data that are not gzip data are ignored: `trailing` says so.
 */
export class GzipInput {
  damage: string | undefined;
  trailing: string | undefined;
  bytesOut = 0;
  /** The compressed bytes read so far, while they are at most KEPT_MAX. */
  private kept: Uint8Array[] | undefined = [];
  private keptBytes = 0;

  chunks(input: Chunks): AsyncGenerator<Uint8Array | string> {
    return byFirstBytes(input, (head) =>
      isGzip(head) ? (compressed) => this.gunzip(compressed) : undefined,
    );
  }

  private async *gunzip(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<Uint8Array> {
    const compressed = Readable.from(this.keep(chunks), { objectMode: false });
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
      yield* this.recover(error);
    }
  }

  /** What zlib dropped when it failed, decompressed again from the bytes kept, if all are. */
  private *recover(error: unknown): Generator<Uint8Array> {
    const kept = this.kept;
    this.kept = undefined;
    if (kept === undefined) {
      const why = error instanceof Error ? error.message : String(error);
      this.damage = damaged(why, this.bytesOut, this.bytesOut > 0);
      return;
    }
    const recovered = recoverGunzip(Buffer.concat(kept), error);
    const rest = recovered.data.subarray(this.bytesOut);
    this.bytesOut += rest.byteLength;
    this.damage = recovered.damage;
    this.trailing = recovered.trailing;
    if (rest.byteLength > 0) yield rest;
  }

  /** The chunks as bytes, kept (see KEPT_MAX) as they pass. */
  private async *keep(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<Uint8Array> {
    for await (const chunk of chunks) {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
      this.keptBytes += bytes.byteLength;
      if (this.keptBytes > KEPT_MAX) this.kept = undefined;
      this.kept?.push(bytes);
      yield bytes;
    }
  }
}

/** A whole gzip buffer decompressed (parse's in-memory input), or how far it can be. */
export function gunzipWhole(bytes: Uint8Array): RecoveredGzip | undefined {
  if (!isGzip(bytes)) return undefined;
  try {
    return { data: gunzipSync(bytes) };
  } catch (error) {
    if (!isZlibError(error)) throw error;
    return recoverGunzip(bytes, error);
  }
}
