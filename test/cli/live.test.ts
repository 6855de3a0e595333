import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/golden.js";

const BIN = join(ROOT, "bin", "leaklog.js");
const WRITER = join(ROOT, "test", "fixtures", "memleax", "slow-writer.mjs");
const CAPTURE = join(ROOT, "samples", "memleax", "02-multi-stacks-malloc-calloc-realloc.log");

interface Run {
  lines: { at: number; text: string }[];
  writerDoneAt: number;
  code: number | null;
}

/** `node slow-writer.mjs CAPTURE | leaklog summarize - ARGS`, with the time of every output line. */
function pipeline(args: string[], writerArgs: string[], interruptAfterMs?: number): Promise<Run> {
  return new Promise((done) => {
    const start = Date.now();
    const writer = spawn(process.execPath, [WRITER, CAPTURE, ...writerArgs], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const leaklog = spawn(process.execPath, [BIN, "summarize", "-", ...args], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    writer.stdout.pipe(leaklog.stdin);
    leaklog.stdin.on("error", () => undefined); // the writer may outlive an interrupted leaklog
    const run: Run = { lines: [], writerDoneAt: Number.POSITIVE_INFINITY, code: null };
    let rest = "";
    leaklog.stdout.on("data", (chunk: Buffer) => {
      const parts = (rest + chunk.toString()).split("\n");
      rest = parts.pop() ?? "";
      for (const text of parts) run.lines.push({ at: Date.now() - start, text });
    });
    writer.on("exit", () => (run.writerDoneAt = Date.now() - start));
    if (interruptAfterMs !== undefined) {
      setTimeout(() => {
        leaklog.kill("SIGINT");
        setTimeout(() => leaklog.kill("SIGINT"), 200);
      }, interruptAfterMs);
    }
    leaklog.on("exit", (code) => {
      writer.kill();
      run.code = code;
      done(run);
    });
  });
}

describe("leaklog summarize - on a live memleax pipe", () => {
  it("writes each new call stack as an ndjson line while the stream goes on", async () => {
    const run = await pipeline(["--format", "ndjson"], ["15"]);
    expect(run.code).toBe(0);
    const live = run.lines.filter((l) => l.text.startsWith('{"record":"live"'));
    expect(live.length).toBe(3);
    expect(JSON.parse(live[0]?.text ?? "{}")).toMatchObject({ code: "memleax-expired", path: "-" });
    // The first stack is announced long before the writer has finished.
    expect(live[0]?.at ?? Infinity).toBeLessThan(run.writerDoneAt - 200);
    // Then the full report, as NDJSON, once the stream ends.
    const records = run.lines.map((l) => JSON.parse(l.text) as { record: string });
    expect(records.at(-1)?.record).toBe("end");
    expect(records.filter((r) => r.record === "leak")).toHaveLength(3);
  });

  it("prints the summary of what arrived when interrupted with Ctrl-C", async () => {
    // 2 s per line: only the first lines arrive before the interrupt.
    const run = await pipeline(["--format", "json"], ["2000"], 1500);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.lines.map((l) => l.text).join("\n")) as {
      sources: { complete: boolean; path: string }[];
    };
    expect(report.sources[0]).toMatchObject({ path: "-", complete: false });
  });
});
