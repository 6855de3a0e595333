import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../../src/index.js";
import { cli } from "../../helpers/cli.js";
import { ROOT } from "../../helpers/golden.js";

// Helgrind and DRD runs of a program that forks a child (campaign v17 F3); see the README.md.
const DIR = join(ROOT, "test", "fixtures", "valgrind", "other-tools", "fork");
const text = (name: string) => readFileSync(join(DIR, name), "utf8");

describe("a forked child of a Helgrind or DRD run, in its parent's log", () => {
  it.each([
    ["helgrind.txt", "Helgrind", 21170, 21224, 49],
    ["drd.txt", "drd", 21272, 21360, 23],
  ])(
    "%s: the child is skipped as its parent's tool, with no false diagnostic",
    (name, tool, parent, child, line) => {
      const result = parse(text(name), { path: name });
      // Neither tool prints a HEAP SUMMARY: the child's `For lists of detected ...` said the log
      // started after one, its first line a traced child's overwrite (log-overwritten), and
      // Helgrind's `Use --history-level=approx` hint was two lines not understood.
      expect(result.diagnostics.map((d) => [d.code, d.line, d.message])).toEqual([
        ["other-tool", 1, `PID ${parent} runs ${tool}, not Memcheck: its lines are skipped`],
        [
          "other-tool",
          line,
          `PID ${child} runs ${tool}, not Memcheck (no banner: a child forked by a ${tool} run, which prints none): its lines are skipped`,
        ],
        ["other-tool", undefined, expect.stringMatching(/ log, not Memcheck's: /)],
      ]);
      expect(result.fatal?.code).toBe("other-tool");
      expect(result.errors).toEqual([]);
    },
  );

  it.each(["helgrind.txt", "drd.txt"])(
    "%s is refused as the tool's log, as it is without the child",
    async (name) => {
      const run = await cli(["summarize", "--fail-on", "error,incomplete", join(DIR, name)]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/log, not Memcheck's: leaklog reads Valgrind Memcheck logs/);
    },
  );

  it("a bannerless process after the tool's run ended is no child of it: a -q -s Memcheck run", () => {
    const log = `${text("helgrind.txt")}==7== ERROR SUMMARY: 0 errors from 0 contexts (suppressed: 0 from 0)\n`;
    const result = parse(log, { path: "then-memcheck.txt" });
    expect(result.fatal).toBeUndefined();
    expect(result.diagnostics.filter((d) => d.message.startsWith("PID 7"))).toEqual([]);
  });
});
