import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseChunks, parseFile, type ParseResult } from "../../../src/index.js";
import { cli } from "../../helpers/cli.js";
import { ROOT } from "../../helpers/golden.js";
import { chunks } from "../../helpers/chunks.js";

// A -q Memcheck run and a -q Helgrind run of one PID in one log, real logs in both orders
// (campaign v15a F7); see the README.md.
const DIR = join(ROOT, "test", "fixtures", "valgrind", "other-tools", "quiet");
const text = (name: string) => readFileSync(join(DIR, name), "utf8");
const MC_THEN_HG = "memcheck-then-helgrind.txt";
const HG_THEN_MC = "helgrind-then-memcheck.txt";
const warnings = (result: ParseResult) =>
  result.diagnostics.filter((d) => d.severity !== "info").map((d) => [d.code, d.line, d.message]);
const findings = (result: ParseResult) => ({
  errors: result.errors.map((e) => [e.kind, e.pid, e.thread]),
  leaks: result.leaks.map((l) => [l.kind, l.bytes, l.pid]),
});

/** What mcthreads.c's Memcheck run found, as its -q log alone reads. */
const MEMCHECK_FINDINGS = {
  errors: [
    ["UninitCondition", 1, 2],
    ["InvalidWrite", 1, 2],
  ],
  leaks: [["definitely-lost", 64, 1]],
};

/** Another Memcheck -q process of the log (PID 7): one definite leak. */
const LEAK = [
  "==7== 48 bytes in 3 blocks are definitely lost in loss record 1 of 1",
  "==7==    at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)",
  "==7==    by 0x109151: main (x.c:5)",
  "==7== ",
  "",
].join("\n");

describe("a -q Memcheck run and a -q Helgrind run of one PID in one log", () => {
  it.each([
    [MC_THEN_HG, 26, "after a Memcheck run of the PID"],
    [HG_THEN_MC, 4, "its lines are Helgrind's)"],
  ])(
    "%s keeps the Memcheck run's findings and skips the Helgrind run, naming its line",
    async (name, line, says) => {
      const results = [
        parse(text(name)),
        await parseFile(join(DIR, name)),
        await parseChunks(chunks(text(name))),
      ];
      for (const result of results) {
        // It was refused as "a Helgrind log, not Memcheck's", its Memcheck findings dropped.
        expect(result.fatal).toBeUndefined();
        expect(findings(result)).toEqual(MEMCHECK_FINDINGS);
        expect(result.source.complete).toBe(true);
        expect(warnings(result)).toEqual([
          ["other-tool", line, expect.stringMatching(/^PID 1 runs Helgrind, not Memcheck \(/)],
        ]);
        expect(result.diagnostics[0]?.message).toContain(says);
      }
    },
  );

  it("keeps them beside another Memcheck process, whose PID made the refusal a warning", () => {
    for (const log of [text(MC_THEN_HG) + LEAK, LEAK + text(HG_THEN_MC)]) {
      const result = parse(log);
      expect(result.fatal).toBeUndefined();
      expect(result.errors.map((e) => e.kind)).toEqual(["UninitCondition", "InvalidWrite"]);
      expect(result.leaks.map((l) => [l.bytes, l.pid])).toEqual(
        log.startsWith("$")
          ? [
              [64, 1],
              [48, 7],
            ]
          : [
              [48, 7],
              [64, 1],
            ],
      );
    }
  });

  it("reads three runs one after the other: Memcheck, Helgrind, Memcheck", () => {
    const memcheck = text(MC_THEN_HG).split("$ docker run ci valgrind -q --tool=helgrind")[0];
    const result = parse(text(MC_THEN_HG) + memcheck);
    expect(result.errors).toHaveLength(4);
    expect(result.leaks.map((l) => l.run)).toEqual([undefined, 3]);
    expect(result.source.complete).toBe(true);
  });

  it.each([
    ["helgrind-race.txt", "Helgrind"],
    ["helgrind-locks.txt", "Helgrind"],
    ["helgrind-condvar.txt", "Helgrind"],
    ["helgrind-race-s.txt", "Helgrind"],
    ["drd-race.txt", "DRD"],
    ["drd-locks.txt", "DRD"],
    ["drd-condvar.txt", "DRD"],
  ])("a Memcheck run before %s of the same PID keeps its findings alone", (name, tool) => {
    const memcheck = text(MC_THEN_HG).split("$ docker run ci valgrind -q --tool")[0] as string;
    const other = text(name).replace(/^==\d+==/gm, "==1==");
    const result = parse(memcheck + other);
    expect(findings(result)).toEqual(MEMCHECK_FINDINGS);
    expect(warnings(result)).toEqual([
      ["other-tool", 25, expect.stringContaining(`its lines from here on are ${tool}'s, after`)],
    ]);
  });

  it("still refuses a log of the Helgrind run alone, with no made-up finding", () => {
    const helgrind = text(MC_THEN_HG).split("\n").slice(24).join("\n");
    const result = parse(helgrind);
    expect(result.fatal?.message).toMatch(/^a Helgrind log, not Memcheck's/);
    expect(result.errors).toEqual([]);
  });

  it("says that the log mixes tools, and is incomplete, when the runs' lines interleave", () => {
    const [mc, hg] = [text(MC_THEN_HG), text(HG_THEN_MC)].map((t) =>
      t.split("\n").filter((l) => l.startsWith("==1==")),
    );
    const memcheck = (mc as string[]).slice(0, 23);
    const helgrind = (hg as string[]).slice(0, 63);
    // Line by line, as two containers writing to one terminal at once can give.
    const byLine = helgrind.flatMap((l, i) => [memcheck[i], l]).filter((l) => l !== undefined);
    // A Memcheck headline right after a Helgrind frame, with no empty line between.
    const byBlock = [...helgrind.slice(0, 9), ...memcheck];
    for (const lines of [byLine, byBlock]) {
      const result = parse(lines.join("\n") + "\n");
      expect(result.source.complete).toBe(false);
      const mixed = result.diagnostics.filter((d) => d.code === "incomplete");
      expect(mixed.map((d) => d.message)).toEqual([
        expect.stringMatching(/^PID 1's lines mix two Valgrind tools, Memcheck's and Helgrind's/),
      ]);
      // No error is made of Helgrind's lines.
      expect(result.errors.filter((e) => e.kind === "Unknown")).toEqual([]);
    }
  });
});

// The same kind of runs with -s, real logs (campaign v16a F2; see the README.md): a run's
// closing ERROR SUMMARY is followed at once by the next run's first line, with no empty line
// between, and Memcheck's first error may start with its `Thread 2:` header.
const HGS_THEN_MCS = "helgrind-s-then-memcheck-s.txt";
const HGS_THEN_MCS_MAIN = "helgrind-s-then-memcheck-s-st.txt";
const MCS_THEN_HGS = "memcheck-s-then-helgrind-s.txt";

describe("a -q -s Memcheck run and a -q -s Helgrind run of one PID, one after the other", () => {
  it.each([
    [HGS_THEN_MCS, 3, 2],
    [HGS_THEN_MCS_MAIN, 3, undefined],
    [MCS_THEN_HGS, 38, 2],
  ])(
    "%s reads complete, Memcheck's first error on the thread its header names",
    async (name, line, thread) => {
      for (const result of [parse(text(name)), await parseChunks(chunks(text(name)))]) {
        // The Helgrind run's ERROR SUMMARY, then Memcheck's lines, read as the runs writing at once.
        expect(result.source.complete).toBe(true);
        expect(warnings(result)).toEqual([
          ["other-tool", line, expect.stringMatching(/^PID 1 runs Helgrind, not Memcheck \(/)],
        ]);
        expect(findings(result)).toEqual({
          errors: [["InvalidWrite", 1, thread]],
          leaks: [
            ["definitely-lost", 4, 1],
            ["definitely-lost", 33, 1],
          ],
        });
      }
    },
  );

  it("still says that the log mixes tools when Memcheck's lines come inside a Helgrind block", () => {
    const lines = text(HGS_THEN_MCS).split("\n");
    // Helgrind's recap cut after a frame (its Address line, empty line and ERROR SUMMARY gone).
    expect(lines[72]).toMatch(/^==1== {4}by 0x[0-9A-F]+: clone /);
    expect(lines[76]).toBe("==1== Thread 2:");
    const result = parse([...lines.slice(0, 73), ...lines.slice(76)].join("\n"));
    expect(result.source.complete).toBe(false);
    expect(result.diagnostics.filter((d) => d.code === "incomplete")).toEqual([
      expect.objectContaining({
        line: 75,
        message: expect.stringMatching(/^PID 1's lines mix two Valgrind tools/),
      }),
    ]);
  });
});

describe("leaklog summarize on the two runs", () => {
  it("fails the gate on the Memcheck run's errors, not with exit 2", async () => {
    const log = `test/fixtures/valgrind/other-tools/quiet/${MC_THEN_HG}`;
    const { code, stdout, stderr } = await cli(["summarize", log, "--fail-on", "error"]);
    expect(stderr).toBe("");
    expect(code).toBe(1);
    expect(stdout).toMatch(/--fail-on error: 3 groups \(first: InvalidWrite\)/);
    expect(stdout).toContain(`${MC_THEN_HG}:26: PID 1 runs Helgrind, not Memcheck`);
  });

  it("passes --fail-on incomplete on sequential -q -s runs (campaign v16a F2)", async () => {
    const log = `test/fixtures/valgrind/other-tools/quiet/${HGS_THEN_MCS}`;
    const { code, stdout, stderr } = await cli(["summarize", log, "--fail-on", "incomplete"]);
    expect(stderr).toBe("");
    expect(stdout).not.toContain("mix two Valgrind tools");
    expect(code).toBe(0);
  });
});
