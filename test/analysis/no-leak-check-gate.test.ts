import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../src/api/parse.js";
import { summarize } from "../../src/api/summarize.js";
import { cli } from "../helpers/cli.js";
import { ROOT } from "../helpers/golden.js";

// Campaign bqb Q2, on real runs (fixtures/valgrind/no-leak-check/README.md): a --leak-check=no
// run of a program that leaked passed `--fail-on definitely-lost,incomplete`, with only a
// no-leak-check warning, while a run that hid the same kinds by --show-leak-kinds failed as
// unable to tell.
const DIR = "test/fixtures/valgrind/no-leak-check";
const ADDED_NO = "test/fixtures/valgrind/delta-checks/added_no.txt";

const summarized = (path: string, failOn: string[], maxBytes: Record<string, number> = {}) => {
  const result = parse(readFileSync(join(ROOT, path), "utf8"), { path });
  return summarize([result], { gate: { failOn, maxBytes } });
};
const gate = (name: string, failOn: string[], maxBytes: Record<string, number> = {}) =>
  summarized(`${DIR}/${name}`, failOn, maxBytes).gate;

const UNCHECKED =
  "the run checked no leaks at exit (--leak-check=no) while blocks were in use (rerun with --leak-check=full)";

describe("gating on leak kinds a --leak-check=no run never checked", () => {
  it("fails a rule that names a leak kind, saying the log cannot tell", () => {
    expect(gate("leak-no.txt", ["definitely-lost", "incomplete"])).toEqual({
      failed: true,
      reasons: [
        `--fail-on definitely-lost: 1 log cannot tell (${DIR}/leak-no.txt) whether there are definitely-lost leaks: ${UNCHECKED}`,
      ],
    });
    expect(gate("leakonly-no.txt", [], { "still-reachable": 1000 })?.reasons).toEqual([
      `--max-bytes still-reachable=1000: 1 log cannot tell (${DIR}/leakonly-no.txt) whether there are still-reachable leaks: ${UNCHECKED}`,
    ]);
  });

  it("leaves `error`, `any` and the other severities to the run's findings", () => {
    // Gated on `error`, a --leak-check=no run means its memory errors: one whose only block at
    // exit was a reachable cache failed (campaign v16a Q2). Rules naming a kind still fail.
    expect(gate("leakonly-no.txt", ["error", "any", "warning", "note"])?.failed).toBe(false);
    expect(gate("leak-no.txt", ["error"])?.reasons).toEqual([
      expect.stringMatching(/^--fail-on error: \d+ groups? \(/),
    ]);
  });

  it("passes where nothing was in use at exit, and fails for a 0-byte block", () => {
    expect(summarized(`${DIR}/freed-no.txt`, []).diagnostics).toEqual([]);
    const rules = ["definitely-lost", "possibly-lost", "still-reachable"];
    expect(gate("freed-no.txt", rules, { "definitely-lost": 0 })?.failed).toBe(false);
    // `in use at exit: 0 bytes in 1 blocks`: a malloc(0) never freed, definitely lost to a
    // full check of the same program.
    expect(gate("zero-full.txt", ["definitely-lost"])?.failed).toBe(true);
    const zero = summarized(`${DIR}/zero-no.txt`, ["definitely-lost"]);
    expect(zero.diagnostics.map((d) => [d.severity, d.code])).toEqual([
      ["warning", "no-leak-check"],
    ]);
    expect(zero.gate?.reasons).toEqual([
      `--fail-on definitely-lost: 1 log cannot tell (${DIR}/zero-no.txt) whether there are definitely-lost leaks: ${UNCHECKED}`,
    ]);
  });

  it("leaves the XML of the same command line to its loss records: Valgrind checked in full", () => {
    expect(gate("leak-no.xml", ["definitely-lost"])?.reasons).toEqual([
      "--fail-on definitely-lost: 2 groups (first: 72 bytes definitely-lost)",
    ]);
  });

  it("counts what the program's own leak checks listed, and cannot tell what leaked after", () => {
    const report = summarized(ADDED_NO, ["definitely-lost"], { "definitely-lost": 50 });
    expect(report.groups.map((g) => [g.kind, g.bytes])).toEqual([["definitely-lost", 60]]);
    expect(report.gate?.reasons).toEqual([
      "--fail-on definitely-lost: 1 group (60 bytes definitely-lost)",
      `--fail-on definitely-lost: 1 log cannot tell (${ADDED_NO}) whether there are definitely-lost leaks: ${UNCHECKED}`,
      `--max-bytes definitely-lost=50: 1 log cannot tell (${ADDED_NO}) whether there are definitely-lost leaks: ${UNCHECKED}`,
      "--max-bytes definitely-lost=50: 60 bytes",
    ]);
  });

  it("leaves an AddressSanitizer run that stopped at an error to its error finding", () => {
    // Its no-leak-check is an info: the program never reached its exit, where leaks are told.
    expect(gate("asan-aborted.txt", ["definitely-lost"], { "definitely-lost": 0 })).toEqual({
      failed: false,
      reasons: [],
    });
  });

  it("is never called clean by the text summary, and exits 1 on the campaign's command", async () => {
    const clean = await cli(["summarize", `${DIR}/leakonly-no.txt`]);
    expect(clean.stdout).toContain(
      "No leaks or memory errors found in what was read, but 1 log's run checked no leaks at exit while blocks were in use (rerun with --leak-check=full).",
    );
    const run = await cli([
      "summarize",
      `${DIR}/leak-no.txt`,
      "--fail-on",
      "definitely-lost,incomplete",
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("Result: FAILED\n  --fail-on definitely-lost: 1 log cannot tell");
    const freed = await cli(["summarize", `${DIR}/freed-no.txt`, "--fail-on", "definitely-lost"]);
    expect(freed.code).toBe(0);
  });
});
