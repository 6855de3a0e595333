import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../src/api/parse.js";
import { cli } from "../helpers/cli.js";
import { ROOT } from "../helpers/golden.js";
import {
  expectCleanMessages,
  runBin,
  tempDir,
  VALGRIND_HEAD,
  valgrindLeak,
  write,
} from "./helpers.js";

const dir = tempDir();
const sample = (path: string): string => readFileSync(join(ROOT, "samples", path), "utf8");

interface JsonReport {
  sources: { format: string; path: string; complete: boolean }[];
  leaks: { bytes: number; stack: { function?: string }[] }[];
  diagnostics: { code: string; line?: number }[];
}

describe("a 20 MB line", () => {
  const MB20 = 20 << 20;
  const small = write(dir, "small.txt", VALGRIND_HEAD + valgrindLeak(16) + valgrindLeak(32));
  const giant = write(
    dir,
    "giant.txt",
    `${VALGRIND_HEAD}${valgrindLeak(16)}==7== ${"x".repeat(MB20)}\n==7== \n${valgrindLeak(32)}`,
  );

  it("is cut with a diagnostic; the records around it survive; memory stays bounded", () => {
    const base = runBin(["summarize", small, "-f", "json"]);
    const run = runBin(["summarize", giant, "-f", "json"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.leaks.map((l) => l.bytes)).toEqual([16, 32]);
    expect(report.diagnostics).toContainEqual(
      expect.objectContaining({ code: "line-too-long", line: 8 }),
    );
    expect(run.stdout.length).toBeLessThan(64 << 10);
    // Measured: ~22 MB above the small log's peak, all of it garbage 1 MiB read chunks (a 300 MB
    // line peaks no higher). Holding the line would cost it twice over (bytes and string).
    expect(base.maxRss).toBeGreaterThan(0);
    expect(run.maxRss - base.maxRss).toBeLessThan(40 << 10);
  });
});

/** A valid head of each format, and a line prefix its parser looks at closely. */
const FORMATS: readonly { format: string; head: string; prefixes: readonly string[] }[] = [
  {
    format: "valgrind",
    head: VALGRIND_HEAD + valgrindLeak(16),
    prefixes: ["==7== ", "==7==    by 0x1: ", "==7==    at 0x", "==7== Invalid read of size "],
  },
  {
    format: "valgrind-xml",
    head: sample("valgrind-xml/leak_definite.xml").split("\n").slice(0, 44).join("\n") + "\n",
    prefixes: ["<error><fn>", "  <text>", "<", "  <line>"],
  },
  {
    format: "sanitizer",
    head: sample("sanitizer/asan-use-after-free.log").split("\n").slice(0, 8).join("\n") + "\n",
    prefixes: ["    #1 0x1 in ", "==1==ERROR: AddressSanitizer: ", "Direct leak of ", "SUMMARY: "],
  },
  {
    format: "memleax",
    head: sample("memleax/02-multi-stacks-malloc-calloc-realloc.log")
      .split("\n")
      .slice(0, 5)
      .join("\n")
      .concat("\n"),
    prefixes: ["    0x00007ffb54315930  ", "CallStack[1]: memory expires with ", "== "],
  },
  {
    format: "memwatch",
    head: sample("memwatch/classic.log").split("\n").slice(0, 9).join("\n") + "\n",
    prefixes: ["unfreed: <2> ", "double-free: <4> ", "check: <", " N)umber of allocations made: "],
  },
];

/** 60,000-character bodies built to make backtracking regexes blow up. */
const STRESS = [
  "(",
  "(a",
  ":",
  " ",
  "1",
  "0x",
  "0x1 (",
  "a:1:",
  "x.c:",
  " ( ",
  "in ",
  "(x.c:1) ",
  "<a",
  "&",
  "[",
  "by 0x1: ",
  // Prefixes inside a line are searched for glued Valgrind lines (findGluedPrefix).
  "==7== 1 ",
  "x==7== ",
].map((unit) => unit.repeat(Math.ceil(60_000 / unit.length)).slice(0, 60_000));

describe("lines of 60,000 characters built to stress regular expressions", () => {
  it.each(FORMATS)("$format parses them in bounded time", ({ format, head, prefixes }) => {
    const lines = prefixes.flatMap((p) => STRESS.map((s) => `${p}${s}\n${p}${s}x)\n`));
    const text = head + lines.join("");
    const start = performance.now();
    const result = parse(text, { path: "stress.log" });
    const elapsed = performance.now() - start;
    expect(result.source.format).toBe(format);
    // ~8 MB of text; linear-time parsing takes well under a second.
    expect(elapsed).toBeLessThan(3_000);
    expect(result.source.counters.lines).toBe(head.split("\n").length - 1 + lines.length * 2);
  });
});

describe("cut and CRLF logs through the CLI", () => {
  it("a log cut mid-line keeps the records before the cut and says it is incomplete", async () => {
    const cut = `${VALGRIND_HEAD}${valgrindLeak(16)}${valgrindLeak(32).slice(0, 40)}`;
    const { code, stdout, stderr } = await cli([
      "summarize",
      write(dir, "cut.txt", cut),
      "-f",
      "json",
    ]);
    expect(code).toBe(0);
    expectCleanMessages(stderr);
    const report = JSON.parse(stdout) as JsonReport;
    expect(report.leaks.map((l) => l.bytes)).toEqual([16]);
    expect(report.sources[0]?.complete).toBe(false);
  });

  it.each([
    ["valgrind", "valgrind/leak_indirect.txt"],
    ["valgrind-xml", "valgrind-xml/leak_indirect.xml"],
    ["memleax", "memleax/02-multi-stacks-malloc-calloc-realloc.log"],
    ["memwatch", "memwatch/classic.log"],
    ["sanitizer", "sanitizer/lsan-basic.log"],
  ])("a CRLF %s log gives the same report as LF", async (_format, path) => {
    const crlf = write(dir, path.replace("/", "-"), sample(path).replace(/\r?\n/g, "\r\n"));
    const lf = await cli(["summarize", `samples/${path}`, "-f", "json"]);
    const got = await cli(["summarize", crlf, "-f", "json"]);
    expect(got.code).toBe(lf.code);
    expect(got.stderr).toBe("");
    const strip = (text: string) => {
      const report = JSON.parse(text) as Record<string, unknown>;
      return JSON.stringify({ ...report, sources: undefined, diagnostics: undefined })
        .replaceAll(crlf, "P")
        .replaceAll(`samples/${path}`, "P");
    };
    expect(strip(got.stdout)).toBe(strip(lf.stdout));
  });
});
