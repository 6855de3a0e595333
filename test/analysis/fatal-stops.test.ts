import { describe, expect, it } from "vitest";
import { FatalStops, type FatalStop } from "../../src/analysis/fatal-stops.js";
import type { Group, GroupMember } from "../../src/model/index.js";

// Which baseline groups a process that died may have kept its run from reaching: those of its
// log, and those of logs it cannot be told from (test/cli/baseline-fatal-signal.test.ts has the
// real runs).

const member = (path: string, pid: number, id = `${path}:${pid}`): GroupMember => ({
  id,
  path,
  line: 3,
  pid,
});

function group(kind: string, members: GroupMember[], extra: Partial<Group> = {}): Group {
  return {
    fingerprint: kind,
    type: "error",
    kind,
    severity: "error",
    bytes: 0,
    directBytes: 0,
    blocks: 0,
    occurrences: members.length,
    message:
      kind === "FatalSignal"
        ? "Process terminating with default action of signal 6 (SIGABRT)"
        : kind,
    stack: [
      { function: "crash", file: "a.c" },
      { function: "main", file: "a.c" },
    ],
    tools: ["valgrind"],
    pids: [...new Set(members.map((m) => m.pid ?? 0))],
    members,
    ...extra,
  };
}

const INPUTS = new Set(["a.log", "b.log"]);
const died = group("FatalSignal", [member("a.log", 10)]);

describe("FatalStops", () => {
  it("holds the groups of the log a process died in, and of logs this run has not", () => {
    const stops = new FatalStops([died], [], INPUTS);
    const stop = stops.stopBefore(group("InvalidRead", [member("a.log", 1)]));
    expect(stop).toMatchObject({ path: "a.log", pid: 10, line: 3 });
    expect(stops.reason(stop as FatalStop)).toBe("not-in-baseline");
    expect(stops.stopBefore(group("InvalidRead", [member("old/a.log", 1)]))).toBe(stop);
    expect(stops.stopBefore(group("InvalidRead", [member("b.log", 2)]))).toBeUndefined();
  });

  it("holds a group whose capped members do not name all its processes", () => {
    const stops = new FatalStops([died], [], INPUTS);
    const members = Array.from({ length: 20 }, (_, i) => member("b.log", 2, `b${i}`));
    // 25 records of one process: its members name it.
    const one = group("InvalidRead", members, { membersOmitted: 5 });
    expect(stops.stopBefore(one)).toBeUndefined();
    // Another process's records are past the cap: its log is unknown.
    const two = group("InvalidRead", members, { membersOmitted: 5, pids: [2, 3] });
    expect(stops.stopBefore(two)?.pid).toBe(10);
  });

  it("lets processes past a FatalSignal group's listed members hold any log's groups", () => {
    const members = Array.from({ length: 20 }, (_, i) => member("a.log", 100 + i));
    const many = group("FatalSignal", members, { membersOmitted: 3 });
    const stops = new FatalStops([many], [], INPUTS);
    const stop = stops.stopBefore(group("InvalidRead", [member("b.log", 2)]));
    expect(stop).toMatchObject({ path: undefined });
    expect(stops.reason(stop as FatalStop)).toBe("not-in-baseline");
  });

  it("takes an error at which a sanitizer stopped its process for a stop, as a FatalSignal", () => {
    const asan = { tools: ["asan"], aborted: true };
    const overflow = group("heap-buffer-overflow", [member("a.log", 10)], asan);
    const stops = new FatalStops([overflow], [], INPUTS);
    const stop = stops.stopBefore(group("InvalidRead", [member("a.log", 1)]));
    expect(stop).toMatchObject({ path: "a.log", pid: 10, group: overflow });
    expect(stops.reason(stop as FatalStop)).toBe("not-in-baseline");
    expect(stops.stopBefore(group("InvalidRead", [member("b.log", 2)]))).toBeUndefined();
    // The baseline's run stopped at the same error, at the same place: nothing is held back.
    const before = group("heap-buffer-overflow", [member("a.log", 1)], asan);
    const same = new FatalStops([overflow], [before], INPUTS);
    expect(same.stopBefore(group("InvalidRead", [member("a.log", 1)]))).toBeUndefined();
    // One it went on past (-fsanitize-recover) stopped nothing, there or in this run.
    const went = group("heap-buffer-overflow", [member("a.log", 1)], { tools: ["asan"] });
    const recovered = new FatalStops([overflow], [went], INPUTS);
    expect(recovered.stopBefore(group("InvalidRead", [member("a.log", 1)]))?.pid).toBe(10);
    const none = new FatalStops([went], [], INPUTS);
    expect(none.stopBefore(group("InvalidRead", [member("a.log", 1)]))).toBeUndefined();
  });

  it("pairs each baseline process that died alike with one process of this run", () => {
    const before = group("FatalSignal", [member("a.log", 1)]);
    const once = new FatalStops([died], [before], INPUTS);
    expect(once.stopBefore(group("InvalidRead", [member("a.log", 1)]))).toBeUndefined();
    // Two processes of the log died so now, one before: the other may have stopped early.
    const twice = group("FatalSignal", [member("a.log", 10), member("a.log", 11)]);
    const stops = new FatalStops([twice], [before], INPUTS);
    expect(stops.stopBefore(group("InvalidRead", [member("a.log", 1)]))?.pid).toBe(11);
    // The same crash in another log of this run is not this log's.
    const other = new FatalStops([died], [group("FatalSignal", [member("b.log", 1)])], INPUTS);
    expect(other.stopBefore(group("InvalidRead", [member("a.log", 1)]))?.pid).toBe(10);
  });

  it("lets a forked child whose parent ran on hold only the groups of its counterpart", () => {
    // The stack does not reach main: the baseline's child (PID 1) died so too, at a place
    // unknown. Its parent (PID 2) and the log's other processes ran on in both runs.
    const stack = [{ function: "abort", file: "abort.c" }];
    const child = group("FatalSignal", [member("a.log", 10)], { stack });
    const before = group("FatalSignal", [member("a.log", 1)], { stack });
    const forked = (stop: FatalStop) => stop.pid === 10;
    const stops = new FatalStops([child], [before], INPUTS, forked);
    expect(stops.stopBefore(group("InvalidRead", [member("a.log", 2)]))).toBeUndefined();
    const own = stops.stopBefore(group("InvalidRead", [member("a.log", 1)]));
    expect(own?.pid).toBe(10);
    expect(stops.reason(own as FatalStop)).toBe("unplaced");
    // Unless told otherwise it holds the log's every group, as any process's death does.
    const any = new FatalStops([child], [before], INPUTS);
    expect(any.stopBefore(group("InvalidRead", [member("a.log", 2)]))?.pid).toBe(10);
    // With no counterpart in the baseline's run, it may have been any of its processes.
    const alone = new FatalStops([child], [], INPUTS, forked);
    expect(alone.stopBefore(group("InvalidRead", [member("a.log", 2)]))?.pid).toBe(10);
    // A baseline process in a log this run has not (`vg.%p.log`) is its counterpart there.
    const elsewhere = group("FatalSignal", [member("vg.7.log", 7)], { stack });
    const pid = new FatalStops([child], [elsewhere], INPUTS, forked);
    expect(pid.stopBefore(group("InvalidRead", [member("vg.6.log", 6)]))).toBeUndefined();
    expect(pid.stopBefore(group("InvalidRead", [member("vg.7.log", 7)]))?.pid).toBe(10);
  });
});
