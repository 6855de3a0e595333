import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseChunks, parseFile, type ParseResult } from "../../../src/index.js";
import { cli } from "../../helpers/cli.js";
import { ROOT } from "../../helpers/golden.js";
import { chunks } from "../../helpers/chunks.js";

// A `valgrind -q` run and a run without -q in one job's stderr, real valgrind 3.19 and 3.27
// logs (campaign cb2 F2); see test/fixtures/valgrind/quiet-mixed/README.md.
const DIR = join(ROOT, "test", "fixtures", "valgrind", "quiet-mixed");
const text = (name: string) => readFileSync(join(DIR, name), "utf8");
const VERSIONS = ["319", "327"];
/** The PIDs said to end before their ERROR SUMMARY. */
const cutShort = (result: ParseResult) =>
  result.diagnostics
    .filter((d) => d.code === "incomplete")
    .map((d) => [d.pid, d.message.replace(/^PID \d+: /, "").replace(/ \(.*/, "")]);
/** Findings without their PIDs, to compare with the -q run alone. */
const findings = (result: ParseResult) => ({
  errors: result.errors.map((e) => [e.kind, e.count, e.stack[0]?.function, e.stack[0]?.line]),
  leaks: result.leaks.map((l) => [l.kind, l.bytes, l.stack.at(-1)?.line]),
});
/** The one process of the log with findings: the -q run's (or the killed child's). */
const pidsOf = (result: ParseResult) => [
  ...new Set([...result.errors, ...result.leaks].map((f) => f.pid)),
];

describe("a -q run's process beside a run without -q in one log", () => {
  it.each(VERSIONS.flatMap((v) => [`full-then-q-${v}.txt`, `q-then-full-${v}.txt`]))(
    "%s: is complete, with the findings of the -q run alone",
    async (name) => {
      const alone = findings(parse(text(`leak-q-${name.slice(-7, -4)}.txt`)));
      expect(alone.errors).toHaveLength(1);
      expect(alone.leaks).toHaveLength(1);
      const results = [
        parse(text(name)),
        await parseFile(join(DIR, name)),
        await parseChunks(chunks(text(name))),
      ];
      for (const result of results) {
        // The full run's ERROR SUMMARY called the -q process cut short: the log was incomplete.
        expect(cutShort(result)).toEqual([]);
        expect(result.source.complete).toBe(true);
        expect(findings(result)).toEqual(alone);
        expect(result.source.processes).toHaveLength(2);
      }
    },
  );

  it.each(VERSIONS.flatMap((v) => [`full-then-q-fds-${v}.txt`, `qs-then-q-${v}.txt`]))(
    "%s: the -q process after the other run's ERROR SUMMARY is complete",
    (name) => {
      const result = parse(text(name));
      expect(cutShort(result)).toEqual([]);
      expect(result.source.complete).toBe(true);
      expect(result.errors.length + result.leaks.length).toBeGreaterThan(0);
    },
  );

  it.each(VERSIONS.map((v) => `q-then-full-s-${v}.txt`))(
    "%s: the full run's ERROR SUMMARY again after its -s list does not make the -q run cut short",
    (name) => {
      const result = parse(text(name));
      expect(cutShort(result)).toEqual([]);
      expect(result.source.complete).toBe(true);
      // Both runs are of leak.c: each process has its invalid write and its leak.
      expect(result.errors.map((e) => e.kind)).toEqual(["InvalidWrite", "InvalidWrite"]);
      expect(new Set(result.leaks.map((l) => l.pid)).size).toBe(2);
    },
  );

  it("passes --fail-on incomplete on the -q --track-fds run after a full run", async () => {
    const log = "test/fixtures/valgrind/quiet-mixed/full-then-q-fds-319.txt";
    const { code, stdout, stderr } = await cli(["summarize", log, "--fail-on", "incomplete"]);
    expect(stderr).toBe("");
    expect(stdout).not.toContain("ERROR SUMMARY (run cut short");
    expect(code).toBe(0);
  });
});

describe("a killed forked child beside a -q run", () => {
  it.each(VERSIONS.flatMap((v) => [`killed-then-q-${v}.txt`, `qs-killed-then-q-${v}.txt`]))(
    "%s: the child, printing while its parent's run goes on, is still cut short; the -q run is not",
    (name) => {
      const result = parse(text(name));
      // The child (killed.c) and the -q run (leak.c), in that order.
      const [child, quiet] = pidsOf(result);
      expect(result.errors.find((e) => e.pid === child)?.stack[0]?.file).toBe("killed.c");
      expect(result.leaks.map((l) => l.pid)).toEqual([quiet]);
      expect(cutShort(result)).toEqual([[child, "the log ends before Valgrind's ERROR SUMMARY"]]);
      expect(result.source.complete).toBe(false);
    },
  );
});
