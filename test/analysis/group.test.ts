import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Grouper, MAX_GROUP_MEMBERS, MAX_GROUP_PIDS } from "../../src/analysis/group.js";
import type { ErrorRecord, Finding, Group, LeakRecord } from "../../src/model/index.js";
import { parseFile, summarize } from "../../src/index.js";
import { ROOT } from "../helpers/golden.js";
import { errorRecord, leakRecord } from "../helpers/records.js";

const STACK = [{ function: "make", file: "a.c", line: 3 }];

function leak(
  bytes: number,
  where: { pid?: number; fingerprint?: string; kind?: LeakRecord["kind"] } = {},
): LeakRecord {
  const kind = where.kind ?? "definitely-lost";
  return leakRecord({
    kind,
    bytes,
    ...(where.pid !== undefined ? { pid: where.pid } : {}),
    stack: STACK,
    fingerprint: where.fingerprint ?? "00000000000000aa",
    severity: kind === "suppressed" ? "none" : "error",
  });
}

function error(
  count: number,
  where: {
    tool?: ErrorRecord["tool"];
    suppressed?: boolean;
    severity?: ErrorRecord["severity"];
  } = {},
): ErrorRecord {
  return errorRecord({
    tool: where.tool ?? "valgrind",
    count,
    stack: [{ function: "read", file: "b.c", line: 9 }],
    ...(where.suppressed === true ? { suppressed: true } : {}),
    severity: where.severity ?? "error",
  });
}

function grouped(findings: readonly Finding[]): Group[] {
  const grouper = new Grouper();
  for (const finding of findings) grouper.add(finding);
  return grouper.result();
}

describe("Grouper", () => {
  it("sums a stack's findings and lists its members up to the cap, counting the rest", () => {
    const findings = Array.from({ length: MAX_GROUP_MEMBERS + 7 }, (_, i) =>
      leak(10, { pid: 100 + (i % 3) }),
    );
    const [group, ...others] = grouped(findings);
    expect(others).toEqual([]);
    expect(group).toMatchObject({ bytes: 270, directBytes: 270, blocks: 27, occurrences: 27 });
    expect(group?.members).toHaveLength(MAX_GROUP_MEMBERS);
    expect(group?.members[0]).toEqual({
      id: findings[0]?.id,
      path: "a.log",
      line: findings[0]?.location.line,
      pid: 100,
    });
    expect(group?.membersOmitted).toBe(7);
    expect(group?.pids).toEqual([100, 101, 102]);
    expect(group?.tools).toEqual(["valgrind"]);
  });

  it("lists the first distinct PIDs only, in the order they came", () => {
    const pids = Array.from({ length: MAX_GROUP_PIDS + 20 }, (_, i) => 1000 + i);
    const findings = pids.flatMap((pid) => [leak(1, { pid }), leak(1, { pid: 1000 })]);
    const [group] = grouped(findings);
    expect(group?.pids).toEqual(pids.slice(0, MAX_GROUP_PIDS));
  });

  it("keeps stacks, types and kinds apart, and no membersOmitted key below the cap", () => {
    const groups = grouped([
      leak(1),
      leak(2, { fingerprint: "00000000000000cc" }),
      leak(4, { kind: "possibly-lost" }),
      error(3),
      leak(8),
    ]);
    // Of one severity, errors first (they have no bytes), then leaks by bytes.
    expect(groups.map((g) => [g.type, g.kind, g.fingerprint, g.bytes, g.occurrences])).toEqual([
      ["error", "InvalidRead", "00000000000000bb", 0, 3],
      ["leak", "definitely-lost", "00000000000000aa", 9, 2],
      ["leak", "possibly-lost", "00000000000000aa", 4, 1],
      ["leak", "definitely-lost", "00000000000000cc", 2, 1],
    ]);
    for (const group of groups) expect(Object.keys(group)).not.toContain("membersOmitted");
  });

  it("counts a suppressed group until a member that is not, and raises its severity", () => {
    const [still] = grouped([error(1, { suppressed: true, severity: "none" })]);
    expect(still).toMatchObject({ suppressed: true, severity: "none" });
    const [counted] = grouped([
      error(1, { suppressed: true, severity: "none" }),
      error(2, { severity: "warning" }),
      error(1, { tool: "asan" }),
    ]);
    expect(Object.keys(counted ?? {})).not.toContain("suppressed");
    expect(counted).toMatchObject({
      severity: "error",
      occurrences: 4,
      tools: ["valgrind", "asan"],
    });
  });

  it("says a record of the group ended its process, through merges, and else nothing", () => {
    // A sanitizer's ABORTING (details.aborted): a comparison with a baseline leaves out what
    // that process never reached (see FatalStops).
    const aborted = { ...error(1, { tool: "asan" }), details: { aborted: true } };
    const [stopped] = grouped([error(1, { tool: "asan" }), aborted, error(1, { tool: "asan" })]);
    expect(stopped?.aborted).toBe(true);
    const [went] = grouped([error(1, { tool: "asan" })]);
    expect(Object.keys(went ?? {})).not.toContain("aborted");
    const merged = new Grouper();
    for (const group of [went, stopped, went]) if (group) merged.addGroup(group);
    expect(merged.result()[0]?.aborted).toBe(true);
    const inserted = new Grouper();
    if (stopped) inserted.addGroup(stopped);
    inserted.add(error(1, { tool: "asan" }));
    expect(inserted.result()[0]).toMatchObject({ aborted: true, occurrences: 4 });
  });

  it("gives the group the findings added after an earlier result", () => {
    const grouper = new Grouper();
    grouper.add(leak(5, { pid: 1 }));
    expect(grouper.result()[0]).toMatchObject({ bytes: 5, occurrences: 1, pids: [1] });
    grouper.add(leak(6, { pid: 2 }));
    expect(grouper.result()[0]).toMatchObject({ bytes: 11, occurrences: 2, pids: [1, 2] });
  });

  it("merges groups built elsewhere as if their findings had been added in that order", () => {
    const first = Array.from({ length: 15 }, (_, i) => leak(i + 1, { pid: i }));
    const second = Array.from({ length: 60 }, (_, i) => leak(2, { pid: 100 + i }));
    const merged = new Grouper();
    for (const group of grouped(first)) merged.addGroup(group);
    for (const group of grouped(second)) merged.addGroup(group);
    // Merged groups are of other inputs than the findings added (the CLI's workers read one
    // input each), so their processes add up (see GroupProcesses.merge): PID 5 of another log.
    const seen = leak(7, { pid: 5 });
    const last = { ...seen, location: { ...seen.location, path: "other.log" } };
    merged.add(last);
    expect(merged.result()).toEqual(grouped([...first, ...second, last]));
    expect(merged.result()[0]?.processCount).toBe(first.length + second.length + 1);
    const [group] = merged.result();
    expect(group?.members.map((m) => m.pid)).toEqual([
      ...first.map((f) => f.pid),
      100,
      101,
      102,
      103,
      104,
    ]);
    expect(group?.membersOmitted).toBe(56);
    expect(group?.pids).toHaveLength(MAX_GROUP_PIDS);
  });
});

describe("a leak group's message", () => {
  it("says the group's amounts and kind, the same for the text and the XML of one run", async () => {
    // Four records of one group: the first one's amounts and, in XML, its kind as Valgrind names
    // it (`48 bytes in 3 blocks Leak_DefinitelyLost`), above 148 bytes (campaign bu F3).
    const dir = join(ROOT, "test/fixtures/valgrind-xml/group-message");
    for (const name of ["f_msg.txt", "f_msg.xml"]) {
      const report = summarize([await parseFile(join(dir, name))]);
      expect(report.groups.map((g) => [g.bytes, g.blocks, g.message])).toEqual([
        [148, 4, "148 bytes in 4 blocks definitely lost"],
      ]);
    }
  });
});
