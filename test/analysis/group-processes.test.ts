import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GroupProcesses } from "../../src/analysis/group-processes.js";

/** A finding's group and process: input, PID and run (undefined for a PID's first run). */
type Finding = readonly [group: number, path: string, pid: number, run: number | undefined];

/** Each group's distinct processes, counted the plain way. */
function plainCounts(findings: readonly Finding[], groups: number): number[] {
  const seen = Array.from({ length: groups }, () => new Set<string>());
  for (const [group, path, pid, run] of findings) seen[group]?.add(`${path} ${pid} ${run}`);
  return seen.map((processes) => processes.size);
}

function counts(findings: readonly Finding[], groups: number): number[] {
  const processes = new GroupProcesses();
  for (const [group, path, pid, run] of findings) processes.add(group, path, pid, run);
  return Array.from({ length: groups }, (_, group) => processes.of(group));
}

const GROUPS = 6;
const finding = fc.tuple(
  fc.integer({ min: 0, max: GROUPS - 1 }),
  fc.constantFrom("a.log", "b.log"),
  fc.integer({ min: 1, max: 5 }),
  fc.constantFrom(undefined, 2),
);

describe("a group's distinct processes", () => {
  it("are counted as a Set of input, PID and run would count them, in any order", () => {
    // Runs of one process (a log's usual order) and single findings (interleaved stderr).
    const runs = fc.array(
      fc.oneof(
        fc.array(finding, { maxLength: 12 }),
        finding.map((one) => [one]),
      ),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(runs, (parts) => {
        const findings = parts.flatMap((part) => part);
        expect(counts(findings, GROUPS)).toEqual(plainCounts(findings, GROUPS));
      }),
      { numRuns: 2000 },
    );
  });

  it("count a process that comes back after another's findings once", () => {
    const findings: Finding[] = [
      [0, "a.log", 1, undefined],
      [1, "a.log", 1, undefined],
      [0, "a.log", 2, undefined],
      [1, "a.log", 1, undefined],
      [0, "a.log", 1, undefined],
      [2, "a.log", 1, undefined],
      [0, "a.log", 1, 2],
      [0, "b.log", 1, undefined],
    ];
    expect(counts(findings, 3)).toEqual([4, 1, 1]);
  });

  it("add processes counted elsewhere, and none for a group never seen", () => {
    const processes = new GroupProcesses();
    processes.add(0, "a.log", 1);
    processes.addCount(0, 3);
    processes.addCount(200, 2);
    expect([processes.of(0), processes.of(1), processes.of(200), processes.of(201)]).toEqual([
      4, 0, 2, 0,
    ]);
  });
});
