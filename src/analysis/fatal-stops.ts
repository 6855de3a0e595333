import type { Frame, Group } from "../model/index.js";
import { isStartupTailFrame } from "./allocator-frames.js";
import { baselineKey } from "./baseline.js";
import { baseName } from "./frame-paths.js";
import { processKey } from "./process-key.js";

/*
 * Processes of this run that a fatal signal ended (Valgrind's `Process terminating with default
 * action of signal 11`, a FatalSignal record), or a sanitizer at an error (`ABORTING`: see
 * endsProcesses), and the baseline groups each may have kept this run from reaching: a process
 * that dies never runs the code after that point, and Valgrind still prints its whole report,
 * so its log is complete. A stack overflow in one test of cJSON's misc_tests made "Fixed (4): 5
 * errors" of the bugs of a later test, all still there (campaign by F3); AddressSanitizer's
 * first error, which ends the program, made "fixed" of a later step's overflow in the same way
 * (test/fixtures/baseline-fatal-signal/asan).
 */

/** One process of this run that a fatal signal or a sanitizer's abort ended, as its group says. */
export interface FatalStop {
  /** Its log; undefined for processes past the group's listed members (see stopsOf). */
  path: string | undefined;
  pid?: number | undefined;
  run?: number | undefined;
  /** 1-based line of the record that ended it in the log, when its member is listed. */
  line?: number | undefined;
  /**
   * The group that ended it: a FatalSignal group (the signal, and the stack of where it was
   * raised) or a sanitizer's error group (its kind, and the stack of the error).
   */
  group: Group;
}

/**
 * Why the baseline's run does not show that a stop was there too: it has no group that ended a
 * process of the stop's; it has, but the stop's stack does not reach `main`, so it places
 * nothing; or none of its processes that died so, at the same place, is in the same log (or one
 * of no log of this run), not already taken by another stop.
 */
export type StopReason = "not-in-baseline" | "unplaced" | "elsewhere";

/** A process of a log where a baseline group has findings; undefined: unknown (capped members). */
type Origin = { path: string; pid?: number | undefined; run?: number | undefined } | undefined;

/**
 * The baseline groups that a fatal signal, or a sanitizer's abort, in this run may have kept it
 * from reaching.
 *
 * A process whose baseline process died the same way, at the same place, stops nothing the
 * baseline's run did not: the same group (FatalSignal, or the sanitizer's error), and frame for
 * frame the same call path (functions and files; lines aside, as in fingerprints) down to `main`
 * or its thread's start. A group the baseline's run reached before that point and this one did
 * not is then fixed. A stack that does not reach `main` places nothing: a stack overflow's has
 * one frame (Valgrind prints the innermost alone) and --num-callers cuts a deep one, so the same
 * group may be a crash in another caller, earlier, however alike they print (cJSON's overflow
 * shows `malloc` alone). Each baseline process that died so stands for one such process of this run, in the
 * same log, or in any when no log of this run has its path.
 *
 * A gone group is left out (not fixed) when a process that stopped otherwise may be one of the
 * group's baseline processes: in the same log (a CTest `MemoryChecker.14.log` in a workspace
 * laid out alike), or any, when no log of this run has the path of the group's (`base/` and
 * `deep/`, `vg.%p.log`), or its members do not name every process. A process of a log where no
 * process stopped is not: a crash in one test leaves another test's fixes fixed. The processes
 * of one log are not told apart: their PIDs change from run to run, and one that died before it
 * ran a traced child or forked took them all. Not so a forked child whose parent ran on past its
 * death (see ForkedDeaths: a GoogleTest death test's child, campaign cc F2): it took none of the
 * others with it, and when the baseline's run shows the process of its log that died so, the
 * child was that process, and only that process's groups may be the ones it did not reach
 * (see heldOnly).
 */
export class FatalStops {
  /** The stops the baseline's run does not show, with why (see StopReason). */
  private readonly unmatched = new Map<FatalStop, StopReason>();
  private readonly byPath = new Map<string, FatalStop[]>();
  /** Unmatched stops of no known log: they may be any log's. */
  private readonly anywhere: FatalStop[] = [];
  /** Stops that may hold back only these baseline processes' groups (see heldOnly). */
  private readonly only = new Map<FatalStop, ReadonlySet<string>>();

  /**
   * `current`: this run's groups; `baseline`: the baseline's, their members at the logs they came
   * from; `inputs`: this run's log paths, as its records' locations give them; `forked`: whether
   * a stop's process was a forked child whose parent ran on (see ForkedDeaths).
   */
  constructor(
    current: readonly Group[],
    baseline: readonly Group[],
    private readonly inputs: ReadonlySet<string>,
    forked: (stop: FatalStop) => boolean = () => false,
  ) {
    const died = new DiedBefore(baseline, inputs);
    for (const stop of current.filter(endsProcesses).flatMap(stopsOf)) {
      const reason = died.take(stop);
      if (reason === undefined) continue;
      this.unmatched.set(stop, reason);
      const only = forked(stop) ? heldOnly(stop, died.groupsLike(stop), inputs) : undefined;
      if (only !== undefined) this.only.set(stop, only);
      if (stop.path === undefined) this.anywhere.push(stop);
      else this.byPath.set(stop.path, [...(this.byPath.get(stop.path) ?? []), stop]);
    }
  }

  /** The first stop that may have kept this run from reaching a baseline group, if any. */
  stopBefore(group: Group): FatalStop | undefined {
    if (this.unmatched.size === 0) return undefined;
    for (const origin of originsOf(group)) {
      const holds = (stop: FatalStop) => this.holds(stop, origin);
      const stop =
        origin === undefined || !this.inputs.has(origin.path)
          ? [...this.unmatched.keys()].find(holds)
          : (this.byPath.get(origin.path)?.find(holds) ?? this.anywhere.find(holds));
      if (stop !== undefined) return stop;
    }
    return undefined;
  }

  /** Whether `stop` may have kept this run from a baseline group's findings at `origin`. */
  private holds(stop: FatalStop, origin: Origin): boolean {
    const only = this.only.get(stop);
    return only === undefined || origin === undefined || only.has(processKey(origin));
  }

  /** Why the baseline's run does not show that `stop` was there too (see StopReason). */
  reason(stop: FatalStop): StopReason {
    return this.unmatched.get(stop) ?? "elsewhere";
  }
}

/**
 * The baseline's processes that died of a fatal signal or a sanitizer's abort, placed (see
 * FatalStops), counted by the group that ended them and place, and by log: a log of this run's
 * path, or none of them.
 */
class DiedBefore {
  /** The baseline groups that ended processes, by baselineKey. */
  private readonly groups = new Map<string, Group[]>();
  /** By group and place: how many died in each of this run's logs, and in logs it has not. */
  private readonly counts = new Map<string, { byPath: Map<string, number>; elsewhere: number }>();

  constructor(baseline: readonly Group[], inputs: ReadonlySet<string>) {
    for (const group of baseline) {
      if (!endsProcesses(group) || group.baseline === "fixed") continue;
      const key = baselineKey(group);
      this.groups.set(key, [...(this.groups.get(key) ?? []), group]);
      if (!reachesMain(group.stack)) continue;
      const place = placeKey(group);
      const count = this.counts.get(place) ?? { byPath: new Map<string, number>(), elsewhere: 0 };
      this.counts.set(place, count);
      for (const { path } of group.sites ?? group.members) {
        if (!inputs.has(path)) count.elsewhere += 1;
        else count.byPath.set(path, (count.byPath.get(path) ?? 0) + 1);
      }
    }
  }

  /**
   * Takes a baseline process that died as `stop`'s did, at the same place, in its log or in one
   * this run has not (any, for a stop of no known log); undefined when one was there, or else
   * why none was.
   */
  take(stop: FatalStop): StopReason | undefined {
    if (!this.groups.has(baselineKey(stop.group))) return "not-in-baseline";
    if (!reachesMain(stop.group.stack)) return "unplaced";
    const count = this.counts.get(placeKey(stop.group));
    if (count === undefined) return "elsewhere";
    const paths = stop.path !== undefined ? [stop.path] : [...count.byPath.keys()];
    const path = paths.find((p) => (count.byPath.get(p) ?? 0) > 0);
    if (path !== undefined) count.byPath.set(path, (count.byPath.get(path) as number) - 1);
    else if (count.elsewhere > 0) count.elsewhere -= 1;
    else return "elsewhere";
    return undefined;
  }

  /** The baseline groups that ended processes as `stop`'s group did (same baselineKey). */
  groupsLike(stop: FatalStop): readonly Group[] {
    return this.groups.get(baselineKey(stop.group)) ?? [];
  }
}

/**
 * Whether a group's records ended their processes: a FatalSignal, or an error at which a
 * sanitizer stopped the program (`aborted`: AddressSanitizer's errors by default, any
 * sanitizer's deadly signal). Each of its members is taken for a process that ended there, as
 * a FatalSignal's are, though a record of it that a build with -fsanitize-recover went on past
 * may be among them: the group only says that one of them ended its process. A UBSan runtime
 * error that ended the program (-fno-sanitize-recover) is none: its log is that of one the
 * program went on past.
 */
function endsProcesses(group: Group): boolean {
  return group.type === "error" && (group.kind === "FatalSignal" || group.aborted === true);
}

/**
 * The baseline processes a forked child's death may have kept this run from (processKey), when
 * the baseline's run shows which: those of the same FatalSignal group in the stop's log (or, when
 * the baseline has none there, in logs of paths this run has not: `vg.%p.log`), the child's
 * counterparts there, whatever the place they died at. Its parent and the log's other processes
 * ran on past its death, in both runs. Undefined, so any of the log's, when the baseline's run
 * did not die so there (the child that died now may have been any of its processes), or when its
 * group's members do not name every process.
 */
function heldOnly(
  stop: FatalStop,
  same: readonly Group[],
  inputs: ReadonlySet<string>,
): ReadonlySet<string> | undefined {
  if (stop.path === undefined) return undefined;
  if (same.some((g) => g.sites === undefined && (g.membersOmitted ?? 0) > 0)) return undefined;
  const died = same.flatMap((g) => g.sites ?? g.members);
  const here = died.filter((p) => p.path === stop.path);
  const counterparts = here.length > 0 ? here : died.filter((p) => !inputs.has(p.path));
  return counterparts.length > 0 ? new Set(counterparts.map(processKey)) : undefined;
}

/**
 * The processes of a group that ended them: one member each (a process dies once), and, where
 * its members are capped and no sites are kept, one of no known log for the rest.
 */
function stopsOf(group: Group): FatalStop[] {
  const stops: FatalStop[] = group.members.map(({ path, pid, run, line }) => ({
    path,
    pid,
    run,
    line,
    group,
  }));
  const listed = new Set(group.members.map(processKey));
  for (const site of group.sites ?? []) {
    if (!listed.has(processKey(site))) stops.push({ ...site, group });
  }
  if (group.sites === undefined && (group.membersOmitted ?? 0) > 0) {
    stops.push({ path: undefined, group });
  }
  return stops;
}

/**
 * Where a baseline group has findings: the processes its sites, or else its members, name, and
 * an unknown one when its members are capped and do not name every process it has (its
 * `processCount`, else its `pids`).
 */
function originsOf(group: Group): Origin[] {
  const named: Origin[] = (group.sites ?? group.members).map(({ path, pid, run }) => ({
    path,
    pid,
    run,
  }));
  if (group.sites !== undefined || (group.membersOmitted ?? 0) === 0) return named;
  const processes = group.processCount ?? group.pids.length;
  const distinct = new Set((group.sites ?? group.members).map(processKey)).size;
  return processes > 0 && distinct >= processes ? named : [...named, undefined];
}

/** Whether a stack goes down to `main` or its thread's start: the checker unwound all of it. */
function reachesMain(stack: readonly Frame[]): boolean {
  const last = stack.at(-1);
  if (last?.function === undefined) return false;
  return last.function === "main" || isStartupTailFrame(last);
}

/**
 * A group that ended processes and where: its key, and its call path frame by frame, each
 * frame's function and file (or object) by base name, as text logs print `steps.c` and XML a
 * `<dir>` beside it; lines aside, as a rebuild moves them.
 */
function placeKey(group: Group): string {
  const frames = group.stack.map((f) => `${f.function ?? "???"} ${placeOf(f)}`);
  return [baselineKey(group), ...frames].join("\n");
}

function placeOf(frame: Frame): string {
  const path = frame.file ?? frame.object;
  return path === undefined ? "" : baseName(path);
}
