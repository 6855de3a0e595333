import { describe, expect, it } from "vitest";
import { Grouper } from "../../src/analysis/group.js";
import {
  compareLogLocations,
  compareMasked,
  compareShown,
} from "../../src/analysis/shown-record.js";
import type { ErrorRecord, Finding, Frame, Group } from "../../src/model/index.js";
import { errorRecord, leakRecord } from "../helpers/records.js";

// Campaign cg F3: a group showed its first record, so the same records in another order (a
// glob's `vg.100054.log` before `vg.99999.log`) moved SARIF and Code Quality between lines and
// headed a SIGSEGV's group as a SIGTERM. See test/fixtures/valgrind/shown-record.

const make = (line: number, ip = "0x1091FF"): Frame => ({
  ip,
  function: "lib_make",
  file: "lib.c",
  line,
});
const main: Frame = { ip: "0x109178", function: "main", file: "lines.c", line: 3 };

function signal(name: "SIGTERM" | "SIGSEGV", path: string): ErrorRecord {
  const number = name === "SIGTERM" ? 15 : 11;
  return errorRecord(
    {
      kind: "FatalSignal",
      message: `Process terminating with default action of signal ${number} (${name})`,
      severity: name === "SIGTERM" ? "warning" : "error",
      stack: [{ function: "wait_for_work", file: "signal.c", line: 4 }],
    },
    path,
  );
}

function invalidRead(address: string, line: number, path: string): ErrorRecord {
  return errorRecord(
    {
      stack: [{ ip: `0x10${line}`, function: "use", file: "u.c", line }],
      aux: [{ message: `Address ${address} is 4 bytes inside a block of size 16 free'd` }],
    },
    path,
  );
}

/** Every order of `items` (n! of them: keep n small). */
function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

/** What a group shows of its record, as the reports take it. */
function shown(group: Group | undefined): unknown {
  return { message: group?.message, stack: group?.stack, aux: group?.aux };
}

function grouped(findings: readonly Finding[]): Group[] {
  const grouper = new Grouper();
  for (const finding of findings) grouper.add(finding);
  return grouper.result();
}

/** The findings in `parts`, each part grouped apart, merged in order (as worker threads do). */
function merged(parts: readonly (readonly Finding[])[]): Group[] {
  const grouper = new Grouper();
  for (const part of parts) for (const group of grouped(part)) grouper.addGroup(group);
  return grouper.result();
}

describe("the record a group shows", () => {
  const records = [
    leakRecord({ stack: [make(15), main] }, "vg.99999.log"),
    leakRecord({ stack: [make(14), main] }, "vg.100054.log"),
    leakRecord({ stack: [make(15, "0x2091FF"), main] }, "vg.100547.log"),
  ];

  it("is the same whatever order the records come in", () => {
    const all = permutations(records).map((order) => shown(grouped(order)[0]));
    for (const each of all) expect(each).toEqual(all[0]);
    expect(grouped(records)[0]?.stack).toEqual([make(14), main]);
  });

  it("is the same when groups made apart are merged, in any order", () => {
    const [a, b, c] = records as [Finding, Finding, Finding];
    const whole = shown(grouped(records)[0]);
    for (const parts of permutations([[a], [b, c]])) expect(shown(merged(parts)[0])).toEqual(whole);
    for (const parts of permutations([[a], [b], [c]]))
      expect(shown(merged(parts)[0])).toEqual(whole);
  });

  it("is the most severe: a crash heads the group, not a harness's SIGTERM at the same place", () => {
    for (const order of permutations([
      signal("SIGTERM", "vg.1.log"),
      signal("SIGSEGV", "vg.2.log"),
    ])) {
      const [group] = grouped(order);
      expect(group?.message).toBe("Process terminating with default action of signal 11 (SIGSEGV)");
      expect(group?.severity).toBe("error");
    }
  });

  it("is not chosen by addresses: records alike but for them are told apart by their logs", () => {
    // The same read in two runs: the second's addresses are lower, its log name higher.
    const first = invalidRead("0x4a41094", 20, "vg.1.log");
    const second = invalidRead("0x4a41000", 20, "vg.2.log");
    for (const order of permutations([second, first])) {
      expect(grouped(order)[0]?.aux).toEqual(first.aux);
    }
    // A line apart, the lower line shows, whatever its address.
    const lower = invalidRead("0x4a41fff", 19, "vg.3.log");
    for (const order of permutations([first, second, lower])) {
      expect(grouped(order)[0]?.stack).toEqual(lower.stack);
    }
  });
});

describe("compareShown", () => {
  const error = (fields: Partial<ErrorRecord>) => errorRecord(fields);

  it("orders by severity, then the stack's lines, then its names, then headline and aux", () => {
    const at = (line: number, fn = "f", file = "a.c"): Frame => ({ function: fn, file, line });
    const sorted = [
      error({ severity: "error", stack: [at(9)] }),
      error({ severity: "warning", stack: [at(1)] }),
      error({ severity: "warning", stack: [at(2), at(5)] }),
      // A longer stack comes before one it starts with.
      error({ severity: "warning", stack: [at(3), at(5)] }),
      error({ severity: "warning", stack: [at(3)] }),
      error({ severity: "warning", stack: [at(4, "f", "a.c")] }),
      error({ severity: "warning", stack: [at(4, "f", "b.c")] }),
      error({ severity: "warning", stack: [at(4, "g", "b.c")], message: "Invalid read of size 4" }),
      error({ severity: "warning", stack: [at(4, "g", "b.c")], message: "Invalid read of size 8" }),
      error({
        severity: "warning",
        stack: [at(4, "g", "b.c")],
        message: "Invalid read of size 8",
        aux: [{ message: "Address 0x10 is 0 bytes after a block of size 4 alloc'd" }],
      }),
    ];
    for (const order of [sorted, [...sorted].reverse()]) {
      expect([...order].sort(compareShown)).toEqual(sorted);
    }
  });

  it("leaves a leak's message out: a group's is its amounts", () => {
    const stack = [make(14)];
    const group = { ...grouped([leakRecord({ stack })])[0], message: "99 bytes" } as Group;
    expect(compareShown(leakRecord({ stack }), group)).toBe(0);
  });
});

describe("compareMasked", () => {
  it("reads an address as `0x` alone", () => {
    expect(compareMasked("Address 0x4a41044 is 4 bytes", "Address 0x1f is 4 bytes")).toBe(0);
    expect(compareMasked("at 0x4a41044 by 0x1", "at 0x0 by 0xffff")).toBe(0);
  });

  it("orders what the addresses leave as text is ordered", () => {
    const texts = [
      "00x",
      "0x",
      "0x1 is 4 bytes after",
      "0x9 is 8 bytes after",
      "0xff is 8 bytes before",
      "a 01",
      "a 0x1",
      "a 0x1 b",
      "a 1",
    ];
    for (const [i, a] of texts.entries()) {
      for (const [j, b] of texts.entries()) {
        expect(Math.sign(compareMasked(a, b)), `${a} | ${b}`).toBe(Math.sign(i - j));
      }
    }
  });
});

describe("compareLogLocations", () => {
  it("orders by path, then line", () => {
    const places = [
      { path: "vg.100054.log", line: 9 },
      { path: "vg.99999.log", line: 2 },
      { path: "vg.99999.log", line: 10 },
    ];
    expect([...places].reverse().sort(compareLogLocations)).toEqual(places);
  });
});
