import type { InputFormat } from "../types.js";
import { MemwatchLineParser } from "./line-parser.js";

/** The stock banner (memwatch.md 3) and the embedded fork's `MEMWATCH 2.71 Johan Lindh`. */
const BANNER = /^=+ MEMWATCH \d+\.\d+\S* Copyright/;
const FORK_BANNER = /^MEMWATCH \d+\.\d+\S* Johan Lindh/;
/** Messages that only MEMWATCH prints, for a log whose head (and banner) was cut off. */
const MESSAGE =
  /^(?:unfreed|double-free|WILD free|NULL free|overflow|underflow|realloc|strdup): <\d{1,20}> /;

/**
 * How sure a head is MEMWATCH's: a banner is certain; messages alone (a log cut at the head)
 * are likely. Capped at a few hundred short lines by the engine, so this stays cheap.
 */
function detect(head: readonly string[]): number {
  let messages = 0;
  for (const line of head) {
    if (line.length > 200) continue;
    if (BANNER.test(line)) return 1;
    if (FORK_BANNER.test(line)) return 0.95;
    if (MESSAGE.test(line)) messages += 1;
  }
  return messages >= 2 ? 0.6 : messages === 1 ? 0.4 : 0;
}

/**
 * MEMWATCH (memwatch.c 2.6x/2.71) logs: `memwatch.log`, one or more sessions per file. Leaks are
 * the `unfreed` blocks listed at exit; MEMWATCH cannot see reachability.
 */
export const memwatchFormat: InputFormat = {
  id: "memwatch",
  description: "MEMWATCH memwatch.log (unfreed blocks, bad frees, guard overflows, sessions)",
  detect,
  createParser: (sink) => new MemwatchLineParser(sink),
};
