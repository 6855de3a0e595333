import { summaryOnlyTotals } from "../analysis/summary-only.js";
import { uncountedKinds } from "../analysis/uncounted-kinds.js";
import type { LeakKind, Report } from "../model/index.js";
import { bytesInBlocks } from "./describe.js";

/** What the totals say of leak kinds the tools counted and did not list (see unlistedWords). */
export interface UnlistedWords {
  /** The words for a kind no record lists: why, and how to list it. */
  unlisted(kind: string): string;
  /** What to add after a listed kind's amount that other logs counted and did not show. */
  alsoUnshown(kind: string): string;
  /**
   * Whether a run hid the kind with no LEAK SUMMARY to count it (`hiddenLeakKinds`: an XML log's
   * default --show-leak-kinds), or wrote it to an xtree file with none (`--xtree-leak=yes` in
   * the XML of Valgrind before 3.26): the totals said nothing of it, where the text log of the
   * same run has a row (campaigns bu Q2, cd Q1).
   */
  hiddenUncounted(kind: string): boolean;
  /**
   * Whether a kind the runs kept out of their loss records is one the tools' summaries do not
   * speak for: some log that hid it is not an XML log whose own LEAK SUMMARY counts it (Valgrind
   * 3.24 and later), so a summary's nothing does not mean none. A `-q` text log hides kinds only
   * in a process that printed no LEAK SUMMARY, which another process's summary does not speak for.
   */
  untold(kind: string): boolean;
}

/**
 * The text and HTML totals' words for leak kinds the tools counted and did not list (campaign
 * ab, bf): Valgrind never lists what its suppressions took, and a full check shows only
 * `--show-leak-kinds`; in merged reports, one run's listed bytes fell short of the tool's summary
 * beside them with no word why (campaign v10 F7).
 */
export function unlistedWords(report: Report): UnlistedWords {
  const unshown = summaryOnlyTotals(report.unshownLeaks ?? []);
  const byValgrind = suppressedByValgrind(report);
  const hidden = new Set<string>(report.sources.flatMap((s) => s.hiddenLeakKinds ?? []));
  const hiddenByOptions = new Set<string>(
    report.sources.flatMap((s) => (s.format === "valgrind-xml" ? (s.hiddenLeakKinds ?? []) : [])),
  );
  const elsewhere = new Set<string>(
    uncountedKinds(report.sources, report.summaries, report.diagnostics)
      .filter((u) => u.cause === "xtree-leak-file")
      .flatMap((u) => u.kinds),
  );
  const counted = new Set(report.summaries.filter((s) => s.leak !== undefined).map((s) => s.path));
  const uncovered = new Set<string>(
    report.sources.flatMap((s) =>
      s.format === "valgrind-xml" && counted.has(s.path) ? [] : (s.hiddenLeakKinds ?? []),
    ),
  );
  return {
    unlisted(kind) {
      if (kind === "suppressed")
        return byValgrind
          ? "hidden by Valgrind's own suppressions"
          : "hidden by the tool's own suppressions";
      if (unshown.has(kind as LeakKind) || hiddenByOptions.has(kind))
        return "not shown (rerun with --show-leak-kinds=all)";
      if (elsewhere.has(kind))
        return "not in the log (--xtree-leak=yes wrote them to another file)";
      // A -q text log's check listed fewer loss records than it numbered, with no LEAK SUMMARY
      // to say of which kinds: each kind it did not list may be one of them, or absent. "Not
      // shown" stated as fact what the log does not say (campaign by Q2, v24 Q3).
      return hidden.has(kind)
        ? "maybe not shown (a -q log does not say; rerun with --show-leak-kinds=all)"
        : "not listed";
    },
    hiddenUncounted: (kind) => hidden.has(kind) || elsewhere.has(kind),
    untold: (kind) => uncovered.has(kind) || elsewhere.has(kind),
    alsoUnshown(kind) {
      const amount = unshown.get(kind as LeakKind);
      return amount === undefined
        ? ""
        : `, and ${bytesInBlocks(amount)} not shown (rerun with --show-leak-kinds=all)`;
    },
  };
}

/**
 * Whether Valgrind's summaries alone count suppressed bytes: LeakSanitizer's count what its
 * `suppressions=` file took (campaign v10: an LSan log's row named Valgrind's).
 */
function suppressedByValgrind(report: Report): boolean {
  const formats = new Map(report.sources.map((s) => [s.path, s.format] as const));
  const tools = new Set(
    report.summaries
      .filter((s) => (s.leak?.suppressed?.bytes ?? 0) > 0)
      .map((s) => formats.get(s.path)?.replace("-xml", "")),
  );
  return tools.size === 1 && tools.has("valgrind");
}
