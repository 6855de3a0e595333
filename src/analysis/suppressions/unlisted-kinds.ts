import type { LeakKind, RegisteredDiagnostic, Source, SummaryOnlyLeak } from "../../model/index.js";
import type { ValgrindSuppression } from "./valgrind.js";
import { LEAK_TOKEN_OF } from "./valgrind-kinds.js";

/**
 * The leak kinds Valgrind logs counted but did not list (their `--show-leak-kinds` hid them, or
 * a summary-only check listed none), with the bytes their summaries give, where they do (an
 * XML log of 3.19 has no LEAK SUMMARY). Suppressions applied after the run reach only listed
 * records: Valgrind, given glib.supp, suppressed 9,142 of the 42,472 bytes still reachable that
 * its default run counted, and leaklog said all 97 entries matched nothing.
 */
export function unlistedValgrindKinds(
  beyondRecords: readonly SummaryOnlyLeak[],
  sources: readonly Source[],
): Map<LeakKind, number | undefined> {
  const kinds = new Map<LeakKind, number | undefined>();
  for (const entry of beyondRecords) {
    if (entry.format !== "valgrind" && entry.format !== "valgrind-xml") continue;
    for (const [kind, amount] of Object.entries(entry.leak) as [LeakKind, { bytes: number }][])
      kinds.set(kind, (kinds.get(kind) ?? 0) + amount.bytes);
  }
  for (const source of sources) {
    if (source.format !== "valgrind" && source.format !== "valgrind-xml") continue;
    for (const kind of source.hiddenLeakKinds ?? [])
      if (!kinds.has(kind)) kinds.set(kind, undefined);
  }
  return kinds;
}

/** The unlisted kinds a Memcheck `Leak` entry covers (its `match-leak-kinds:`). */
export function unlistedKindsOf(
  entry: ValgrindSuppression,
  unlisted: ReadonlyMap<LeakKind, number | undefined>,
): LeakKind[] {
  if (!entry.memcheck || entry.kind !== "Leak") return [];
  return [...unlisted.keys()].filter((kind) => {
    const token = LEAK_TOKEN_OF[kind];
    return token !== undefined && (entry.leakKinds ?? []).includes(token);
  });
}

/**
 * One `unlisted-unsuppressed` warning per unlisted kind that some Leak entry covers: totals,
 * `--max-bytes` and the gate count those bytes whole, where Valgrind given the same file would
 * have suppressed some.
 */
export function unreachedKinds(
  entries: readonly ValgrindSuppression[],
  unlisted: ReadonlyMap<LeakKind, number | undefined>,
  path: string,
): RegisteredDiagnostic[] {
  const covered = new Set(entries.flatMap((entry) => unlistedKindsOf(entry, unlisted)));
  return [...covered].map((kind) => {
    const bytes = unlisted.get(kind);
    const amount = bytes !== undefined ? `the ${bytes} bytes ${kind}` : `the ${kind} blocks`;
    return {
      severity: "warning",
      code: "unlisted-unsuppressed",
      message: `--suppressions could not be matched against ${amount} that the log counts but does not list (its --show-leak-kinds): totals and --max-bytes count them whole, where Valgrind given the file would have suppressed what its entries match; rerun Valgrind with --show-leak-kinds=all`,
      path,
    };
  });
}
