import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse, type ParseResult } from "../../src/api/parse.js";
import { summarize } from "../../src/api/summarize.js";
import { ErrorRecord, LeakRecord, ToolSummary, type FormatId } from "../../src/model/index.js";
import { REPORTERS } from "../../src/report/index.js";

/**
 * Digits a double cannot hold exactly (grammars/numbers.ts): 2^53 + 1 (read as 2^53), just past
 * 2^64, and 400 digits (Infinity, written to JSON as null). Found by fuzzing.
 */
const BIG = ["9007199254740993", "18446744073709551616", "9".repeat(400)];

interface Case {
  name: string;
  format: FormatId;
  sample: string;
  /** 1-based line whose first match of `digits` becomes BIG. */
  line: number;
  digits: RegExp;
  /** The line is then not understood (a required count), or only a field is left out. */
  unrecognized: boolean;
  leaksLost?: number;
  /** The source is then incomplete: a record it printed is lost. */
  incomplete?: boolean;
  check?: (result: ParseResult) => void;
}

const noLine = (file: string) => (result: ParseResult) => {
  const frames = [...result.leaks, ...result.errors].flatMap((r) => r.stack);
  const bare = frames.filter((f) => f.file?.endsWith(file) === true && f.line === undefined);
  expect(bare.length).toBeGreaterThan(0);
};

const CASES: Case[] = [
  ...[
    ["loss record bytes", /\d+(?= bytes in)/],
    ["loss record blocks", /\d+(?= blocks are)/],
    ["loss record index", /\d+(?= of 3)/],
  ].map(([name, digits]) => ({
    name: `valgrind ${name as string}`,
    format: "valgrind" as const,
    sample: "valgrind/leak_definite.txt",
    line: 12,
    digits: digits as RegExp,
    unrecognized: true,
    leaksLost: 1,
    // A Valgrind loss record dropped marks its log incomplete (campaign bj F4).
    incomplete: true,
  })),
  {
    name: "valgrind frame line number",
    format: "valgrind",
    sample: "valgrind/leak_definite.txt",
    line: 18,
    digits: /\d+(?=\)$)/,
    unrecognized: false,
    check: noLine("leak_definite.c"),
  },
  {
    name: "valgrind ERROR SUMMARY count",
    format: "valgrind",
    sample: "valgrind/leak_definite.txt",
    line: 35,
    digits: /\d+(?= errors)/,
    unrecognized: true,
    check: (r) => expect(r.summaries.every((s) => s.errors === undefined)).toBe(true),
  },
  {
    name: "valgrind LEAK SUMMARY amount",
    format: "valgrind",
    sample: "valgrind/leak_definite.txt",
    line: 28,
    digits: /\d+(?= bytes)/,
    unrecognized: true,
  },
  {
    name: "valgrind-xml frame line number",
    format: "valgrind-xml",
    sample: "valgrind-xml/leak_all_full.xml",
    line: 65,
    digits: /\d+/,
    unrecognized: false,
    check: (r) =>
      expect(
        r.leaks.flatMap((l) => l.stack).some((f) => f.file !== undefined && f.line === undefined),
      ).toBe(true),
  },
  {
    name: "memwatch unfreed size",
    format: "memwatch",
    sample: "memwatch/classic.log",
    line: 13,
    digits: /\d+(?= bytes)/,
    unrecognized: true,
    leaksLost: 1,
  },
  {
    // The grammar takes a site's line of up to 10 digits only (siteEnd, grammars/memwatch).
    name: "memwatch unfreed line number",
    format: "memwatch",
    sample: "memwatch/classic.log",
    line: 13,
    digits: /\d+(?=\),)/,
    unrecognized: true,
    leaksLost: 1,
  },
  {
    name: "memleax may-leak count",
    format: "memleax",
    sample: "memleax/01-single-stack-sigint.log",
    line: 33,
    digits: /\d+(?= \()/,
    unrecognized: true,
  },
  {
    name: "sanitizer leak bytes",
    format: "sanitizer",
    sample: "sanitizer/lsan-basic.log",
    line: 5,
    digits: /\d+(?= byte)/,
    unrecognized: true,
    leaksLost: 1,
  },
  {
    name: "sanitizer frame line number",
    format: "sanitizer",
    sample: "sanitizer/lsan-basic.log",
    line: 7,
    digits: /\d+$/,
    unrecognized: false,
    check: noLine("lsan-basic.c"),
  },
];

function withBig(sample: string, line: number, digits: RegExp, big: string): string {
  const lines = readFileSync(`samples/${sample}`, "utf8").split("\n");
  const text = lines[line - 1] ?? "";
  expect(digits.test(text), `${sample}:${line} has the digits to replace`).toBe(true);
  lines[line - 1] = text.replace(digits, big);
  return lines.join("\n");
}

function expectValid(result: ParseResult): void {
  for (const leak of result.leaks) LeakRecord.parse(leak);
  for (const error of result.errors) ErrorRecord.parse(error);
  for (const summary of result.summaries) ToolSummary.parse(summary);
}

describe("numbers too big to hold exactly", () => {
  for (const c of CASES) {
    for (const big of BIG) {
      it(`${c.name}, ${big.length} digits: valid records, the rest of the log kept`, () => {
        const options = { path: "big.log", inputFormat: c.format };
        const before = parse(readFileSync(`samples/${c.sample}`), options);
        const result = parse(withBig(c.sample, c.line, c.digits, big), options);
        expectValid(result);
        const said = result.diagnostics.filter(
          (d) => d.code === "unrecognized-line" && d.line === c.line,
        );
        expect(said.length).toBe(c.unrecognized ? 1 : 0);
        expect(result.leaks.length).toBe(before.leaks.length - (c.leaksLost ?? 0));
        expect(result.errors.length).toBe(before.errors.length);
        if (c.incomplete === true) expect(result.source.complete).toBe(false);
        c.check?.(result);
      });
    }
  }
});

describe("leaklog-json input with a record that is not valid", () => {
  const report = (): Record<string, unknown> =>
    JSON.parse(
      REPORTERS.json.render(
        summarize([parse(readFileSync("samples/valgrind/leak_definite.txt"), { path: "a.log" })]),
        { color: false, top: 20 },
      ),
    ) as Record<string, unknown>;

  it("leaves out the invalid record, says so with its line, and keeps the others", () => {
    const json = report();
    const leaks = json["leaks"] as Record<string, unknown>[];
    (leaks[0] as Record<string, unknown>)["bytes"] = null;
    const text = JSON.stringify(json, null, 2);
    const result = parse(text, { path: "r.json" });
    expect(result.source.format).toBe("leaklog-json");
    expect(result.leaks.length).toBe(leaks.length - 1);
    expect(result.source.complete).toBe(false);
    const bad = result.diagnostics.filter((d) => d.code === "bad-report");
    expect(bad).toHaveLength(1);
    expect(bad[0]?.message).toMatch(/^leaks\.0 is not a valid record at bytes/);
    const id = JSON.stringify((leaks[0] as { id: string }).id);
    expect(bad[0]?.line).toBe(text.split("\n").findIndex((l) => l.includes(`"id": ${id}`)) + 1);
  });

  it("still rejects a document that is no report", () => {
    const json = report();
    json["sources"] = null;
    const result = parse(JSON.stringify(json, null, 2), {
      path: "r.json",
      inputFormat: "leaklog-json",
    });
    expect(result.leaks).toHaveLength(0);
    expect(result.diagnostics.map((d) => d.code)).toContain("bad-report");
  });
});
