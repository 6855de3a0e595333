import { pushTo } from "../lists.js";
import { baselineComparison, type SuppressedMore } from "../analysis/baseline.js";
import { FatalStops, type FatalStop } from "../analysis/fatal-stops.js";
import type { ForkedDeaths } from "../analysis/forked-deaths.js";
import { descriptorsUnlisted } from "../analysis/listed-descriptors.js";
import { unlistedLeakKinds } from "../analysis/summary-only.js";
import {
  LeakKind,
  type Diagnostic,
  type Group,
  type Source,
  type SummaryOnlyLeak,
} from "../model/index.js";
import {
  cutShortDiagnostic,
  inheritedDiagnostic,
  maybeSuppressedDiagnostic,
  stacklessDiagnostic,
  uncomparedDiagnostics,
  unreachedDiagnostics,
} from "./baseline-diagnostics.js";

/** What a comparison with the baseline needs of this run besides its groups. */
export interface ComparedRun {
  sources: readonly Source[];
  /** Kinds the run counted, or may have had, without listing them (see baselineComparison). */
  unlisted: ReadonlySet<string>;
  /** A log of the run is incomplete. */
  incomplete: boolean;
  /** A log of the run checked no leaks (`no-leak-check`). */
  unchecked: boolean;
  /** A log of the run did not list the descriptors left open (see descriptorsUnlisted). */
  fdsUntracked: boolean;
  /** What the checker suppressed in this run beyond the baseline's (see suppressedBeyond). */
  more: SuppressedMore;
  /** Baseline keys of the groups of records a log ended in (see cutStatus). */
  cutKeys: ReadonlySet<string>;
  /** The run's forked children that died while their parents ran on (see FatalStops). */
  deaths?: ForkedDeaths;
}

/**
 * What a run counted, or may have had, without listing it (ComparedRun's `unlisted`): the leak
 * kinds of the leaks `beyond` its records (hidden, or in summaries only: no loss records at
 * all) and those its sources hid; every kind where it never checked leaks (`unchecked`); the
 * descriptors left open where a log's XML cannot hold them or a log of it did not track them
 * (`fdsUntracked`).
 */
export function unlistedInRun(
  beyond: readonly SummaryOnlyLeak[],
  sources: readonly Source[],
  diagnostics: readonly Diagnostic[],
): { unlisted: Set<string>; unchecked: boolean; fdsUntracked: boolean } {
  const unlisted = new Set<string>(unlistedLeakKinds(beyond, sources).keys());
  // A run that never checked leaks (--leak-check=no, ASan stopped before LeakSanitizer) lists
  // none: its baseline leaks were called fixed, against its own no-leak-check diagnostic
  // (campaign ba).
  const unchecked = diagnostics.some((d) => d.code === "no-leak-check");
  if (unchecked) for (const kind of LeakKind.options) unlisted.add(kind);
  // Nor did an XML that cannot hold descriptors left open list them (campaigns ba, bd).
  const inTextLog = new Set(
    diagnostics.filter((d) => d.code === "xml-fds-in-text-log").map((d) => d.path),
  );
  if (inTextLog.size > 0) unlisted.add("FdNotClosed");
  // Nor a run without --track-fds: its baseline's open descriptors were called fixed, though
  // the program still left them open (campaign ch Q15).
  const fdsUntracked = descriptorsUnlisted(sources.filter((s) => !inTextLog.has(s.path)));
  if (fdsUntracked) unlisted.add("FdNotClosed");
  return { unlisted, unchecked, fdsUntracked };
}

/**
 * This run's groups marked against the baseline's, the gone ones appended as fixed (see
 * baselineComparison), and a warning for each reason some were left out: incomplete logs,
 * unlisted kinds, a process that died of a fatal signal or a sanitizer's abort (see FatalStops),
 * suppressions, records cut short, leaks without allocation stacks; and a note when descriptors a process inherited, never
 * compared, differ. `baseline.path`: where the warnings about the baseline point.
 */
export function compareRun(
  current: readonly Group[],
  baseline: { groups: readonly Group[]; path?: string },
  run: ComparedRun,
): { groups: Group[]; diagnostics: Diagnostic[] } {
  const inputs = new Set(run.sources.map((s) => s.path));
  const deaths = run.deaths;
  // A stop past its group's listed members is of no known log, nor process.
  const forked =
    deaths !== undefined
      ? (stop: FatalStop) => stop.path !== undefined && deaths.has({ ...stop, path: stop.path })
      : undefined;
  const stops = new FatalStops(current, baseline.groups, inputs, forked);
  const comparison = baselineComparison(
    current,
    baseline.groups,
    run.unlisted,
    run.incomplete,
    run.more,
    run.cutKeys,
    (group) => stops.stopBefore(group) !== undefined,
  );
  const path = baseline.path ?? "<baseline>";
  // What the run's incomplete log lacks points at that log, as a death does at its record: on
  // the baseline's path, which the README gives the baseline's own warnings, it read as the
  // baseline's (campaign camp-ctest Q4).
  const cutLog = run.sources.find((s) => !s.complete)?.path ?? path;
  const diagnostics = [
    ...uncomparedDiagnostics(comparison.uncompared, path, run, cutLog),
    ...unreachedDiagnostics(comparison.unreached, stops, path),
  ];
  if (comparison.maybeSuppressed.length > 0) {
    diagnostics.push(maybeSuppressedDiagnostic(comparison.maybeSuppressed, path, run.more));
  }
  for (const [log, groups] of byCutLog(comparison.cutShort, run.sources, cutLog)) {
    diagnostics.push(cutShortDiagnostic(groups, log));
  }
  const { stackless } = comparison;
  if (stackless.run.length + stackless.baseline.length > 0) {
    diagnostics.push(stacklessDiagnostic(stackless, path));
  }
  const inherited = inheritedDiagnostic(comparison.inherited, baseline.groups, path);
  if (inherited !== undefined) diagnostics.push(inherited);
  return { groups: comparison.groups, diagnostics };
}

/**
 * The groups of records cut short by the incomplete log they were read in (a member of theirs
 * there; `fallback` for a group none of whose listed members is in one): a warning per log, as
 * the first incomplete log of the run may hold no record at all, and several may be cut.
 */
function byCutLog(
  groups: readonly Group[],
  sources: readonly Pick<Source, "path" | "complete">[],
  fallback: string,
): Map<string, Group[]> {
  const incomplete = new Set(sources.filter((s) => !s.complete).map((s) => s.path));
  const byLog = new Map<string, Group[]>();
  for (const group of groups) {
    pushTo(byLog, group.members.find((m) => incomplete.has(m.path))?.path ?? fallback, group);
  }
  return byLog;
}
