import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../../src/api/parse.js";
import type { Finding } from "../../../src/model/index.js";
import { ROOT } from "../../helpers/golden.js";

// Real valgrind 3.19 runs of forkgen.c; see test/fixtures/valgrind/gensupp/README.md.
const fixture = (name: string): string =>
  readFileSync(join(ROOT, "test", "fixtures", "valgrind", "gensupp", name), "utf8");

type Result = ReturnType<typeof parse>;
const findings = (result: Result): Finding[] => [...result.errors, ...result.leaks];
/** The `fun:`/`obj:` names of a block: for these C programs, the record's frames by name. */
const blockNames = (block: string): string[] =>
  block
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.startsWith("fun:") || line.startsWith("obj:"))
    .map((line) => line.slice(4));
const stackNames = (f: Finding): string[] => f.stack.map((fr) => fr.function ?? fr.object ?? "*");
/** Records whose block names another stack than their own. */
const misattached = (result: Result): Finding[] =>
  findings(result).filter(
    (f) => f.suppression !== undefined && blockNames(f.suppression).join() !== stackNames(f).join(),
  );
const ownerDiagnostics = (result: Result) =>
  result.diagnostics.filter((d) => d.code === "suppression-owner");

describe("valgrind text: --gen-suppressions=all blocks of two processes in one log", () => {
  it("gives a fatal signal no block: a -s recap's block after it is an error's again", () => {
    const result = parse(fixture("abort-s.txt"));
    expect(result.errors.map((e) => [e.kind, e.suppression?.split("\n")[2]?.trim()])).toEqual([
      ["InvalidRead", "Memcheck:Addr4"],
      ["FatalSignal", undefined],
    ]);
    expect(ownerDiagnostics(result)).toEqual([]);
  });

  it("gives each record its block when the parent waits for its child", () => {
    const result = parse(fixture("fork-wait.txt"));
    expect(findings(result).map((f) => f.suppression === undefined)).toEqual(Array(5).fill(false));
    expect(misattached(result)).toEqual([]);
    expect(ownerDiagnostics(result)).toEqual([]);
  });

  it("gives a block that came after the other process's record to the record it names", () => {
    // The child's block for loss record 11 (line 1314) follows the parent's record 26 (closed
    // at 1313): it went to the parent's record, and the parent's own block was dropped.
    const result = parse(fixture("fork-race.txt"));
    expect(misattached(result)).toEqual([]);
    const child11 = result.leaks.find((l) => l.pid === 23563 && l.lossRecord?.index === 11);
    const parent26 = result.leaks.find((l) => l.pid === 23562 && l.lossRecord?.index === 26);
    expect(blockNames(child11?.suppression ?? "").filter((n) => n === "child_leaks")).toHaveLength(
      10,
    );
    // The parent's own block (line 1335), which another write cut in two (below).
    expect(blockNames(parent26?.suppression ?? "")).toEqual(stackNames(parent26 as Finding));
    // Another process's line landed inside 5 blocks, cutting a frame line in two (`   fun:paren`
    // + `==23563== ...` + `t_leaks`): the two halves are joined. In a 6th a whole block landed
    // (`   fun:paren{`): both are program output (README.md).
    expect(findings(result).filter((f) => f.suppression === undefined)).toHaveLength(2);
    expect(result.source.counters.programLines).toBe(53);
    expect(ownerDiagnostics(result)).toEqual([]);
  });

  it("gives a client-requested check's loss record its block, although the record is held", () => {
    const result = parse(fixture("client-check.txt"));
    expect(result.leaks.map((l) => [l.leakCheck, l.superseded ?? false])).toEqual([
      [1, true],
      [2, false],
      [2, false],
    ]);
    expect(result.leaks.every((l) => l.suppression !== undefined)).toBe(true);
    expect(misattached(result)).toEqual([]);
  });
});

/*
 * Synthesised from samples/valgrind/gensupp_all.txt (a real run, PID 20857): a second run of
 * the same program as PID 20858 writing into the same log (a script running it twice with one
 * --log-file), its loss record 2 and that record's block moved so that the record comes
 * between PID 20857's loss record 1 and its block, as fork-race.txt shows it happen. The
 * latest record before the first run's block is the second run's, which names cache_alloc.
 */
function interleavedGensupp(): string[] {
  const sample = readFileSync(join(ROOT, "samples", "valgrind", "gensupp_all.txt"), "utf8")
    .trimEnd()
    .split("\n");
  const recordAt = (n: number) => sample.findIndex((l) => l.includes(`loss record ${n} of 3`));
  const [r1, r2, r3] = [recordAt(1), recordAt(2), recordAt(3)];
  const b1 = r1 + 5; // a loss record is 4 lines and the empty line: its block follows
  const other = sample.map((l) => l.replace("==20857==", "==20858=="));
  const otherRecord2 = other.slice(r2, r2 + 5);
  const otherBlock2 = other.slice(r2 + 5, r3);
  return [
    ...other.slice(0, r1), // the second run's start, up to its HEAP SUMMARY
    ...sample.slice(0, b1), // the first run, up to its loss record 1 and the empty line
    ...otherRecord2,
    ...sample.slice(b1, r2), // the first run's block for its loss record 1
    ...otherBlock2,
    ...sample.slice(r2),
    ...other.slice(r1, r2),
    ...other.slice(r3),
  ];
}

describe("valgrind text: a block after another process's record (synthesised)", () => {
  it("goes to the record whose stack it names, not to the latest record", () => {
    const result = parse(interleavedGensupp().join("\n"));
    expect(misattached(result)).toEqual([]);
    expect(findings(result).every((f) => f.suppression !== undefined)).toBe(true);
    const first = result.leaks.find((l) => l.pid === 20857 && l.lossRecord?.index === 1);
    expect(first?.suppression).toContain("fun:real_leak");
    expect(ownerDiagnostics(result)).toEqual([]);
  });
});

/*
 * Synthesised, after fork-wait.txt's shapes: a parent's read and a child's write one byte past
 * the same block in the same function. `Memcheck:Addr1` covers both kinds, so the first block
 * fits both records equally: it goes to the latest, with a diagnostic; the second to the other.
 */
const AMBIGUOUS = [
  "==7001== Memcheck, a memory error detector",
  "==7001== ",
  "==7001== Invalid read of size 1",
  "==7001==    at 0x1091CC: touch (both.c:5)",
  "==7001==    by 0x10932B: main (both.c:9)",
  "==7002== Invalid write of size 1",
  "==7002==    at 0x1091D6: touch (both.c:6)",
  "==7002==    by 0x10932B: main (both.c:9)",
  "==7001== ",
  "==7002== ",
  "{",
  "   <insert_a_suppression_name_here>",
  "   Memcheck:Addr1",
  "   fun:touch",
  "   fun:main",
  "}",
  "{",
  "   <insert_a_suppression_name_here>",
  "   Memcheck:Addr1",
  "   fun:touch",
  "   fun:main",
  "}",
];

describe("valgrind text: a block that cannot tell its record", () => {
  it("goes to the latest of the records it fits, and says so", () => {
    const result = parse(AMBIGUOUS.join("\n"));
    expect(result.errors.map((e) => [e.pid, e.suppression !== undefined])).toEqual([
      [7001, true],
      [7002, true],
    ]);
    expect(ownerDiagnostics(result).map((d) => [d.severity, d.line])).toEqual([["info", 11]]);
    expect(ownerDiagnostics(result)[0]?.message).toContain("PID 7002's record at line 6");
  });

  it("goes to the latest record when it names none of them, and says so", () => {
    const lines = AMBIGUOUS.slice(0, 16).map((l) => l.replace("fun:touch", "fun:elsewhere"));
    const result = parse(lines.join("\n"));
    expect(result.errors.map((e) => [e.pid, e.suppression !== undefined])).toEqual([
      [7001, false],
      [7002, true],
    ]);
    expect(ownerDiagnostics(result).map((d) => d.message)).toEqual([
      "a --gen-suppressions block names none of the records it may follow; attached to the latest, PID 7002's record at line 6",
    ]);
  });
});

describe("valgrind text: a block line another process's write cut in two", () => {
  // Synthesised from fork-race.txt's shape, on samples/valgrind/gensupp_all.txt's first block.
  const CUT = [
    "==20857== Conditional jump or move depends on uninitialised value(s)",
    "==20857==    at 0x10918E: check (gensupp_all.c:10)",
    "==20857==    by 0x1091DD: main (gensupp_all.c:21)",
    "==20857== ",
    "{",
    "   <insert_a_suppression_name_here>",
    "   Memcheck:Cond",
    "   fun:che==20858==    by 0x1091DD: main (gensupp_all.c:21)",
    "ck",
    "   fun:main",
    "}",
  ];

  it("is joined again from the head before the other line and the rest after it", () => {
    const result = parse(CUT.join("\n"));
    expect(result.errors[0]?.suppression).toBe(
      [...CUT.slice(4, 7), "   fun:check", ...CUT.slice(9)].join("\n"),
    );
    expect(result.source.counters.programLines).toBe(0);
  });

  it("leaves the block program output when the rest makes no line of it", () => {
    const lines = [
      ...CUT.slice(0, 6),
      "   Memcheck:Co==20858==    by 0x1091DD: main (gensupp_all.c:21)",
      "nd, said the program",
      "   fun:check",
      ...CUT.slice(9),
    ];
    const result = parse(lines.join("\n"));
    expect(result.errors[0]?.suppression).toBeUndefined();
    expect(result.source.counters.programLines).toBe(7);
  });
});

describe("--gen-suppressions=yes, which asks before each suppression", () => {
  it("attaches each suppression answered y to its record, and reads on after an n", () => {
    const yes = parse(fixture("prompt-yes.txt"));
    const findings = [...yes.leaks, ...yes.errors];
    expect(findings.map((f) => [f.kind, f.suppression?.split("\n")[2]?.trim()])).toEqual([
      ["definitely-lost", "Memcheck:Leak"],
      ["InvalidRead", "Memcheck:Addr4"],
    ]);
    const no = parse(fixture("prompt-no.txt"));
    expect([...no.leaks, ...no.errors].map((f) => [f.kind, f.suppression])).toEqual([
      ["definitely-lost", undefined],
      ["InvalidRead", undefined],
    ]);
    for (const result of [yes, no]) {
      expect(result.diagnostics).toEqual([]);
      expect(result.summaries.at(-1)?.errors).toMatchObject({ errors: 2, contexts: 2 });
    }
  });
});
