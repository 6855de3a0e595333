import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseChunks, parseFile } from "../../../src/api/parse.js";
import { summarize } from "../../../src/api/summarize.js";
import { MAX_HELD } from "../../../src/formats/valgrind/held-leaks.js";
import { ValgrindTextParser } from "../../../src/formats/valgrind/text-parser.js";
import { ValgrindXmlParser } from "../../../src/formats/valgrind-xml/parser.js";
import { ROOT } from "../../helpers/golden.js";
import { quietSink } from "../../helpers/sink.js";

/*
 * clientreq.c (Valgrind 3.19, text and --xml=yes of one run): VALGRIND_DO_LEAK_CHECK (40 bytes
 * lost), then VALGRIND_DO_ADDED_LEAK_CHECK (+80 lost, +16 and +4,096 reachable), then
 * VALGRIND_DO_CHANGED_LEAK_CHECK (+120 lost), then the check at exit: 240 bytes in 3 blocks
 * lost, 16 bytes reachable. Every check describes the same heap; the one at exit is the account.
 */
const TEXT = readFileSync(join(ROOT, "test/fixtures/valgrind/clientreq.txt"), "utf8");
const XML = readFileSync(join(ROOT, "test/fixtures/valgrind-xml/clientreq.xml"), "utf8");

const marks = (text: string, path: string) =>
  parse(text, { path }).leaks.map((l) => [l.bytes, l.superseded === true]);

const EXPECTED_MARKS = [
  [40, true],
  [16, true],
  [80, true],
  [4096, true],
  [120, true],
  [16, false],
  [40, false],
  [80, false],
  [120, false],
];

describe("several leak checks in one process", () => {
  it("marks the records of every check before the last full one superseded (text)", () => {
    expect(marks(TEXT, "clientreq.txt")).toEqual(EXPECTED_MARKS);
  });

  it("marks the same records in the XML of the same run", () => {
    expect(marks(XML, "clientreq.xml")).toEqual(EXPECTED_MARKS);
  });

  it("gives each LEAK SUMMARY the kinds its own check listed, not the next check's", () => {
    const kinds = parse(TEXT, { path: "clientreq.txt" }).summaries.map((s) => [
      s.leakCheck,
      s.listedKinds,
    ]);
    expect(kinds).toEqual([
      [1, ["definitely-lost"]],
      [2, ["definitely-lost", "still-reachable"]],
      [3, ["definitely-lost"]],
      [4, ["definitely-lost", "still-reachable"]],
    ]);
  });

  it("is read the same whatever the chunking", async () => {
    for (const [text, path] of [
      [TEXT, "clientreq.txt"],
      [XML, "clientreq.xml"],
    ] as const) {
      const whole = parse(text, { path });
      const bytes = new TextEncoder().encode(text);
      for (const size of [1, 7, 64]) {
        const pieces = function* () {
          for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
        };
        expect(await parseChunks(pieces(), { path })).toEqual(whole);
      }
    }
  });

  it("counts only the check at exit in groups, totals and the gate; cross-checks every check", () => {
    const gate = { failOn: [], maxBytes: { "definitely-lost": 300 } };
    for (const [text, path] of [
      [TEXT, "clientreq.txt"],
      [XML, "clientreq.xml"],
    ] as const) {
      const report = summarize([parse(text, { path })], { gate });
      expect(report.totals.leaks["definitely-lost"]).toEqual({ bytes: 240, blocks: 3 });
      expect(report.totals.leaks["still-reachable"]).toEqual({ bytes: 16, blocks: 1 });
      expect(report.groups.reduce((n, g) => n + (g.type === "leak" ? g.occurrences : 0), 0)).toBe(
        4,
      );
      expect(report.leaks).toHaveLength(9);
      expect(report.gate?.failed).toBe(false);
    }
    // The ADDED check's records still add up against its own LEAK SUMMARY: the same info as
    // before; the program's VALGRIND_PRINTF messages are infos, as the XML's <clientmsg> are.
    const text = summarize([parse(TEXT, { path: "clientreq.txt" })]);
    expect(text.diagnostics.map((d) => [d.code, d.severity, d.line])).toEqual([
      ["valgrind-client-message", "info", 61],
      ["valgrind-client-message", "info", 62],
      ["summary-mismatch", "info", 37],
      ["summary-mismatch", "info", 48],
    ]);
  });
});

describe("held leak records", () => {
  it("go out unmarked past the cap, oldest process first, so a -q log's memory stays bounded", () => {
    // A -q log prints no HEAP SUMMARY: each process's check at exit is held like a client
    // request's until its ERROR SUMMARY, which -q leaves out without -s.
    const record = (pid: number, i: number) => [
      `==${pid}== 8 bytes in 1 blocks are definitely lost in loss record ${i} of 2`,
      `==${pid}==    at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)`,
      `==${pid}==    by 0x10938D: main (clientreq.c:7)`,
      `==${pid}== `,
    ];
    const lines: string[] = [];
    const processes = Math.ceil(MAX_HELD / 2) + 1;
    for (let pid = 1000; pid < 1000 + processes; pid += 1) {
      lines.push(...record(pid, 1), ...record(pid, 2));
    }
    const emitted: number[] = [];
    const parser = new ValgrindTextParser(
      quietSink({
        finding: (draft) => emitted.push(draft.pid ?? 0),
      }),
    );
    lines.forEach((line, i) => parser.line(line, i + 1));
    // The first process's records went out when the cap was passed, before the log ended.
    expect(emitted.slice(0, 1)).toEqual([1000]);
    parser.end();
    expect(emitted).toHaveLength(2 * processes);
  });
});

describe("the XML check at exit", () => {
  it("is not held: its records go out as they come, past any cap, with no warning", () => {
    // clientreq.xml without its InvalidWrite (which would hold everything behind it for its
    // count), and the exit check's first record repeated past MAX_WAITING (5,000).
    const finished = XML.indexOf("FINISHED");
    const invalid = XML.lastIndexOf("<error>", XML.indexOf("InvalidWrite"));
    const head =
      XML.slice(0, invalid) +
      XML.slice(XML.indexOf("</error>", invalid) + "</error>".length, finished);
    const start = XML.indexOf("<error>", finished);
    const record = XML.slice(start, XML.indexOf("</error>", start) + "</error>\n".length);
    const many = Array.from({ length: 5_001 }, (_, i) =>
      record.replace("loss record 2 of 5", `loss record ${i + 1} of 5001`),
    );
    const text = `${head}${XML.slice(finished, start)}${many.join("")}`;
    let emitted = 0;
    const codes: string[] = [];
    const parser = new ValgrindXmlParser(
      quietSink({
        finding: () => (emitted += 1),
        diagnostic: (d) => codes.push(d.code),
      }),
    );
    text.split("\n").forEach((line, i) => parser.line(line, i + 1));
    // All but the last record are out before the document ends: nothing held them.
    expect(emitted).toBe(5 + 5_000);
    parser.line("</valgrindoutput>", 1_000_000);
    parser.end();
    expect(emitted).toBe(5 + 5_001);
    expect(codes).not.toContain("xml-errorcounts-not-applied");
  });
});

describe("a client leak check of more records than are held", () => {
  it("warns that the records let out before the check at exit are counted twice", async () => {
    // 6,000 records twice (see test/fixtures/valgrind/leak-check-overflow): the totals said
    // 11,001 blocks (text) and 7,000 (XML) against Valgrind's 6,000, and nothing warned.
    const dir = join(ROOT, "test/fixtures/valgrind/leak-check-overflow");
    for (const [name, letOut] of [
      ["chk6000.txt.gz", 5_001],
      ["chk6000.xml.gz", 1_000],
    ] as const) {
      const result = await parseFile(join(dir, name));
      const counted = result.leaks.filter((l) => l.superseded !== true).length;
      expect(counted).toBe(6_000 + letOut);
      const warnings = result.diagnostics.filter((d) => d.code === "summary-mismatch");
      expect(warnings).toHaveLength(1);
      expect(warnings[0]?.message).toContain(
        `supersedes an earlier one, of which ${letOut} loss records had already been counted`,
      );
    }
  });
});
