import { createReadStream } from "node:fs";
import { parseStream } from "../src/api/parse.js";
import { elementScan, frameBytes, frameScan, lineScan } from "./floors.js";

/**
 * One measurement in its own process, so that peak memory (maxRSS) belongs to it alone:
 * `node dist/bench/measure.js MODE FILE...` prints one JSON line. Modes: linescan, framescan,
 * framebytes, elementscan, stream (one FILE); summarize, summarize1 on one thread and
 * summarizeThreads with worker threads whatever the sizes (FILEs).
 */
async function main(): Promise<void> {
  const [mode, ...files] = process.argv.slice(2);
  const file = files[0];
  if (file === undefined) throw new Error("usage: measure.js MODE FILE...");
  const start = process.hrtime.bigint();
  let count = 0;
  if (mode === "linescan") count = await lineScan(file);
  else if (mode === "framescan") count = await frameScan(file);
  else if (mode === "framebytes") count = await frameBytes(file);
  else if (mode === "elementscan") count = await elementScan(file);
  else if (mode === "stream") count = await stream(file);
  else if (mode === "summarize") count = await summarizeJson(files);
  else if (mode === "summarize1" || mode === "summarizeThreads") {
    process.env["LEAKLOG_WORKERS"] = mode === "summarize1" ? "0" : "1";
    count = await summarizeJson(files);
  } else throw new Error(`unknown mode ${mode}`);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ mode, ms, maxRssMiB, count })}\n`);
}

/** The streaming API: every event consumed, nothing kept. */
async function stream(file: string): Promise<number> {
  let findings = 0;
  for await (const event of parseStream(createReadStream(file, { highWaterMark: 1 << 16 }))) {
    if (event.type === "finding") findings += 1;
  }
  return findings;
}

/**
 * `leaklog summarize FILE... --format json --output /dev/null` through the CLI's real entry point
 * (main.js, with its Ctrl-C handling), in this process: calling runCli directly once hid a leak
 * that only main.js's interrupt signal caused.
 */
async function summarizeJson(files: readonly string[]): Promise<number> {
  process.argv = [process.argv[0] as string, "leaklog", "summarize", ...files, "--format", "json"];
  process.argv.push("--output", "/dev/null");
  // main.js awaits the whole run at its top level, so the import settles when it is done.
  await import("../src/cli/main.js");
  const code = Number(process.exitCode ?? 0);
  if (code === 2) throw new Error("summarize failed");
  return code;
}

await main();
