import { setFlagsFromString } from "node:v8";

/** How far V8 lets the old generation grow past its live size before the next full collection. */
export const CLI_HEAP_GROWING_PERCENT = 40;

/**
 * The CLI's heap policy, set once at its process boundary (never by the library, which must not
 * change its host's engine settings). leaklog is a batch job whose live data is small next to
 * the garbage it makes; by default V8 lets the old generation grow to several times its live
 * size between full collections. On the 1 GB Valgrind XML bench log (findings wait there for
 * `<errorcounts>`, long enough to reach the old generation) a 40% limit took peak RSS from
 * 321-345 MiB to 209-216 MiB, in the same time within noise (three alternating runs each: 15.0-
 * 17.1 s against 16.0-16.3 s); on the 1 GB text log from 257 to 236 MiB. 30% reached 200 MiB on
 * XML but cost 12-35% more time, 50% kept 215-227 MiB. A `--heap-growing-percent` the
 * user gave node themselves wins. (Node builds V8 without flag freezing precisely so that
 * v8.setFlagsFromString keeps working after start-up; the young generation's size, in
 * contrast, is fixed at start-up, which is why the README leaves that one to NODE_OPTIONS.)
 */
export function applyCliHeapPolicy(execArgv: readonly string[]): void {
  if (execArgv.some((arg) => arg.startsWith("--heap-growing-percent"))) return;
  setFlagsFromString(`--heap-growing-percent=${CLI_HEAP_GROWING_PERCENT}`);
}
