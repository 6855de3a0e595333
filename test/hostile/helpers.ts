import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { ROOT } from "../helpers/golden.js";

/** A fresh temporary folder for one test file's inputs. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "leaklog-hostile-"));
}

/** Writes a file into `dir` and returns its path. */
export function write(dir: string, name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

export const VALGRIND_HEAD = [
  "==7== Memcheck, a memory error detector",
  "==7== Command: ./x",
  "==7== ",
  "",
].join("\n");

/** A Valgrind leak record of `bytes` bytes whose second frame is `fn` in x.c:5. */
export function valgrindLeak(bytes: number, fn = "main"): string {
  return [
    `==7== ${bytes} bytes in 1 blocks are definitely lost in loss record 1 of 1`,
    "==7==    at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)",
    `==7==    by 0x109151: ${fn} (x.c:5)`,
    "==7== ",
    "",
  ].join("\n");
}

/**
 * Failure reported the way the README promises: every stderr line is one `leaklog: ...`
 * sentence, and nothing looks like a stack trace or an internal error.
 */
export function expectCleanMessages(stderr: string): void {
  const lines = stderr.split("\n").filter((l) => l !== "");
  for (const line of lines) expect(line).toMatch(/^leaklog: \S/);
  expect(stderr).not.toMatch(/^\s+at \S|internal error|Error:|node:internal|\.ts:\d+/m);
}

/** Exit code, output and peak memory (KiB) of the built bin run as a child process. */
export interface BinRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Peak resident set size of the child, in KiB. */
  maxRss: number;
}

// Preloaded into the child: reports its peak memory on stderr as its very last line.
const RSS_PROBE =
  'process.on("exit",()=>process.stderr.write("maxrss:"+process.resourceUsage().maxRSS+"\\n"))';

/** Runs `bin/leaklog.js` (compiled by test/setup/build.ts) in `cwd`. */
export function runBin(args: readonly string[], cwd = ROOT): BinRun {
  const child = spawnSync(
    process.execPath,
    [
      "--import",
      `data:text/javascript,${encodeURIComponent(RSS_PROBE)}`,
      join(ROOT, "bin", "leaklog.js"),
      ...args,
    ],
    { cwd, encoding: "utf8", maxBuffer: 64 << 20, timeout: 60_000, env: { ...process.env } },
  );
  const probe = /maxrss:(\d+)\n$/.exec(child.stderr);
  return {
    code: child.status,
    stdout: child.stdout,
    stderr: probe !== null ? child.stderr.slice(0, probe.index) : child.stderr,
    maxRss: Number(probe?.[1] ?? NaN),
  };
}
