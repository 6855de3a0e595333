/**
 * Reads an async iterable until it ends or `signal` aborts; on abort the read in flight is
 * abandoned, so a quiet pipe cannot hold up the summary after Ctrl-C, and the iteration fails
 * with an InterruptedRead: the input was not read to its end, which its parse reports.
 *
 * Not `Promise.race([iterator.next(), stop])` with one long-lived `stop` promise: every race
 * adds a reaction to `stop` that keeps the race's result, so each chunk ever read stayed alive
 * until the run ended (measured: 1.4 GB peak RSS summarizing a 1 GB log). Each read here has its
 * own abort listener, removed as soon as the read settles.
 */
export async function* untilInterrupted<T>(
  chunks: AsyncIterable<T>,
  signal: AbortSignal,
): AsyncGenerator<T> {
  const iterator = chunks[Symbol.asyncIterator]();
  for (;;) {
    const next = await nextUnlessAborted(iterator, signal);
    if (next === STOPPED) throw new InterruptedRead();
    if (next.done === true) return;
    yield next.value;
  }
}

/** The input's reading stopped at a Ctrl-C, before its end. */
export class InterruptedRead extends Error {
  constructor() {
    super("interrupted (Ctrl-C) before the end of the input");
  }
}

const STOPPED = { done: true, value: undefined } as const;

function nextUnlessAborted<T>(
  iterator: AsyncIterator<T>,
  signal: AbortSignal,
): Promise<IteratorResult<T, unknown>> {
  if (signal.aborted) return Promise.resolve(STOPPED);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve(STOPPED);
    signal.addEventListener("abort", onAbort, { once: true });
    iterator.next().then(
      (result) => {
        signal.removeEventListener("abort", onAbort);
        resolve(result);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
