import { describe, expect, it } from "vitest";
import { parse } from "../../../src/api/parse.js";
import { summarize } from "../../../src/api/summarize.js";
import { parseFixture } from "../../helpers/golden.js";

// Real logs: a forked child's XML inside its parent's file (fixtures/valgrind-xml/nested).
const parsed = (name: string) => parseFixture(`test/fixtures/valgrind-xml/nested/${name}`);

describe("a forked child's XML document inside its parent's", () => {
  it("gives each process its own records, and the parent resumes after the child", () => {
    const report = parsed("fork.22279.xml");
    const owners = [...report.errors, ...report.leaks].map((r) => [
      r.type === "leak" ? r.bytes : r.kind,
      r.pid,
    ]);
    expect(owners).toEqual([
      ["InvalidWrite", 22292],
      ["InvalidWrite", 22279],
      [11, 22292], // the child inherits the parent's first block, and leaks it too
      [22, 22292],
      [11, 22279],
      [33, 22279],
    ]);
    expect(report.source.complete).toBe(true);
    expect(report.diagnostics.filter((d) => d.severity !== "info")).toEqual([]);
    expect(report.source.processes.map((p) => [p.pid, p.ppid])).toEqual([
      [22279, 22275],
      [22292, 22279],
    ]);
  });

  it("names both readings when a child's preamble alone leaves the parent unclosed", () => {
    const report = parsed("system.22077.xml");
    expect(report.source.complete).toBe(false);
    const incomplete = report.diagnostics.filter((d) => d.code === "incomplete");
    expect(incomplete).toHaveLength(1);
    expect(incomplete[0]?.message).toContain("pid 22100's document, nested in it at line 40");
    expect(incomplete[0]?.message).toContain("--xml-file and --log-file are both given");
    // Nothing is lost: the 11 bytes are listed (under the pid the file's shape suggests).
    expect(report.leaks.map((l) => l.bytes)).toEqual([11]);
  });

  it("reads the exec'd child's own file as a plain document", () => {
    const report = parsed("system.22100.xml");
    expect(report.source.complete).toBe(true);
    expect(report.source.processes.map((p) => p.pid)).toEqual([22100]);
  });
});

describe("documents that hold only Valgrind's preamble", () => {
  // The shape of public log 21 (valgrind 3.17 under CLion, --xml-file=...%p): two forked
  // children's preambles, then their parent's whole document, in one file.
  const preamble = (pid: number, ppid: number) => [
    '<?xml version="1.0"?>',
    "<valgrindoutput>",
    "<protocolversion>4</protocolversion>",
    `<pid>${pid}</pid>`,
    `<ppid>${ppid}</ppid>`,
    "<tool>memcheck</tool>",
    "<args><argv><exe>./daemon</exe></argv></args>",
  ];
  const xml = [
    ...preamble(45752, 45709),
    ...preamble(45710, 45709),
    ...preamble(45709, 34915),
    "<status><state>RUNNING</state></status>",
    "<error><unique>0x0</unique><tid>1</tid><kind>InvalidRead</kind><what>Invalid read of size 4</what>",
    "<stack><frame><ip>0x1</ip><fn>main</fn></frame></stack></error>",
    "<status><state>FINISHED</state></status>",
    "<errorcounts></errorcounts><suppcounts></suppcounts>",
    "</valgrindoutput>",
  ].join("\n");

  it("keep the records with the document they are in, and mark the others preamble-only", () => {
    const report = parse(xml, { path: "cat.xml" });
    expect(report.errors.map((e) => [e.kind, e.pid])).toEqual([["InvalidRead", 45709]]);
    expect(report.diagnostics.filter((d) => d.code === "incomplete")).toEqual([]);
    expect(report.source.complete).toBe(true);
    expect(report.source.processes.map((p) => [p.pid, p.preambleOnly])).toEqual([
      [45752, true],
      [45710, true],
      [45709, undefined],
    ]);
  });

  it("are forked children of the process the file holds, once summarized", () => {
    const report = summarize([parse(xml, { path: "cat.xml" })]);
    expect(report.sources[0]?.complete).toBe(true);
    const settled = report.diagnostics.filter((d) => d.code !== "summary-mismatch");
    expect(settled.map((d) => [d.code, d.pid])).toEqual([
      ["preamble-only", 45752],
      ["preamble-only", 45710],
    ]);
    expect(settled[0]?.message).toContain("a forked child of PID 45709 (in this log)");
  });
});
