import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseStream, type StreamEvent } from "../../../src/api/parse.js";
import type { LeakRecord } from "../../../src/model/index.js";
import { ROOT } from "../../helpers/golden.js";

const WRITER = join(ROOT, "test", "fixtures", "memleax", "slow-writer.mjs");
const SAMPLE = join(ROOT, "samples", "memleax", "01-single-stack-sigint.log");

interface Seen {
  event: StreamEvent;
  /** Whether the writer had exited when the event arrived. */
  writerDone: boolean;
}

/** Runs the slow writer and collects parseStream's events as they arrive. */
async function live(args: string[], onEvent?: (e: StreamEvent, kill: () => void) => void) {
  const child = spawn(process.execPath, [WRITER, SAMPLE, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let writerDone = false;
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on("exit", (_code, signal) => {
      writerDone = true;
      resolve(signal);
    }),
  );
  const seen: Seen[] = [];
  for await (const event of parseStream(child.stdout, { path: "-" })) {
    seen.push({ event, writerDone });
    onEvent?.(event, () => child.kill("SIGINT"));
  }
  return { seen, signal: await exited };
}

/** The leak records among the events. */
const leaksOf = (seen: readonly Seen[]): LeakRecord[] =>
  seen.flatMap((s) =>
    s.event.type === "finding" && s.event.finding.type === "leak" ? [s.event.finding] : [],
  );

const isNotice = (e: StreamEvent): boolean =>
  e.type === "diagnostic" && e.diagnostic.code === "memleax-expired";

describe("memleax live use (memleax -e 30 PID | leaklog summarize -)", () => {
  it("announces a new call stack while memleax is still writing, records at the end", async () => {
    const { seen } = await live(["15"]);
    const notice = seen.find((s) => isNotice(s.event));
    expect(notice?.writerDone).toBe(false);
    expect(notice?.event).toMatchObject({
      diagnostic: {
        severity: "info",
        line: 2,
        message: "CallStack[1] expires: 64 bytes at make_buf (/home/dev/leaktests/single_leak.c:8)",
      },
    });
    expect(leaksOf(seen).map((l) => l.blocks)).toEqual([23]);
    const last = seen.at(-1)?.event;
    expect(last?.type === "end" && last.source.complete).toBe(true);
  });

  it("derives counts from the stream when it ends mid-way (memleax stopped early)", async () => {
    // 15 lines: the banner, the first expiry and its 4 frames, then "2 .. 10 times again".
    const { seen } = await live(["2", "15"]);
    const end = seen.at(-1)?.event;
    expect(end?.type === "end" && end.source.complete).toBe(false);
    const leaks = leaksOf(seen);
    expect(leaks.map((l) => [l.blocks, l.bytes, l.details?.["source"]])).toEqual([
      [10, 640, "stream"],
    ]);
  });

  it("gives a consistent incomplete result when the writer is killed like Ctrl-C", async () => {
    let kills = 0;
    const { seen, signal } = await live(["30"], (event, kill) => {
      if (isNotice(event) && kills++ === 0) setTimeout(kill, 100);
    });
    expect(signal).toBe("SIGINT");
    const end = seen.at(-1)?.event;
    expect(end?.type === "end" && end.source.complete).toBe(false);
    const leaks = leaksOf(seen);
    expect(leaks).toHaveLength(1);
    const leak = leaks[0];
    expect(leak?.blocks).toBeGreaterThanOrEqual(1);
    expect(leak?.bytes).toBe(64 * (leak?.blocks ?? 0));
    expect(leak?.details?.["expiryLines"]).toBe(leak?.blocks);
  });
});
