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
    // Thrown, as for a chunk neither text nor bytes: `parseChunks(null)` read as an input that
    // failed ("unreadable-input: ... Cannot read properties of null"), a caller's bug told as
    // the log's (campaign camp2 Q4).
    if (!isIterable(input)) throw new TypeError(notIterable(input));
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
  return `a log's chunks must be strings or bytes (a Buffer, a Uint8Array), not ${what(chunk)}`;
}

function notIterable(input: unknown): string {
  return `a log must be a stream or an iterable of its chunks (strings or bytes), not ${what(input)}`;
}

/** What a wrong argument is, in words. */
function what(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === "object") return `an object (${value.constructor?.name ?? "no prototype"})`;
  return `a ${typeof value}`;
}

function isIterable(input: unknown): input is Chunks {
  if (input === null || input === undefined) return false;
  const object = Object(input) as Partial<Record<symbol, unknown>>;
  return (
    typeof object[Symbol.asyncIterator] === "function" ||
    typeof object[Symbol.iterator] === "function"
  );
}

/** A whole in-memory input pushed into the engine, decoded as DecodedInput decodes a stream. */
export function pushDecoded(engine: ParseEngine, text: string | Uint8Array): void {
  if (typeof text === "string") return engine.push(text);
  const gzip = gunzipWhole(text);
  engine.push(utf16DecodedWhole(gzip?.data ?? text));
  if (gzip?.damage !== undefined) engine.inputBroken(gzip.damage, gzip.data.byteLength === 0);
  if (gzip?.trailing !== undefined) engine.inputTrailing(gzip.trailing);
}
