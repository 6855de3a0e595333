import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseValgrindSuppressions } from "../../src/analysis/suppressions/valgrind.js";
import { Report, type Group } from "../../src/model/index.js";
import { cli } from "../helpers/cli.js";

const DEFINITE = "samples/valgrind/leak_definite.txt";
const INDIRECT = "samples/valgrind/leak_indirect.txt";
const dir = mkdtempSync(join(tmpdir(), "leaklog-cli-"));

async function jsonReport(name: string, ...inputs: string[]): Promise<string> {
  const path = join(dir, name);
  const { code } = await cli(["summarize", ...inputs, "--format", "json", "-o", path]);
  expect(code).toBe(0);
  return path;
}

/** `leaklog diff BASELINE INPUT -f json`'s counts and warnings. */
async function jsonDiff(
  baseline: string,
  input: string,
): Promise<{ counts: object; warnings: { code: string; message: string }[] }> {
  const { stdout } = await cli(["diff", baseline, input, "-f", "json"]);
  return JSON.parse(stdout) as { counts: object; warnings: { code: string; message: string }[] };
}

describe("summarize --baseline and diff", () => {
  it("marks groups against a baseline; --fail-on new fails only on new groups", async () => {
    const old = await jsonReport("old.json", DEFINITE);
    const same = await cli(["summarize", DEFINITE, "--baseline", old, "--fail-on", "new"]);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain("[unchanged]");
    const more = await cli([
      "summarize",
      DEFINITE,
      INDIRECT,
      "--baseline",
      old,
      "--fail-on",
      "new",
      "-f",
      "json",
    ]);
    expect(more.code).toBe(1);
    const report = Report.parse(JSON.parse(more.stdout));
    expect(report.groups.filter((g) => g.baseline === "unchanged")).toHaveLength(3);
    expect(report.groups.some((g) => g.baseline === "new")).toBe(true);
    expect(report.gate?.reasons[0]).toMatch(/^--fail-on new: \d+ groups/);
  });

  it("the text summary says how the groups compare and what the fixed ones counted", async () => {
    const old = await jsonReport("indirect.json", INDIRECT);
    const { stdout } = await cli(["summarize", DEFINITE, "--baseline", old]);
    expect(stdout).toContain(
      "Baseline\n  3 new, 0 unchanged, 4 fixed (9 leaks of 328 bytes in 12 blocks)\n",
    );
    const none = await cli(["summarize", DEFINITE]);
    expect(none.stdout).not.toContain("Baseline");
    const markdown = (await cli(["summarize", DEFINITE, "--baseline", old, "-f", "markdown"]))
      .stdout;
    expect(markdown).toContain(
      "**Against the baseline:** 3 new, 0 unchanged, 4 fixed (9 leaks of 328 bytes in 12 blocks).",
    );
    // The totals table counts what the logs hold: the fixed groups are not rows of it.
    expect(markdown).toContain("| `definitely-lost` | error | 3 | 3 | 155 | 5 |");
    expect(markdown).not.toContain("`indirectly-lost`");
  });

  it("diff prints new and fixed groups and exits 0, or 1 with --fail-on new", async () => {
    const old = await jsonReport("both.json", DEFINITE, INDIRECT);
    const now = await jsonReport("definite.json", DEFINITE);
    const fixedOnly = await cli(["diff", old, now]);
    expect(fixedOnly.stderr).toBe("");
    expect(fixedOnly.code).toBe(0);
    expect(fixedOnly.stdout).toMatch(
      /^Baseline .*both\.json -> .*definite\.json\n0 new, \d+ fixed, 3 unchanged\n/,
    );
    // What the fixed groups counted in the baseline: leak_indirect.txt's LEAK SUMMARY says 56
    // bytes in 2 blocks definitely lost and 272 in 10 indirectly lost.
    expect(fixedOnly.stdout).toContain("\nFixed (4): 9 leaks of 328 bytes in 12 blocks\n");
    // With the callers that tell groups of one helper apart (the text summary's first frames),
    // and the direct bytes that the heading sums (it said 328 over a line of 168 bytes alone).
    expect(fixedOnly.stdout).toContain(
      "\n  definitely-lost  168 (24 direct, 144 indirect) bytes in 1 blocks  at tree_node (leak_indirect.c:9)\n      by build_tree (leak_indirect.c:17)\n      by main (leak_indirect.c:39)\n",
    );
    expect((await cli(["diff", old, now, "--fail-on", "new"])).code).toBe(0);
    const grown = await cli(["diff", now, old, "--fail-on", "new"]);
    expect(grown.code).toBe(1);
    expect(grown.stdout).toContain("Result: FAILED");
    const asJson = await cli(["diff", now, INDIRECT, DEFINITE, "--format", "json"]);
    const parsed = JSON.parse(asJson.stdout);
    expect(parsed.counts.unchanged).toBe(3);
    expect(parsed.counts.new).toBe(parsed.new.length);
    expect(parsed.new[0].baseline).toBe("new");
    const fixed = JSON.parse((await cli(["diff", old, now, "-f", "json"])).stdout);
    expect(fixed.fixed.map((g: Group) => [g.kind, g.bytes, g.baselineAmounts])).toContainEqual([
      "definitely-lost",
      0,
      { bytes: 168, directBytes: 24, blocks: 1, occurrences: 1 },
    ]);
  });

  it("neither finds again nor fixes the kinds a run counted but did not list, and says so", async () => {
    const all = await jsonReport("kinds-all.json", "test/fixtures/baseline-kinds/vg_all.txt");
    const { code, stdout } = await cli([
      "diff",
      all,
      "test/fixtures/baseline-kinds/vg_default.txt",
      "--fail-on",
      "new",
      "--format",
      "json",
    ]);
    expect(code).toBe(0);
    const diff = JSON.parse(stdout) as { counts: object; warnings: { code: string }[] };
    expect(diff.counts).toEqual({ new: 0, unchanged: 1, fixed: 0 });
    expect(diff.warnings.map((w) => w.code)).toEqual(["baseline-kinds-unlisted"]);
    const text = await cli(["diff", all, "test/fixtures/baseline-kinds/vg_default.txt"]);
    expect(text.stdout).toContain(
      "2 baseline group(s) of kind indirectly-lost, still-reachable not compared",
    );
  });

  it("does not call fixed what the checker suppressed in this run, and says so", async () => {
    // Valgrind rerun with the suppressions leaklog wrote: its summaries count the findings as
    // suppressed, and all three were "fixed".
    const dir = "test/fixtures/baseline-suppressed";
    const base = await jsonReport("vg-base.json", `${dir}/base.log`);
    const diff = await jsonDiff(base, `${dir}/supp.log`);
    expect(diff.counts).toEqual({ new: 0, unchanged: 0, fixed: 0 });
    expect(diff.warnings.map((w) => w.code)).toEqual(["baseline-run-suppressed"]);
    expect(diff.warnings[0]?.message).toMatch(
      /^3 baseline group\(s\) not found .* errors and leak bytes/,
    );
    // The same log against itself suppresses nothing more: a fixed group stays fixed.
    const again = await jsonDiff(
      await jsonReport("vg-supp.json", `${dir}/supp.log`),
      `${dir}/supp.log`,
    );
    expect(again.warnings).toEqual([]);
  });

  it("does not call new a record the log was cut in, when it starts a baseline group", async () => {
    const fixtures = "test/fixtures/baseline-cut";
    const base = await jsonReport("cut-base.json", `${fixtures}/full.log`);
    for (const cut of ["cut.log", "cut.xml"]) {
      const { code, stdout } = await cli(["diff", base, `${fixtures}/${cut}`, "--fail-on", "new"]);
      expect(stdout, cut).toContain("\n0 new, 0 fixed, 3 unchanged\n");
      expect(code, cut).toBe(0);
    }
    // Cut mid-line: in its third frame, it starts the baseline's; in its second, with only
    // malloc whole before it, it could be any leak: neither new nor unchanged.
    const full = readFileSync(`${fixtures}/full.log`, "utf8");
    const record = full.indexOf("loss record 3 of 3");
    for (const [frame, counts] of [
      ["xalloc (pro", "0 new, 0 fixed, 2 unchanged"],
      ["run_na", "0 new, 0 fixed, 3 unchanged"],
    ] as const) {
      const path = join(dir, `mid-${frame.length}.log`);
      writeFileSync(path, full.slice(0, full.indexOf(frame, record) + frame.length));
      const { code, stdout } = await cli(["diff", base, path, "--fail-on", "new"]);
      expect(stdout, frame).toContain(`\n${counts}\n`);
      expect(code, frame).toBe(0);
    }
  });

  it("nor a sanitizer leak record the log was cut in, as a Valgrind one (campaign bk F1)", async () => {
    // An ASan leak report cut in `leak_a /tmp/camp-b` (700 bytes) and after a record's header
    // (1300): the partial stacks were new groups and failed the gate, where Valgrind's passed.
    const full = readFileSync("test/fixtures/sanitizer/cut/full.log", "utf8");
    const base = await jsonReport("asan-cut-base.json", "test/fixtures/sanitizer/cut/full.log");
    for (const [bytes, unchanged] of [
      [700, 1],
      [1300, 3],
    ] as const) {
      const path = join(dir, `leak-${bytes}.log`);
      writeFileSync(path, full.slice(0, bytes));
      const run = await cli(["summarize", path, "--baseline", base, "--fail-on", "new"]);
      expect(run.stdout, path).toContain(`\n  0 new, ${unchanged} unchanged, 0 fixed\n`);
      expect(run.stdout, path).toContain("1 group(s) of records the log was cut in");
      expect(run.code, path).toBe(0);
    }
  });

  it("a leak suppressed on one side only is the same leak, not fixed and new", async () => {
    // The team's loop: a baseline, then the suppressions leaklog writes for its leaks. A
    // suppression makes a leak's kind `suppressed`: the same log read "2 new, 2 fixed".
    const base = await jsonReport("supp-base.json", INDIRECT);
    const supp = join(dir, "team.supp");
    expect((await cli(["suppressions", INDIRECT, "-o", supp])).code).toBe(0);
    const added = await cli(["diff", base, INDIRECT, "--suppressions", supp, "-f", "json"]);
    const diff = JSON.parse(added.stdout) as { counts: object; unchanged: Group[] };
    // Suppressed, a leak's definite root and its indirect nodes are one group where their
    // stacks fingerprint alike (build_list's; build_tree's, whatever the recursion's depth).
    expect(diff.counts).toEqual({ new: 0, unchanged: 2, fixed: 0 });
    expect(diff.unchanged.map((g) => g.kind)).toEqual(Array(2).fill("suppressed"));
    // And the other way: a baseline written with the suppressions, a run without them.
    const suppressedBase = await jsonReport("supp-base2.json", INDIRECT, "--suppressions", supp);
    const dropped = await cli(["diff", suppressedBase, INDIRECT, "--fail-on", "new"]);
    expect(dropped.code).toBe(0);
    expect(dropped.stdout).toContain("0 new, 0 fixed");
  });

  it("neither finds again nor fixes the kinds an XML run's options hid", async () => {
    // 3.19's XML has no LEAK SUMMARY: only <vargv> says the default kinds were listed.
    const all = await jsonReport("kinds-all-xml.json", "test/fixtures/baseline-kinds/vg_all.xml");
    const diff = await jsonDiff(all, "test/fixtures/baseline-kinds/vg_default.xml");
    expect(diff.counts).toEqual({ new: 0, unchanged: 1, fixed: 0 });
    expect(diff.warnings.map((w) => w.message)).toEqual([
      expect.stringContaining(
        "2 baseline group(s) of kind indirectly-lost, still-reachable not compared",
      ),
    ]);
  });

  it("nor those a -q run hid, as its loss records' numbering tells", async () => {
    const folder = "test/fixtures/baseline-kinds";
    const all = await jsonReport("kinds-all-q.json", `${folder}/vg_all_q.txt`);
    const diff = await jsonDiff(all, `${folder}/vg_default_q.txt`);
    expect(diff.counts).toEqual({ new: 0, unchanged: 1, fixed: 0 });
    expect(diff.warnings.map((w) => w.code)).toEqual(["baseline-kinds-unlisted"]);
    // A -q run that listed every record (loss record 3 of 3) hides nothing.
    const same = await jsonDiff(all, `${folder}/vg_all_q.txt`);
    expect(same).toMatchObject({ counts: { unchanged: 3 }, warnings: [] });
  });

  it("leaves out definite leaks that the run's --show-leak-kinds hid, as hidden kinds", async () => {
    // kinds_def_all lists its definite leaks; kinds_reach_def, of the same program, shows only
    // reachable ones: its definite leaks are in its summary alone, not fixed.
    const folder = "test/fixtures/valgrind/error-counts";
    const base = await jsonReport("kinds-base.json", `${folder}/kinds_def_all.txt`);
    const diff = await jsonDiff(base, `${folder}/kinds_reach_def.txt`);
    expect(diff.counts).toEqual({ new: 1, unchanged: 1, fixed: 0 });
    expect(diff.warnings.map((w) => w.message)).toEqual([
      expect.stringContaining("1 baseline group(s) of kind definitely-lost not compared"),
    ]);
  });

  it("marks nothing fixed from a log cut short, and drops a record cut before its kind", async () => {
    // An XML log cut inside an <error>, before its <kind>: the record was an empty `Unknown`
    // error, new against any baseline, and the baseline's leaks after the cut were "fixed".
    const xml = "samples/valgrind-xml/leak_indirect.xml";
    const base = await jsonReport("xml-base.json", xml);
    const text = readFileSync(xml, "utf8");
    const cutAt = text.indexOf("<kind>", text.indexOf("<error>"));
    const cut = join(dir, "cut.xml");
    writeFileSync(cut, text.slice(0, cutAt));
    const run = await cli(["diff", base, cut, "--fail-on", "new", "-f", "json"]);
    expect(run.code).toBe(0);
    const diff = JSON.parse(run.stdout) as { counts: object; warnings: { code: string }[] };
    expect(diff.counts).toEqual({ new: 0, unchanged: 0, fixed: 0 });
    expect(diff.warnings.map((d) => d.code)).toEqual(
      expect.arrayContaining(["xml-truncated-record", "incomplete", "baseline-run-incomplete"]),
    );
  });

  it("lists what makes a baseline doubtful: one written from a log cut short", async () => {
    const cut = join(dir, "cut.txt");
    writeFileSync(cut, readFileSync(DEFINITE, "utf8").slice(0, 1500));
    const base = await jsonReport("cut.json", cut);
    const { code, stdout } = await cli(["summarize", DEFINITE, "--baseline", base, "-f", "json"]);
    expect(code).toBe(0);
    const report = Report.parse(JSON.parse(stdout));
    const incomplete = report.diagnostics.find((d) => d.code === "incomplete");
    expect(incomplete?.path).toBe(base);
    expect(incomplete?.message).toMatch(/the log ends before Valgrind's ERROR SUMMARY/);
  });

  it.each([
    [["diff", DEFINITE], /diff needs two inputs/],
    [["diff", "nope.json", DEFINITE], /baseline nope.json: cannot read nope.json: no such file/],
    [["diff", "package.json", DEFINITE], /baseline package.json: not a log leaklog can read/],
    [["diff", DEFINITE, DEFINITE, "--top", "3"], /--top is not an option of diff/],
    [
      ["diff", DEFINITE, DEFINITE, "--format", "html"],
      /--format: "html" is no choice; expected one of text, json/,
    ],
    [
      ["suppressions", DEFINITE, "--for", "asan"],
      /--for: "asan" is no choice; expected one of valgrind, lsan/,
    ],
    [
      ["summarize", DEFINITE, "--suppressions", "nope.supp"],
      /--suppressions nope.supp: cannot read it: no such file/,
    ],
  ])("%j exits 2 with one clear line", async (args, message) => {
    const { code, stderr, stdout } = await cli(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stdout).toBe("");
  });
});

describe("suppressions", () => {
  it("a suppression file's warnings reach the report: `leak:` alone hides every leak", async () => {
    const file = join(dir, "all.supp");
    writeFileSync(file, "leak:\n");
    const { code, stdout } = await cli([
      "summarize",
      "samples/sanitizer/lsan-basic.log",
      "--suppressions",
      file,
      "-f",
      "json",
    ]);
    expect(code).toBe(0);
    const report = Report.parse(JSON.parse(stdout));
    expect(report.leaks.length).toBeGreaterThan(0);
    expect(report.leaks.every((l) => l.kind === "suppressed")).toBe(true);
    expect(report.diagnostics).toContainEqual(
      expect.objectContaining({
        severity: "warning",
        code: "suppression-matches-all",
        path: file,
        line: 1,
      }),
    );
  });

  it("writes one Valgrind suppression per group that parses back and suppresses them all", async () => {
    const { code, stdout } = await cli(["suppressions", INDIRECT]);
    expect(code).toBe(0);
    const { suppressions, problems } = parseValgrindSuppressions(stdout);
    expect(problems).toEqual([]);
    expect(suppressions.every((s) => s.kind === "Leak" && s.frames[0]?.type === "fun")).toBe(true);
    const file = join(dir, "gen.supp");
    writeFileSync(file, stdout);
    const applied = await cli([
      "summarize",
      INDIRECT,
      "--suppressions",
      file,
      "-f",
      "json",
      "--fail-on",
      "any",
    ]);
    expect(applied.code).toBe(0);
    const report = Report.parse(JSON.parse(applied.stdout));
    expect(report.groups.every((g) => g.suppressed === true && g.severity === "none")).toBe(true);
    expect(
      report.leaks.every((l) => l.kind === "suppressed" && l.details?.["suppressedKind"]),
    ).toBe(true);
    expect(report.diagnostics.filter((d) => d.code === "summary-mismatch")).toEqual([]);
  });

  it("reuses the log's own --gen-suppressions blocks", async () => {
    const { stdout } = await cli(["suppressions", "samples/valgrind/gensupp_all.txt"]);
    expect(stdout).toContain("   Memcheck:Cond\n   fun:check\n   fun:main\n}");
    expect(stdout).not.toContain("<insert_a_suppression_name_here>");
    expect(stdout.match(/fun:cache_alloc/g)).toHaveLength(1); // deduplicated
  });

  it("writes LeakSanitizer leak: lines with --for lsan", async () => {
    const { code, stdout } = await cli([
      "suppressions",
      INDIRECT,
      "--for",
      "lsan",
      "-o",
      join(dir, "lsan.supp"),
    ]);
    expect(code).toBe(0);
    expect(stdout).toBe("");
    const lines = readFileSync(join(dir, "lsan.supp"), "utf8").trim().split("\n");
    expect(lines[0]).toMatch(/^# /);
    expect(lines.slice(1).every((l) => /^leak:[^\s]+$/.test(l))).toBe(true);
    expect(lines).toContain("leak:^tree_node$");
  });

  it("lists unused suppressions and refuses malformed files with file:line", async () => {
    const unused = join(dir, "unused.supp");
    writeFileSync(unused, "{\n   never\n   Memcheck:Leak\n   fun:no_such_function\n}\n");
    const run = await cli(["summarize", INDIRECT, "--suppressions", unused, "-f", "json"]);
    const report = Report.parse(JSON.parse(run.stdout));
    expect(report.diagnostics).toContainEqual(
      expect.objectContaining({
        code: "unused-suppression",
        severity: "info",
        path: unused,
        line: 2,
      }),
    );
    const bad = join(dir, "bad.supp");
    writeFileSync(bad, "{\n   broken\n   Memcheck:Leek\n   fun:x\n}\n");
    const refused = await cli(["summarize", INDIRECT, "--suppressions", bad]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      `leaklog: ${bad}:3: unknown Memcheck suppression type "Leek" (expected Leak, Cond, Addr4, Value8, Param, Free, ...)\n`,
    );
  });
});

// Campaign ba: a new group and a fixed one that printed alike told nothing of what was new.
describe("diff's text of groups that print alike", () => {
  it("says what tells them apart, as the text summary does", async () => {
    const dir = "test/fixtures/valgrind/renamed-caller";
    const baseline = await jsonReport("renamed-base.json", `${dir}/base.txt`);
    const { stdout } = await cli(["diff", baseline, `${dir}/renamed.txt`]);
    expect(stdout).toContain("1 new, 1 fixed");
    expect(stdout).toMatch(/New \(1\)\n[^]*?\n {6}frame 7: top_c\n/);
    expect(stdout).toMatch(/Fixed \(1\)[^\n]*\n[^]*?\n {6}frame 7: top_a\n/);
  });
});
