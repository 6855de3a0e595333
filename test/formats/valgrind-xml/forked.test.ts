import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, type ParseResult } from "../../../src/api/parse.js";
import { ROOT } from "../../helpers/golden.js";

// Real logs: a forked child's records after its parent's </valgrindoutput> (fixtures/valgrind-xml/forked).
const parsed = (name: string) => {
  const path = `test/fixtures/valgrind-xml/forked/${name}`;
  return parse(readFileSync(join(ROOT, path), "utf8"), { path });
};

/** Each process's leaked bytes, in the order the processes were first seen. */
function leaksByProcess(report: ParseResult): number[][] {
  const by = new Map<string, number[]>();
  for (const leak of report.leaks) {
    const key = `${leak.pid}/${leak.run ?? 1}`;
    by.set(key, [...(by.get(key) ?? []), leak.bytes]);
  }
  return [...by.values()];
}

describe("a forked child writing on in its parent's XML document", () => {
  it("reads the records after the document's end as a process of their own, as the text log has them", () => {
    const xml = parsed("wait.xml");
    expect(xml.source.processes.map((p) => [p.pid, p.run, p.command])).toEqual([
      [15162, undefined, "./wait"],
      [15162, 2, "./wait"],
    ]);
    expect(leaksByProcess(xml)).toEqual([
      [16, 33],
      [24, 77],
    ]);
    expect(xml.errors.map((e) => [e.run, e.aux[0]?.message])).toEqual([
      [undefined, "Address 0x4a410a0 is 0 bytes after a block of size 16 alloc'd"],
      [2, "Address 0x4a410a8 is 0 bytes after a block of size 24 alloc'd"],
    ]);
    // The text log of the same program names each process: the same leaks, process by process.
    const text = parsed("wait.txt");
    expect(leaksByProcess(text)).toEqual(leaksByProcess(xml));
    expect(text.diagnostics).toEqual([]);
  });

  it("reads a forked child so under --trace-children=yes too: no exec, nothing written over", () => {
    const traced = parsed("trace.xml");
    expect(traced.source.processes.map((p) => p.run)).toEqual([undefined, 2]);
    expect(leaksByProcess(traced)).toEqual([
      [16, 33],
      [24, 77],
    ]);
  });

  it("warns once, naming the option that keeps the child out, and loses nothing", () => {
    for (const name of ["wait.xml", "nowait.xml", "trace.xml"]) {
      const report = parsed(name);
      const warnings = report.diagnostics.filter((d) => d.severity !== "info");
      expect(warnings.map((d) => d.code)).toEqual(["xml-forked-child"]);
      expect(warnings[0]?.message).toContain("--child-silent-after-fork=yes");
      expect(report.source.complete).toBe(true);
    }
    const nowait = parsed("nowait.xml");
    // Both leak checks, the block leaked before the fork in each process's own heap.
    expect(leaksByProcess(nowait)).toEqual([
      [8, 33, 48],
      [8, 72, 77],
    ]);
    expect(leaksByProcess(parsed("nowait.txt")).map((l) => l.sort((a, b) => a - b))).toEqual(
      leaksByProcess(nowait),
    );
    // Every error was printed before the first end; <errorcounts> counts each context.
    expect(nowait.errors.map((e) => e.count)).toEqual([1, 3, 3]);
  });

  it("reads a cut continuation as cut off, its records kept", () => {
    const whole = readFileSync(join(ROOT, "test/fixtures/valgrind-xml/forked/wait.xml"), "utf8");
    const cut = whole.slice(0, whole.lastIndexOf("<errorcounts>"));
    const report = parse(cut, { path: "cut.xml" });
    expect(leaksByProcess(report)).toEqual([
      [16, 33],
      [24, 77],
    ]);
    expect(report.source.complete).toBe(false);
    const incomplete = report.diagnostics.filter((d) => d.code === "incomplete");
    expect(incomplete.map((d) => d.message)).toEqual([
      expect.stringContaining("ends without </valgrindoutput>"),
    ]);
  });

  it("gives a forked child's error from before its exec to the child, as the text log does", () => {
    // --xml-fd: the child's error (forkexec.c:11) is written into the parent's document, which
    // does not count it, before the document of the program the child exec'd (<ppid> the parent).
    const xml = parsed("forkexec-fd.xml");
    expect(xml.errors.map((e) => [e.pid, e.stack[0]?.line])).toEqual([
      [3993, 7],
      [3994, 11],
    ]);
    expect(xml.diagnostics.filter((d) => d.code === "summary-mismatch")).toEqual([]);
    const text = parsed("forkexec-fd.txt");
    expect(text.errors.map((e) => [e.pid, e.stack[0]?.line])).toEqual([
      [3992, 11],
      [3991, 7],
    ]);
  });

  it("gives each of several children its own error, though all share one <unique>", () => {
    // Two children, each erring (child_err) before it execs ./leaf: both errors are 0x0.
    const xml = parsed("twochildren-fd.xml");
    const pids = xml.source.processes.map((p) => p.pid);
    expect(xml.errors.map((e) => [e.pid, e.stack[0]?.function])).toEqual([
      [pids[1], "main"],
      [pids[2], "main"],
      [pids[1], "child_err"],
      [pids[2], "child_err"],
    ]);
    expect(xml.diagnostics).toEqual([]);
  });

  it("warns where the parent's own error shares the children's <unique>", () => {
    // The parent errs after both children: its 0x0 is counted, and which 0x0 is whose is not
    // told by the XML; the three errors stay the parent's, and a warning says the document
    // holds more than one process's errors.
    const xml = parsed("twochildren-parent-fd.xml");
    expect(xml.diagnostics).toEqual([
      expect.objectContaining({
        code: "summary-mismatch",
        message: expect.stringContaining(
          "1 <unique> printed by more than one <error> (unique 0x0)",
        ),
      }),
    ]);
  });
});
