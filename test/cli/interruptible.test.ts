import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { InterruptedRead, untilInterrupted } from "../../src/cli/interruptible.js";

async function* numbers(count: number): AsyncGenerator<number> {
  for (let i = 0; i < count; i += 1) yield i;
}

describe("untilInterrupted", () => {
  it("passes every chunk through and leaves no listener behind", async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    for await (const n of untilInterrupted(numbers(1000), controller.signal)) {
      seen.push(n);
      // One listener per read in flight, never one per chunk read so far: a listener (or a
      // race reaction) per chunk kept every chunk of a gigabyte log alive.
      expect(getEventListeners(controller.signal, "abort").length).toBeLessThanOrEqual(1);
    }
    expect(seen).toHaveLength(1000);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  it("stops a read that never answers when the signal aborts", async () => {
    const controller = new AbortController();
    const silent: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => ({
        next: () => new Promise<IteratorResult<number>>(() => undefined),
      }),
    };
    setTimeout(() => controller.abort(), 10);
    const seen: number[] = [];
    const read = async () => {
      for await (const n of untilInterrupted(silent, controller.signal)) seen.push(n);
    };
    // Ended by the interrupt, not by the input: the parse is told the input was cut.
    await expect(read()).rejects.toBeInstanceOf(InterruptedRead);
    expect(seen).toEqual([]);
  });

  it("reads nothing once the signal has aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    const seen: number[] = [];
    const read = async () => {
      for await (const n of untilInterrupted(numbers(5), controller.signal)) seen.push(n);
    };
    await expect(read()).rejects.toBeInstanceOf(InterruptedRead);
    expect(seen).toEqual([]);
  });

  it("passes a source's error on", async () => {
    async function* failing(): AsyncGenerator<number> {
      yield 1;
      throw new Error("EIO: read failed");
    }
    const seen: number[] = [];
    const read = async () => {
      for await (const n of untilInterrupted(failing(), new AbortController().signal)) seen.push(n);
    };
    await expect(read()).rejects.toThrow("EIO: read failed");
    expect(seen).toEqual([1]);
  });
});
