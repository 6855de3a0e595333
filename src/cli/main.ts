#!/usr/bin/env node
import { runCli } from "./run.js";

// The process boundary: real streams in, exit code out. Everything else is in run.ts.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  // `leaklog ... | head` closes the pipe early; that is not a failure.
  if (error.code === "EPIPE") process.exit(0);
});
const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = code;
