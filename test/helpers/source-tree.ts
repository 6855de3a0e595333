import type { SourceNames } from "../../src/analysis/own-frames.js";
import type { Frame } from "../../src/model/index.js";

/** `by 0x...: fn (file:line)` as Valgrind's text log prints it: a base name, no directory. */
export function textFrame(fn: string, file: string, line: number): Frame {
  return { function: fn, file, line };
}

/** A walked source root holding `files` (POSIX paths relative to it). */
export function tree(...files: string[]): SourceNames {
  const paths = new Map<string, string[]>();
  for (const file of files) {
    const name = file.slice(file.lastIndexOf("/") + 1);
    paths.set(name, [...(paths.get(name) ?? []), file]);
  }
  return { names: new Set(paths.keys()), paths, complete: true };
}
