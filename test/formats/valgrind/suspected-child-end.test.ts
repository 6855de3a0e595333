import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseFile, type ParseResult } from "../../../src/index.js";
import { cli } from "../../helpers/cli.js";
import { ROOT } from "../../helpers/golden.js";

// A -q Memcheck process next to a Helgrind run, with no line that only Memcheck prints and no
// ERROR SUMMARY (campaign v20 F1); see the fixtures' README.md.
const FORK = join(ROOT, "test", "fixtures", "valgrind", "other-tools", "fork");
const DIR = join(FORK, "quiet-memcheck", "no-memcheck-line");
const read = (dir: string, name: string) => readFileSync(join(dir, name), "utf8");
/** Findings without their PIDs, to compare with the process's own run. */
const findings = (result: ParseResult) => ({
  errors: result.errors.map((e) => [e.kind, e.message, e.stack[0]?.function, e.stack[0]?.line]),
  leaks: result.leaks.map((l) => [l.kind, l.bytes]),
});
const otherTool = (result: ParseResult) =>
  result.diagnostics.filter((d) => d.code === "other-tool").map((d) => d.line);

describe("a suspected child whose lines never told, at the log's end", () => {
  it.each([
    // The Helgrind run ended (its ERROR SUMMARY, line 76) after both -q processes began.
    ["F1-hg-ended-q-crash.txt", ["so-alone.txt", "fd-alone.txt"]],
    // The Helgrind run was killed; the -q process printed a line of its own end.
    ["D-killed-q-so-clean.txt", ["so-alone.txt"]],
    ["E-killed-q-fd-clean.txt", ["fd-alone.txt"]],
  ])("%s: is the -q Memcheck process, its findings those of its run alone", async (name, alone) => {
    // Skipped as Helgrind's forked child: no finding, and --fail-on error passed the crash.
    const own = alone.map((file) => findings(parse(read(DIR, file))));
    const expected = {
      errors: own.flatMap((f) => f.errors),
      leaks: own.flatMap((f) => f.leaks),
    };
    for (const result of [parse(read(DIR, name)), await parseFile(join(DIR, name))]) {
      expect(result.fatal).toBeUndefined();
      expect(findings(result)).toEqual(expected);
      expect(otherTool(result)).toEqual([1]);
      // A -q run, ended: the later clean run's summaries called it cut short (campaign cb2 F2).
      expect(result.source.complete).toBe(true);
    }
  });

  it.each(["F1-hg-ended-q-crash.txt", "D-killed-q-so-clean.txt"])(
    "%s fails the error gate with the crash (it passed)",
    async (name) => {
      const run = await cli(["summarize", "--fail-on", "error", join(DIR, name)]);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain("FatalSignal");
    },
  );

  it("a child killed with its parent, which printed no line of its end, is still the tool's", () => {
    // helgrind.txt without the child's lines after its first nor the parent's end: both killed.
    const lines = read(FORK, "helgrind.txt").split("\n");
    const log = lines.filter((_, i) => i < 49 || i >= 58).join("\n");
    const result = parse(log, { path: "killed.txt" });
    expect(otherTool(result)).toEqual([1, 49, undefined]);
    expect(result.fatal?.code).toBe("other-tool");
  });
});
