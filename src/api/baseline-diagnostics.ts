import { baselineKey, type SuppressedMore } from "../analysis/baseline.js";
import type { FatalStop, FatalStops, StopReason } from "../analysis/fatal-stops.js";
import { describeFrame, namedFrame } from "../analysis/own-frames.js";
import { isStacklessGroup } from "../analysis/stackless-leaks.js";
import type { Diagnostic, Group } from "../model/index.js";

/*
 * The warnings of a comparison with a baseline: why groups of it were neither found again nor
 * marked fixed.
 */

/**
 * The `baseline-run-suppressed` warning: baseline groups the checker may have suppressed. It
 * says what shows it, the summaries or the entries Valgrind says it used (at most three named):
 * it gave both as the reason where neither showed anything (campaign v18a F2). Leak groups are
 * held by the summaries' suppressed bytes, or, where there are none (Valgrind 3.19's XML), by
 * the loss records of the leak entries used (campaign bu F2).
 */
export function maybeSuppressedDiagnostic(
  groups: readonly Group[],
  path: string,
  more: SuppressedMore,
): Diagnostic {
  const leaks = groups.some((g) => g.type === "leak");
  const errors = groups.some((g) => g.type === "error");
  const byRecords = (more.leakRecords ?? 0) > 0;
  const leakTypes = [
    ...(more.leakBytes > 0 ? ["leak bytes"] : []),
    ...(byRecords ? ["loss records"] : []),
  ];
  const types = [...new Set(groups.flatMap((g) => (g.type === "leak" ? leakTypes : ["errors"])))];
  const summaries = (leaks && more.leakBytes > 0) || more.usedEntries === undefined;
  const why = [
    ...(summaries ? ["its summaries say so"] : []),
    ...usedEntriesReasons(
      errors ? (more.usedEntries ?? []) : [],
      leaks ? (more.usedLeakEntries ?? []) : [],
    ),
  ];
  // Entries used no more often leave the room to processes that did not list theirs.
  if (why.length === 0) why.push("its summaries say so");
  return {
    severity: "warning",
    code: "baseline-run-suppressed",
    message: `${groups.length} baseline group(s) not found in this run are not marked fixed: the checker suppressed more ${types.join(" and ")} in this run than in the baseline's (${why.join("; ")}), enough to hold each of them; to compare them, run the checker without the suppression file and give it to leaklog's --suppressions instead`,
    path,
  };
}

/**
 * The reasons the entries used more often give: once for both types when the same entries may
 * match either (names alone, none given to leaklog).
 */
function usedEntriesReasons(errors: readonly string[], leaks: readonly string[]): string[] {
  if (errors.join("\n") === leaks.join("\n")) return usedEntriesReason(errors, "errors or leaks");
  return [...usedEntriesReason(errors, "errors"), ...usedEntriesReason(leaks, "leaks")];
}

/** The entries used more often that may match `what`, at most three named; none, no reason. */
function usedEntriesReason(entries: readonly string[], what: string): string[] {
  if (entries.length === 0) return [];
  const shown = entries.slice(0, 3).join(", ");
  const rest = entries.length > 3 ? ` and ${entries.length - 3} more` : "";
  return [
    `suppressions it says it used that may match ${what} matched more often: ${shown}${rest}`,
  ];
}

/**
 * The `baseline-stackless-leaks` warning: leak groups of kinds whose loss records have no
 * allocation stack on one side or both (see StacklessKinds), this run's with no status and the
 * baseline's not found left out. A run with `--keep-stacktraces=none` read as a new leak `at
 * ???` and every baseline leak of its kind fixed (campaign cd Q3).
 */
export function stacklessDiagnostic(
  stackless: { run: readonly Group[]; baseline: readonly Group[] },
  path: string,
): Diagnostic {
  const { run, baseline } = stackless;
  const kinds = [...new Set([...run, ...baseline].map((g) => g.kind))].join(", ");
  const now = run.some(isStacklessGroup);
  const before = baseline.some(isStacklessGroup);
  const whose = now && before ? "both runs'" : now ? "this run's" : "the baseline's";
  const parts = [
    ...(run.length > 0
      ? [`${run.length} leak group(s) of this run are neither new nor unchanged`]
      : []),
    ...(baseline.length > 0
      ? [`${baseline.length} baseline group(s) not found in this run are not marked fixed`]
      : []),
  ];
  return {
    severity: "warning",
    code: "baseline-stackless-leaks",
    message: `${parts.join(", and ")}: ${whose} loss records of kind ${kinds} have no allocation stack (see stackless-leaks: Valgrind's --keep-stacktraces=none or =free), so which leaks of that kind are the same is unknown; compare runs made with the default --keep-stacktraces`,
    path,
  };
}

/** The `baseline-run-incomplete` warning for groups of records cut too short to compare. */
export function cutShortDiagnostic(groups: readonly Group[], path: string): Diagnostic {
  return {
    severity: "warning",
    code: "baseline-run-incomplete",
    message: `${groups.length} group(s) of records the log was cut in, before a frame of the program's, are neither new nor unchanged: their stacks are too short to compare with the baseline`,
    path,
  };
}

/**
 * The `baseline-inherited-descriptors` info, when descriptors a process inherited open (never
 * compared: see isInheritedDescriptors) are on one side only, where a comparison would have
 * called them new or fixed: `inherited` holds both sides' groups, `baseline` tells them apart.
 */
export function inheritedDiagnostic(
  inherited: readonly Group[],
  baseline: readonly Group[],
  path: string,
): Diagnostic | undefined {
  const before = new Set(baseline);
  const keys = (side: boolean) =>
    new Set(inherited.filter((g) => before.has(g) === side).map(baselineKey));
  const [was, now] = [keys(true), keys(false)];
  const differ = was.size !== now.size || [...now].some((key) => !was.has(key));
  if (!differ) return undefined;
  const [only, side] = now.size > 0 ? [now.size, "this run"] : [was.size, "the baseline"];
  return {
    severity: "info",
    code: "baseline-inherited-descriptors",
    message: `${only} group(s) of descriptors left open that the process inherited (<inherited from parent>), in ${side} only, are neither new nor fixed: they are its launcher's (the CI runner's, a shell's, Valgrind's own --log-file), not the program's, and Valgrind versions and --track-fds settings list different ones`,
    path,
  };
}

/**
 * Why baseline groups were neither found again nor fixed: one warning per reason. `run`: a log
 * of it is incomplete, checked no leaks, or did not track descriptors (see ComparedRun);
 * `cutLog`: the path of its incomplete log, where that warning points.
 */
export function uncomparedDiagnostics(
  groups: readonly Group[],
  path: string,
  run: { incomplete: boolean; unchecked: boolean; fdsUntracked: boolean },
  cutLog = path,
): Diagnostic[] {
  const { incomplete, unchecked } = run;
  if (groups.length === 0) return [];
  if (incomplete) {
    return [
      {
        severity: "warning",
        code: "baseline-run-incomplete",
        message: `${groups.length} baseline group(s) not found in this run are not marked fixed: a log of the run is incomplete, and its missing part may hold them`,
        path: cutLog,
      },
    ];
  }
  const descriptors = groups.filter((g) => g.kind === "FdNotClosed");
  const leaks = groups.filter((g) => g.kind !== "FdNotClosed");
  const diagnostics: Diagnostic[] = [];
  if (leaks.length > 0) {
    const kinds = [...new Set(leaks.map((g) => g.kind))].join(", ");
    diagnostics.push({
      severity: "warning",
      code: "baseline-kinds-unlisted",
      message: `${leaks.length} baseline group(s) of kind ${kinds} not compared: this run did not list leaks of that kind (${unchecked ? "a log of it ran no leak check: see no-leak-check" : "Valgrind's --show-leak-kinds"}), so whether they are fixed is unknown`,
      path,
    });
  }
  if (descriptors.length > 0) {
    const why = run.fdsUntracked
      ? "a log of this run does not list the descriptors left open at exit (Valgrind ran without --track-fds=yes)"
      : "this run's XML has no record for a descriptor left open (see xml-fds-in-text-log)";
    diagnostics.push({
      severity: "warning",
      code: "baseline-kinds-unlisted",
      message: `${descriptors.length} baseline group(s) of kind FdNotClosed not compared: ${why}, so whether they are fixed is unknown`,
      path,
    });
  }
  return diagnostics;
}

/**
 * The `baseline-process-died` warnings: one for each process of this run that died of a fatal
 * signal, or that a sanitizer stopped at an error, before it may have met baseline groups (see
 * FatalStops), at the record that ended it, saying which process, of which signal (or at which
 * error) and where, and why the baseline's run does not show that it stopped there too.
 * `path`: the baseline's, for a process past its group's listed members, whose log is unknown.
 */
export function unreachedDiagnostics(
  groups: readonly Group[],
  stops: FatalStops,
  path: string,
): Diagnostic[] {
  const byStop = new Map<FatalStop, number>();
  for (const group of groups) {
    const stop = stops.stopBefore(group);
    if (stop !== undefined) byStop.set(stop, (byStop.get(stop) ?? 0) + 1);
  }
  return [...byStop].map(([stop, count]) => ({
    severity: "warning",
    code: "baseline-process-died",
    message: `${count} baseline group(s) not found in this run are not marked fixed: ${diedWhere(stop)}, and never ran what came after, which may hold them; ${WHY[stops.reason(stop)]}`,
    path: stop.path ?? path,
    ...(stop.line !== undefined ? { line: stop.line } : {}),
    ...(stop.pid !== undefined ? { pid: stop.pid } : {}),
  }));
}

/** Why the baseline's run does not show that it stopped at the same point (see StopReason). */
const WHY: Readonly<Record<StopReason, string>> = {
  "not-in-baseline": "the baseline's run did not die so",
  unplaced:
    "the baseline's run died so too, but this stack does not reach main (a stack overflow's has one frame, --num-callers cuts a deep one), so the two may have stopped at different places",
  elsewhere: "no process of theirs in the baseline's run died so at the same place",
};

/**
 * `PID 26067 died of signal 11 (SIGSEGV) at line 37, in null_store (steps.c:21)`; a sanitizer's
 * error names no signal (ASan's SEGV report none either): `PID 4113 was stopped at its
 * heap-buffer-overflow error (ABORTING) at line 2, in overrun (steps.c:21)`.
 */
function diedWhere(stop: FatalStop): string {
  const { group } = stop;
  const fatalSignal = group.kind === "FatalSignal";
  const run = stop.run !== undefined ? ` (run ${stop.run})` : "";
  const who =
    stop.path === undefined
      ? `a process of this run past the listed members of its ${group.kind} group`
      : stop.pid !== undefined
        ? `PID ${stop.pid}${run}`
        : "its process";
  const line = stop.line !== undefined ? ` at line ${stop.line}` : "";
  const frame = namedFrame(group.stack) ?? group.stack[0];
  const place = frame !== undefined ? `, in ${describeFrame(frame)}` : "";
  if (!fatalSignal)
    return `${who} was stopped at its ${group.kind} error (ABORTING)${line}${place}`;
  const signal = /signal \d+(?: \([^)]*\))?/.exec(group.message)?.[0] ?? "a fatal signal";
  return `${who} died of ${signal}${line}${place}`;
}
