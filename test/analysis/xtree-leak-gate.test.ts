import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../src/api/parse.js";
import { summarize } from "../../src/api/summarize.js";
import { cli } from "../helpers/cli.js";
import { ROOT } from "../helpers/golden.js";

// Campaign cd Q1 and Q2, on real runs of one program that leaks every kind, with
// --leak-check=full --xtree-leak=yes (fixtures/valgrind-xml/xtree-leak/README.md): the loss
// records went to xtleak.kcg.PID, none to the log.
const DIR = "test/fixtures/valgrind-xml/xtree-leak";
const summarized = (name: string, failOn: string[], maxBytes: Record<string, number> = {}) => {
  const path = `${DIR}/${name}`;
  const result = parse(readFileSync(join(ROOT, path), "utf8"), { path });
  return summarize([result], { gate: { failOn, maxBytes } });
};

/** The XML of Valgrind before 3.26: no loss record and no LEAK SUMMARY. */
const NO_SUMMARY = ["xtree-3.19.xml", "xtree-all-3.19.xml", "xtree-3.24.xml"];
const ELSEWHERE =
  "the run's --xtree-leak=yes wrote its loss records to another file (named in Diagnostics) and no LEAK SUMMARY counts them (read it with callgrind_annotate, or rerun without --xtree-leak)";

describe("gating a run whose leaks --xtree-leak=yes wrote to another file", () => {
  it.each(NO_SUMMARY)("%s: fails a leak-kind rule as unable to tell, not passed", (name) => {
    const report = summarized(name, ["definitely-lost"], { "still-reachable": 1000 });
    expect(report.gate?.reasons).toEqual([
      `--fail-on definitely-lost: 1 log cannot tell (${DIR}/${name}) whether there are definitely-lost leaks: ${ELSEWHERE}`,
      `--max-bytes still-reachable=1000: 1 log cannot tell (${DIR}/${name}) whether there are still-reachable leaks: ${ELSEWHERE}`,
    ]);
    // Definite and possible leaks are errors to Valgrind, as they are where a summary counts them.
    expect(summarized(name, ["error"]).gate?.failed).toBe(true);
    expect(summarized(name, ["warning"]).gate?.failed).toBe(false);
    // Not a kind --show-leak-kinds hid: that advice lists nothing more under --xtree-leak.
    expect(report.sources[0]?.hiddenLeakKinds).toBeUndefined();
  });

  it("keeps failing the logs whose LEAK SUMMARY counts them, by that summary", () => {
    for (const name of ["xtree-3.27.xml", "xtree-3.19.txt", "xtree-3.27.txt"]) {
      const report = summarized(name, ["definitely-lost", "still-reachable"]);
      expect(report.gate?.reasons, name).toEqual([
        expect.stringMatching(
          /^--fail-on definitely-lost: Valgrind's LEAK SUMMARY reports 39 bytes in 2 blocks definitely lost with no loss records \(--xtree-leak=yes wrote them to \S*xtleak\.kcg\.\d+; read it with callgrind_annotate, or rerun without --xtree-leak\)$/,
        ),
        expect.stringMatching(/^--fail-on still-reachable: .* 100 bytes in 1 blocks still/),
      ]);
      // 3.27's XML as its text log: every kind without records, none hidden by an option.
      expect(
        report.summaryOnlyLeaks?.map((e) => Object.keys(e.leak)),
        name,
      ).toEqual([["definitely-lost", "indirectly-lost", "possibly-lost", "still-reachable"]]);
      expect(report.unshownLeaks, name).toBeUndefined();
    }
  });

  it("says where the XML of 3.19's leaks went in its Totals", async () => {
    const { stdout } = await cli(["summarize", `${DIR}/xtree-3.19.xml`]);
    expect(stdout).toContain(
      "  definitely-lost  not in the log (--xtree-leak=yes wrote them to another file)\n",
    );
    expect(stdout).not.toContain("--show-leak-kinds");
  });
});

describe("advice for leaks --xtree-leak=yes wrote to another file", () => {
  it.each(["xtree-3.19.txt", "xtree-3.27.txt", "xtree-3.27.xml"])(
    "%s: names the file, not options the run already had",
    async (name) => {
      const { stdout } = await cli(["summarize", `${DIR}/${name}`]);
      expect(stdout).toMatch(
        /but the log has no loss records for them: --xtree-leak=yes wrote them to \S*xtleak\.kcg\.\d+; read it with callgrind_annotate, or rerun without --xtree-leak to see where they were allocated\./,
      );
      expect(stdout).not.toMatch(/--leak-check=full|--show-leak-kinds|lost them/);
    },
  );
});

describe("the Markdown result of such a run", () => {
  it("keeps the gate reason's advice whole (campaign ch Q3)", async () => {
    const path = `${DIR}/xtree-3.19.xml`;
    const { stdout } = await cli(["summarize", path, "--fail-on", "error", "-f", "markdown"]);
    // Cut at a log string's 300 characters, the reason lost its advice: `(read it with callgri…`.
    expect(stdout).toContain(`(read it with callgrind_annotate, or rerun without --xtree-leak)\``);
  });
});
