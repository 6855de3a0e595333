import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, type ParseResult } from "../../../src/api/parse.js";
import type { ErrorRecord, LeakRecord } from "../../../src/model/index.js";
import { ROOT } from "../../helpers/golden.js";

/** The text of `samples/valgrind-xml/<name>`. */
export function sampleText(name: string): string {
  return readFileSync(join(ROOT, "samples", "valgrind-xml", name), "utf8");
}

/** Parses text as Valgrind XML (detection included unless `format` is given). */
export function parseXml(text: string, detect = false): ParseResult {
  return parse(text, detect ? {} : { inputFormat: "valgrind-xml" });
}

/** Leaks and errors together, in log order. */
export function records(result: ParseResult): (LeakRecord | ErrorRecord)[] {
  return [...result.leaks, ...result.errors].sort((a, b) => a.location.line - b.location.line);
}

/** The diagnostic codes of a result. */
export const codes = (result: ParseResult): string[] => result.diagnostics.map((d) => d.code);

/**
 * A minimal protocol-4 document around `body` (pid 100), ended as a whole run's is: with
 * `<status>` FINISHED, without which it is incomplete (campaign bo F2).
 */
export function doc(body: string, protocol = 4): string {
  return [
    '<?xml version="1.0"?>',
    "<valgrindoutput>",
    `<protocolversion>${protocol}</protocolversion>`,
    "<protocoltool>memcheck</protocoltool>",
    "<preamble>",
    "  <line>Using Valgrind-3.26.0 and LibVEX; rerun with -h for copyright info</line>",
    "  <line>Command: ./prog</line>",
    "</preamble>",
    "<pid>100</pid>",
    "<ppid>99</ppid>",
    "<tool>memcheck</tool>",
    body,
    "<status><state>FINISHED</state></status>",
    "</valgrindoutput>",
    "",
  ].join("\n");
}

/** One `<frame>` with a function, file and line. */
export function frame(fn: string, line = 1): string {
  return `<frame><ip>0x10${line}</ip><obj>/p</obj><fn>${fn}</fn><dir>/s</dir><file>p.c</file><line>${line}</line></frame>`;
}

/** A leak `<error>`. */
export function leakError(
  unique: string,
  kind: string,
  text: string,
  bytes: string,
  blocks: string,
): string {
  return [
    "<error>",
    `  <unique>${unique}</unique>`,
    "  <tid>1</tid>",
    `  <kind>${kind}</kind>`,
    `  <xwhat><text>${text}</text><leakedbytes>${bytes}</leakedbytes><leakedblocks>${blocks}</leakedblocks></xwhat>`,
    `  <stack>${frame("malloc")}${frame("main", 7)}</stack>`,
    "</error>",
  ].join("\n");
}

/** A non-leak `<error>`. */
export function plainError(unique: string, kind: string, what: string): string {
  return [
    "<error>",
    `  <unique>${unique}</unique>`,
    "  <tid>1</tid>",
    `  <kind>${kind}</kind>`,
    `  <what>${what}</what>`,
    `  <stack>${frame("main", 3)}</stack>`,
    "</error>",
  ].join("\n");
}
