#!/usr/bin/env node
import { statSync } from "node:fs";
import { applyCliHeapPolicy } from "./heap-policy.js";
import { runCli } from "./run.js";

applyCliHeapPolicy(process.execArgv);

// The process boundary: real streams in, exit code out. Everything else is in run.ts.
let stdoutClosed = false;
let stdoutFailed = false;
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  // `leaklog ... | head` closes the pipe early: the rest of the report is not wanted, and the
  // writes after it fail too. The run's exit code still is (a failed gate under pipefail).
  if (stdoutClosed || error.code === "EPIPE") {
    stdoutClosed = true;
    return;
  }
  // A report that could not be written (`> report.sarif` on a full disk) is no passed run.
  if (stdoutFailed) return;
  stdoutFailed = true;
  process.stderr.write(`leaklog: cannot write to standard output: ${error.message}\n`);
  process.exitCode = 2;
});
// Nothing can be told on a standard error that fails (`2>/dev/full`, a closed pipe): the run
// goes on, writes its report, and its exit code says how it ended.
process.stderr.on("error", () => undefined);

const argv = process.argv.slice(2);
const interrupted = new AbortController();
if (readsALivePipe(argv)) {
  // Ctrl-C on `valgrind ./server 2>&1 | leaklog summarize -` reaches every process of the
  // pipeline, and the checker prints its report only as the program exits: Valgrind its leaks
  // once the server has shut down, memleax its statistics. So reading goes on to the end of
  // the stream; a second Ctrl-C summarizes what arrived at once. (Reading on for two seconds
  // only lost the leaks of a server that took three to stop, and the gate passed.)
  let pressed = 0;
  process.on("SIGINT", () => {
    pressed += 1;
    if (pressed > 1) return interrupted.abort();
    process.stderr.write(
      "leaklog: reading on to the end of the input, where the checker prints its report as the program exits; Ctrl-C again to summarize what arrived\n",
    );
  });
}

const code = await runCli(argv, {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: workingDirectory(),
  interrupted: interrupted.signal,
});
process.exitCode = stdoutFailed ? 2 : code;
// stdin may still hold an open pipe after an interrupt; nothing else is pending.
if (interrupted.signal.aborted) process.exit(code);

/**
 * The working directory. One that was deleted under the shell (a CI step that removed its own
 * checkout) or is deeper than PATH_MAX has no path to give: process.cwd() threw, and leaklog
 * ended on a stack trace with exit 1, the failed gate's code, even for --version. The shell's
 * PWD still names it: relative inputs are then missing files, absolute ones are read.
 */
function workingDirectory(): string {
  try {
    return process.cwd();
  } catch (error) {
    const pwd = process.env["PWD"];
    if (pwd !== undefined && pwd.startsWith("/")) return pwd;
    process.stderr.write(
      `leaklog: cannot tell the working directory (${error instanceof Error ? error.message : String(error)}): was it deleted?\n`,
    );
    process.exit(2);
  }
}

/**
 * Whether an input is a live stream: `-`, or a pipe given by its name (`<(valgrind ...)`,
 * `/dev/stdin` on a pipe, a mkfifo), which Ctrl-C reached with its writer as it reaches `-`'s.
 * The output's name is no input (`-o /dev/stdout` on a pipe).
 */
function readsALivePipe(args: readonly string[]): boolean {
  return args.some((arg, i) => {
    if (arg === "-") return true;
    if (arg.startsWith("-") || args[i - 1] === "-o" || args[i - 1] === "--output") return false;
    try {
      const stats = statSync(arg);
      return stats.isFIFO() || stats.isSocket();
    } catch {
      return false;
    }
  });
}
