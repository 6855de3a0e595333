import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseFile } from "../../src/api/parse.js";
import { summarize } from "../../src/api/summarize.js";
import type { Report } from "../../src/model/index.js";
import { ROOT } from "../helpers/golden.js";

// Real logs of system() under --log-file=vg.%p.log (fixtures/valgrind/preamble-only/README.md).
const DIR = "test/fixtures/valgrind/preamble-only";
const LOGS = {
  text: {
    parent: "leak/vg.7298.log",
    child: "leak/vg.7307.log",
    fixed: ["fixed/vg.7310.log", "fixed/vg.7311.log"],
  },
  xml: {
    parent: "leak/vg.7308.xml",
    child: "leak/vg.7309.xml",
    fixed: ["fixed/vg.7312.xml", "fixed/vg.7313.xml"],
  },
};

async function summarized(names: readonly string[], baseline?: Report): Promise<Report> {
  const results = await Promise.all(names.map((n) => parseFile(join(ROOT, DIR, n))));
  return summarize(results, {
    gate: { failOn: ["incomplete"], maxBytes: {} },
    ...(baseline !== undefined ? { baseline } : {}),
  });
}

const codes = (report: Report) => report.diagnostics.map((d) => [d.severity, d.code, d.pid]);

describe.each(Object.entries(LOGS))("a child's %s log of Valgrind's preamble only", (_, logs) => {
  it("is a forked child's, complete, when its parent's log is an input", async () => {
    const report = await summarized([logs.parent, logs.child]);
    expect(report.sources.map((s) => s.complete)).toEqual([true, true]);
    const child = report.sources[1]?.processes[0];
    expect(child).toMatchObject({ preambleOnly: true, ppid: report.sources[0]?.processes[0]?.pid });
    expect(codes(report)).toEqual([["info", "preamble-only", child?.pid]]);
    expect(report.gate?.failed).toBe(false);
    expect(report.leaks.map((l) => [l.kind, l.bytes])).toEqual([["definitely-lost", 48]]);
  });

  it("is incomplete alone: its parent may not be a Memcheck process", async () => {
    const report = await summarized([logs.child]);
    expect(report.sources[0]?.complete).toBe(false);
    expect(codes(report)).toEqual([
      ["warning", "incomplete", report.sources[0]?.processes[0]?.pid],
    ]);
    expect(report.diagnostics[0]?.message).toMatch(
      /no input of its folder holds its parent, PID \d+/,
    );
    // The log lacks findings of that process (campaign v18a Q2: ProcessInfo.incomplete).
    expect(report.sources[0]?.processes[0]?.incomplete).toBe(true);
    expect(report.gate?.failed).toBe(true);
  });

  it("leaves a fixed leak fixed against a baseline", async () => {
    const baseline = await summarized([logs.parent, logs.child]);
    const report = await summarized(logs.fixed, baseline);
    expect(report.groups.map((g) => [g.baseline, g.kind, g.stack[1]?.function])).toEqual([
      ["fixed", "definitely-lost", "make_buffer"],
    ]);
    expect(report.diagnostics.filter((d) => d.severity !== "info")).toEqual([]);
  });
});

describe("a run killed at its start", () => {
  it("leaves a text log of its preamble incomplete: its parent is no input", async () => {
    const report = await summarized(["killed/vg.7360.log"]);
    expect(report.sources[0]?.complete).toBe(false);
    expect(codes(report)).toEqual([["warning", "incomplete", 7360]]);
  });

  it("leaves an XML log that says RUNNING incomplete, as before", async () => {
    const report = await summarized(["killed/vg.7389.xml"]);
    expect(report.sources[0]?.complete).toBe(false);
    expect(report.sources[0]?.processes[0]?.preambleOnly).toBeUndefined();
  });
});

// Campaign camp-ctest F1: `timeout -s KILL 3 t_timeout` in a shell's test suite under
// --log-file=vg.%p.log was said to lack its parent's log, which was the first input.
describe("a program traced after its parent forked and exec'd it, killed at its start", () => {
  it("is incomplete, and the warning names the parent's log and the kill", async () => {
    const logs = ["vg.12854.log", "vg.13963.log", "vg.14014.log"];
    const report = await summarized(logs.map((log) => `traced-exec/${log}`));
    expect(report.sources.map((s) => s.complete)).toEqual([true, false, false]);
    const warnings = report.diagnostics.filter((d) => d.severity !== "info");
    expect(warnings.map((d) => [d.code, d.pid])).toEqual([
      ["incomplete", 13963],
      ["incomplete", 14014],
    ]);
    const [timeout, killed] = warnings.map((d) => d.message);
    expect(timeout).toMatch(
      /^PID 13963 \(\/usr\/bin\/timeout -s KILL 3 \S+\) printed only Valgrind's preamble and no summary: its parent, PID 12854 \(in \S+vg\.12854\.log\), has another command, so it is a program Valgrind traced after an exec, and the run was killed/,
    );
    // The parent's log is an input: no advice to give it.
    expect(killed).toMatch(/its parent, PID 13963, printed only its preamble too$/);
    expect(report.gate?.failed).toBe(true);
  });

  it("under CTest's TIMEOUT, advises the parent's log only if it ran under Valgrind", async () => {
    // The parent is ctest itself (camp-ctest Q1): "give the parent's log too" was no advice.
    const report = await summarized(["../log-file-shared/ctest-system/MemoryChecker.12.log"]);
    expect(codes(report)).toEqual([["warning", "incomplete", 5000]]);
    expect(report.diagnostics[0]?.message).toMatch(
      /but no input of its folder holds its parent, PID 4749 \(if PID 4749 ran under Valgrind, give its log too\)$/,
    );
  });
});

describe("under -v, a forked worker killed before it printed anything", () => {
  it("is incomplete: its log goes on past the preamble, where a child that exec'd stops", async () => {
    const killed = await summarized(["verbose/wk.15799.log", "verbose/wk.15813.log"]);
    expect(killed.sources.map((s) => s.complete)).toEqual([true, false]);
    expect(codes(killed)).toEqual([["warning", "incomplete", 15813]]);
    const spawned = await summarized(["verbose/sys.15717.log", "verbose/sys.15731.log"]);
    expect(spawned.sources.map((s) => s.complete)).toEqual([true, true]);
    expect(codes(spawned)).toEqual([["info", "preamble-only", 15731]]);
  });
});

// Campaign by Q1: the warning named a kill or a cut, where the log shows the process ran (its
// forked subshells printed their summaries to it) and then exec'd the program untraced.
describe("a wrapper script's log whose own process printed only its preamble", () => {
  it("is incomplete, and the warning says it most likely exec'd an untraced program", async () => {
    const result = await parseFile(
      join(ROOT, "test/fixtures/valgrind/libtool-wrapper/test-version.log"),
    );
    const report = summarize([result], { gate: { failOn: ["incomplete"], maxBytes: {} } });
    expect(report.sources[0]?.complete).toBe(false);
    expect(codes(report)).toEqual([["warning", "incomplete", 17744]]);
    expect(report.diagnostics[0]?.message).toMatch(
      /^PID 17744 \(\.\/test-version\) printed only Valgrind's preamble and no summary, while processes it forked \(PID 17758, PID 17757, PID 17759, 6 more: no preamble of their own\) printed theirs to its log: it ran, and then most likely exec'd a program Valgrind does not trace \(a wrapper script, .*--trace-children=yes/,
    );
    expect(report.gate?.failed).toBe(true);
  });
});
