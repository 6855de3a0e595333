import { LeakKind, type Source, type ToolSummary, type UsedSuppression } from "../model/index.js";
import { processId } from "./process-key.js";
import type { ValgrindSuppression } from "./suppressions/valgrind.js";

/**
 * The names `leaklog suppressions` gives its entries for leak groups (`leaklog-<kind>-<stack
 * fingerprint>`, then `-<record id>` for a second record of the group): Memcheck:Leak entries.
 */
const LEAKLOG_LEAK_NAME = new RegExp(
  `^leaklog-(?:${LeakKind.options.join("|")})-[0-9a-f]+(?:-\\S+)?$`,
);

/** A run's, or its baseline's, summaries and sources (with their processes' used suppressions). */
export interface RunRecords {
  summaries: readonly ToolSummary[];
  sources: readonly Source[];
}

/**
 * At most how many more errors Valgrind suppressed in `run` than in `baseline`, by the
 * suppressions its processes say they used (ProcessInfo.usedSuppressions); undefined when no
 * process of the run lists them. ERROR SUMMARY's `suppressed:` count cannot tell suppressed
 * errors from suppressed loss records, so a real fix was never called fixed when leaks were
 * suppressed too (campaign v16b Q2); the list can: an entry that matched only leaks (see
 * mayMatchErrors) suppressed no error. A process that lists nothing counts its whole ERROR
 * SUMMARY count, as before; in the baseline, that count less its suppressed leak blocks (each
 * suppressed loss record counted there holds one at least).
 */
export function errorsSuppressedMore(
  run: RunRecords,
  baseline: RunRecords,
  entries: readonly ValgrindSuppression[],
): number | undefined {
  const named = entriesByName(entries);
  const now = tally(run, named);
  if (now.listed === 0) return undefined;
  const before = tally(baseline, named);
  // Matched more often by name: an entry used as often in both runs hid nothing new.
  let more = now.unlistedErrors;
  for (const [name, count] of now.byName) {
    more += Math.max(0, count - (before.byName.get(name) ?? 0));
  }
  return Math.max(0, more - Math.max(0, before.unlistedErrors - before.unlistedLeakBlocks));
}

/**
 * Whether a used suppression may have matched an error, not only loss records: unless Valgrind
 * printed the leak bytes it suppressed (leak entries alone get them), the suppressions given to
 * leaklog hold only Memcheck:Leak entries of its name, or leaklog named it for a leak group.
 */
export function mayMatchErrors(
  used: UsedSuppression,
  named: ReadonlyMap<string, readonly ValgrindSuppression[]>,
): boolean {
  if (used.leak !== undefined) return false;
  // Valgrind's Memcheck skips other tools' entries: only its own can be the one it used.
  const memcheck = (named.get(used.name) ?? []).filter((entry) => entry.memcheck);
  if (memcheck.length > 0) return memcheck.some((entry) => entry.kind !== "Leak");
  return !LEAKLOG_LEAK_NAME.test(used.name);
}

function entriesByName(
  entries: readonly ValgrindSuppression[],
): Map<string, ValgrindSuppression[]> {
  const named = new Map<string, ValgrindSuppression[]>();
  for (const entry of entries) {
    const same = named.get(entry.name);
    if (same === undefined) named.set(entry.name, [entry]);
    else same.push(entry);
  }
  return named;
}

interface Tally {
  /** Processes that list their used suppressions. */
  listed: number;
  /** Per name, how often the entries that may match errors matched, over those processes. */
  byName: Map<string, number>;
  /** The ERROR SUMMARY `suppressed:` counts of the other processes. */
  unlistedErrors: number;
  /** The LEAK SUMMARY `suppressed:` blocks of the other processes. */
  unlistedLeakBlocks: number;
}

function tally(
  { summaries, sources }: RunRecords,
  named: ReadonlyMap<string, readonly ValgrindSuppression[]>,
): Tally {
  const out: Tally = { listed: 0, byName: new Map(), unlistedErrors: 0, unlistedLeakBlocks: 0 };
  const listed = new Set<string>();
  for (const source of sources) {
    for (const process of source.processes) {
      if (process.usedSuppressions === undefined) continue;
      listed.add(keyOf(source.path, process));
      out.listed += 1;
      for (const used of process.usedSuppressions) {
        if (!mayMatchErrors(used, named)) continue;
        out.byName.set(used.name, (out.byName.get(used.name) ?? 0) + used.count);
      }
    }
  }
  for (const summary of summaries) {
    if (listed.has(keyOf(summary.path, summary))) continue;
    out.unlistedErrors += summary.errors?.suppressed ?? 0;
    out.unlistedLeakBlocks += summary.leak?.suppressed?.blocks ?? 0;
  }
  return out;
}

function keyOf(
  path: string,
  process: { pid?: number | undefined; run?: number | undefined },
): string {
  return `${path}\u0000${processId(process)}`;
}
