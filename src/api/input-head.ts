/** A log's chunks, as files, streams and callers hand them in. */
export type Chunks = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

/** A decoding of a whole input, chosen by its first bytes (see byFirstBytes). */
export type Decoding = (
  chunks: AsyncIterable<Uint8Array | string>,
) => AsyncIterable<Uint8Array | string>;

/** The most first bytes a decoding needs to be chosen: gzip's magic, a UTF-16 byte order mark. */
const HEAD_BYTES = 2;

/**
 * The chunks through the decoding `choose` picks from their first two bytes (fewer only when
 * the input is shorter), gathered across chunks, so that any chunking picks the same one; as
 * they are when it picks none, or when the input is text (string chunks).
 */
export async function* byFirstBytes(
  input: Chunks,
  choose: (head: Uint8Array) => Decoding | undefined,
): AsyncGenerator<Uint8Array | string> {
  const iterator = toAsync(input)[Symbol.asyncIterator]();
  try {
    const head: Uint8Array[] = [];
    let headBytes = 0;
    while (headBytes < HEAD_BYTES) {
      const next = await iterator.next();
      if (next.done === true) break;
      if (typeof next.value === "string") {
        yield* head;
        yield next.value;
        return yield* rest(iterator);
      }
      head.push(next.value);
      headBytes += next.value.byteLength;
    }
    const first = head.length === 1 ? (head[0] as Uint8Array) : Buffer.concat(head);
    const decoding = choose(first);
    const all = withFirst(first, iterator);
    yield* decoding === undefined ? all : decoding(all);
  } finally {
    // A consumer that stops early closes the input (a file stream) as a for-of loop would,
    // also while the first chunk's events are read (campaign bc: a gate that stopped at each
    // small log's first leak left a file open per log, and ran out of descriptors).
    await iterator.return(undefined);
  }
}

/** The first bytes, unless none, then the rest of the chunks. */
async function* withFirst(
  first: Uint8Array,
  iterator: AsyncIterator<Uint8Array | string>,
): AsyncGenerator<Uint8Array | string> {
  if (first.byteLength > 0) yield first;
  yield* rest(iterator);
}

async function* rest<T>(iterator: AsyncIterator<T>): AsyncGenerator<T> {
  for (;;) {
    const next = await iterator.next();
    if (next.done === true) return;
    yield next.value;
  }
}

async function* toAsync<T>(input: AsyncIterable<T> | Iterable<T>): AsyncGenerator<T> {
  yield* input;
}
