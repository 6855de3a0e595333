import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isAllocatorFrame } from "../../../src/analysis/allocator-frames.js";
import type { Frame } from "../../../src/model/index.js";
import { ROOT } from "../../helpers/golden.js";

/** One expected leak record (test/fixtures/memleax/truth.json). */
export interface LeakTruth {
  callStack: number;
  blocks: number;
  bytes: number;
  site?: string;
  frames?: number;
  expired?: number;
  freeExpired?: number;
}

/** What one sample must parse to, written from its NAME.md and the log's final report. */
export interface SampleTruth {
  complete: boolean;
  leaks: LeakTruth[];
  summary?: { blocks: number; bytes: number };
  nullAllocs?: { records: number; count: number; site: string };
  toolErrors?: number;
  toolWarnings?: number;
  toolVersion?: string;
  /** memleax monitored no process (its errors, help or version only): the input is unusable. */
  checkedNothing?: boolean;
}

export const TRUTH = JSON.parse(
  readFileSync(join(ROOT, "test", "fixtures", "memleax", "truth.json"), "utf8"),
) as Record<string, SampleTruth>;

/**
 * The first frame of the program's own code (frame 0 is always memleax's allocator entry): its
 * function, else its object, else `??` (anonymous code, corpus 08).
 */
export function siteOf(stack: readonly Frame[]): string | undefined {
  const frame = stack.slice(1).find((f) => !isAllocatorFrame(f));
  return frame === undefined ? undefined : (frame.function ?? frame.object ?? "??");
}

/** A sample's text. */
export function sampleText(name: string): string {
  return readFileSync(join(ROOT, "samples", "memleax", name), "utf8");
}
