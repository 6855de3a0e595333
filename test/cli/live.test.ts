import { execFileSync, spawn } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/golden.js";

const BIN = join(ROOT, "bin", "leaklog.js");
const WRITER = join(ROOT, "test", "fixtures", "memleax", "slow-writer.mjs");
const CAPTURE = join(ROOT, "samples", "memleax", "02-multi-stacks-malloc-calloc-realloc.log");

interface Run {
  lines: string[];
  code: number | null;
}

/**
 * `node slow-writer.mjs CAPTURE | leaklog summarize - ARGS` (ARGS with `--format ndjson`),
 * interrupted twice with Ctrl-C once its first live line is out: its handler is in place by then.
 * A fixed delay before the interrupt killed leaklog before it had started on a busy machine.
 */
function pipeline(args: string[], writerArgs: string[]): Promise<Run> {
  return new Promise((done) => {
    const writer = spawn(process.execPath, [WRITER, CAPTURE, ...writerArgs], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const leaklog = spawn(process.execPath, [BIN, "summarize", "-", ...args], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    writer.stdout.pipe(leaklog.stdin);
    leaklog.stdin.on("error", () => undefined); // the writer may outlive an interrupted leaklog
    const run: Run = { lines: [], code: null };
    let rest = "";
    let interrupted = false;
    leaklog.stdout.on("data", (chunk: Buffer) => {
      const parts = (rest + chunk.toString()).split("\n");
      rest = parts.pop() ?? "";
      run.lines.push(...parts);
      if (!interrupted && run.lines.length > 0) {
        interrupted = true;
        leaklog.kill("SIGINT");
        setTimeout(() => leaklog.kill("SIGINT"), 200);
      }
    });
    leaklog.on("exit", (code) => {
      writer.kill();
      run.lines.push(...(rest !== "" ? [rest] : []));
      run.code = code;
      done(run);
    });
  });
}

/**
 * `leaklog summarize - ARGS` fed the capture's first `firstLines` lines; the rest is written and
 * standard input closed only once a live line is out. A live display that waits for the end of
 * the stream never gets there: the test fails on its timeout, whatever the machine's load (a
 * test that compared times failed on a busy CI machine).
 */
function handshake(
  args: string[],
  firstLines: number,
): Promise<{ lines: string[]; code: number | null }> {
  return new Promise((done) => {
    const lines = readFileSync(CAPTURE, "utf8").split(/(?<=\n)/);
    const leaklog = spawn(process.execPath, [BIN, "summarize", "-", ...args], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    leaklog.stdin.write(lines.slice(0, firstLines).join(""));
    const out: string[] = [];
    let rest = "";
    let continued = false;
    leaklog.stdout.on("data", (chunk: Buffer) => {
      const parts = (rest + chunk.toString()).split("\n");
      rest = parts.pop() ?? "";
      out.push(...parts);
      if (!continued && out.some((text) => text.startsWith('{"record":"live"'))) {
        continued = true;
        leaklog.stdin.end(lines.slice(firstLines).join(""));
      }
    });
    leaklog.on("exit", (code) => done({ lines: out, code }));
  });
}

describe("leaklog summarize - on a live memleax pipe", () => {
  it("writes each new call stack as an ndjson line while the stream goes on", async () => {
    // Up to `CallStack[1]: ... 2 times again`: two stacks have arrived, the stream goes on.
    const run = await handshake(["--format", "ndjson"], 10);
    expect(run.code).toBe(0);
    const live = run.lines.filter((text) => text.startsWith('{"record":"live"'));
    expect(live.length).toBe(3);
    expect(JSON.parse(live[0] ?? "{}")).toMatchObject({ code: "memleax-expired", path: "-" });
    // Then the full report, as NDJSON, once the stream ends.
    const records = run.lines.map((text) => JSON.parse(text) as { record: string });
    expect(records.at(-1)?.record).toBe("end");
    expect(records.filter((r) => r.record === "leak")).toHaveLength(3);
  }, 30_000);

  it("prints the summary of what arrived when interrupted with Ctrl-C", async () => {
    // 2 s per line: only the first lines arrive before the interrupt.
    const run = await pipeline(["--format", "ndjson"], ["2000"]);
    expect(run.code).toBe(0);
    const records = run.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const live = records.filter((r) => r["record"] === "live");
    expect(live).toHaveLength(1);
    expect(records.filter((r) => r["record"] === "leak")).toHaveLength(1);
    expect(records.find((r) => r["record"] === "source")).toMatchObject({
      path: "-",
      complete: false,
    });
    // Said as it happened: leaklog stopped reading, the tool did not stop writing.
    expect(records.filter((r) => r["record"] === "diagnostic")).toContainEqual(
      expect.objectContaining({
        code: "incomplete",
        message: expect.stringMatching(/^reading stopped after \d+ bytes: interrupted \(Ctrl-C\)/),
      }),
    );
  });
});

describe("leaklog summarize - on a live Valgrind pipe", () => {
  /**
   * `valgrind ./server 2>&1 | leaklog summarize - ARGS` and Ctrl-C: the log's first part, then
   * (once leaklog has said it reads on) a silence longer than the two seconds leaklog used to
   * read on for, as a server takes to shut down, then Valgrind's report and the pipe's end.
   * The server's 256 KiB of output, more than a pipe holds, is written before the Ctrl-C: the
   * write completes only once leaklog reads, so its Ctrl-C handler is in place by then.
   */
  function ctrlC(
    args: string[],
    fifo?: string,
  ): Promise<{ stdout: string; stderr: string; code: number | null }> {
    return new Promise((done) => {
      const log = readFileSync(join(ROOT, "samples", "valgrind", "leak_definite.txt"), "utf8");
      const banner = log.indexOf("\n", log.indexOf("Parent PID")) + 1;
      const cut = log.indexOf("HEAP SUMMARY");
      const output = "server: request handled\n".repeat((256 << 10) / 24);
      const leaklog = spawn(process.execPath, [BIN, "summarize", fifo ?? "-", ...args], {
        stdio: ["pipe", "pipe", "pipe"],
      });
      // `<(valgrind ...)` or a mkfifo: the pipe is named, not standard input.
      const input = fifo === undefined ? leaklog.stdin : createWriteStream(fifo);
      let stdout = "";
      let stderr = "";
      leaklog.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      leaklog.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes("reading on")) setTimeout(() => input.end(log.slice(cut)), 2500);
      });
      input.write(log.slice(0, banner) + output + log.slice(banner, cut), () =>
        leaklog.kill("SIGINT"),
      );
      leaklog.on("exit", (code) => done({ stdout, stderr, code }));
    });
  }

  it("reads on after Ctrl-C to the report Valgrind prints as the program exits", async () => {
    const run = await ctrlC(["--fail-on", "definitely-lost"]);
    expect(run.stderr).toMatch(/^leaklog: reading on to the end of the input/);
    expect(run.stdout).toContain("definitely-lost");
    expect(run.code).toBe(1);
  }, 30_000);

  it.skipIf(process.platform === "win32")(
    "and so on a pipe given by its name, which had no Ctrl-C handler (exit 130, no report)",
    async () => {
      const fifo = join(mkdtempSync(join(tmpdir(), "leaklog-live-")), "vg.fifo");
      execFileSync("mkfifo", [fifo]);
      const run = await ctrlC(["--fail-on", "definitely-lost"], fifo);
      expect(run.stderr).toMatch(/^leaklog: reading on to the end of the input/);
      expect(run.stdout).toContain("definitely-lost");
      expect(run.code).toBe(1);
    },
    30_000,
  );
});
