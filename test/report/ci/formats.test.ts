import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, summarize } from "../../../src/index.js";
import type { Report } from "../../../src/model/index.js";
import { REPORTERS } from "../../../src/report/index.js";
import { MAX_MARKDOWN } from "../../../src/report/markdown/index.js";
import { liveMarkdown } from "../markdown-check.js";
import { ROOT } from "../../helpers/golden.js";
import { xmlProblems } from "../xml-check.js";
import {
  CONTEXT,
  fixtureReportOf,
  GOLDEN_FIXTURES,
  GOLDEN_SAMPLES,
  HOSTILE,
  hostileReport,
  reportOf,
} from "./helpers.js";

const render = (format: keyof typeof REPORTERS, report: Report, top = 20) =>
  REPORTERS[format].render(report, { ...CONTEXT, top });

describe("junit", () => {
  it("is well-formed XML for every sample and the hostile log", async () => {
    for (const sample of GOLDEN_SAMPLES) {
      expect(xmlProblems(render("junit", await reportOf(sample))), sample).toEqual([]);
    }
    for (const fixture of GOLDEN_FIXTURES) {
      expect(xmlProblems(render("junit", fixtureReportOf(fixture))), fixture).toEqual([]);
    }
    const hostile = render("junit", await hostileReport());
    expect(xmlProblems(hostile)).toEqual([]);
    expect(hostile).not.toContain("<script>");
    expect(hostile).toContain("&lt;script&gt;");
  });

  it("is written a suite at a time, the same text as render", () => {
    // 40 processes of one program, each leaking from the same two stacks: a suite per process.
    const log = Array.from({ length: 40 }, (_, i) => i + 100).flatMap((pid) => [
      `==${pid}== Memcheck, a memory error detector`,
      `==${pid}== Command: ./t`,
      `==${pid}== `,
      `==${pid}== 8 bytes in 1 blocks are definitely lost in loss record 1 of 2`,
      `==${pid}==    at 0x4848899: malloc (vg_replace_malloc.c:381)`,
      `==${pid}==    by 0x109151: make (t.c:4)`,
      `==${pid}==    by 0x109172: main (t.c:9)`,
      `==${pid}== `,
      `==${pid}== 4 bytes in 1 blocks are still reachable in loss record 2 of 2`,
      `==${pid}==    at 0x4848899: malloc (vg_replace_malloc.c:381)`,
      `==${pid}==    by 0x109180: main (t.c:10)`,
      `==${pid}== `,
    ]);
    const report = summarize([parse(`${log.join("\n")}\n`, { path: "t.log" })], { sites: true });
    const pieces = [...(REPORTERS.junit.renderPieces?.(report, { ...CONTEXT, top: 20 }) ?? [])];
    expect(pieces.join("")).toBe(render("junit", report));
    const suites = pieces.filter((p) => p.trimStart().startsWith("<testsuite "));
    expect(suites).toHaveLength(41);
    // Every process past the groups' 20 listed members still has its two cases.
    for (const suite of suites.slice(1)) expect(suite.match(/<testcase /g)).toHaveLength(2);
    expect(xmlProblems(pieces.join(""))).toEqual([]);
  });

  it("the checker itself rejects what it should", () => {
    expect(xmlProblems("<a><b></a>")).not.toEqual([]);
    expect(xmlProblems('<a x="1" x="2"/>')).not.toEqual([]);
    expect(xmlProblems("<a>\u0000</a>")).not.toEqual([]);
    expect(xmlProblems("<a>]]&gt;&bogus;</a>")).not.toEqual([]);
    expect(xmlProblems('<a x="<"/>')).not.toEqual([]);
    expect(xmlProblems("<a/><b/>")).not.toEqual([]);
  });

  it("fails error groups, passes warnings with their stack, counts them", async () => {
    const xml = render("junit", await reportOf("valgrind/leak_indirect.txt"));
    expect(xml).toContain('<testsuites name="leaklog" tests="5" failures="2" errors="0" time="0">');
    // Jenkins' xUnit schema (junit-10.xsd) allows `skipped` on a <testsuite> only.
    expect(xml).toMatch(
      /<testsuite name="[^"]*" tests="\d+" failures="\d+" errors="\d+" skipped="\d+"/,
    );
    expect(xml).toContain('<testsuite name="samples/valgrind/leak_indirect.txt (leak_indirect)"');
    expect(xml).toMatch(/<testcase classname="indirectly-lost"[^>]*>\s*<system-out>/);
  });
});

describe("codequality", () => {
  it("has unique fingerprints, relative paths and the documented severities", async () => {
    const report = await reportOf(...GOLDEN_SAMPLES);
    const issues = JSON.parse(render("codequality", report)) as {
      fingerprint: string;
      severity: string;
      check_name: string;
      location: { path: string; lines: { begin: number } };
    }[];
    // One issue per group, one per kind of each leak only a summary reports (all four kinds
    // of leak_all_summary.txt: none of them is `suppressed`), and one per incomplete log
    // (22-sigkill-truncated.log).
    const unlisted = (report.summaryOnlyLeaks ?? []).flatMap((e) => Object.keys(e.leak));
    expect(unlisted).toHaveLength(4);
    const incomplete = report.sources.filter((s) => !s.complete);
    expect(incomplete).toHaveLength(1);
    expect(issues.length).toBe(
      report.groups.filter((g) => g.severity !== "none").length +
        unlisted.length +
        incomplete.length,
    );
    expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(issues.length);
    for (const issue of issues) {
      expect(issue.location.path).not.toMatch(/^\/|(^|\/)\.\.\//);
      expect(issue.location.lines.begin).toBeGreaterThan(0);
    }
    const severity = (check: string) => issues.find((i) => i.check_name === check)?.severity;
    expect(severity("leaklog/definitely-lost")).toBe("major");
    expect(severity("leaklog/InvalidRead")).toBe("critical");
    expect(severity("leaklog/indirectly-lost")).toBe("minor");
    expect(severity("leaklog/FdNotClosed")).toBe("minor");
    expect(severity("leaklog/incomplete")).toBe("major");
  });

  it("is written a few issues at a time, as one pretty-printed JSON array", async () => {
    // Held whole, 200,000 groups' issues peaked at 711 MiB against JSON's 471 (campaign bm Q3).
    const report = await reportOf(...GOLDEN_SAMPLES);
    const pieces = [
      ...(REPORTERS.codequality.renderPieces?.(report, { ...CONTEXT, top: 20 }) ?? []),
    ];
    const text = pieces.join("");
    const issues = JSON.parse(text) as unknown[];
    expect(issues.length).toBeGreaterThan(16);
    expect(pieces.length).toBeGreaterThan(issues.length / 8);
    expect(text).toBe(`${JSON.stringify(issues, null, 2)}\n`);
    const empty = summarize([parse("", { path: "e.log" })], { listUnusedSuppressions: false });
    const none = { ...empty, diagnostics: [] };
    expect([...(REPORTERS.codequality.renderPieces?.(none, CONTEXT) ?? [])].join("")).toBe("[]\n");
  });
});

describe("markdown", () => {
  it("stays under 65,000 characters and says what it left out", async () => {
    const report = await reportOf("valgrind/leak_indirect.txt");
    const group = report.groups[0];
    if (group === undefined) throw new Error("no group");
    const deep = {
      ...group,
      stack: Array.from({ length: 400 }, (_, i) => ({
        function: `f${i}<&>`.repeat(40),
        file: "x.c",
        line: i + 1,
      })),
    };
    const many = {
      ...report,
      groups: Array.from({ length: 500 }, (_, i) => ({ ...deep, fingerprint: `${i}` })),
    };
    const text = render("markdown", many, 500);
    expect(text.length).toBeLessThan(MAX_MARKDOWN);
    expect(text).toMatch(/_\d+ more of the top groups left out to stay under 65,000 characters/);
    const few = render("markdown", many, 3);
    expect(few).toContain("_497 more groups not shown (`--top` shows more)._");
    expect(render("markdown", many, 499)).toContain(
      "_1 more group not shown (`--top` shows more)._",
    );
  });

  it("names ten processes of a log and counts the rest, leaving room for the groups", async () => {
    // 6,000 forked processes were one 72,000-character line: no group fitted, and GitHub
    // refuses a comment that long.
    const report = await reportOf("valgrind/leak_indirect.txt");
    const processes = Array.from({ length: 6000 }, (_, i) => ({ pid: 200_000 + i }));
    const sources = report.sources.map((s) => ({ ...s, processes }));
    const text = render("markdown", { ...report, sources }, 20);
    expect(text).toContain("PID 200009, 5,990 more processes)");
    expect(text).not.toContain("PID 200010");
    expect(text).not.toMatch(/left out to stay under/);
    expect(text.length).toBeLessThan(10_000);
  });
});

describe("ndjson", () => {
  it("writes one record per line, header first and end last", async () => {
    const report = await reportOf("valgrind/use_after_free.txt", "valgrind/leak_indirect.txt");
    const lines = render("ndjson", report).trimEnd().split("\n");
    const records = lines.map((l) => (JSON.parse(l) as { record: string }).record);
    expect(records[0]).toBe("header");
    expect(records.at(-1)).toBe("end");
    expect(records.filter((r) => r === "leak")).toHaveLength(report.leaks.length);
    expect(records.filter((r) => r === "error")).toHaveLength(report.errors.length);
    expect(records.filter((r) => r === "group")).toHaveLength(report.groups.length);
    expect(lines.every((l) => l.startsWith('{"record":'))).toBe(true);
  });

  it("keeps a hostile string on one line, escaped, and round-trips it", async () => {
    const report = await hostileReport();
    const text = render("ndjson", report);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u0085\u2028\u2029]/);
    const groups = text
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as { record: string; stack?: { function?: string }[] })
      .filter((r) => r.record === "group");
    const functions = (gs: readonly { stack?: readonly { function?: string | undefined }[] }[]) =>
      gs.flatMap((g) => g.stack ?? []).map((f) => f.function);
    expect(functions(groups)).toEqual(functions(report.groups));
    expect(JSON.stringify(groups)).toContain(JSON.stringify(HOSTILE[6]).slice(1, -1));
  });
});

describe("hostile strings", () => {
  it.each(["sarif", "codequality", "ndjson"] as const)(
    "%s is JSON that keeps them intact but with no raw control character",
    async (format) => {
      const text = render(format, await hostileReport());
      expect(text).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u2028\u2029]/);
      for (const line of format === "ndjson" ? text.trimEnd().split("\n") : [text])
        expect(() => JSON.parse(line) as unknown).not.toThrow();
    },
  );

  it.each(["markdown", "github", "codequality", "junit"] as const)(
    "%s shows no bidirectional override or isolate, which reorder a name as read",
    async (format) => {
      // "Trojan Source" in a pull request comment, an annotation or a widget (campaign bqa Q3).
      const report = await hostileReport();
      const bidi = /[\u202a-\u202e\u2066-\u2069]/;
      expect(render("sarif", report)).toMatch(bidi); // the log's own words, kept in SARIF
      expect(render(format, report)).not.toMatch(bidi);
    },
  );

  it("junit suite names show a log name's bidirectional controls as ?", async () => {
    // A `--log-file=vg.%q{TEST}` name can hold them too (campaign v16b F4).
    const log = readFileSync(join(ROOT, "samples/valgrind/leak_definite.txt"), "utf8");
    const report = summarize([parse(log, { path: "run\u202etxt.log" })]);
    const text = render("junit", report);
    expect(text).toContain('<testsuite name="run?txt.log"');
    expect(text).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
  });

  it("junit escapes markup and drops what XML forbids", async () => {
    const text = render("junit", await hostileReport());
    expect(text).not.toMatch(/<script|<img|[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe]/);
    expect(text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(text).toContain("]]&gt;");
  });

  it("markdown keeps log strings in code spans and <pre>, pipes escaped in tables", async () => {
    const text = render("markdown", await hostileReport());
    expect(text).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u2028]/);
    expect(text).toContain("`` `rm -rf /` ``");
    const live = liveMarkdown(text);
    expect(
      (live.match(/<\/?[a-z]+/g) ?? []).filter((t) => !/^<\/?(details|summary|pre)$/.test(t)),
    ).toEqual([]);
    expect(live).not.toMatch(/@octocat|\]\(javascript|<RAW/);
    for (const row of text.split("\n").filter((l) => l.startsWith("| `")))
      expect(row.replace(/\\\|/g, "").split("|")).toHaveLength(8);
  });
});
