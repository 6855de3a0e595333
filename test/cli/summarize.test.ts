import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseFile } from "../../src/api/parse.js";
import { Report } from "../../src/model/index.js";
import { cli } from "../helpers/cli.js";
import { ROOT } from "../helpers/golden.js";

const SAMPLE = "samples/valgrind/leak_indirect.txt";

describe("leaklog summarize", () => {
  it("prints a text summary with the tool's own totals beside ours", async () => {
    const { code, stdout, stderr } = await cli(["summarize", SAMPLE]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("valgrind 3.19.0  PID 20777 ./leak_indirect");
    expect(stdout).toMatch(
      /ERROR\s+definitely-lost\s+168 \(24 direct, 144 indirect\) bytes in 1 blocks/,
    );
    expect(stdout).toContain("at tree_node (leak_indirect.c:9)");
    expect(stdout).toContain(
      "definitely-lost  56 bytes in 2 blocks  (tool's summary: 56 bytes in 2 blocks)",
    );
    expect(stdout).not.toContain("\u001b[");
  });

  it("counts a process's leak checks once: the check at exit, not every client request's too", async () => {
    // clientreq.c runs VALGRIND_DO_LEAK_CHECK, ADDED and CHANGED checks before the one at
    // exit; adding their records up gave 480 bytes in 6 blocks and failed this gate.
    const args = ["--max-bytes", "definitely-lost=300"];
    for (const log of ["valgrind/clientreq.txt", "valgrind-xml/clientreq.xml"]) {
      const { code, stdout } = await cli(["summarize", `test/fixtures/${log}`, ...args]);
      expect(stdout).toMatch(/definitely-lost {2}240 bytes in 3 blocks/);
      expect(stdout).toMatch(/still-reachable {2}16 bytes in 1 blocks/);
      expect(code).toBe(0);
    }
    const { code, stdout } = await cli([
      "summarize",
      "test/fixtures/valgrind/clientreq.txt",
      "--max-bytes",
      "definitely-lost=239",
    ]);
    expect(code).toBe(1);
    expect(stdout).toContain("definitely-lost=239: 240 bytes");
  });

  it("writes JSON that validates against the model", async () => {
    const { code, stdout } = await cli(["summarize", SAMPLE, "--format", "json"]);
    expect(code).toBe(0);
    const report = Report.parse(JSON.parse(stdout));
    expect(report.sources[0]?.format).toBe("valgrind");
    expect(report.leaks).toHaveLength(9);
    expect(report.groups[0]).toMatchObject({
      kind: "definitely-lost",
      severity: "error",
      bytes: 168,
    });
  });

  it("expands globs and reads standard input", async () => {
    const glob = await cli(["summarize", "samples/valgrind/leak_*.txt", "--format", "json"]);
    expect(JSON.parse(glob.stdout).sources).toHaveLength(5);
    const stdin = await cli(
      ["summarize", "-", "--format", "json"],
      [readFileSync(join(ROOT, SAMPLE))],
    );
    expect(JSON.parse(stdin.stdout).sources[0].path).toBe("-");
  });

  it("exits 1 with --fail-on incomplete when a log is known to lack records", async () => {
    // Valgrind stopped at the first error (--exit-on-first-error): the log has no summaries.
    const cut = "samples/valgrind/exit_first_error.txt";
    const failed = await cli(["summarize", cut, SAMPLE, "--fail-on", "incomplete"]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain(`--fail-on incomplete: 1 log is incomplete (${cut})`);
    const overwritten = "test/fixtures/valgrind/log-file-shared/one.txt";
    const both = await cli(["summarize", cut, overwritten, "--fail-on", "incomplete"]);
    expect(both.stdout).toContain(`--fail-on incomplete: 2 logs are incomplete (first: ${cut})`);
    // Complete logs pass, whatever they found; other rules do not count incompleteness.
    expect((await cli(["summarize", SAMPLE, "--fail-on", "incomplete"])).code).toBe(0);
    expect((await cli(["summarize", cut, "--fail-on", "Race"])).code).toBe(0);
  });

  it("exits 1 when --fail-on matches and says which rule failed", async () => {
    const failed = await cli(["summarize", SAMPLE, "--fail-on", "definitely-lost"]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain("Result: FAILED");
    expect(failed.stdout).toContain("--fail-on definitely-lost: 2 groups");
    const passed = await cli(["summarize", SAMPLE, "--fail-on", "possibly-lost,InvalidRead"]);
    expect(passed.code).toBe(0);
    expect((await cli(["summarize", SAMPLE, "--fail-on", "warning"])).code).toBe(1);
    // Kinds of other tools are valid rules too (here they match nothing).
    expect((await cli(["summarize", SAMPLE, "--fail-on", "Race,heap-use-after-free"])).code).toBe(
      0,
    );
    expect((await cli(["summarize", SAMPLE, "--max-bytes", "definitely-lost=56"])).code).toBe(0);
    expect((await cli(["summarize", SAMPLE, "--max-bytes", "definitely-lost=55"])).code).toBe(1);
  });

  // Valgrind's default --leak-check=summary: a LEAK SUMMARY, no loss records.
  const SUMMARY_ONLY = "samples/valgrind/leak_all_summary.txt";

  it("fails on leaks that only Valgrind's LEAK SUMMARY reports, and says so", async () => {
    const args = ["summarize", SUMMARY_ONLY, "--fail-on", "definitely-lost"];
    const failed = await cli([...args, "--max-bytes", "definitely-lost=0"]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).not.toContain("No leaks or memory errors found");
    expect(failed.stdout).toContain(
      "Leaks without loss records: Valgrind's LEAK SUMMARY reports 96 bytes in 3 blocks definitely lost, 48 bytes in 3 blocks indirectly lost, 80 bytes in 1 block possibly lost, 200 bytes in 1 block still reachable, but the log has no loss records for them: rerun with --leak-check=full --show-leak-kinds=all to see where they were allocated.",
    );
    expect(failed.stdout).toContain(
      "  --fail-on definitely-lost: Valgrind's LEAK SUMMARY reports 96 bytes in 3 blocks definitely lost with no loss records (run with --leak-check=full for stacks)\n" +
        "  --max-bytes definitely-lost=0: 96 bytes (96 of them only in Valgrind's LEAK SUMMARY, with no loss records)",
    );
    expect((await cli(["summarize", SUMMARY_ONLY, "--fail-on", "any"])).code).toBe(1);
    expect((await cli(["summarize", SUMMARY_ONLY, "--max-bytes", "possibly-lost=80"])).code).toBe(
      0,
    );
    const json = await cli(["summarize", SUMMARY_ONLY, "--format", "json", "--fail-on", "error"]);
    const report = Report.parse(JSON.parse(json.stdout));
    expect(report.summaryOnlyLeaks?.[0]?.leak["indirectly-lost"]).toEqual({ bytes: 48, blocks: 3 });
    expect(report.gate?.failed).toBe(true);
  });

  it.each([
    [["summarize", "nope.txt"], /nope.txt: cannot read nope.txt: no such file/],
    [["summarize", "samples"], /is a directory/],
    [["summarize", "package.json"], /not a log leaklog can read/],
    [["summarize", "nothing/*.log"], /no files match/],
    [["summarize", SAMPLE, "--format", "yaml"], /--format: "yaml" is no choice; expected one of/],
    [["summarize", SAMPLE, "--bogus"], /Unknown option '--bogus'/],
    [["summarize"], /no input/],
    [["frobnicate"], /unknown command/],
    [
      ["summarize", "test/fixtures/valgrind/other-tools/helgrind.txt"],
      /^leaklog: test\/fixtures\/valgrind\/other-tools\/helgrind.txt: a Helgrind log, not Memcheck's/,
    ],
    // Written with -q, no banner: the gate on races passed (campaign bo F3).
    [
      [
        "summarize",
        "test/fixtures/valgrind/other-tools/quiet/drd-race.txt",
        "--fail-on",
        "ConflictingAccess",
      ],
      /^leaklog: .*quiet\/drd-race.txt: a DRD log, not Memcheck's: .*rerun with --xml=yes/,
    ],
    // A typo in a gate rule once printed "Result: passed" over a log with a definite leak.
    [
      ["summarize", SAMPLE, "--fail-on", "definately-lost,invalidwrite"],
      /^leaklog: --fail-on: unknown value "definately-lost" \(did you mean definitely-lost\?\); expected a leak kind \(definitely-lost, .*\), a severity \(error, warning, note\), any, new, incomplete, or an error kind/,
    ],
    [
      ["summarize", SAMPLE, "--fail-on", "invalidwrite"],
      /"invalidwrite" \(did you mean InvalidWrite\?\)/,
    ],
    [["summarize", SAMPLE, "--fail-on", "Errors"], /"Errors" \(did you mean error\?\)/],
    [["summarize", SAMPLE, "--fail-on", "leaks"], /unknown value "leaks"; expected/],
    [
      ["summarize", SAMPLE, "--max-bytes", "definately-lost=0"],
      /^leaklog: --max-bytes: unknown leak kind "definately-lost" \(did you mean definitely-lost\?\); expected one of definitely-lost, indirectly-lost/,
    ],
    [
      ["summarize", SAMPLE, "--max-bytes", "InvalidRead=0"],
      /unknown leak kind "InvalidRead"; expected/,
    ],
    [["summarize", SAMPLE, "--max-bytes", "definitely-lost=-1"], /wants KIND=BYTES/],
    [
      ["diff", SAMPLE, SAMPLE, "--fail-on", "neww"],
      /--fail-on: unknown value "neww" \(did you mean new\?\)/,
    ],
  ])("%j exits 2 with one clear line", async (args, message) => {
    const { code, stdout, stderr } = await cli(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stdout).toBe("");
  });

  // valgrind --xtree-leak=yes --xml=yes: the leaks went to logs/xt.kcg, none to the XML.
  const XTREE_LEAK = "test/fixtures/valgrind-xml/xtree-leak-3.19.0.xml";

  it("marks an --xtree-leak=yes XML log incomplete and names the file that holds its leaks", async () => {
    const { stdout } = await cli(["summarize", XTREE_LEAK]);
    expect(stdout).toContain("PID 21676 bin/leaks (incomplete)");
    expect(stdout).toContain(
      `warning ${XTREE_LEAK}:23: leaks were written to logs/xt.kcg (--xtree-leak=yes), not to this log`,
    );
    const json = await cli(["summarize", XTREE_LEAK, "--format", "json"]);
    expect(Report.parse(JSON.parse(json.stdout)).sources[0]?.complete).toBe(false);
  });

  it("never says a plain 'no leaks found' while a log is incomplete", async () => {
    const text = readFileSync(join(ROOT, XTREE_LEAK), "utf8");
    const noErrors = text.replace(/<error>[\s\S]*<\/error>/, "");
    const { stdout } = await cli(["summarize", "-"], [Buffer.from(noErrors)]);
    expect(stdout).toContain(
      "No leaks or memory errors found in what was read, but 1 log is incomplete (see Diagnostics).",
    );
    const clean = await cli(["summarize", "samples/valgrind-xml/clean.xml"]);
    expect(clean.stdout).toContain("No leaks or memory errors found.\n");
  });

  it("never says a plain 'no leaks' in Markdown or HTML either while a log is incomplete", async () => {
    const text = readFileSync(join(ROOT, XTREE_LEAK), "utf8");
    const noErrors = Buffer.from(text.replace(/<error>[\s\S]*<\/error>/, ""));
    const markdown = await cli(["summarize", "-", "-f", "markdown"], [noErrors]);
    expect(markdown.stdout).toContain(
      "## leaklog: no leaks or memory errors in what was read, but 1 log is incomplete\n",
    );
    const html = await cli(["summarize", "-", "-f", "html"], [noErrors]);
    expect(html.stdout).toContain(
      '<p class="empty">No leaks or memory errors found in what was read, but 1 log is incomplete.</p>',
    );
    const clean = "samples/valgrind-xml/clean.xml";
    const cleanMarkdown = await cli(["summarize", clean, "-f", "markdown"]);
    expect(cleanMarkdown.stdout).toContain("## leaklog: no leaks or memory errors\n");
    const cleanHtml = await cli(["summarize", clean, "-f", "html"]);
    expect(cleanHtml.stdout).toContain('<p class="empty">No leaks or memory errors found.</p>');
  });

  it("still reports the readable sources when one input is unusable", async () => {
    const { code, stdout, stderr } = await cli(["summarize", SAMPLE, "nope.txt"]);
    expect(code).toBe(2);
    expect(stderr).toContain("no such file");
    expect(stdout).toContain("definitely-lost");
  });

  it("reads the inputs in their order, each opened while the one before is parsed", async () => {
    // Small and large files (read whole, and streamed: see openLog), and unusable ones between.
    const inputs = [
      SAMPLE,
      "nope.txt",
      "samples/valgrind/many_errors.txt",
      "samples",
      "samples/valgrind/fd_leak.txt",
    ];
    const { code, stdout, stderr } = await cli(["summarize", ...inputs, "-f", "json"]);
    expect(code).toBe(2);
    expect(stderr.trim().split("\n")).toEqual([
      "leaklog: nope.txt: cannot read nope.txt: no such file",
      'leaklog: samples: cannot read samples: is a directory, not a log file: give the logs in it by a quoted glob, e.g. "samples/*.log"',
    ]);
    const report = Report.parse(JSON.parse(stdout));
    expect(report.sources.map((s) => s.path)).toEqual(inputs);
    const alone = await Promise.all(inputs.map((path) => parseFile(join(ROOT, path))));
    expect(report.leaks.length).toBe(alone.reduce((n, r) => n + r.leaks.length, 0));
    expect(report.errors.length).toBe(alone.reduce((n, r) => n + r.errors.length, 0));
  });

  it("takes no command at all for bad usage: help on stderr, exit 2", async () => {
    const { code, stdout, stderr } = await cli([]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("Usage: leaklog summarize");
  });

  it("names the option whose value is missing, not the input it swallowed", async () => {
    const { code, stderr } = await cli(["summarize", "--format", SAMPLE]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^leaklog: --format: ".*" is no choice; expected one of text, json, /);
  });

  it("prints help and version", async () => {
    const help = await cli(["--help"]);
    expect(help.stdout).toContain("Usage: leaklog summarize");
    expect(help.stdout).toContain("valgrind ");
    const version = await cli(["--version"]);
    expect(version.stdout.trim()).toBe(
      JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version,
    );
  });
});

describe("the installed bin", () => {
  it("runs from bin/leaklog.js and exits with the code of the run", () => {
    const bin = join(ROOT, "bin", "leaklog.js");
    const out = execFileSync(process.execPath, [bin, "summarize", SAMPLE], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(out).toContain("definitely-lost");
    const bad = spawnSync(process.execPath, [bin, "summarize", "nope.txt"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});

// Campaign ab: without a rule leaklog exits 0 whatever it found, and a CI step wired without
// --fail-on passed a log full of errors in silence.
describe("a run without gate rules", () => {
  it("says under error-severity findings that it exits 0 and how to gate", async () => {
    const { code, stdout } = await cli(["summarize", "samples/valgrind/leak_definite.txt"]);
    expect(code).toBe(0);
    expect(stdout.trimEnd().split("\n").at(-1)).toBe(
      "Not gated (exit 0): add --fail-on error to fail the build on 3 error-severity groups.",
    );
    const summaryOnly = await cli(["summarize", "samples/valgrind/leak_all_summary.txt"]);
    expect(summaryOnly.stdout).toContain(
      "Not gated (exit 0): add --fail-on error to fail the build on the leaks without loss records.",
    );
  });

  // Campaign v10: with an unusable input the exit code is 2, and the line said "exit 0".
  it("says nothing of it where an input is unusable, and advises new groups against a baseline", async () => {
    const dir = mkdtempSync(join(tmpdir(), "leaklog-not-gated-"));
    const other = join(dir, "notes.txt");
    writeFileSync(other, "hello world\n");
    const sample = "samples/valgrind/leak_definite.txt";
    const mixed = await cli(["summarize", sample, other]);
    expect(mixed.code).toBe(2);
    expect(mixed.stdout).not.toContain("Not gated");
    const baseline = join(dir, "base.json");
    await cli(["summarize", "samples/valgrind/leak_indirect.txt", "-f", "json", "-o", baseline]);
    const compared = await cli(["summarize", sample, "--baseline", baseline]);
    expect(compared.stdout).toContain(
      "Not gated (exit 0): add --fail-on new to fail the build on new groups.",
    );
  });

  it("says nothing of it with a rule, or with no error-severity finding", async () => {
    const gated = ["summarize", "samples/valgrind/leak_definite.txt", "--fail-on", "InvalidRead"];
    const passed = await cli(gated);
    expect(passed.code).toBe(0);
    expect(passed.stdout).toContain("Result: passed");
    expect(passed.stdout).not.toContain("Not gated");
    const clean = await cli(["summarize", "samples/valgrind/fd_leak.txt"]);
    expect(clean.stdout).not.toContain("Not gated");
  });
});

describe("colour", () => {
  async function run(env: Record<string, string>, isTTY = true): Promise<string> {
    let out = "";
    const { runCli } = await import("../../src/cli/run.js");
    await runCli(["summarize", SAMPLE], {
      stdout: { write: (t: string) => (out += t), isTTY },
      stderr: { write: () => true },
      stdin: (async function* () {})(),
      env,
      cwd: ROOT,
    });
    return out;
  }

  it("is on for a terminal", async () => {
    expect(await run({})).toContain("\u001b[31m");
  });

  it("is off with NO_COLOR set to anything but the empty string (no-color.org)", async () => {
    expect(await run({ NO_COLOR: "1" })).not.toContain("\u001b[");
    expect(await run({ NO_COLOR: "0" })).not.toContain("\u001b[");
    expect(await run({ NO_COLOR: "" })).toContain("\u001b[31m");
  });

  it("is off on a dumb terminal, which prints escape codes as text", async () => {
    expect(await run({ TERM: "dumb" })).not.toContain("\u001b[");
  });

  // Campaign ab: FORCE_COLOR=0 on a terminal still coloured. Node's rule: it comes first.
  it("follows FORCE_COLOR before the rest, on a terminal or a pipe", async () => {
    expect(await run({ FORCE_COLOR: "0" })).not.toContain("\u001b[");
    expect(await run({ FORCE_COLOR: "false" })).not.toContain("\u001b[");
    // Node colours for "", 1, 2, 3 and true only (campaign v10).
    expect(await run({ FORCE_COLOR: "no" })).not.toContain("\u001b[");
    expect(await run({ FORCE_COLOR: "4" })).not.toContain("\u001b[");
    expect(await run({ FORCE_COLOR: "" }, false)).toContain("\u001b[31m");
    expect(await run({ FORCE_COLOR: "1", NO_COLOR: "1" })).toContain("\u001b[31m");
    expect(await run({ FORCE_COLOR: "1" }, false)).toContain("\u001b[31m");
    expect(await run({}, false)).not.toContain("\u001b[");
  });
});
