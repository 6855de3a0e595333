import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { REPORTERS } from "../../src/report/index.js";
import { cli } from "../helpers/cli.js";
import { ROOT } from "../helpers/golden.js";
import { liveMarkdown } from "../report/markdown-check.js";
import { xmlProblems } from "../report/xml-check.js";
import { runBin, tempDir, VALGRIND_HEAD, write } from "./helpers.js";

/** Function names a program can make Valgrind print: markup, Markdown, XML and terminal codes. */
const HOSTILE = [
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  'a]]>b&c"d|e*f*`g`',
  "[x](javascript:alert(1))|@octocat|**bold**",
  "esc\u001b[2J\u001b]0;pwned\u0007bell",
] as const;

const dir = tempDir();

/** A Valgrind text log with one leak whose frames are the hostile names. */
const textLog = write(
  dir,
  "hostile.txt",
  VALGRIND_HEAD +
    [
      "==7== 48 bytes in 3 blocks are definitely lost in loss record 1 of 1",
      "==7==    at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)",
      ...HOSTILE.map((fn, i) => `==7==    by 0x10915${i}: ${fn} (x${i}.c:${i + 1})`),
      "==7== ",
      "",
    ].join("\n"),
);

const xmlEscape = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** The same leak as Valgrind's XML, with the names escaped the way Valgrind writes them. */
const xmlLog = write(
  dir,
  "hostile.xml",
  [
    '<?xml version="1.0"?>',
    "<valgrindoutput>",
    "<protocolversion>4</protocolversion>",
    "<protocoltool>memcheck</protocoltool>",
    "<pid>8</pid>",
    "<error>",
    "  <unique>0x1</unique>",
    "  <tid>1</tid>",
    "  <kind>Leak_DefinitelyLost</kind>",
    "  <xwhat><text>16 bytes in 1 blocks are definitely lost</text>",
    "    <leakedbytes>16</leakedbytes><leakedblocks>1</leakedblocks></xwhat>",
    "  <stack>",
    "    <frame><ip>0x48417B4</ip><fn>malloc</fn></frame>",
    ...HOSTILE.slice(0, 4).map(
      (fn, i) =>
        `    <frame><ip>0x20${i}</ip><fn>${xmlEscape(fn)}</fn><file>y${i}.c</file></frame>`,
    ),
    "  </stack>",
    "</error>",
    "</valgrindoutput>",
    "",
  ].join("\n"),
);

type Format = keyof typeof REPORTERS;
const FORMATS = Object.keys(REPORTERS) as Format[];

async function render(format: Format, ...inputs: string[]): Promise<string> {
  const { code, stdout, stderr } = await cli(["summarize", ...inputs, "-f", format]);
  expect(stderr).toBe("");
  expect(code).toBe(0);
  return stdout;
}

/** Raw control characters a terminal or a parser would act on (tab and newline are fine). */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u2028\u2029]/;

describe("hostile function names, escaped in every report format", () => {
  it("reach the report intact (the JSON report holds them exactly)", async () => {
    const report = JSON.parse(await render("json", textLog, xmlLog)) as {
      sources: { format: string }[];
      leaks: { stack: { function?: string }[] }[];
    };
    expect(report.sources.map((s) => s.format)).toEqual(["valgrind", "valgrind-xml"]);
    const names = report.leaks.flatMap((l) => l.stack.map((f) => f.function));
    for (const fn of HOSTILE) expect(names).toContain(fn);
    for (const fn of HOSTILE.slice(0, 4)) expect(names.filter((n) => n === fn)).toHaveLength(2);
  });

  it("every format is covered here", () => {
    expect(FORMATS.sort()).toEqual(
      [
        "codequality",
        "github",
        "html",
        "json",
        "junit",
        "markdown",
        "ndjson",
        "sarif",
        "text",
      ].sort(),
    );
  });

  it("text: no terminal control sequence gets through", async () => {
    const text = await render("text", textLog, xmlLog);
    expect(text).not.toMatch(CONTROL);
    expect(text).toContain("<script>alert(1)</script>"); // plain text, nothing interprets it
  });

  // Campaign zz: a real run of a program whose source path holds newlines, as Valgrind's XML
  // keeps them: the text summary split each frame over three terminal lines.
  it("text and markdown: a newline in a frame's path keeps the frame on its line", async () => {
    const log = "test/fixtures/valgrind-xml/newline-path/vg-nl.xml";
    for (const format of ["text", "markdown"] as const) {
      const text = await render(format, log);
      expect(text, format).toMatch(/main \(new[? ]line\.c:7\)/);
      expect(text, format).not.toMatch(/^line\.c/m);
    }
  });

  it.each(["json", "sarif", "codequality"] as const)(
    "%s: valid JSON, no raw control character, names round-trip",
    async (format) => {
      const text = await render(format, textLog, xmlLog);
      expect(text).not.toMatch(CONTROL);
      const values = JSON.stringify(JSON.parse(text) as unknown);
      // Code Quality issues name the check and the file, not the stack.
      if (format !== "codequality") expect(values).toContain(HOSTILE[0]);
      else expect(values).toContain('"path":"x0.c"');
    },
  );

  it("ndjson: one JSON record per line, nothing that splits a line", async () => {
    const text = await render("ndjson", textLog, xmlLog);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u0085\u2028\u2029]/);
    const records = text
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as { record: string });
    expect(records[0]?.record).toBe("header");
    expect(text).toContain(JSON.stringify(HOSTILE[1]).slice(1, -1));
  });

  it("html: no markup from the log, only the page's own two scripts", async () => {
    const page = await render("html", textLog, xmlLog);
    const clean = await render("html", "samples/valgrind/leak_definite.txt");
    const scripts = (html: string) => html.match(/<script[^>]*>/g);
    expect(scripts(page)).toEqual(scripts(clean));
    expect(page).not.toMatch(/<img|<script>alert|onerror=alert\(1\)>/);
    expect(page).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    expect(page.match(/<\/script/g)).toHaveLength(2);
  });

  it("junit: well-formed XML with the markup escaped", async () => {
    const xml = await render("junit", textLog, xmlLog);
    expect(xmlProblems(xml)).toEqual([]);
    expect(xml).not.toMatch(/<script|<img/);
    expect(xml).toContain("&lt;script&gt;");
    expect(xml).toContain("]]&gt;");
  });

  it("github: one workflow command per line, nothing from the log starts or ends one", async () => {
    const text = await render("github", textLog, xmlLog);
    expect(text).not.toMatch(CONTROL);
    const lines = text.trimEnd().split("\n");
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      // The command, its properties (`:` and `,` escaped in them) and `::` before the message.
      expect(line).toMatch(
        /^::(?:error|warning|notice)(?: (?:file|line|title)=[^:,]*(?:,(?:file|line|title)=[^:,]*)*)?::/,
      );
      expect(line).not.toMatch(/%(?!25|0A|0D|3A|2C)/);
    }
    // GitHub unescapes the message: the names come back whole.
    const message = lines
      .map((l) => decodeURIComponent(l.slice(l.indexOf("::", 2) + 2)))
      .join("\n");
    for (const fn of HOSTILE.slice(0, 4)) expect(message).toContain(fn);
  });

  it("markdown: log strings only in code spans and <pre>, pipes escaped in tables", async () => {
    const text = await render("markdown", textLog, xmlLog);
    expect(text).not.toMatch(CONTROL);
    const live = liveMarkdown(text);
    expect(
      (live.match(/<\/?[a-z]+/gi) ?? []).filter((t) => !/^<\/?(details|summary|pre)$/.test(t)),
    ).toEqual([]);
    expect(live).not.toMatch(/@octocat|\]\(javascript|\*\*bold|<RAW/);
    const rows = text.split("\n").filter((l) => l.startsWith("|"));
    const widths = new Set(rows.map((row) => row.replace(/\\\|/g, "").split("|").length));
    expect(widths.size).toBe(1);
  });
});

describe("one quoted glob over files of different formats", () => {
  const mixed = tempDir();
  const files: [string, string][] = [
    ["valgrind/leak_definite.txt", "a.log"],
    ["valgrind-xml/leak_definite.xml", "b.log"],
    ["memwatch/classic.log", "c.log"],
    ["sanitizer/lsan-basic.log", "d.log"],
    ["memleax/02-multi-stacks-malloc-calloc-realloc.log", "e.log"],
  ];
  for (const [from, to] of files) copyFileSync(join(ROOT, "samples", from), join(mixed, to));
  const expected = [
    ["a.log", "valgrind"],
    ["b.log", "valgrind-xml"],
    ["c.log", "memwatch"],
    ["d.log", "sanitizer"],
    ["e.log", "memleax"],
  ];
  const formats = (stdout: string, prefix: string) =>
    (JSON.parse(stdout) as { sources: { path: string; format: string }[] }).sources.map((s) => [
      s.path.slice(prefix.length),
      s.format,
    ]);

  it("detects each file as its own format", async () => {
    const { code, stdout, stderr } = await cli(["summarize", `${mixed}/*.log`, "-f", "json"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(formats(stdout, `${mixed}/`)).toEqual(expected);
  });

  it("a relative glob is matched in the CLI's working directory (in-process and real bin)", async () => {
    let stdout = "";
    const code = await runCli(["summarize", "*.log", "-f", "json"], {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => expect.fail(t) },
      stdin: (async function* () {})(),
      env: {},
      cwd: mixed,
    });
    expect(code).toBe(0);
    expect(formats(stdout, "")).toEqual(expected);
    const run = runBin(["summarize", "*.log", "-f", "json"], mixed);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(formats(run.stdout, "")).toEqual(expected);
  });
});
