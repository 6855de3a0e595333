import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { Report } from "../../../src/model/index.js";
import { cli } from "../../helpers/cli.js";
import { ROOT } from "../../helpers/golden.js";
import { chunks } from "../../helpers/chunks.js";

// Real runs of json-c's test_parse.test under --trace-children=yes with one log file for every
// process, whose parent wrote past the end of the file its last child emptied (campaign by F1);
// see holes/README.md.
const HOLES = "test/fixtures/valgrind/log-file-shared/holes";
const BINARY_OUTPUT = "test/fixtures/valgrind/binary-output";
const GATE = ["--fail-on", "error,incomplete"];

/** `leaklog summarize --format json` of the paths (`-`: `stdin`), and its exit code. */
async function summarize(args: readonly string[], stdin: readonly Uint8Array[] = []) {
  const run = await cli(["summarize", "--format", "json", ...args], stdin);
  return { code: run.code, report: Report.parse(JSON.parse(run.stdout)) };
}

const overwritten = (report: Report) =>
  report.diagnostics.filter((d) => d.code === "log-overwritten");
const gunzip = (name: string) => gunzipSync(readFileSync(join(ROOT, HOLES, name)));

describe("a -q log whose parent wrote past the end of the file its traced child emptied", () => {
  it.each([
    { log: "shared.log.gz", nuls: 62013, child: 5023, parent: 4896, reachable: 25457 },
    { log: "shared-3.27.log.gz", nuls: 59456, child: 5711, parent: 5650, reachable: 25393 },
    {
      log: "ctest-MemoryChecker.14.log.gz",
      nuls: 66075,
      child: 1386,
      parent: 1314,
      reachable: 25489,
    },
  ])(
    "$log: the NUL bytes are the hole, the log is incomplete, and the gate fails",
    async ({ log, nuls, child, parent, reachable }) => {
      const { code, report } = await summarize([join(HOLES, log), ...GATE]);
      expect(code).toBe(1);
      expect(report.gate?.reasons).toEqual([
        expect.stringMatching(/^--fail-on incomplete: 1 log is incomplete /),
      ]);
      expect(overwritten(report)).toEqual([
        expect.objectContaining({
          severity: "warning",
          line: 7,
          message: expect.stringMatching(
            new RegExp(
              `^${nuls} NUL bytes stand where a line should be, before PID ${parent}'s first line: .* \\(--log-file=vg\\.%p\\.log\\)$`,
            ),
          ),
        }),
      ]);
      const [source] = report.sources;
      expect(source?.complete).toBe(false);
      // The NULs are no program output; the parent's report after them is read.
      expect(source?.counters).toMatchObject({ programLines: 0, unrecognizedLines: 0 });
      expect(source?.processes.map((p) => p.pid)).toEqual([child, parent]);
      expect(report.totals.leaks).toEqual({
        "still-reachable": { bytes: reachable, blocks: expect.any(Number) },
      });
    },
  );

  it("is told once, by its hole, when the child's preamble opens the log too (no -q)", async () => {
    const { report } = await summarize([join(HOLES, "shared-noq.log.gz")]);
    expect(overwritten(report)).toEqual([
      expect.objectContaining({
        line: 27,
        message: expect.stringMatching(/^65088 NUL bytes .* before PID 5331's first line: /),
      }),
    ]);
  });

  it("a few NULs are a hole where the preamble shows a --log-file, not in a -q log", async () => {
    // The same logs with a hole of 5 NULs: a program's zeroed output in a -q log on stderr may
    // be that short, but no program output reaches a --log-file.
    const shorten = (log: Buffer) =>
      Buffer.from(log.toString("latin1").replace(/\0+/, "\0".repeat(5)), "latin1");
    const quiet = await summarize(["-"], [shorten(gunzip("shared.log.gz"))]);
    expect(overwritten(quiet.report)).toEqual([]);
    const file = await summarize(["-"], [shorten(gunzip("shared-noq.log.gz"))]);
    expect(overwritten(file.report)).toEqual([
      expect.objectContaining({ line: 27, message: expect.stringMatching(/^5 NUL bytes /) }),
    ]);
  });
});

// A -q parent that wrote an error before running a child that wrote nothing: the hole opens the
// file, which was refused whole as binary data, its leak report unread; see hole-first/README.md.
describe("a hole that opens the file", () => {
  const FIRST = "test/fixtures/valgrind/log-file-shared/hole-first";

  it.each([
    { log: "q.log", nuls: 297, pid: 32635 },
    { log: "q-3.27.log", nuls: 264, pid: 32639 },
    { log: "many.log", nuls: 11357, pid: 621 },
  ])("$log: is the hole, and the parent's report after it is read", async ({ log, nuls, pid }) => {
    const { code, report } = await summarize([join(FIRST, log), ...GATE]);
    expect(code).toBe(1);
    expect(overwritten(report)).toEqual([
      expect.objectContaining({
        line: 1,
        message: expect.stringMatching(
          new RegExp(`^${nuls} NUL bytes stand where a line should be, before PID ${pid}'s`),
        ) as unknown as string,
      }),
    ]);
    expect(report.sources[0]?.complete).toBe(false);
    expect(report.sources[0]?.counters).toMatchObject({ programLines: 0, unrecognizedLines: 0 });
    // The invalid reads before the child ran are lost with what the child emptied.
    expect(report.totals.errors).toEqual({});
    expect(report.totals.leaks["definitely-lost"]).toMatchObject({ bytes: 20, blocks: 1 });
  });

  it("is read the same from standard input, in chunks of any size", async () => {
    const bytes = readFileSync(join(ROOT, FIRST, "many.log"));
    for (const parts of [1, 7, 4096, 9000].map((size) => chunks(bytes, [size]))) {
      const { report } = await summarize(["-"], parts);
      expect(overwritten(report)).toHaveLength(1);
      expect(report.totals.leaks["definitely-lost"]?.bytes).toBe(20);
    }
  });
});

describe("NUL bytes that a program wrote on the stderr it shares with Valgrind", () => {
  it.each(["nul-output.txt", "nul-output.q.txt", "vg.log"])(
    "%s: its output, not a hole: the log is complete and read whole",
    async (log) => {
      const { code, report } = await summarize([
        join(BINARY_OUTPUT, log),
        "--fail-on",
        "incomplete",
      ]);
      expect(code).toBe(0);
      expect(report.sources[0]?.complete).toBe(true);
      expect(overwritten(report)).toEqual([]);
      expect(report.totals.leaks["definitely-lost"]?.bytes).toBe(log === "vg.log" ? 32 : 8);
      if (log !== "vg.log") expect(report.totals.errors).toEqual({ InvalidWrite: 1 });
    },
  );
});

// The same test under --xml=yes with one --xml-file (campaign by F2): the shell's last records
// follow the NULs after the whole document of the `cmp` it ran.
describe("an XML file whose parent wrote past the end of the file its traced child emptied", () => {
  const xml = () => gunzip("shared.xml.gz").toString("latin1");
  const stdin = (text: string) => [Buffer.from(text, "latin1")];
  const pids = (report: Report) => report.sources[0]?.processes.map((p) => p.pid);

  it.each([
    { log: "shared.xml.gz", line: 54, nuls: 686, child: 6608, parent: 6535, reachable: [] },
    {
      log: "shared-3.27.xml.gz",
      line: 96,
      nuls: 5380,
      child: 6624,
      parent: 6609,
      reachable: [8208, 17185],
    },
  ])(
    "$log: the records after the hole are the child's parent's (<ppid>), and the log is incomplete",
    async ({ log, line, nuls, child, parent, reachable }) => {
      const { code, report } = await summarize([join(HOLES, log), ...GATE]);
      expect(code).toBe(1);
      // Not a forked child's records, read as a second run of the child's PID.
      expect(report.diagnostics).toEqual([
        expect.objectContaining({
          code: "log-overwritten",
          severity: "warning",
          line,
          message: expect.stringMatching(
            new RegExp(
              `^${nuls} NUL bytes stand where a line should be: .* pid ${child}'s Valgrind opened it again, .* the records after the hole are read as pid ${parent}'s, .* \\(--xml-file=vg\\.%p\\.xml\\)$`,
            ),
          ),
        }),
      ]);
      expect(report.sources[0]?.complete).toBe(false);
      expect(report.sources[0]?.processes).toEqual([
        expect.objectContaining({
          pid: child,
          ppid: parent,
          command: expect.stringMatching(/^\/usr\/bin\/cmp /),
        }),
        { pid: parent, usedSuppressionsListed: true },
      ]);
      const summaries = report.summaries.map((s) => [s.pid, s.leak?.["still-reachable"]?.bytes]);
      expect(summaries).toEqual(reachable.map((bytes, i) => [i === 0 ? child : parent, bytes]));
    },
  );

  it("leaves the records after the hole out when the document before it names no parent", async () => {
    const text = gunzip("shared-3.27.xml.gz").toString("latin1").replace("<ppid>6609</ppid>", "");
    const { code, report } = await summarize(["-", "--fail-on", "incomplete"], stdin(text));
    expect(code).toBe(1);
    expect(overwritten(report)).toEqual([
      expect.objectContaining({
        line: 96,
        message: expect.stringMatching(/, so they are left out, /),
      }),
    ]);
    expect(report.diagnostics.map((d) => d.code)).toEqual(["log-overwritten"]);
    expect(pids(report)).toEqual([6624]);
    expect(report.summaries.map((s) => s.pid)).toEqual([6624]);
  });

  it("leaves out the records after a second hole: the parent's own parent is not known", async () => {
    const whole = xml();
    const tail = whole.slice(whole.lastIndexOf("<status>"));
    const { report } = await summarize(["-"], stdin(`${whole}${"\0".repeat(300)}\n${tail}`));
    expect(overwritten(report).map((d) => d.line)).toEqual([54, 68]);
    expect(overwritten(report)[1]?.message).toMatch(/^300 NUL bytes .*, so they are left out, /);
    expect(pids(report)).toEqual([6608, 6535]);
  });

  it("leaves out the records after a hole inside a document that never closed", async () => {
    // The child's document cut before its end: the shell's records would have been read as its.
    const open = xml().replace(/<status>\n {2}<state>FINISHED[\s\S]*?<\/valgrindoutput>\n/, "");
    const { report } = await summarize(["-"], stdin(open));
    expect(report.diagnostics).toEqual([
      expect.objectContaining({
        code: "log-overwritten",
        message: expect.stringMatching(/left out/),
      }),
    ]);
    expect(pids(report)).toEqual([6608]);
  });

  it("sent to a descriptor, which the program's output may share, its NULs are no hole", async () => {
    const fd = xml().replace(/--xml-file=[^<]*/, "--xml-fd=2");
    const { report } = await summarize(["-"], stdin(fd));
    expect(overwritten(report)).toEqual([]);
    expect(report.diagnostics.map((d) => d.code)).toEqual(["xml-forked-child"]);
    expect(report.sources[0]?.counters.programLines).toBe(1);
  });
});
