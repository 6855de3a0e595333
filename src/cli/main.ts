#!/usr/bin/env node
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
if (argv.includes("-")) {
  // Ctrl-C on `memleax ... | leaklog summarize -` reaches both processes, and memleax prints its
  // final statistics after it: keep reading for a moment, then summarize what arrived. A second
  // Ctrl-C summarizes at once.
  let pressed = 0;
  process.on("SIGINT", () => {
    pressed += 1;
    if (pressed === 1) setTimeout(() => interrupted.abort(), 2000).unref();
    else interrupted.abort();
  });
}

const code = await runCli(argv, {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
  interrupted: interrupted.signal,
});
process.exitCode = stdoutFailed ? 2 : code;
// stdin may still hold an open pipe after an interrupt; nothing else is pending.
if (interrupted.signal.aborted) process.exit(code);
