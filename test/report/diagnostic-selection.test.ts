import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse, summarize, type Diagnostic } from "../../src/index.js";
import { selectDiagnostics } from "../../src/report/diagnostic-selection.js";
import { REPORTERS } from "../../src/report/index.js";
import { ROOT } from "../helpers/golden.js";

const diagnostic = (code: string, line: number, severity: Diagnostic["severity"] = "warning") =>
  ({ severity, code, message: `${code} at ${line}`, path: "a.log", line }) as Diagnostic;

/** A forking server's MEMWATCH log: 100 sessions without a footer, then one other problem. */
const flooded = [
  ...Array.from({ length: 100 }, (_, i) => diagnostic("incomplete", 10 + i)),
  diagnostic("summary-mismatch", 500),
];

describe("the diagnostics a summary lists", () => {
  it("keeps the old list for one code: the first ones, the rest counted", () => {
    const runs = selectDiagnostics(flooded.slice(0, 100), 20);
    expect(runs).toHaveLength(1);
    expect(runs[0]?.shown).toEqual(flooded.slice(0, 20));
    expect(runs[0]?.hidden).toBe(80);
  });

  it("does not let one code's flood hide another code", () => {
    const runs = selectDiagnostics(flooded, 20);
    expect(runs.map((r) => [r.code, r.shown.length, r.hidden])).toEqual([
      ["incomplete", 19, 81],
      ["summary-mismatch", 1, 0],
    ]);
  });

  it("lists codes with an error first, the others in the order they first appear", () => {
    const runs = selectDiagnostics(
      [diagnostic("b", 1), diagnostic("a", 2), diagnostic("c", 3, "error"), diagnostic("b", 4)],
      20,
    );
    expect(runs.map((r) => r.code)).toEqual(["c", "b", "a"]);
  });

  it("never lists info diagnostics, nor counts them", () => {
    const runs = selectDiagnostics([diagnostic("x", 1, "info"), diagnostic("y", 2)], 20);
    expect(runs.map((r) => [r.code, r.shown.length, r.hidden])).toEqual([["y", 1, 0]]);
  });

  it("shows or counts every diagnostic, within the budget, sharing it among codes in turn", () => {
    const codes = fc.constantFrom("a", "b", "c", "d", "e", "f");
    const severities = fc.constantFrom<Diagnostic["severity"]>("info", "warning", "error");
    fc.assert(
      fc.property(fc.array(fc.tuple(codes, severities)), fc.nat(30), (items, budget) => {
        const all = items.map(([code, severity], i) => diagnostic(code, i + 1, severity));
        const runs = selectDiagnostics(all, budget);
        const listed = all.filter((d) => d.severity !== "info");
        const shown = runs.flatMap((r) => r.shown);
        expect(shown.length + runs.reduce((n, r) => n + r.hidden, 0)).toBe(listed.length);
        expect(shown.length).toBe(Math.min(budget, listed.length));
        for (const run of runs) {
          // A run shows the first of its code, in log order.
          expect(run.shown).toEqual(
            listed.filter((d) => d.code === run.code).slice(0, run.shown.length),
          );
        }
        // A code left with some unshown never shows more than one fewer than another code.
        const most = Math.max(0, ...runs.map((r) => r.shown.length));
        for (const run of runs)
          if (run.hidden > 0) expect(run.shown.length).toBeGreaterThanOrEqual(most - 1);
      }),
    );
  });
});

describe("the text and Markdown summaries' diagnostics", () => {
  const report = { ...summarize([parse("", { path: "a.log", allowEmpty: true })]) };
  report.diagnostics = [
    ...flooded,
    ...Array.from({ length: 30 }, (_, i) => diagnostic(`rare-${i}`, 600 + i)),
  ];

  it("list every code they have room for, count the rest by code, and name those left out", () => {
    const text = REPORTERS.text.render(report, { color: false, top: 20 });
    const lines = text.slice(text.indexOf("Diagnostics (131)")).split("\n");
    expect(lines.filter((l) => l.includes("[incomplete]"))).toHaveLength(1 + 1);
    expect(lines).toContain("  ... 99 more [incomplete] (see --format json)");
    expect(lines.some((l) => l.includes("a.log:500") && l.endsWith("[summary-mismatch]"))).toBe(
      true,
    );
    expect(lines).toContain(
      "  ... 12 more of 12 other codes ([rare-18], [rare-19], [rare-20], [rare-21], [rare-22], ...) (see --format json)",
    );
  });

  it("in a JUnit log case too", () => {
    const xml = REPORTERS.junit.render(report, { color: false, top: 20 });
    expect(xml).toContain("... 81 more [incomplete] (see --format json)");
    expect(xml).toContain("warning at line 500: summary-mismatch at 500 [summary-mismatch]");
    expect(xml).not.toContain("more of");
  });

  it("in Markdown too, with its own budget", () => {
    const markdown = REPORTERS.markdown.render(report, { color: false, top: 20 });
    const section = markdown.slice(markdown.indexOf("### Diagnostics (131)"));
    expect(section).toContain("- _99 more `incomplete`_");
    expect(section).toContain("- _22 more of 22 other codes");
    expect(section).toContain("`summary-mismatch`");
    expect(section).toContain("_All of them: `--format json`._");
  });
});

describe("diagnostics past the cap of 100 of a code per input", () => {
  // 150 processes past Valgrind's error limit: the real many_errors.txt, repeated with new PIDs.
  const sample = readFileSync(join(ROOT, "samples/valgrind/many_errors.txt"), "utf8");
  const pids = [...new Set([...sample.matchAll(/==(\d+)==/g)].map((m) => m[1] as string))];
  const copies = Array.from({ length: 150 }, (_, i) =>
    sample.replace(
      /==(\d+)==/g,
      (_m, pid: string) => `==${200_000 + i * 10 + pids.indexOf(pid)}==`,
    ),
  );
  const report = summarize([parse(copies.join(""), { path: "cat.txt" })]);

  it("are counted in the source's counters, by code", () => {
    const listed = report.diagnostics.filter((d) => d.code === "incomplete");
    expect(listed).toHaveLength(100);
    expect(report.sources[0]?.counters.diagnosticsOmitted).toEqual({ incomplete: 50 });
  });

  it("are counted among those the summaries leave out", () => {
    const text = REPORTERS.text.render(report, { color: false, top: 20 });
    // 20 shown of 150: 130 more, not the 80 more of the 100 listed.
    expect(text).toMatch(/\.\.\. 130 more \[incomplete\]/);
    const markdown = REPORTERS.markdown.render(report, { color: false, top: 20 });
    expect(markdown).toMatch(/140 more/);
  });

  // Campaign bs Q3: "(see --format json)", where the JSON lists 80 of the 130.
  it("say that the JSON report lists some of them and counts the rest", () => {
    const text = REPORTERS.text.render(report, { color: false, top: 20 });
    expect(text).toContain(
      "  ... 130 more [incomplete] (--format json lists 80 of them and counts the other 50 in counters.diagnosticsOmitted)",
    );
    const markdown = REPORTERS.markdown.render(report, { color: false, top: 20 });
    expect(markdown).toContain("_More of them: `--format json`, which counts those past its cap._");
    expect(markdown).not.toContain("_All of them");
  });

  // Campaign ch F9: JUnit said "50 more" and SARIF nothing of those the JSON only counts.
  it("are counted in the JUnit log case's more, and in SARIF's notification of those left out", () => {
    const xml = REPORTERS.junit.render(report, { color: false, top: 20 });
    expect(xml).toContain(
      "... 100 more [incomplete] (--format json lists 50 of them and counts the other 50 in counters.diagnosticsOmitted)",
    );
    const sarif = JSON.parse(REPORTERS.sarif.render(report, { color: false, top: 20 })) as {
      runs: { invocations: { toolExecutionNotifications: SarifNote[] }[] }[];
    };
    const notes = sarif.runs[0]?.invocations[0]?.toolExecutionNotifications ?? [];
    expect(notes.find((n) => n.descriptor.id === "diagnostics-left-out")?.message.text).toBe(
      "50 more diagnostics (--format json counts them in counters.diagnosticsOmitted).",
    );
  });
});

interface SarifNote {
  descriptor: { id: string };
  message: { text: string };
}
