import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { threadsPayOff } from "../../src/cli/collect.js";
import type { Report } from "../../src/index.js";
import { ROOT } from "../helpers/golden.js";

const BIN = join(ROOT, "bin", "leaklog.js");
const INPUTS = [
  "samples/valgrind/leak_indirect.txt",
  "samples/valgrind-xml/fork_single.19010.xml",
  "samples/memwatch/classic.log",
  "samples/sanitizer/lsan-basic.log",
  "nope.txt",
];

function run(
  workers: "0" | "1",
  format: string,
  extra: readonly string[] = [],
  inputs: readonly string[] = INPUTS,
): { stdout: string; status: number } {
  try {
    const stdout = execFileSync(
      process.execPath,
      [BIN, "summarize", ...inputs, "--format", format, "--max-records", "3", ...extra],
      {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, LEAKLOG_WORKERS: workers },
        stdio: ["ignore", "pipe", "ignore"],
      },
    );
    return { stdout, status: 0 };
  } catch (error) {
    const e = error as { stdout: string; status: number };
    return { stdout: e.stdout, status: e.status };
  }
}

describe("several files on worker threads", () => {
  it.each(["json", "text"])("give the same %s report, byte for byte, as one thread", (format) => {
    const parallel = run("1", format);
    const sequential = run("0", format);
    expect(parallel.status).toBe(2); // nope.txt is missing
    expect(sequential.status).toBe(2);
    expect(parallel.stdout).toBe(sequential.stdout);
    if (format === "json") {
      const report = JSON.parse(parallel.stdout) as {
        sources: unknown[];
        recordsOmitted?: { leaks: number };
      };
      expect(report.sources).toHaveLength(5);
      expect(report.recordsOmitted?.leaks).toBeGreaterThan(0);
    }
  });

  it("apply suppressions alike, and list the same unused ones", () => {
    // make_table and grow leak in lsan-basic.log only: whichever thread parsed it, their use
    // must reach the merged report, or they would be listed as unused.
    const extra = ["--suppressions", "test/fixtures/lsan-basic.supp"];
    const parallel = run("1", "json", extra);
    const sequential = run("0", "json", extra);
    expect(parallel.stdout).toBe(sequential.stdout);
    const report = JSON.parse(parallel.stdout) as {
      diagnostics: { code: string; message: string }[];
      totals: { suppressed?: unknown };
    };
    const unused = report.diagnostics.filter((d) => d.code === "unused-suppression");
    expect(unused.map((d) => d.message)).toEqual(["suppression leak:never_called matched nothing"]);
    expect(report.totals).toMatchObject({ leaks: { suppressed: { bytes: 104, blocks: 2 } } });
  });
});

describe("why Valgrind entries are unused, on worker threads", () => {
  it("says so as one thread does: credited to another entry, obj: lines in a text log", () => {
    const extra = ["--suppressions", "test/fixtures/overlapping.supp"];
    const inputs = [
      "samples/valgrind-xml/fork_single.19010.xml",
      "samples/valgrind/leak_indirect.txt",
    ];
    const parallel = run("1", "json", extra, inputs);
    const sequential = run("0", "json", extra, inputs);
    expect(parallel.stdout).toBe(sequential.stdout);
    const report = JSON.parse(parallel.stdout) as { diagnostics: { message: string }[] };
    const messages = report.diagnostics.map((d) => d.message);
    expect(messages).toContainEqual(
      expect.stringMatching(
        /^suppression "narrow" .* matched only records that "wide" \(test\/fixtures\/overlapping\.supp:\d+\) matches too/,
      ),
    );
    expect(messages).toContainEqual(
      expect.stringMatching(/^suppression "libc" .* matched nothing.*: its obj: lines/),
    );
  });
});

describe("--fingerprint-lines on worker threads", () => {
  it("reaches every thread: the same groups as one thread, split by line", () => {
    const inputs = [
      "test/fixtures/valgrind/quiet/realloc-q.txt",
      "samples/valgrind/leak_definite.txt",
    ];
    const lines = ["--fingerprint-lines"];
    const parallel = run("1", "json", lines, inputs);
    expect(parallel.stdout).toBe(run("0", "json", lines, inputs).stdout);
    const groups = (stdout: string) => (JSON.parse(stdout) as { groups: unknown[] }).groups.length;
    // realloc-q's two leaks in main (lines 10 and 12) are one group unless lines count.
    expect(groups(parallel.stdout)).toBe(groups(run("1", "json", [], inputs).stdout) + 1);
  });
});

describe("diagnostics, processes and groups across files on threads", () => {
  // Real logs with diagnostics of several kinds: a cross-check of client requests' leak checks
  // (summary-mismatch, made when a source's summary is checked) in the first file, then parse
  // diagnostics (unrecognized-line, incomplete, heap-repair, MEMWATCH's own summary-mismatch),
  // several PIDs per file, and groups whose members and PIDs span files.
  const MIXED = [
    "samples/valgrind/client_requests.txt",
    "samples/valgrind/mixed_output.txt",
    "samples/valgrind/exit_first_error.txt",
    "samples/memwatch/heap_corruption.log",
    "samples/valgrind/fork_single.txt",
    "samples/valgrind-xml/fork_single.19010.xml",
    "samples/valgrind-xml/leak_indirect.xml",
    "samples/valgrind/leak_indirect.txt",
  ];

  it("come in one thread's order: parse diagnostics by input, then cross-checks", () => {
    const parallel = run("1", "json", ["--max-records", "0"], MIXED);
    const sequential = run("0", "json", ["--max-records", "0"], MIXED);
    expect(parallel.stdout).toBe(sequential.stdout);
    const report = JSON.parse(parallel.stdout) as {
      diagnostics: { code: string; path: string }[];
      sources: { processes: unknown[] }[];
      groups: { members: { path: string }[]; pids: number[] }[];
    };
    expect(report.diagnostics.map((d) => `${d.code} ${d.path.split("/").pop()}`)).toEqual([
      ...Array<string>(3).fill("valgrind-client-message client_requests.txt"),
      "unrecognized-line mixed_output.txt",
      "incomplete exit_first_error.txt",
      "heap-repair heap_corruption.log",
      "heap-repair heap_corruption.log",
      "heap-repair heap_corruption.log",
      "summary-mismatch heap_corruption.log",
      "summary-mismatch client_requests.txt",
      "summary-mismatch heap_corruption.log",
    ]);
    expect(report.sources.some((s) => s.processes.length > 1)).toBe(true);
    const spanning = report.groups.filter((g) => new Set(g.members.map((m) => m.path)).size > 1);
    expect(spanning.some((g) => g.pids.length > 2)).toBe(true);
  });
});

describe("superseded leak checks on threads", () => {
  it("are listed and left out of totals alike", () => {
    const inputs = [
      "test/fixtures/valgrind/clientreq.txt",
      "test/fixtures/valgrind-xml/clientreq.xml",
      "samples/valgrind/client_requests.txt",
    ];
    const extra = ["--max-records", "0", "--max-bytes", "definitely-lost=600"];
    const parallel = run("1", "json", extra, inputs);
    const sequential = run("0", "json", extra, inputs);
    expect(parallel.stdout).toBe(sequential.stdout);
    const report = JSON.parse(parallel.stdout) as {
      leaks: { superseded?: true }[];
      totals: { leaks: Record<string, unknown> };
    };
    // 240 + 240 + 112 bytes: each process's check at exit.
    expect(report.totals.leaks["definitely-lost"]).toEqual({ bytes: 592, blocks: 8 });
    expect(report.leaks.filter((l) => l.superseded === true)).toHaveLength(13);
    expect(parallel.status).toBe(0);
  });
});

// A forked child's log counts what its parent printed before the fork, which only the parent's
// log prints: past --max-records, a worker's summary of either log kept only what it listed.
describe("forked children's inherited errors, past --max-records, on threads", () => {
  const extra = ["--max-records", "1"];

  it("count the parent's error once, as one thread does (fork-recap)", () => {
    // Campaign cb1 F6: a parent's invalid read before its fork, which the child's -s recap
    // lists again and its log never printed. The child's log listed its own write alone, and
    // the copy was counted as the child's where that log was summarized.
    const recap = "test/fixtures/valgrind/fork-recap";
    const inputs = [`${recap}/vgs.22317.log`, `${recap}/vgs.22319.log`];
    const parallel = run("1", "json", extra, inputs);
    expect(parallel.stdout).toBe(run("0", "json", extra, inputs).stdout);
    const report = JSON.parse(parallel.stdout) as {
      groups: { kind: string; occurrences: number; pids: number[] }[];
      diagnostics: { code: string }[];
    };
    const read = report.groups.find((g) => g.kind === "InvalidRead");
    expect(read).toMatchObject({ occurrences: 1, pids: [22317] });
    expect(report.diagnostics.map((d) => d.code)).toEqual(["inherited-contexts"]);
    expect(run("1", "text", extra, inputs).stdout).toBe(run("0", "text", extra, inputs).stdout);
  });

  it("tell a copy of a context the parent's log printed past the cap (fork-own/fork-s)", () => {
    // The parent's second context, an invalid read, is past the cap in its log: the child's
    // copy of it was not found among the parent's listed errors, and counted again.
    const fork = ["vg.28534.log", "vg.28547.log"].map(
      (log) => `test/fixtures/valgrind/fork-own/fork-s/${log}`,
    );
    const parallel = run("1", "json", extra, fork);
    expect(parallel.stdout).toBe(run("0", "json", extra, fork).stdout);
    const report = JSON.parse(parallel.stdout) as {
      totals: { errors: Record<string, number> };
      diagnostics: { code: string; message: string }[];
    };
    // What the run made (see the fixture's README): the parent's 2 reads at line 35 and 1 at
    // line 57, its uninitialised jump, the child's read and write.
    expect(report.totals.errors).toEqual({ UninitCondition: 1, InvalidRead: 4, InvalidWrite: 1 });
    // Its copy of the parent's 40-byte leak counts once past the cap too (campaign cg F2).
    expect(report.diagnostics.map((d) => d.message)).toEqual([
      expect.stringMatching(/^PID 28547: its -s recap lists 2 error contexts .* counted once/),
      expect.stringMatching(/^PID 28547: 1 loss record \(40 bytes in 1 block\) repeats one/),
    ]);
  });

  it("explain a child's summary-mismatch by all its parent printed (fork)", () => {
    // Without -s: the child's ERROR SUMMARY counts the 3 contexts its parent's log printed, 2
    // of them past the cap; workers said the parent printed 1.
    const fork = ["vg.9357.log", "vg.9358.log"].map((log) => `test/fixtures/valgrind/fork/${log}`);
    const parallel = run("1", "json", extra, fork);
    expect(parallel.stdout).toBe(run("0", "json", extra, fork).stdout);
    const report = JSON.parse(parallel.stdout) as { diagnostics: { message: string }[] };
    expect(report.diagnostics.map((d) => d.message)).toContainEqual(
      expect.stringContaining("PID 9357 printed 3 error contexts"),
    );
  });
});

describe("forked children's inherited loss records, past --max-records, on threads", () => {
  it.each(["text", "xmlonly", "xml"])(
    "count a child's copy once, as one thread does (t13, %s)",
    (style) => {
      // Each worker counts its log's records past the cap; the copy is told once all are in (xml:
      // the child's document nests in its parent's file, one family's: see PreambledPids).
      const dir = join("test/fixtures/valgrind/fork-leaks/t13/3.27", style);
      const logs = readdirSync(join(ROOT, dir)).map((log) => join(dir, log));
      for (const cap of ["1", "2"]) {
        const parallel = run("1", "json", ["--max-records", cap], logs);
        expect(parallel.stdout).toBe(run("0", "json", ["--max-records", cap], logs).stdout);
        const report = JSON.parse(parallel.stdout) as Pick<Report, "totals" | "diagnostics">;
        expect(report.totals.leaks["definitely-lost"]).toEqual({ bytes: 84, blocks: 3 });
        expect(report.totals.inheritedLeaks).toEqual({
          "definitely-lost": { bytes: 12, blocks: 1 },
        });
        const codes = report.diagnostics.map((d) => d.code);
        expect(codes).not.toContain("inherited-loss-records-uncompared");
      }
    },
  );
});

// A run killed in its leak report (test/fixtures/baseline-cut): past --max-records, the record
// its log was cut in was lost with the worker's summary of that log, and its group, a baseline
// group's partial stack, was new.
describe("a record cut by its log's end, past --max-records, on threads", () => {
  it("starts its baseline group, as one thread finds", () => {
    const base = join(mkdtempSync(join(tmpdir(), "leaklog-workers-")), "cut-base.json");
    const full = ["test/fixtures/baseline-cut/full.log"];
    writeFileSync(base, run("0", "json", ["--max-records", "0"], full).stdout);
    const inputs = ["test/fixtures/baseline-cut/cut.log", "samples/valgrind/leak_definite.txt"];
    const extra = ["--baseline", base, "--max-records", "1"];
    const parallel = run("1", "json", extra, inputs);
    expect(parallel.stdout).toBe(run("0", "json", extra, inputs).stdout);
    const report = JSON.parse(parallel.stdout) as {
      groups: { baseline?: string; members: { path: string }[] }[];
    };
    const statuses = report.groups.map((g) => `${g.baseline} ${g.members[0]?.path}`);
    expect(statuses.sort()).toEqual([
      ...Array<string>(3).fill("new samples/valgrind/leak_definite.txt"),
      ...Array<string>(3).fill("unchanged test/fixtures/baseline-cut/cut.log"),
    ]);
  });
});

describe("when threads are used", () => {
  const MB = 1e6;

  it("waits for enough work beyond the largest file to outweigh a worker's costs", () => {
    expect(threadsPayOff([315 * MB, 315 * MB])).toBe(true);
    expect(threadsPayOff([100 * MB, 100 * MB, 100 * MB])).toBe(false);
    expect(threadsPayOff([2000 * MB, 1 * MB])).toBe(false);
    expect(threadsPayOff([])).toBe(false);
  });
});
