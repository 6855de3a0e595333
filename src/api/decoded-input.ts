import type { ParseEngine } from "../engine/engine.js";
import { describeFsError } from "./fs-errors.js";
import { GzipInput, gunzipWhole } from "./gzip-input.js";
import type { Chunks } from "./input-head.js";
import { utf16Decoded, utf16DecodedWhole } from "./utf16-input.js";

/**
 * An input as the engine reads it: gunzipped (GzipInput), then decoded from UTF-16 (so that a
 * gzipped UTF-16 log reads too). One place for the order, for parse, parseInto and parseStream.
 */
export class DecodedInput {
  readonly chunks: AsyncIterable<Uint8Array | string>;
  private readonly gzip = new GzipInput();
  /** Why reading the input failed part way (EIO, a device gone), if it did. */
  private readFailure: string | undefined;
  private bytesRead = 0;

  constructor(input: Chunks) {
    this.chunks = utf16Decoded(this.gzip.chunks(this.untilReadFails(input)));
  }

  /** Once the chunks are read: tells the engine where the gzip data or the reader broke. */
  settle(engine: ParseEngine): void {
    const { damage, trailing } = this.gzip;
    if (damage !== undefined) engine.inputBroken(damage, this.gzip.bytesOut === 0);
    if (trailing !== undefined) engine.inputTrailing(trailing);
    if (this.readFailure !== undefined) {
      const reason = `reading stopped after ${this.bytesRead} bytes: ${this.readFailure}`;
      engine.inputBroken(reason, this.bytesRead === 0, "unreadable-input");
    }
  }

  /**
   * The input's chunks until its reader fails: the lines read before are kept and the log is
   * incomplete, where the failure used to end the whole run as an "internal error".
   */
  private async *untilReadFails(input: Chunks): AsyncGenerator<Uint8Array | string> {
    let wrong: { chunk: unknown } | undefined;
    try {
      for await (const chunk of input) {
        if (typeof chunk !== "string" && !(chunk instanceof Uint8Array)) {
          wrong = { chunk };
          break;
        }
        this.bytesRead += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.byteLength;
        yield chunk;
      }
    } catch (error) {
      this.readFailure = describeFsError(error);
    }
    // Thrown, as parse() throws for a log neither text nor bytes: an object-mode stream's
    // chunks were skipped unsaid (an "empty input", clean with allowEmpty) or broke Node's
    // Buffer.from deep inside (campaign bc).
    if (wrong !== undefined) throw new TypeError(wrongChunk(wrong.chunk));
  }
}

function wrongChunk(chunk: unknown): string {
  const what =
    chunk === null || chunk === undefined
      ? String(chunk)
      : typeof chunk === "object"
        ? `an object (${chunk.constructor?.name ?? "no prototype"})`
        : `a ${typeof chunk}`;
  return `a log's chunks must be strings or bytes (a Buffer, a Uint8Array), not ${what}`;
}

/** A whole in-memory input pushed into the engine, decoded as DecodedInput decodes a stream. */
export function pushDecoded(engine: ParseEngine, text: string | Uint8Array): void {
  if (typeof text === "string") return engine.push(text);
  const gzip = gunzipWhole(text);
  engine.push(utf16DecodedWhole(gzip?.data ?? text));
  if (gzip?.damage !== undefined) engine.inputBroken(gzip.damage, gzip.data.byteLength === 0);
  if (gzip?.trailing !== undefined) engine.inputTrailing(gzip.trailing);
}
