import { MEMCHECK_DEFAULT_KINDS } from "../memcheck-kinds.js";
import type { FormatId, LeakKind, RegisteredDiagnostic } from "../../model/index.js";
import type { ValgrindSuppression } from "./valgrind.js";
import { LEAK_TOKEN_OF } from "./valgrind-kinds.js";

/**
 * Whether a log is Valgrind's, whose unlisted leak kinds Valgrind suppressions may cover (see
 * unlistedLeakKinds): Valgrind, given glib.supp, suppressed 9,142 of the 42,472 bytes still
 * reachable that its default run counted without listing, and leaklog said all 97 entries
 * matched nothing.
 */
export function isValgrind(format: FormatId | "unknown" | undefined): boolean {
  return format === "valgrind" || format === "valgrind-xml";
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
  summaryOnly: ReadonlyMap<LeakKind, number | undefined>,
  path: string,
): RegisteredDiagnostic[] {
  const covered = new Set(entries.flatMap((entry) => unlistedKindsOf(entry, unlisted)));
  return [...covered].map((kind) => {
    const bytes = unlisted.get(kind);
    const amount = bytes !== undefined ? `the ${bytes} bytes ${kind}` : `the ${kind} blocks`;
    // A summary-only check lists nothing whatever --show-leak-kinds says (campaign bh).
    const [why, rerun] = summaryOnly.has(kind)
      ? [
          "a leak check with no loss records: --leak-check=summary",
          MEMCHECK_DEFAULT_KINDS.includes(kind)
            ? "--leak-check=full"
            : "--leak-check=full --show-leak-kinds=all",
        ]
      : ["its --show-leak-kinds", "--show-leak-kinds=all"];
    return {
      severity: "warning",
      code: "unlisted-unsuppressed",
      message: `--suppressions could not be matched against ${amount} that the log counts but does not list (${why}): totals and --max-bytes count them whole, where Valgrind given the file would have suppressed what its entries match; rerun Valgrind with ${rerun}`,
      path,
    };
  });
}

/**
 * `--suppressions` met a report read back that lists only some of its records (written with
 * --max-records): the records it leaves out, counted in its groups, were not matched.
 */
export function unlistedUnsuppressed(path: string, omitted: number): RegisteredDiagnostic {
  return {
    severity: "warning",
    code: "unlisted-unsuppressed",
    message: `--suppressions were matched against the records the report lists, not the ${omitted} it counts in its groups but leaves out (it was written with --max-records)`,
    path,
  };
}
