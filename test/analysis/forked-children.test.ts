import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, summarize, type ErrorRecord } from "../../src/index.js";
import { PrintedContexts } from "../../src/analysis/printed-contexts.js";
import { ROOT } from "../helpers/golden.js";
import { cli } from "../helpers/cli.js";
import { summarizeLikeWorkers } from "../helpers/workers.js";

// Real valgrind 3.19 runs of forkerr.c with --log-file=vg.%p.log: 9357 forked 9358, whose
// ERROR SUMMARY counts the 2 contexts 9357 printed before the fork (see the fixture's README).
const FORK = join("test", "fixtures", "valgrind", "fork");
const fixture = (name: string): string => readFileSync(join(ROOT, FORK, name), "utf8");
const PARENT = fixture("vg.9357.log");
const CHILD = fixture("vg.9358.log");

/** The child's log with its error blocks removed: more is missing than the parent printed. */
function damaged(): string {
  const lines = CHILD.split("\n");
  const first = lines.findIndex((l) => l.includes("Invalid write"));
  const heap = lines.findIndex((l) => l.includes("HEAP SUMMARY"));
  return [...lines.slice(0, first), ...lines.slice(heap - 1)].join("\n");
}

/** Each input's summary-mismatch diagnostics, as `severity pid`. */
function mismatches(...logs: [path: string, text: string][]): string[] {
  const report = summarize(logs.map(([path, text]) => parse(text, { path })));
  return report.diagnostics
    .filter((d) => d.code === "summary-mismatch")
    .map((d) => `${d.severity} ${d.pid}`);
}

describe("a forked child's own log beside its parent's", () => {
  it("is told as info when the parent's log printed the contexts the child's lacks", () => {
    expect(mismatches(["vg.9357.log", PARENT], ["vg.9358.log", CHILD])).toEqual(["info 9358"]);
    // Whatever the order of the inputs.
    expect(mismatches(["vg.9358.log", CHILD], ["vg.9357.log", PARENT])).toEqual(["info 9358"]);
  });

  it("stays a warning alone, or beside a log without its parent or with another command", () => {
    expect(mismatches(["vg.9358.log", CHILD])).toEqual(["warning 9358"]);
    const stranger = PARENT.replaceAll("==9357==", "==9400==");
    expect(mismatches(["vg.9400.log", stranger], ["vg.9358.log", CHILD])).toEqual(["warning 9358"]);
    const other = PARENT.replace("Command: ../forkerr", "Command: ./other");
    expect(mismatches(["vg.9357.log", other], ["vg.9358.log", CHILD])).toEqual(["warning 9358"]);
  });

  it("stays a warning when more is missing than the parent printed", () => {
    // No error block left: 4 contexts missing at least, the parent printed 3.
    expect(parse(damaged()).diagnostics[0]?.maybeInherited).toEqual({
      parentPid: 9357,
      contexts: 4,
    });
    expect(mismatches(["vg.9357.log", PARENT], ["vg.9358.log", damaged()])).toEqual([
      "warning 9358",
    ]);
  });

  it("is explained when the parent's errors come from another summarizer's report", () => {
    // The CLI's workers summarize inputs apart and merge their reports.
    const report = summarizeLikeWorkers([
      ["vg.9357.log", PARENT],
      ["vg.9358.log", CHILD],
    ]);
    const [mismatch] = report.diagnostics.filter((d) => d.code === "summary-mismatch");
    expect(mismatch?.severity).toBe("info");
    expect(mismatch?.message).toContain("PID 9357 printed 3 error contexts in vg.9357.log");
  });

  it("gives `leaklog summarize vg.*.log` no warning", async () => {
    const { stdout } = await cli(["summarize", `${FORK}/vg.*.log`, "-f", "json"]);
    const report = JSON.parse(stdout) as { diagnostics: { severity: string; code: string }[] };
    // The child's copy of the parent's 40-byte leak is told too (inherited-loss-records).
    expect(report.diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual([
      "info error-counts-unknown",
      "info summary-mismatch",
      "info inherited-loss-records",
    ]);
  });

  it("remembers the stacks of a bounded number of contexts, and still counts every one", () => {
    const printed = new PrintedContexts(2);
    const errors = parse(PARENT, { path: "vg.9357.log" }).errors;
    const [first, second, third] = errors;
    expect(first !== undefined && second !== undefined && third !== undefined).toBe(true);
    const other = (e: ErrorRecord): ErrorRecord => ({ ...e, pid: 1 });
    for (const e of [first, second, third] as ErrorRecord[]) printed.add(e);
    printed.add(other(third as ErrorRecord));
    expect(printed.has("vg.9357.log", 9357, (first as ErrorRecord).fingerprint)).toBe(true);
    // The cap is reached: later contexts are counted, but their stacks are not kept.
    expect(printed.has("vg.9357.log", 1, (third as ErrorRecord).fingerprint)).toBe(false);
    expect(printed.of("vg.9357.log", 9357)).toBe(3);
    expect(printed.of("vg.9357.log", 1)).toBe(1);
  });

  it("remembers per input, so that a worker's summary of an input merges as if added here", () => {
    // The cap counts per input, and an input after the cap remembers nothing: a worker's
    // summary of one input cannot know what the inputs before it remembered.
    const parent = parse(PARENT, { path: "vg.9357.log" }).errors;
    const child = parse(CHILD, { path: "vg.9358.log" }).errors;
    const one = new PrintedContexts(2);
    for (const e of [...parent, ...child]) one.add(e);
    const merged = new PrintedContexts(2);
    for (const errors of [parent, child]) {
      const part = new PrintedContexts(2);
      for (const e of errors) part.add(e);
      // As a worker sends it: plain data, cloned.
      merged.merge(structuredClone(part.data()));
    }
    for (const e of [...parent, ...child]) {
      const { path } = e.location;
      const pid = e.pid ?? 0;
      expect(merged.of(path, pid)).toBe(one.of(path, pid));
      expect(merged.has(path, pid, e.fingerprint)).toBe(one.has(path, pid, e.fingerprint));
      expect(merged.printerOf(e.fingerprint)).toEqual(one.printerOf(e.fingerprint));
    }
    // The parent's stacks filled the cap: the child, an input after it, remembers none of its.
    expect(parent.every((e) => one.has("vg.9357.log", 9357, e.fingerprint))).toBe(true);
    expect(child.some((e) => one.has("vg.9358.log", 9358, e.fingerprint))).toBe(false);
  });
});
