import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseFile } from "../../src/api/parse.js";
import { summarize } from "../../src/api/summarize.js";
import type { Report } from "../../src/model/index.js";
import { pageData } from "../../src/report/html/data.js";
import { REPORTERS } from "../../src/report/index.js";
import { uncountedErrors } from "../../src/report/describe.js";
import { ROOT } from "../helpers/golden.js";

/*
 * Without -s, Valgrind's text log prints each error context once and only ERROR SUMMARY has the
 * totals: the text and Markdown reports must not pass 1 + 1 + 1 off as the count when Valgrind
 * says 41 (dups_summary.txt), and must stay quiet where the counts agree (dups_s.txt, loop.txt).
 */

const FIXTURES = "test/fixtures/valgrind/error-counts";

async function reportOf(...names: string[]): Promise<Report> {
  const results = [];
  for (const name of names) {
    const path = `${FIXTURES}/${name}`;
    results.push(await parseFile(join(ROOT, path), { path }));
  }
  return summarize(results);
}

const render = (format: keyof typeof REPORTERS, report: Report) =>
  REPORTERS[format].render(report, { color: false, top: 20 });

describe("Valgrind's own error count beside leaklog's", () => {
  it("is Valgrind's ERROR SUMMARY, summed over processes, only when counts are unknown", async () => {
    expect(uncountedErrors(await reportOf("dups_summary.txt"))).toEqual({
      summarized: { errors: 41, contexts: 3 },
      quietLogs: 0,
      forkedChildren: 0,
    });
    expect(uncountedErrors(await reportOf("dups_summary.txt", "loop.txt"))).toEqual({
      summarized: { errors: 51, contexts: 4 },
      quietLogs: 0,
      forkedChildren: 0,
    });
    expect(uncountedErrors(await reportOf("loop.txt"))).toBeUndefined();
    expect(uncountedErrors(await reportOf("loop_s.txt"))).toBeUndefined();
  });

  it("text: a row of the error totals, with the advice to rerun with -s", async () => {
    const text = render("text", await reportOf("dups_summary.txt"));
    const lines = text.split("\n").filter((l) => l.includes("41 errors"));
    expect(lines).toEqual([
      "  ERROR SUMMARY    41 errors from 3 contexts, leaks included  (the log prints each context once: rerun with -s to count occurrences)",
    ]);
    for (const quiet of ["loop.txt", "loop_s.txt"])
      expect(render("text", await reportOf(quiet))).not.toMatch(/errors from|rerun with -s/);
  });

  it("markdown: one line under the totals table", async () => {
    const text = render("markdown", await reportOf("dups_summary.txt"));
    expect(text).toContain(
      "_Valgrind's ERROR SUMMARY counts 41 errors from 3 contexts, leaks included, but its text log prints each context once: occurrences above are low; rerun with `-s` to count them._",
    );
    for (const quiet of ["loop.txt", "loop_s.txt"])
      expect(render("markdown", await reportOf(quiet))).not.toMatch(/ERROR SUMMARY|`-s`/);
  });

  // Campaign cb1 Q7: a -q log, as `ctest -T memcheck` writes them, prints no ERROR SUMMARY, and
  // its invalid write made 3 times read `(1 occurrence)` with nothing to doubt it.
  it("says the counts are unknown for a -q log, which prints no ERROR SUMMARY", async () => {
    const quiet = await reportOf("../kinds-and-errors/leaks-q.txt");
    expect(
      render("text", quiet)
        .split("\n")
        .filter((l) => l.includes("ERROR SUMMARY")),
    ).toEqual([
      "  ERROR SUMMARY    not printed (-q)  (the log prints each context once: rerun with -s to count occurrences)",
    ]);
    expect(render("markdown", quiet)).toContain(
      "_Valgrind's text log prints each error context once, and with `-q` no ERROR SUMMARY: occurrences above may be low; rerun with `-s` to count them._",
    );
    const mixed = await reportOf("dups_summary.txt", "../kinds-and-errors/leaks-q.txt");
    expect(render("text", mixed)).toContain(
      "  ERROR SUMMARY    41 errors from 3 contexts, leaks included; not printed in 1 log (-q)  (",
    );
    expect(render("markdown", mixed)).toContain(
      "_Valgrind's ERROR SUMMARY counts 41 errors from 3 contexts, leaks included (1 log with `-q` printed none), but",
    );
    // A -q log with -s counts its errors, and one of leaks only has no counts to doubt.
    for (const counted of ["../quiet/uaf_qs.txt", "../quiet/realloc-q.txt"])
      expect(render("text", await reportOf(counted))).not.toContain("ERROR SUMMARY");
  });

  // Campaign ch Q7: a forked child's ERROR SUMMARY counts the contexts it inherited, its
  // parent's from before the fork and the loss records of what the parent held, which the
  // parent's counts too: the sum read as the run's. Without -s how many no log says, so the row
  // says whose it sums rather than subtract a guess.
  it("says when it sums a forked child's, which can count its parent's contexts again", async () => {
    const one = await reportOf("../fork/one-log.txt");
    expect(uncountedErrors(one)).toEqual({
      summarized: { errors: 16, contexts: 11 },
      quietLogs: 0,
      forkedChildren: 1,
    });
    expect(
      render("text", one)
        .split("\n")
        .filter((l) => l.includes("ERROR SUMMARY")),
    ).toEqual([
      "  ERROR SUMMARY    16 errors from 11 contexts, leaks included, summed with 1 forked child's, which can count again what it inherited from its parent  (the log prints each context once: rerun with -s to count occurrences)",
    ]);
    expect(render("markdown", one)).toContain(
      "_Valgrind's ERROR SUMMARY counts 16 errors from 11 contexts, leaks included, summed with 1 forked child's, which can count again what it inherited from its parent, but its text log",
    );
    const grandchild = render("text", await reportOf("../fork/grandchild.txt"));
    expect(grandchild).toContain(
      "23 errors from 16 contexts, leaks included, summed with 2 forked children's, which can count again what they inherited from their parents  (",
    );
    // Apart from its parent's log, nothing it inherited is summed twice: no child is named.
    const alone = await reportOf("dups_summary.txt", "../fork/vg.9358.log");
    expect(uncountedErrors(alone)).toEqual({
      summarized: { errors: 51, contexts: 10 },
      quietLogs: 0,
      forkedChildren: 0,
    });
    expect(render("text", alone)).not.toContain("forked child");
  });

  it("markdown: the headline counts groups, not errors", async () => {
    const text = render("markdown", await reportOf("dups_summary.txt"));
    expect(text.split("\n")[0]).toBe(
      "## leaklog: 3 error-severity groups, leaks without loss records",
    );
  });
});

// fix-q9's leftover: an invalid write made 3 times in a -q log still read `(1 occurrence)` on its
// group's line, with only the Totals' row to doubt it; a -s log's count stays as it is.
describe("a group's occurrences where the log counts none", () => {
  it("are `at least` the records printed, in text and Markdown", async () => {
    const quiet = await reportOf("../kinds-and-errors/leaks-q.txt");
    const heads = (format: "text" | "markdown") =>
      render(format, quiet)
        .split("\n")
        .filter((l) => l.includes("InvalidWrite") && !l.startsWith("|"));
    expect(heads("text")[0]).toContain("(at least 1 occurrence)");
    expect(heads("markdown")[0]).toContain("(at least 1 occurrence)");
    const counted = render("text", await reportOf("../quiet/uaf_qs.txt"));
    expect(counted).toMatch(/\(\d[\d,]* occurrences?\)/);
    expect(counted).not.toContain("at least");
  });

  // Campaign ch F4: 10 errors from 2 contexts, each printed once. The text said `at least 2`, the
  // CI formats `(2 occurrences)`, an exact-looking count; the -s log of the same run says 10.
  it("are `at least` the records printed in the CI formats and the HTML table too", async () => {
    const once = await reportOf("../counts-unknown/vg.log");
    for (const format of ["codequality", "junit", "github", "sarif"] as const) {
      const out = render(format, once);
      expect(out, format).toContain("Invalid read of size 4 (at least 2 occurrences)");
      expect(out, format).not.toMatch(/[^t] 2 occurrences/);
    }
    const page = pageData(once, { color: false, top: 20 }).groups;
    expect(page.map((g) => [g.occurrences, g.occurrencesAtLeast])).toEqual([[2, true]]);
    const counted = await reportOf("../counts-unknown/vg-s.log");
    expect(render("codequality", counted)).toContain("Invalid read of size 4 (10 occurrences)");
    expect(pageData(counted, { color: false, top: 20 }).groups[0]).not.toHaveProperty(
      "occurrencesAtLeast",
    );
  });

  // Campaign ch Q13: the Totals' row and the Markdown table said `2 occurrences` of the lower
  // bound that the group's line above called `at least 2`; the -s log's 10 stays a count.
  it("are `at least` their sum in the text and HTML Totals and the Markdown table", async () => {
    const once = await reportOf("../counts-unknown/vg.log");
    const rows = (format: "text" | "markdown", report: Report) =>
      render(format, report)
        .split("\n")
        .filter((l) => /^( {2}|\| `)InvalidRead/.test(l));
    expect(rows("text", once)).toEqual(["  InvalidRead      at least 2 occurrences"]);
    expect(rows("markdown", once)).toEqual(["| `InvalidRead` | error | 1 | at least 2 | – | – |"]);
    const counted = await reportOf("../counts-unknown/vg-s.log");
    expect(rows("text", counted)).toEqual(["  InvalidRead      10 occurrences"]);
    expect(rows("markdown", counted)).toEqual(["| `InvalidRead` | error | 1 | 10 | – | – |"]);
    const htmlRow = (report: Report) =>
      /<th scope="row">InvalidRead<\/th><td>([^<]*)<\/td>/.exec(render("html", report))?.[1];
    expect(htmlRow(once)).toBe("at least 2 occurrences");
    expect(htmlRow(counted)).toBe("10 occurrences");
  });
});
