import type { Source } from "../model/index.js";

/*
 * One process of one input, as the checks across inputs (repeated processes, forked children's
 * logs) name it: a PID alone repeats across logs and runs.
 */

/** A map key for the process `pid` of the input at `path`. */
export function processKey(path: string, pid: number): string {
  return `${pid}\u0000${path}`;
}

/** The inverse of processKey. */
export function splitProcessKey(key: string): { path: string; pid: number } {
  const at = key.indexOf("\u0000");
  return { pid: Number(key.slice(0, at)), path: key.slice(at + 1) };
}

/** The command line of process `pid` in the input at `path`, when its log names one. */
export function commandOf(
  sources: readonly Source[],
  path: string,
  pid: number | undefined,
): string | undefined {
  if (pid === undefined) return undefined;
  return sources.find((s) => s.path === path)?.processes.find((p) => p.pid === pid)?.command;
}
