import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { evaluateGate } from "../../src/analysis/gate.js";
import { parse } from "../../src/api/parse.js";
import { summarize } from "../../src/api/summarize.js";
import type { GateRules } from "../../src/analysis/gate.js";
import type { SummaryOnlyLeak } from "../../src/model/index.js";
import { cli } from "../helpers/cli.js";
import { ROOT } from "../helpers/golden.js";

// Valgrind 3.19.0, `--leak-check` left at its default (summary): /tmp/explore's dups.c run,
// trimmed to one error and the summaries. Its leaks are in the LEAK SUMMARY only.
const ERRORS_AND_SUMMARY_ONLY = `==15311== Memcheck, a memory error detector
==15311== Using Valgrind-3.19.0 and LibVEX; rerun with -h for copyright info
==15311== Command: ./dups
==15311== Parent PID: 15310
==15311== 
==15311== Conditional jump or move depends on uninitialised value(s)
==15311==    at 0x109221: main (dups.c:8)
==15311== 
==15311== 
==15311== HEAP SUMMARY:
==15311==     in use at exit: 3 bytes in 2 blocks
==15311==   total heap usage: 24 allocs, 22 frees, 360 bytes allocated
==15311== 
==15311== LEAK SUMMARY:
==15311==    definitely lost: 3 bytes in 2 blocks
==15311==    indirectly lost: 0 bytes in 0 blocks
==15311==      possibly lost: 0 bytes in 0 blocks
==15311==    still reachable: 0 bytes in 0 blocks
==15311==         suppressed: 7 bytes in 1 blocks
==15311== Rerun with --leak-check=full to see details of leaked memory
==15311== 
==15311== For lists of detected and suppressed errors, rerun with: -s
==15311== ERROR SUMMARY: 1 errors from 1 contexts (suppressed: 0 from 0)
`;

// A full VALGRIND_DO_LEAK_CHECK lists a 40-byte leak, then the exit check (run with
// --leak-check=summary) prints totals only: the 40 bytes are among its 240, not beside them.
const LISTED_THEN_SUMMARY_ONLY = `==12866== Memcheck, a memory error detector
==12866== Command: ./clientreq
==12866== 
==12866== 40 bytes in 1 blocks are definitely lost in loss record 1 of 1
==12866==    at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)
==12866==    by 0x10938D: main (clientreq.c:7)
==12866== 
==12866== LEAK SUMMARY:
==12866==    definitely lost: 40 bytes in 1 blocks
==12866==    indirectly lost: 0 bytes in 0 blocks
==12866==      possibly lost: 0 bytes in 0 blocks
==12866==    still reachable: 0 bytes in 0 blocks
==12866==         suppressed: 0 bytes in 0 blocks
==12866== 
==12866== HEAP SUMMARY:
==12866==     in use at exit: 240 bytes in 3 blocks
==12866==   total heap usage: 6 allocs, 3 frees, 4,360 bytes allocated
==12866== 
==12866== LEAK SUMMARY:
==12866==    definitely lost: 240 bytes in 3 blocks
==12866==    indirectly lost: 0 bytes in 0 blocks
==12866==      possibly lost: 0 bytes in 0 blocks
==12866==    still reachable: 0 bytes in 0 blocks
==12866==         suppressed: 0 bytes in 0 blocks
==12866== Rerun with --leak-check=full to see details of leaked memory
==12866== 
==12866== ERROR SUMMARY: 0 errors from 0 contexts (suppressed: 0 from 0)
`;

// The same run with a second full VALGRIND_DO_LEAK_CHECK before the exit check (records as
// clientreq.txt's exit check prints them): it supersedes the first check's 40 bytes, which are
// then in no total, so only the second check's 120 bytes are taken off the exit summary's 240.
const SECOND_CHECK = `==12866== 40 bytes in 1 blocks are definitely lost in loss record 1 of 2
==12866==    at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)
==12866==    by 0x10938D: main (clientreq.c:7)
==12866== 
==12866== 80 bytes in 1 blocks are definitely lost in loss record 2 of 2
==12866==    at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)
==12866==    by 0x109420: main (clientreq.c:10)
==12866== 
==12866== LEAK SUMMARY:
==12866==    definitely lost: 120 bytes in 2 blocks
==12866==    indirectly lost: 0 bytes in 0 blocks
==12866==      possibly lost: 0 bytes in 0 blocks
==12866==    still reachable: 0 bytes in 0 blocks
==12866==         suppressed: 0 bytes in 0 blocks
==12866== 
`;
const TWO_LISTED_THEN_SUMMARY_ONLY = LISTED_THEN_SUMMARY_ONLY.replace(
  "==12866== HEAP SUMMARY:",
  `${SECOND_CHECK}==12866== HEAP SUMMARY:`,
);

function reportOf(text: string, gate?: GateRules, path = "run.log") {
  return summarize([parse(text, { path })], gate !== undefined ? { gate } : {});
}

function sample(name: string): string {
  return readFileSync(join(ROOT, "samples", name), "utf8");
}

describe("leaks only the tools' summaries report", () => {
  it("are the summary's totals of a process whose leak check listed no record", () => {
    const report = reportOf(ERRORS_AND_SUMMARY_ONLY);
    expect(report.summaryOnlyLeaks).toEqual([
      {
        path: "run.log",
        pid: 15311,
        format: "valgrind",
        leakCheck: 1,
        line: 10,
        // Zero kinds are left out; so is `suppressed`, whose blocks Valgrind never lists.
        leak: { "definitely-lost": { bytes: 3, blocks: 2 } },
      },
    ]);
  });

  it("leave out what an earlier leak check of the process listed as records", () => {
    const report = reportOf(LISTED_THEN_SUMMARY_ONLY);
    expect(report.summaryOnlyLeaks?.[0]?.leak).toEqual({
      "definitely-lost": { bytes: 200, blocks: 2 },
    });
    const gate = reportOf(LISTED_THEN_SUMMARY_ONLY, {
      failOn: [],
      maxBytes: { "definitely-lost": 239 },
    }).gate;
    expect(gate?.reasons).toEqual([
      "--max-bytes definitely-lost=239: 240 bytes (200 of them only in Valgrind's LEAK SUMMARY, with no loss records)",
    ]);
  });

  it("leave out only the records no later full leak check superseded", () => {
    const report = reportOf(TWO_LISTED_THEN_SUMMARY_ONLY);
    expect(report.leaks.map((l) => [l.bytes, l.superseded === true])).toEqual([
      [40, true],
      [40, false],
      [80, false],
    ]);
    expect(report.summaryOnlyLeaks?.[0]?.leak).toEqual({
      "definitely-lost": { bytes: 120, blocks: 1 },
    });
    expect(report.totals.leaks["definitely-lost"]).toEqual({ bytes: 120, blocks: 2 });
    const gate = reportOf(TWO_LISTED_THEN_SUMMARY_ONLY, {
      failOn: [],
      maxBytes: { "definitely-lost": 239 },
    }).gate;
    expect(gate?.reasons).toEqual([
      "--max-bytes definitely-lost=239: 240 bytes (120 of them only in Valgrind's LEAK SUMMARY, with no loss records)",
    ]);
  });

  it("are none when the leak check listed records, even of other kinds or too few", () => {
    // leak_definite lists definite records; still reachable is only in its summary, as the
    // default --show-leak-kinds wants. client_requests has several leak checks per process.
    for (const name of ["valgrind/leak_definite.txt", "valgrind/client_requests.txt"]) {
      expect(reportOf(sample(name)).summaryOnlyLeaks).toBeUndefined();
    }
    expect(reportOf(sample("valgrind/leak_all_summary.txt")).summaryOnlyLeaks).toHaveLength(1);
  });

  it("are none when a full leak check listed nothing because it hides the kinds left", () => {
    // segv.txt: --leak-check=full, and its only blocks are still reachable, which the default
    // --show-leak-kinds does not list ("Reachable blocks ... are not shown"): hidden on
    // purpose, not unlisted. Under --leak-check=summary the same totals do count.
    const hidden = sample("valgrind/segv.txt");
    expect(hidden).toContain(
      "Reachable blocks (those to which a pointer was found) are not shown.",
    );
    expect(parse(hidden, { path: "segv.txt" }).summaries.find((s) => s.leak)?.kindsHidden).toBe(
      true,
    );
    const rules = { failOn: ["any", "note"], maxBytes: { "still-reachable": 0 } };
    const report = reportOf(hidden, rules);
    expect(report.summaryOnlyLeaks).toBeUndefined();
    expect(report.gate?.reasons.filter((r) => r.includes("LEAK SUMMARY"))).toEqual([]);
    const summaryMode = hidden.replace(
      /==(\d+)== Reachable blocks \(those[^\n]*\n==\d+== To see them[^\n]*\n/,
      "==$1== Rerun with --leak-check=full to see details of leaked memory\n",
    );
    expect(summaryMode).not.toBe(hidden);
    expect(reportOf(summaryMode).summaryOnlyLeaks?.[0]?.leak).toHaveProperty("still-reachable");
  });

  it("are none when Valgrind's own suppressions took every listed leak of a full check", () => {
    // test/fixtures/valgrind/suppressed-run: the suppression leaklog wrote for full.txt's one
    // definite leak, given to valgrind: its 6 indirect blocks, which the default
    // --show-leak-kinds hides, were read as leaks the log failed to list, and failed the gate.
    const run = (name: string) =>
      readFileSync(join(ROOT, "test/fixtures/valgrind/suppressed-run", name), "utf8");
    const rules = { failOn: ["any", "warning"], maxBytes: {} };
    const suppressed = reportOf(run("suppressed.txt"), rules);
    expect(suppressed.summaryOnlyLeaks).toBeUndefined();
    expect(suppressed.gate?.failed).toBe(false);
    expect(suppressed.summaries.find((s) => s.leak)?.kindsHidden).toBe(true);
    // The same program under --leak-check=summary: Valgrind says to rerun with full, and the
    // totals are the leaks.
    const summary = reportOf(run("summary.txt"), rules);
    expect(summary.summaryOnlyLeaks?.[0]?.leak).toEqual({
      "definitely-lost": { bytes: 16, blocks: 1 },
      "indirectly-lost": { bytes: 96, blocks: 6 },
    });
    expect(summary.gate?.failed).toBe(true);
    // Cut right after the LEAK SUMMARY, a log cannot tell which check it was: as before.
    const cut = run("suppressed.txt").replace(/(suppressed: 16 bytes in 1 blocks\n)[^]*/, "$1");
    expect(reportOf(cut).summaryOnlyLeaks?.[0]?.leak).toHaveProperty("indirectly-lost");
  });

  it("are definite and possible leaks that --show-leak-kinds hid, errors to Valgrind too", () => {
    // error-counts/kinds_reach_def.txt: --show-leak-kinds=reachable lists reachable records
    // only; its 2 definite and 1 possible blocks read as nothing found, and passed
    // --fail-on any and --fail-on error. Indirect blocks, hidden by default, stay out of both.
    const text = readFileSync(
      join(ROOT, "test/fixtures/valgrind/error-counts/kinds_reach_def.txt"),
      "utf8",
    );
    const report = reportOf(text, { failOn: ["error", "any"], maxBytes: {} });
    expect(report.summaryOnlyLeaks?.map((e) => [e.leak, e.kindsHidden])).toEqual([
      [
        {
          "definitely-lost": { bytes: 72, blocks: 2 },
          "possibly-lost": { bytes: 64, blocks: 1 },
        },
        true,
      ],
    ]);
    expect(report.unshownLeaks?.map((e) => Object.keys(e.leak))).toEqual([["indirectly-lost"]]);
    expect(report.gate?.reasons[1]).toBe(
      "--fail-on error: Valgrind's LEAK SUMMARY reports 72 bytes in 2 blocks definitely lost, 64 bytes in 1 blocks possibly lost with no loss records (run with --show-leak-kinds=all for stacks)",
    );
  });

  it("count in the gate per kind and severity, saying they come from the summary", () => {
    const rules = {
      failOn: ["definitely-lost", "error", "any", "note", "InvalidRead"],
      maxBytes: {},
    };
    const gate = reportOf(ERRORS_AND_SUMMARY_ONLY, rules).gate;
    const fromSummary =
      "Valgrind's LEAK SUMMARY reports 3 bytes in 2 blocks definitely lost with no loss records (run with --leak-check=full for stacks)";
    expect(gate).toEqual({
      failed: true,
      reasons: [
        `--fail-on definitely-lost: ${fromSummary}`,
        "--fail-on error: 1 group (UninitCondition)",
        `--fail-on error: ${fromSummary}`,
        "--fail-on any: 1 group (UninitCondition)",
        `--fail-on any: ${fromSummary}`,
      ],
    });
  });
});

describe("evaluateGate with leaks only a summary reports", () => {
  const entry = (leak: SummaryOnlyLeak["leak"], pid = 1): SummaryOnlyLeak => ({
    path: "a.log",
    pid,
    format: "valgrind",
    leak,
  });
  const rules = (failOn: string[], maxBytes: Record<string, number> = {}): GateRules => ({
    failOn,
    maxBytes,
  });

  it("passes without them, as before", () => {
    expect(evaluateGate([], rules(["any"], { "definitely-lost": 0 }))).toEqual({
      failed: false,
      reasons: [],
    });
  });

  it("matches kinds by their default severity, never `new`", () => {
    const unlisted = [entry({ "still-reachable": { bytes: 16, blocks: 1 } })];
    expect(evaluateGate([], rules(["error", "warning", "new"]), unlisted).failed).toBe(false);
    expect(evaluateGate([], rules(["note"]), unlisted).reasons).toEqual([
      "--fail-on note: Valgrind's LEAK SUMMARY reports 16 bytes in 1 blocks still reachable with no loss records (run with --leak-check=full --show-leak-kinds=all for stacks)",
    ]);
  });

  it("adds processes up, per kind, within the limit of --max-bytes", () => {
    const unlisted = [
      entry({ "definitely-lost": { bytes: 100, blocks: 1 } }, 1),
      entry({ "definitely-lost": { bytes: 50, blocks: 2 } }, 2),
    ];
    expect(evaluateGate([], rules([], { "definitely-lost": 150 }), unlisted).failed).toBe(false);
    expect(
      evaluateGate([], rules(["definitely-lost"], { "definitely-lost": 149 }), unlisted),
    ).toEqual({
      failed: true,
      reasons: [
        "--fail-on definitely-lost: Valgrind's LEAK SUMMARY of 2 processes reports 150 bytes in 3 blocks definitely lost with no loss records (run with --leak-check=full for stacks)",
        "--max-bytes definitely-lost=149: 150 bytes (150 of them only in Valgrind's LEAK SUMMARY, with no loss records)",
      ],
    });
  });

  it("names no tool and gives no Valgrind advice for other tools' summaries", () => {
    const unlisted = [
      {
        path: "m.log",
        format: "memwatch" as const,
        leak: { "definitely-lost": { bytes: 8, blocks: 1 } },
      },
    ];
    expect(evaluateGate([], rules(["any"]), unlisted).reasons).toEqual([
      "--fail-on any: The tool's summary reports 8 bytes in 1 blocks definitely lost with no loss records",
    ]);
  });
});

describe("a summary-only leak of no bytes (a malloc(0) never freed)", () => {
  const dir = join(ROOT, "test/fixtures/valgrind/zero-bytes");

  it.each(["summary.txt", "none.txt", "full.txt"])("fails --fail-on error in %s", (name) => {
    // `definitely lost: 0 bytes in 1 blocks` was taken for no leak (campaign bv F1).
    const report = reportOf(readFileSync(join(dir, name), "utf8"), {
      failOn: ["error"],
      maxBytes: {},
    });
    const summaryOnly = report.summaryOnlyLeaks?.map((s) => s.leak) ?? [];
    const listed = report.groups.map((g) => [g.kind, g.bytes, g.blocks]);
    if (name === "full.txt") expect(listed).toEqual([["definitely-lost", 0, 1]]);
    else expect(summaryOnly).toEqual([{ "definitely-lost": { bytes: 0, blocks: 1 } }]);
    expect(report.gate?.failed).toBe(true);
  });

  it("shows it in the text totals", async () => {
    const { stdout } = await cli(["summarize", join(dir, "summary.txt")]);
    expect(stdout).toContain("definitely-lost  not listed  (tool's summary: 0 bytes in 1 blocks)");
  });
});
