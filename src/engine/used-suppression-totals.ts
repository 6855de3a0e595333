import { flatCopy } from "../analysis/detach.js";
import type { UsedSuppression } from "../model/index.js";

/**
 * A source's used suppressions, one per entry, summed over its processes (see
 * Source.usedSuppressions). Kept per process, -v's 60 entries each, every one repeating its
 * name and the full path of default.supp as slices of the line they were read from, took a
 * quarter more peak memory and two fifths more JSON over 2,000 processes (campaign v18a Q3).
 */
export class UsedSuppressionTotals {
  /** By entry: its name, file, line and whether Valgrind printed leak bytes for it. */
  private readonly byEntry = new Map<string, UsedSuppression>();

  add(entries: readonly UsedSuppression[]): void {
    for (const entry of entries) {
      // A leak entry and an entry Valgrind printed no leak bytes for stay apart: only the
      // second may have matched errors (see mayMatchErrors).
      const key = `${entry.name}\u0000${entry.file ?? ""}\u0000${entry.line ?? 0}\u0000${entry.leak !== undefined}`;
      const known = this.byEntry.get(key);
      if (known === undefined) {
        this.byEntry.set(key, copyOf(entry));
        continue;
      }
      known.count += entry.count;
      if (known.leak !== undefined && entry.leak !== undefined) {
        known.leak.bytes += entry.leak.bytes;
        known.leak.blocks += entry.leak.blocks;
      }
    }
  }

  /** The entries, in the order first seen; undefined when there are none. */
  list(): UsedSuppression[] | undefined {
    return this.byEntry.size > 0 ? [...this.byEntry.values()] : undefined;
  }
}

/** A copy of its own: the name and file as flat strings, not slices of their log line. */
function copyOf(entry: UsedSuppression): UsedSuppression {
  const copy: UsedSuppression = { name: flatCopy(entry.name), count: entry.count };
  if (entry.file !== undefined) copy.file = flatCopy(entry.file);
  if (entry.line !== undefined) copy.line = entry.line;
  if (entry.leak !== undefined) copy.leak = { ...entry.leak };
  return copy;
}
