import { TextDecoder } from "node:util";
import { byFirstBytes, type Chunks } from "./input-head.js";

/**
 * UTF-16 logs, told by their byte order mark. Windows PowerShell 5 writes redirected output
 * (`wsl valgrind ./prog 2> log.txt`) as UTF-16LE with a BOM, and such a log was called binary
 * data. Its text is decoded and handed on as UTF-8, which is what the engine reads.
 */
const BOMS: readonly (readonly [number, number, "utf-16le" | "utf-16be"])[] = [
  [0xff, 0xfe, "utf-16le"],
  [0xfe, 0xff, "utf-16be"],
];

function encodingOf(bytes: Uint8Array): "utf-16le" | "utf-16be" | undefined {
  return BOMS.find(([a, b]) => bytes[0] === a && bytes[1] === b)?.[2];
}

/** The chunks, decoded to UTF-8 when they start with a UTF-16 byte order mark. */
export function utf16Decoded(input: Chunks): AsyncGenerator<Uint8Array | string> {
  return byFirstBytes(input, (head) => {
    const encoding = encodingOf(head);
    return encoding === undefined ? undefined : (chunks) => decodeAll(chunks, encoding);
  });
}

async function* decodeAll(
  chunks: AsyncIterable<Uint8Array | string>,
  encoding: "utf-16le" | "utf-16be",
): AsyncGenerator<Uint8Array | string> {
  const decoder = new TextDecoder(encoding);
  for await (const chunk of chunks)
    yield typeof chunk === "string" ? chunk : decode(decoder, chunk);
  // A last odd byte or lone surrogate comes out as U+FFFD, as the decoder's end gives it.
  yield Buffer.from(decoder.decode(), "utf8");
}

/** A whole in-memory input decoded to UTF-8 when it starts with a UTF-16 byte order mark. */
export function utf16DecodedWhole(bytes: Uint8Array): Uint8Array {
  const encoding = encodingOf(bytes);
  return encoding === undefined ? bytes : Buffer.from(new TextDecoder(encoding).decode(bytes));
}

function decode(decoder: TextDecoder, chunk: Uint8Array): Buffer {
  // The decoder drops the BOM and keeps a code unit cut between chunks for the next one.
  return Buffer.from(decoder.decode(chunk, { stream: true }), "utf8");
}
