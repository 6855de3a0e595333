#!/usr/bin/env node
import { applyCliHeapPolicy } from "./heap-policy.js";
import { runCli } from "./run.js";

applyCliHeapPolicy(process.execArgv);

// The process boundary: real streams in, exit code out. Everything else is in run.ts.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  // `leaklog ... | head` closes the pipe early; that is not a failure.
  if (error.code === "EPIPE") process.exit(0);
});

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
process.exitCode = code;
// stdin may still hold an open pipe after an interrupt; nothing else is pending.
if (interrupted.signal.aborted) process.exit(code);
